"""Command-line doors for meetings: import and export a summary as JSON, compile and publish its PDF.

    consult import-meeting PATH     validate, import; prints the new meeting's id on its last line
    consult export-meeting ID       prints consult.meeting-summary/1 JSON
    consult publish-summary ID      compiles, waits for the job, publishes; prints the PDF's path last
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


@click.command("import-meeting")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def import_meeting_command(path: Path) -> None:
    """Import a meeting summary (consult.meeting-summary/1 JSON) and print the new meeting's id."""
    from consult.core.actors import SYSTEM
    from consult.core.operations import transaction
    from consult.meetings.interchange import import_meeting, parse

    try:
        raw = path.read_bytes()
    except OSError as exc:
        fail(f"nie można odczytać pliku {path}: {exc.strerror or exc}")
    try:
        data = parse(raw)
        with transaction():
            meeting = import_meeting(SYSTEM, data)
    except Refused as exc:
        fail(exc.reason)
    click.echo(f"Zaimportowano spotkanie „{meeting.title}” ({meeting.date.isoformat()}), "
               f"postulatów: {len(data['postulates'])}.")
    click.echo(meeting.id)


@click.command("export-meeting")
@click.argument("meeting_id", type=RowId("spotkania"))
@click.option("--include-drafts", is_flag=True, help="Also positions that are not published yet.")
@with_appcontext
def export_meeting_command(meeting_id: int, include_drafts: bool) -> None:
    """Print a meeting as consult.meeting-summary/1 JSON."""
    from consult.extensions import db
    from consult.meetings.interchange import export_meeting, validation_problems
    from consult.meetings.models import Meeting

    meeting = db.session.get(Meeting, meeting_id)
    if meeting is None:
        fail(f"nie ma spotkania nr {meeting_id}")
    data = export_meeting(meeting, include_drafts=include_drafts)
    problems = validation_problems(data)
    if problems:  # data entered through the web may break a rule of the format (e.g. a too long text)
        fail("spotkania nie da się zapisać w formacie consult.meeting-summary/1:\n" + "\n".join(problems))
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


@click.command("publish-summary")
@click.argument("meeting_id", type=RowId("spotkania"))
@click.option("--timeout", default=900, show_default=True, type=int, help="Seconds to wait for the compile.")
@click.option("--language", default="pl", show_default=True, type=click.Choice(DOCUMENT_LANGUAGES),
              help="The language of the PDF's labels (Polish is the official version).")
@with_appcontext
def publish_summary_command(meeting_id: int, timeout: int, language: str) -> None:
    """Compile the meeting's summary, wait for the job, publish it and print the PDF file's path."""
    from consult.core.actors import SYSTEM
    from consult.core.operations import transaction
    from consult.documents import storage
    from consult.documents.models import DocumentJob
    from consult.extensions import db
    from consult.meetings.models import Meeting
    from consult.summaries.documents import publish_version, request_compile

    meeting = db.session.get(Meeting, meeting_id)
    if meeting is None:
        fail(f"nie ma spotkania nr {meeting_id}")
    try:
        with transaction():
            job_id = request_compile(SYSTEM, meeting, preview=False, language=language).id
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
        fail(f"kompilacja podsumowania nie powiodła się: {job.error}")
    try:
        with transaction():
            version = publish_version(SYSTEM, job.version)
            key, number = version.storage_key, version.number
    except Refused as exc:
        fail(exc.reason)
    click.echo(f"Opublikowano wersję {number} podsumowania spotkania nr {meeting_id}.", err=True)
    click.echo(str(storage.path_of(key)))


def register(app) -> None:
    for command in (import_meeting_command, export_meeting_command, publish_summary_command):
        app.cli.add_command(command)
