"""Everything the web layer shares: blueprints, sign-in loader, error pages, template helpers."""
from __future__ import annotations

from flask import Flask, render_template
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf.csrf import CSRFError

from consult.core.access import ROLE_LABELS, has_role, roles_of
from consult.core.operations import state_label
from consult.extensions import db, login_manager
from consult.i18n import current_locale, format_number


def register_web(app: Flask) -> None:
    from consult.auth.models import user_of_session

    login_manager.login_view = "auth.login"
    login_manager.login_message = _l_login_message()
    login_manager.login_message_category = "info"
    login_manager.session_protection = "strong"

    @login_manager.user_loader
    def load_user(session_id: str):
        # "<id>:<generation>" (User.get_id): a session from before a sign-out or a new password loads nobody
        return user_of_session(session_id)

    from consult.admin import accounts  # noqa: F401  (the accounts' routes, on the registers' blueprint)
    from consult.admin.views import bp as admin_bp
    from consult.auth.account_views import bp as account_bp
    from consult.auth.views import bp as auth_bp
    from consult.meetings.views import bp as meetings_bp
    from consult.postulates.views import bp as postulates_bp
    from consult.programmes.views import bp as programmes_bp
    from consult.public.views import bp as public_bp

    for bp in (public_bp, auth_bp, account_bp, programmes_bp, meetings_bp, postulates_bp, admin_bp):
        app.register_blueprint(bp)
    app.register_blueprint(__import__("consult.summaries.views", fromlist=["bp"]).bp)  # meeting summaries
    app.register_blueprint(__import__("consult.calls.views", fromlist=["bp"]).bp)  # calls for offers
    app.register_blueprint(__import__("consult.calls.document_views", fromlist=["bp"]).bp)  # calls' PDFs
    app.register_blueprint(__import__("consult.notifications.views", fromlist=["bp"]).bp)  # /powiadomienia
    app.register_blueprint(__import__("consult.implementation.views", fromlist=["bp"]).bp)  # implementation reports
    app.register_blueprint(__import__("consult.api.views", fromlist=["bp"]).bp)  # /api/v1/, JSON
    app.register_blueprint(__import__("consult.admin.register_views", fromlist=["bp"]).bp)  # editing registers
    app.register_blueprint(__import__("consult.organisations.views", fromlist=["bp"]).bp)  # /organizacje
    app.register_blueprint(__import__("consult.auth.privacy_views", fromlist=["bp"]).bp)  # /konto/dane
    app.register_blueprint(__import__("consult.consultation_report.views", fromlist=["bp"]).bp)  # programme report
    app.register_blueprint(__import__("consult.smallgrants.views", fromlist=["bp"]).bp)  # small grants (art. 19a)
    app.register_blueprint(__import__("consult.retention.views", fromlist=["bp"]).bp)  # retention periods
    app.register_blueprint(__import__("consult.commitments.views", fromlist=["bp"]).bp)  # positions' commitments
    app.register_blueprint(__import__("consult.programme_text.views", fromlist=["bp"]).bp)  # the programme's text
    app.register_blueprint(__import__("consult.core.health", fromlist=["bp"]).bp)  # /health, JSON for monitoring
    app.register_blueprint(__import__("consult.membership.views", fromlist=["bp"]).bp)  # sign-up, /organizacja
    app.register_blueprint(__import__("consult.places.views", fromlist=["bp"]).bp)  # places of activity, rooms
    app.register_blueprint(__import__("consult.programme_report.views", fromlist=["bp"]).bp)  # art. 5a ust. 3 report
    app.register_blueprint(__import__("consult.attachments.views", fromlist=["bp"]).bp)  # attached files
    app.register_blueprint(__import__("consult.grant_reports.views", fromlist=["bp"]).bp)  # reports after the award
    app.register_blueprint(__import__("consult.receipts.views", fromlist=["bp"]).bp)  # PDFs of what NGOs filed

    from consult.core.submissions import new_form_token

    app.add_template_global(new_form_token)  # the `once()` macro's token; a global, so imported macros see it
    app.add_template_global(url_pattern)
    app.add_template_global(site_navigation)

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

    from werkzeug.exceptions import HTTPException, InternalServerError

    app.register_error_handler(HTTPException, _error_page)
    app.register_error_handler(InternalServerError, _server_error_page)
    from consult.core.outage import UNAVAILABLE

    for unavailable in UNAVAILABLE:
        app.register_error_handler(unavailable, _database_unavailable_page)

    @app.errorhandler(CSRFError)
    def csrf_error(exc):
        return render_template("error.html", code=400, title=_("Formularz wygasł"),
                               message=_("Formularz nie zawierał ważnego tokenu bezpieczeństwa (CSRF). Wróć, "
                                         "odśwież stronę i wyślij formularz ponownie.")), 400


