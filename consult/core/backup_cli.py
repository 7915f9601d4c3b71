"""`consult backup PATH` and `consult restore PATH [--force]` (consult/core/backup.py does the work)."""
from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from consult.cli import fail


def _database_url() -> str:
    from consult.extensions import db

    # The URL with its password (render_as_string hides it by default): pg_dump needs it, and it goes to
    # pg_dump's environment, never to the output.
    return db.engine.url.render_as_string(hide_password=False)


@click.command("backup")
@click.argument("path", type=click.Path(path_type=Path, file_okay=False))
@with_appcontext
def backup_command(path: Path) -> None:
    """Write the database and the stored documents, with a manifest of their sha256, into the new folder PATH."""
    from consult.core.backup import BackupError, backup

    try:
        outcome = backup(path, _database_url(), Path(current_app.config["CONSULT_STORAGE"]), say=click.echo)
    except BackupError as exc:
        fail(str(exc))
    database, files = outcome.manifest["database"], outcome.manifest["storage"]
    click.echo(f"Kopia zapisana w {path}: tabele: {len(database['tables'])}, wiersze: "
               f"{sum(database['tables'].values())}, schemat: {database['alembic_revision'] or 'bez wersji'}, "
               f"pliki: {files['count']} ({files['bytes']} B).")


@click.command("restore")
@click.argument("path", type=click.Path(path_type=Path, file_okay=False, exists=True))
@click.option("--force", is_flag=True, help="Replace the data of a database (and add to a storage) that holds some.")
@with_appcontext
def restore_command(path: Path, force: bool) -> None:
    """Rebuild this instance's database and stored documents from the backup in PATH."""
    from consult.core.backup import BackupError, restore
    from consult.extensions import db

    url = _database_url()
    db.session.remove()
    db.engine.dispose()  # no connection of this process holds the database while it is replaced
    try:
        outcome = restore(path, url, Path(current_app.config["CONSULT_STORAGE"]), force=force, say=click.echo)
    except BackupError as exc:
        fail(str(exc))
    for note in outcome.notes:
        click.echo(f"Uwaga: {note}")
    database, files = outcome.manifest["database"], outcome.manifest["storage"]
    click.echo(f"Odtworzono kopię z {outcome.manifest['created_at']}: wiersze: {sum(database['tables'].values())}, "
               f"pliki: {files['count']}; liczby wierszy w tabelach zgadzają się z manifestem.")


def register(app) -> None:
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
