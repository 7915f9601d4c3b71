"""consult: a city's yearly consultation with NGOs and the grant calls that follow."""
from __future__ import annotations

from flask import Flask, has_request_context, request, session

from consult.config import PROJECT_ROOT, instance_path, load_config
from consult.extensions import babel, csrf, db, login_manager, migrate


def select_locale() -> str:
    if not has_request_context():  # CLI, Celery tasks: the city's language
        return "pl"
    chosen = session.get("lang")
    if chosen in ("pl", "en", "uk"):
        return chosen
    return request.accept_languages.best_match(["pl", "en", "uk"]) or "pl"


def create_app(overrides: dict | None = None) -> Flask:
    app = Flask(
        __name__,
        instance_path=str(instance_path()),
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "consult" / "static"),
    )
    app.config.from_mapping(load_config(overrides))

    db.init_app(app)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"), render_as_batch=True,
                     compare_type=True)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale, default_timezone="Europe/Warsaw")
    login_manager.init_app(app)

    from consult import models  # noqa: F401  (every table registered before migrations look)
    from consult.web import register_web

    register_web(app)

    from consult.cli import register_commands

    register_commands(app)
    return app