def url_pattern(endpoint: str, argument: str, **values):
    """The address of `endpoint` for any whole number in `argument`, built by the router once: a list links every
    row to its page, and `url_for` for each of fifty rows was a noticeable part of the page's CPU.
    `{% set detail = url_pattern("postulates.detail", "postulate_id") %}` ... `detail(p.id)`."""
    from flask import url_for

    sentinel = 918273645546372819  # no id is this number; an int argument prints as its digits in the path
    head, tail = url_for(endpoint, **values, **{argument: sentinel}).split(str(sentinel), 1)

    def address(value: int) -> str:
        return f"{head}{int(value)}{tail}"

    return address


def site_navigation():
    """The main menu (templates/_navigation.html). It depends only on the language, the signed-in person's roles and
    commission seat, the current page and the application's root, so it is rendered once for each of those and
    kept: built per request, its dozen url_for, gettext and role checks were a noticeable part of every page.
    The seat is still asked of the database on each signed-in page, so the statements per page do not change."""
    from flask import current_app, request
    from markupsafe import Markup

    from consult.calls.queries import sits_on_commission

    user = current_user
    roles = frozenset(roles_of(user))
    seat = bool(user.is_authenticated and sits_on_commission(user))
    key = (current_locale(), roles, seat, request.endpoint, request.script_root)
    cache = current_app.extensions.setdefault("consult.navigation", {})
    html = cache.get(key)
    if html is None:
        if len(cache) > 2048:  # endpoints x roles x languages is bounded; this only guards against surprises
            cache.clear()
        html = cache[key] = Markup(current_app.jinja_env.get_template("_navigation.html").render(
            request=request, seat=seat, has_role=lambda *r: bool(roles.intersection(r))))
    return html


def _l_login_message():
    from flask_babel import lazy_gettext

    return lazy_gettext("Zaloguj się, aby zobaczyć tę stronę.")


# What an error page says, per status code, in the visitor's language; any other code gets the general words.
ERROR_TITLES = {
    400: _l("Nieprawidłowe żądanie"),
    403: _l("Brak dostępu"),
    404: _l("Nie ma takiej strony"),
    405: _l("Niedozwolona metoda"),
    413: _l("Przesłany plik jest za duży"),
    500: _l("Błąd serwera"),
    503: _l("Serwis chwilowo niedostępny"),
}


def _is_api_request() -> bool:
    from consult.api.views import is_api_request

    return is_api_request()


def _api_error(exc):
    from consult.api.views import http_error

    return http_error(exc)


