"""The `consult` console script: a Flask CLI group (`consult db upgrade`, `consult demo`, ...)."""
from __future__ import annotations

import os
import sys

import click
from flask import current_app
from flask.cli import FlaskGroup, with_appcontext

from consult.core.errors import Refused
from consult.core.input import id_value, unstorable_at


def _create_app():
    from consult import create_app

    return create_app()


cli = FlaskGroup(create_app=_create_app, help="consult: konsultacje programu współpracy z NGO.")


def fail(message: str, code: int = 1):
    click.echo(f"Błąd: {message}", err=True)
    sys.exit(code)


def served_at(host: str, port: int) -> str:
    """The address a browser reaches the server at: a wildcard bind (0.0.0.0, ::) is reached on this machine."""
    shown = {"": "127.0.0.1", "0.0.0.0": "127.0.0.1", "::": "[::1]"}.get(host, host)
    if ":" in shown and not shown.startswith("["):
        shown = f"[{shown}]"  # an IPv6 address in a URL
    return f"http://{shown}:{port}"


class RowId(click.ParamType):
    """The id of a row given on the command line (`consult export-meeting 12`): a number beyond what an id
    column holds names nothing, so it gets the command's own "not found" refusal (exit status 1) instead of
    an OverflowError from the database driver."""

    name = "id"

    def __init__(self, what: str):
        self.what = what  # in the genitive, as the refusal says it: "spotkania", "sprawozdania"

    def convert(self, value, param, ctx):
        if isinstance(value, int):
            return value
        text = str(value).strip()
        if not text.isascii() or not text.isdigit():
            self.fail(f"„{text}” nie jest numerem (liczbą całkowitą)", param, ctx)
        number = id_value(text)
        if number is None:
            fail(f"nie ma {self.what} nr {text if len(text) <= 24 else text[:20] + '…'}")
        return number


class StorableText(click.ParamType):
    """Text given on the command line that the database can hold: NUL, control characters and the lone
    surrogates that undecodable bytes in an argument become are refused naming the option (exit status 1)."""

    name = "text"

    def convert(self, value, param, ctx):
        position = unstorable_at(value)
        if position is not None:
            fail(f"--{param.name}: tekst zawiera niedozwolony znak (np. znak sterujący albo bajty, które nie są "
                 f"tekstem w UTF-8) na pozycji {position}")
        return value


TEXT = StorableText()


@click.command("demo")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--no-serve", is_flag=True, help="Only prepare the database and demo data, do not serve.")
@with_appcontext
def demo_command(host: str, port: int, no_serve: bool) -> None:
    """Create the database with migrations, load demo data once, print the demo accounts and serve."""
    from flask_migrate import upgrade
    from werkzeug.serving import run_simple

    from consult.demo.seed import DEMO_PASSWORD, demo_accounts, seed_demo

    if not os.environ.get("CONSULT_BASE_URL", "").strip():
        # The links in the e-mails (the demo's outbox) lead to this server, wherever --host and --port put it.
        current_app.config["CONSULT_BASE_URL"] = served_at(host, port)
    upgrade()
    created = seed_demo()
    click.echo("Dane demonstracyjne " + ("wczytane." if created else "były już wczytane wcześniej."))
    click.echo(f"Konta demonstracyjne (hasło każdego: {DEMO_PASSWORD}):")
    for role, email, name, what in demo_accounts():
        click.echo(f"  {role:<12} {email:<32} {name}: {what}")
    click.echo(f"Baza: {current_app.config['SQLALCHEMY_DATABASE_URI']}")
    if not no_serve:
        click.echo(f"Aplikacja: {served_at(host, port)}/")
        run_simple(host, port, current_app._get_current_object(), use_reloader=False, threaded=True)


@click.command("create-user")
@click.option("--email", required=True, type=TEXT)
@click.option("--name", required=True, type=TEXT)
@click.option("--role", required=True, type=click.Choice(["ngo", "unit", "coordinator", "admin"]))
@click.option("--organisation", type=TEXT, help="Organisation name (role ngo)")
@click.option("--unit", type=TEXT, help="Unit name or code (role unit)")
@click.password_option(type=TEXT)
@with_appcontext
def create_user_command(email, name, role, organisation, unit, password) -> None:
    """Create an account, for example the first admin of a new installation."""
    from consult.auth.operations import create_user
    from consult.core.actors import SYSTEM
    from consult.core.operations import transaction
    from consult.extensions import db
    from consult.organisations.models import Organisation, Unit

    org = db.session.scalar(db.select(Organisation).where(Organisation.name == organisation)) if organisation else None
    u = db.session.scalar(db.select(Unit).where((Unit.name == unit) | (Unit.code == unit))) if unit else None
    if organisation and org is None:
        fail(f"nie ma organizacji „{organisation}”")
    if unit and u is None:
        fail(f"nie ma komórki „{unit}”")
    try:
        with transaction():
            user = create_user(SYSTEM, email=email, name=name, password=password, role=role, organisation=org,
                               unit=u, bootstrap=True)
    except Refused as exc:
        fail(exc.reason)
    click.echo(user.id)


def register_commands(app) -> None:
    app.cli.add_command(demo_command)
    app.cli.add_command(create_user_command)
    __import__("consult.core.backup_cli", fromlist=["register"]).register(app)  # backup, restore
    # Domains add their commands here (import-meeting, export-meeting, ...).
    try:
        from consult.meetings.cli import register as register_meeting_commands
    except ImportError:
        return
    register_meeting_commands(app)
    __import__("consult.calls.cli", fromlist=["register"]).register(app)  # close-calls
    __import__("consult.implementation.cli", fromlist=["register"]).register(app)  # import/export/compile-report
    __import__("consult.notifications.cli", fromlist=["register"]).register(app)  # send-reminders, send-mail
    __import__("consult.programme_text.cli", fromlist=["register"]).register(app)  # import/export-programme-text
    __import__("consult.retention.cli", fromlist=["register"]).register(app)  # retention [--apply]
