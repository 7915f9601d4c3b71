"""Command-line doors for calls for offers.

    consult close-calls     closes for offers every announced call whose offers deadline has passed;
                            prints how many (for cron or a systemd timer, e.g. every few minutes)

It acts as `consult.core.actors.SYSTEM` and honours DATABASE_URL.
"""
from __future__ import annotations

import click
from flask.cli import with_appcontext

from consult.cli import fail
from consult.core.errors import Refused


@click.command("close-calls")
@with_appcontext
def close_calls_command() -> None:
    """Close for offers every announced call whose offers deadline has passed; print how many."""
    from consult.calls.operations import close_calls_past_deadline
    from consult.core.actors import SYSTEM
    from consult.core.operations import transaction

    try:
        with transaction():
            closed = close_calls_past_deadline(SYSTEM)
            described = [f"{c.reference} „{c.title}”" for c in closed]
    except Refused as exc:
        fail(exc.reason)
    for line in described:
        click.echo(f"Zamknięto nabór ofert: {line}")
    click.echo(f"Zamknięte konkursy: {len(described)}")


def register(app) -> None:
    app.cli.add_command(close_calls_command)
