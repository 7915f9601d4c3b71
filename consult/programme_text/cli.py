"""Command-line doors for the programme's text:

    consult import-programme-text PATH      validate, import; prints the programme's id alone on its last line.
                                            JSON (consult.programme-text/1: the programme is found by its year,
                                            or made); DOCX or ODT with --programme ID.
    consult export-programme-text ID        prints the programme's working text as consult.programme-text/1 JSON
                                            (--version N: a published version instead)

They act as `consult.core.actors.SYSTEM`. A refusal is printed to stderr as "Błąd: ..." with exit status 1, and
nothing is written.
"""
from __future__ import annotations

import json
from pathlib import Path

import click
from flask.cli import with_appcontext

from consult.cli import RowId, fail
from consult.core.errors import Refused


@click.command("import-programme-text")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--programme", "programme_id", type=RowId("programu"), default=None,
              help="The programme a DOCX or ODT draft is the text of.")
@with_appcontext
def import_programme_text_command(path: Path, programme_id: int | None) -> None:
    """Import a programme's text (JSON, DOCX or ODT) into its working text and print the programme's id."""
    from consult.core.actors import SYSTEM
    from consult.core.operations import transaction
    from consult.extensions import db
    from consult.meetings.interchange import default_consultation_window
    from consult.programme_text import documents, interchange
    from consult.programme_text.operations import import_text
    from consult.programmes.models import Programme
    from consult.programmes.operations import create_programme

    try:
        raw = path.read_bytes()
    except OSError as exc:
        fail(f"nie można odczytać pliku {path}: {exc.strerror or exc}")
    try:
        if path.suffix.lower() in (".docx", ".odt"):
            if programme_id is None:
                fail("podaj --programme ID: program, którego tekstem jest ten projekt")
            provisions = documents.structure(documents.read_lines(path.name, raw))
            data = None
        else:
            data = interchange.parse(raw)
            provisions = data["provisions"]
        with transaction():
            if data is None:
                programme = db.session.get(Programme, programme_id)
                if programme is None:
                    fail(f"nie ma programu nr {programme_id}")
            else:
                prog = data["programme"]
                programme = db.session.scalar(db.select(Programme).where(Programme.year == prog["year"]))
                if programme is None:
                    opens, closes = default_consultation_window(prog["year"])
                    programme = create_programme(SYSTEM, year=prog["year"], title=prog["title"].strip(),
                                                 consultation_opens=opens, consultation_closes=closes)
                elif programme.title != prog["title"].strip():
                    raise Refused(f"/programme/title: program na rok {prog['year']} już istnieje pod tytułem "
                                  f"„{programme.title}”")
            counts = import_text(SYSTEM, programme, provisions)
            programme_id, title = programme.id, programme.title
    except Refused as exc:
        fail(exc.reason)
    click.echo(f"Wczytano tekst programu „{title}”: przepisów {counts['provisions']} (nowych {counts['added']}, "
               f"zmienionych {counts['changed']}, usuniętych {counts['removed']}).")
    click.echo(programme_id)


@click.command("export-programme-text")
@click.argument("programme_id", type=RowId("programu"))
@click.option("--version", "version_number", type=int, default=None, help="A published version's number.")
@with_appcontext
def export_programme_text_command(programme_id: int, version_number: int | None) -> None:
    """Print a programme's text as consult.programme-text/1 JSON."""
    from consult.extensions import db
    from consult.programme_text.interchange import SCHEMA_ID, export_text, validation_problems
    from consult.programmes.models import Programme

    programme = db.session.get(Programme, programme_id)
    if programme is None:
        fail(f"nie ma programu nr {programme_id}")
    try:
        data = export_text(programme, version_number)
    except Refused as exc:
        fail(exc.reason)
    problems = validation_problems(data)
    if problems:
        fail(f"tekstu nie da się zapisać w formacie {SCHEMA_ID}:\n" + "\n".join(problems))
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


def register(app) -> None:
    for command in (import_programme_text_command, export_programme_text_command):
        app.cli.add_command(command)
