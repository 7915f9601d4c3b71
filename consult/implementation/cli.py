"""Command-line doors for implementation reports: import and export as JSON, compile the PDF.

    consult import-report PATH     validate, import; prints the new report's id alone on its last line
    consult export-report ID       prints consult.programme-report/1 JSON
    consult compile-report ID      compiles the PDF, waits for the job; prints the PDF's path alone on its last line
                                   (--language pl|en|uk: the PDF's labels; Polish by default)

They act as `consult.core.actors.SYSTEM` and honour DATABASE_URL, REDIS_URL and CONSULT_STORAGE.
A refusal is printed to stderr as "Błąd: ..." with exit status 1, and nothing is written.
"""
from __future__ import annotations

import json
import time
from pathlib import Path

import click
from flask.cli import with_appcontext

from consult.cli import RowId, fail
from consult.core.errors import AlreadyDone, Refused
from consult.documents.models import DOCUMENT_LANGUAGES


@click.command("import-report")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def import_report_command(path: Path) -> None:
    """Import an implementation report (consult.programme-report/1 JSON) and print the new report's id."""
    from consult.core.actors import SYSTEM
    from consult.core.operations import transaction
    from consult.implementation.interchange import import_report, parse
    from consult.implementation.queries import progress

    try:
        raw = path.read_bytes()
    except OSError as exc:
        fail(f"nie można odczytać pliku {path}: {exc.strerror or exc}")
    try:
        data = parse(raw)
        with transaction():
            report = import_report(SYSTEM, data)
            report_id, title = report.id, report.title
    except Refused as exc:
        fail(exc.reason)
    counts = progress(report_id)
    click.echo(f"Zaimportowano sprawozdanie „{title}”: działań {counts.total}, z informacją o realizacji "
               f"{counts.reported}.")
    click.echo(report_id)


@click.command("export-report")
@click.argument("report_id", type=RowId("sprawozdania"))
@with_appcontext
def export_report_command(report_id: int) -> None:
    """Print an implementation report as consult.programme-report/1 JSON."""
    from consult.extensions import db
    from consult.implementation.interchange import SCHEMA_ID, export_report, validation_problems
    from consult.implementation.models import ImplementationReport

    if db.session.get(ImplementationReport, report_id) is None:
        fail(f"nie ma sprawozdania nr {report_id}")
    data = export_report(report_id)
    problems = validation_problems(data)
    if problems:  # what was typed on the web may break a rule of the format (e.g. a too long text)
        fail(f"sprawozdania nie da się zapisać w formacie {SCHEMA_ID}:\n" + "\n".join(problems))
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


@click.command("compile-report")
@click.argument("report_id", type=RowId("sprawozdania"))
@click.option("--timeout", default=900, show_default=True, type=int, help="Seconds to wait for the compile.")
@click.option("--language", default="pl", show_default=True, type=click.Choice(DOCUMENT_LANGUAGES),
              help="The language of the PDF's labels (Polish is the official version).")
@with_appcontext
def compile_report_command(report_id: int, timeout: int, language: str) -> None:
    """Compile the report's PDF, wait for the job and print the PDF file's path."""
    from consult.core.actors import SYSTEM
    from consult.core.operations import transaction
    from consult.documents import storage
    from consult.documents.models import DocumentJob
    from consult.extensions import db
    from consult.implementation.models import ImplementationReport
    from consult.implementation.operations import request_report_compile

    report = db.session.get(ImplementationReport, report_id)
    if report is None:
        fail(f"nie ma sprawozdania nr {report_id}")
    try:
        with transaction():
            job_id = request_report_compile(SYSTEM, report, language=language).id
    except AlreadyDone as pending:  # an equal compile is queued or running: wait for that one
        job_id = pending.record_id
        click.echo(f"Ta sama kompilacja już trwa (zadanie nr {job_id}); czekam na nią.", err=True)
    except Refused as exc:
        fail(exc.reason)
    else:
        click.echo(f"Zadanie kompilacji nr {job_id}…", err=True)
    deadline = time.monotonic() + timeout
    while True:
        db.session.rollback()  # end the read transaction, so that the next look sees the worker's commit
        job = db.session.get(DocumentJob, job_id)
        if not job.pending:
            break
        if time.monotonic() > deadline:
            fail(f"zadanie nr {job_id} nie skończyło się w ciągu {timeout} s (stan: {job.state}). "
                 "Czy działa worker Celery (celery -A worker.celery_app worker)?")
        time.sleep(0.25)
    if job.state == "failed":
        fail(f"kompilacja sprawozdania nie powiodła się: {job.error}")
    version = job.version
    click.echo(f"Skompilowano wersję {version.number} sprawozdania nr {report_id} ({version.pages} str.).", err=True)
    click.echo(str(storage.path_of(version.storage_key)))


def register(app) -> None:
    for command in (import_report_command, export_report_command, compile_report_command):
        app.cli.add_command(command)
