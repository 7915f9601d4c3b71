"""Everything the web layer shares: blueprints, sign-in loader, error pages, template helpers."""
from __future__ import annotations

from flask import Flask, render_template
from flask_babel import gettext as _, lazy_gettext as _l
from flask_login import current_user
from flask_wtf.csrf import CSRFError

from consult.core.access import ROLE_LABELS, has_role
from consult.core.operations import state_label
from consult.extensions import db, login_manager


def register_web(app: Flask) -> None:
    from consult.auth.models import User

    login_manager.login_view = "auth.login"
    login_manager.login_message = _l_login_message()
    login_manager.login_message_category = "info"
    login_manager.session_protection = "strong"

    @login_manager.user_loader
    def load_user(user_id: str):
        return db.session.get(User, int(user_id))

    from consult.admin.views import bp as admin_bp
    from consult.auth.views import bp as auth_bp
    from consult.meetings.views import bp as meetings_bp
    from consult.postulates.views import bp as postulates_bp
    from consult.programmes.views import bp as programmes_bp
    from consult.public.views import bp as public_bp

    for bp in (public_bp, auth_bp, programmes_bp, meetings_bp, postulates_bp, admin_bp):
        app.register_blueprint(bp)
    app.register_blueprint(__import__("consult.summaries.views", fromlist=["bp"]).bp)  # meeting summaries
    app.register_blueprint(__import__("consult.calls.views", fromlist=["bp"]).bp)  # calls for offers
    app.register_blueprint(__import__("consult.calls.document_views", fromlist=["bp"]).bp)  # calls' PDFs
    app.register_blueprint(__import__("consult.notifications.views", fromlist=["bp"]).bp)  # /powiadomienia
    app.register_blueprint(__import__("consult.implementation.views", fromlist=["bp"]).bp)  # implementation reports
    app.register_blueprint(__import__("consult.api.views", fromlist=["bp"]).bp)  # /api/v1/, JSON
    app.register_blueprint(__import__("consult.consultation_report.views", fromlist=["bp"]).bp)  # programme report

    @app.context_processor
    def inject():
        return {"has_role": lambda *r: has_role(current_user, *r), "ROLE_LABELS": ROLE_LABELS,
                "state_label": state_label}

    @app.after_request
    def security_headers(response):
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("Content-Security-Policy",
                                    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'")
        return response

    for code, title in ((403, _l("Brak dostępu")), (404, _l("Nie ma takiej strony")),
                        (405, _l("Niedozwolona metoda"))):
        app.register_error_handler(code, _error_page(code, title))

    @app.errorhandler(CSRFError)
    def csrf_error(exc):
        return render_template("error.html", code=400, title=_("Formularz wygasł"),
                               message=_("Formularz nie zawierał ważnego tokenu bezpieczeństwa (CSRF). Wróć, "
                                         "odśwież stronę i wyślij formularz ponownie.")), 400


def _l_login_message():
    from flask_babel import lazy_gettext

    return lazy_gettext("Zaloguj się, aby zobaczyć tę stronę.")


def _error_page(code: int, title: str):
    def handler(exc):
        from consult.api.views import http_error, is_api_request

        if is_api_request():  # a client of the JSON API gets JSON, never an HTML page
            return http_error(exc)
        return render_template("error.html", code=code, title=str(title), message=None), code

    return handler
