"""consult: a city's yearly consultation with NGOs and the grant calls that follow."""
from __future__ import annotations

from flask import Flask

from consult import i18n
from consult.config import PROJECT_ROOT, instance_path, load_config
from consult.core.input import IdConverter
from consult.extensions import babel, csrf, db, login_manager, migrate


def create_app(overrides: dict | None = None) -> Flask:
    app = Flask(
        __name__,
        instance_path=str(instance_path()),
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "consult" / "static"),
    )
    app.config.from_mapping(load_config(overrides))
    if app.config.get("PROXIES"):
        # Behind reverse proxies the client's address (which sign-in throttling counts) is what they forwarded.
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=app.config["PROXIES"], x_proto=app.config["PROXIES"])
    # Before any route is added: every <int:...> stops at what an id column holds (beyond it: 404).
    app.url_map.converters["int"] = IdConverter

    db.init_app(app)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"), render_as_batch=True,
                     compare_type=True)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale, default_locale=i18n.DEFAULT_LOCALE,
                   default_timezone="Europe/Warsaw", default_translation_directories=str(i18n.TRANSLATIONS))
    i18n.init_app(app)
    login_manager.init_app(app)

    from consult import models  # noqa: F401  (every table registered before migrations look)
    from consult.documents_kinds import register_document_kinds

    register_document_kinds()
    from consult.web import register_web

    register_web(app)

    from consult.cli import register_commands

    register_commands(app)
    return app
