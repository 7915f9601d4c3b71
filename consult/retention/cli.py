"""`consult retention`: per kind of record, how many are past their retention period (nothing changes);
`consult retention --apply`: anonymise them, one transaction and one audit event per kind. Run it from cron: a run
after a finished one finds nothing more to do."""
from __future__ import annotations

import click
from flask.cli import with_appcontext


@click.command("retention")
@click.option("--apply", "apply_", is_flag=True, help="Anonymise the records past their period (default: only count).")
@with_appcontext
def retention_command(apply_: bool) -> None:
    """List (or, with --apply, anonymise) the personal data past its retention period, per kind of record."""
    from consult.cli import fail
    from consult.core.actors import SYSTEM
    from consult.core.errors import Refused
    from consult.core.operations import transaction
    from consult.retention.operations import anonymise_overdue, overdue_counts, periods

    counts = overdue_counts()
    for period in periods():
        key = period.kind.key
        line = f"{period.kind.label} ({key}, {period.months} mies.): "
        if not apply_:
            click.echo(line + f"po okresie {counts[key]}")
            continue
        try:
            with transaction():
                done = anonymise_overdue(SYSTEM, key)
        except Refused as exc:
            fail(f"{period.kind.label}: {exc.reason}")
        click.echo(line + f"zanonimizowano {done}")
    if not apply_:
        click.echo("Nic nie zostało zmienione; „consult retention --apply” anonimizuje te zapisy.")


def register(app) -> None:
    app.cli.add_command(retention_command)