def _error_message(code: int) -> str | None:
    from flask import current_app

    if code == 400:
        return _("Serwer nie zrozumiał tego żądania. Wróć na poprzednią stronę i spróbuj ponownie.")
    if code == 405:
        return _("Tej strony nie można otworzyć w ten sposób. Wróć na poprzednią stronę i użyj jej przycisków.")
    if code == 413:
        limit = (current_app.config.get("MAX_CONTENT_LENGTH") or 0) / (1024 * 1024)
        # whole megabytes: the limit has room for the form around a file of that many (consult/config.py)
        return _("Plik lub formularz może mieć najwyżej %(size)s MB. Wybierz mniejszy plik i wyślij go ponownie.",
                 size=format_number(int(limit) if limit >= 1 else round(limit, 1)))
    if code == 500:
        return _("Coś poszło nie tak po naszej stronie i nic nie zostało zmienione. Spróbuj ponownie za chwilę; "
                 "jeśli błąd się powtarza, skontaktuj się z koordynatorem konsultacji.")
    if code not in ERROR_TITLES:
        return _("Nie udało się wykonać tego żądania (kod błędu %(code)s).", code=code)
    return None  # 403 and 404: error.html has their words


def _error_page(exc):
    """An HTTP error as a page of the site, in the visitor's language (under /api/, JSON as the API answers)."""
    if exc.code is None or exc.code < 400:  # not an error (a routing redirect): as it is
        return exc
    if _is_api_request():  # a client of the JSON API gets JSON, never an HTML page
        return _api_error(exc)
    code = exc.code
    title = str(ERROR_TITLES.get(code) or _("Błąd"))
    headers = [(k, v) for k, v in exc.get_headers() if k.lower() in ("allow", "retry-after")]
    return render_template("error.html", code=code, title=title, message=_error_message(code)), code, headers


def _server_error_page(exc):
    """An unexpected error (Flask has logged it with its traceback): the site's page, not Werkzeug's. The
    session may be unusable after a database error, so it is rolled back first; should the page itself fail
    (the database gone), a plain page says the same."""
    from consult.api.views import error_response

    db.session.rollback()
    if _is_api_request():
        return error_response(500, _("Błąd serwera. Spróbuj ponownie później."))
    try:
        return render_template("error.html", code=500, title=str(ERROR_TITLES[500]),
                               message=_error_message(500)), 500
    except Exception:  # the error page must not fail in turn
        from flask import current_app
        from markupsafe import escape

        current_app.logger.exception("the error page could not be rendered")
        title, message = escape(ERROR_TITLES[500]), escape(_error_message(500))
        page = (f'<!doctype html><html lang="{escape(current_locale())}"><head><meta charset="utf-8">'
                f"<title>{title}</title></head><body><main><h1>{title}</h1><p>{message}</p></main></body></html>")
        return page, 500


def _database_unavailable_page(exc):
    """The database does not answer (restarted, failed over): the site's 503 page, in the visitor's language, with
    Retry-After; nothing was written (the transaction went with the connection). The page asks the database
    nothing: the visitor is shown as not signed in."""
    from flask import current_app, g

    from consult.api.views import error_response
    from consult.core.outage import database_unavailable, retry_after

    if not database_unavailable(exc):
        raise exc  # a mistake, not an outage: the server error it always was (logged, 500)
    current_app.logger.warning("database unavailable: %s", type(exc).__name__)
    try:
        db.session.rollback()
    except Exception:  # noqa: BLE001 - the connection is gone; the pool drops it
        pass
    g._login_user = login_manager.anonymous_user()
    headers = {"Retry-After": str(retry_after())}
    message = _("Baza danych chwilowo nie odpowiada, więc nic nie zostało zapisane ani zmienione. Spróbuj "
                "ponownie za chwilę.")
    if _is_api_request():
        response = error_response(503, message)
        response.headers.update(headers)
        return response
    try:
        return render_template("error.html", code=503, title=str(ERROR_TITLES[503]), message=message), 503, headers
    except Exception:  # noqa: BLE001 - the error page must not fail in turn
        from markupsafe import escape

        title = escape(ERROR_TITLES[503])
        page = (f'<!doctype html><html lang="{escape(current_locale())}"><head><meta charset="utf-8">'
                f"<title>{title}</title></head><body><main><h1>{title}</h1><p>{escape(message)}</p></main></body>"
                "</html>")
        return page, 503, headers
