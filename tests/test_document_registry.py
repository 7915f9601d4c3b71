"""The documents service knows no domain: a kind registered here, in a test, with a compile of a few lines, goes
through it end to end (job, dispatch, language, version numbers, storage, file name, audit, who may see) with no
change to consult/documents; and consult/documents imports no domain package nor names a kind.
"""
from __future__ import annotations

import ast
from io import BytesIO
from pathlib import Path

import pytest
from flask_babel import get_locale
from pypdf import PdfReader

from consult.core.access import has_role
from consult.core.errors import Refused
from consult.core.models import AuditEvent
from consult.core.operations import transaction
from consult.documents import storage
from consult.documents.models import DocumentJob, DocumentVersion
from consult.documents.operations import may_see, queue_job
from consult.documents.registry import Built, DocumentKind, kind_of, kinds, register, unregister
from consult.extensions import db

DOCUMENTS = Path(__file__).resolve().parent.parent / "consult" / "documents"


def _compile_note(job) -> Built:
    from consult.programmes.models import Programme
    from worker.pdf import render_pdf

    programme = db.session.get(Programme, job.subject_id)
    language = str(get_locale())
    html = (f'<html lang="{language}"><head><meta charset="utf-8"><title>Notatka</title></head>'
            f"<body><h1>Notatka o programie</h1><p>{programme.title}</p><p>język: {language}</p></body></html>")
    rendered = render_pdf(html)
    return Built(pdf=rendered.pdf, pages=rendered.pages, source_digest=f"{programme.id:064d}")


def _broken(job) -> Built:
    raise RuntimeError("brak danych do notatki")


@pytest.fixture
def note_kind(app, monkeypatch):
    # Jobs run in this process: a Celery worker started for the session knows the app's kinds, not this test's.
    monkeypatch.setitem(app.config, "REDIS_URL", None)
    kind = register(DocumentKind(
        name="programme_note", subject_type="programme", compile=_compile_note,
        folder="programme-notes", file_stem="notatka-o-programie", compiled_action="compile_note",
        may_see=lambda user, version: user is not None and has_role(user, "coordinator"), title="notatka"))
    broken = register(DocumentKind(
        name="programme_note_broken", subject_type="programme", compile=_broken,
        folder="programme-notes", file_stem="notatka", compiled_action="compile_note"))
    yield kind
    unregister(kind.name)
    unregister(broken.name)


def test_a_kind_registered_in_a_test_is_compiled_stored_numbered_and_guarded_by_the_service(world, note_kind):
    programme_id = world.programme.id
    coordinator = world.users["coordinator"]
    with transaction():
        first = queue_job(coordinator, "programme_note", programme_id, language="pl")
    with transaction():
        second = queue_job(coordinator, "programme_note", programme_id, language="uk")
    db.session.expire_all()
    first, second = db.session.get(DocumentJob, first.id), db.session.get(DocumentJob, second.id)
    assert (first.state, second.state) == ("done", "done"), (first.error, second.error)
    assert (first.subject_type, first.subject_id) == ("programme", programme_id)

    v1, v2 = first.version, second.version
    assert (v1.number, v2.number) == (1, 2)  # numbered per kind and subject, across languages
    assert (v1.subject_type, v1.subject_id) == ("programme", programme_id)
    assert v1.published_at is None  # nothing made it public: the kind does not publish on compile
    assert v1.storage_key.startswith(f"programme-notes/{programme_id}/job-{first.id}-")
    assert v1.filename == f"notatka-o-programie-{programme_id}-wersja-1.pdf"
    assert v2.filename == f"notatka-o-programie-{programme_id}-wersja-2-uk.pdf"

    data = storage.path_of(v1.storage_key).read_bytes()
    assert len(data) == v1.size and v1.pages == 1
    text = PdfReader(BytesIO(data)).pages[0].extract_text()
    assert "Notatka o programie" in text and world.programme.title in text and "język: pl" in text
    uk = PdfReader(BytesIO(storage.path_of(v2.storage_key).read_bytes())).pages[0].extract_text()
    assert "język: uk" in uk  # the job ran in its language

    assert may_see(coordinator, v1) is True
    assert may_see(world.users["ngo_a"], v1) is False
    assert may_see(None, v1) is False

    compiled = db.session.scalars(db.select(AuditEvent).where(
        AuditEvent.subject_type == "programme", AuditEvent.subject_id == programme_id,
        AuditEvent.action == "compile_note")).all()
    assert sorted(e.details["version"] for e in compiled) == [1, 2]


def test_a_kind_about_a_subject_the_service_never_heard_of_needs_no_column_of_its_own(world, monkeypatch, app):
    """A new domain registers a kind about its own things (here: a note about a unit): no column, constraint or
    migration of the documents tables; numbers count per kind and subject, so a unit and a programme with the same
    id keep their own numbering."""
    monkeypatch.setitem(app.config, "REDIS_URL", None)

    def compile_unit_note(job) -> Built:
        from consult.organisations.models import Unit
        from worker.pdf import render_pdf

        unit = db.session.get(Unit, job.subject_id)
        rendered = render_pdf(f'<html lang="pl"><head><meta charset="utf-8"><title>Karta</title></head>'
                              f'<body><h1>Karta komórki</h1><p>{unit.name}</p></body></html>')
        return Built(pdf=rendered.pdf, pages=rendered.pages, source_digest=f"{unit.id:064d}")

    kind = register(DocumentKind(name="unit_card", subject_type="unit", compile=compile_unit_note,
                                 folder="unit-cards", file_stem="karta-komorki", compiled_action="compile_unit_card"))
    try:
        unit_id = world.unit_x.id
        with transaction():
            first = queue_job(world.users["coordinator"], "unit_card", unit_id)
        with transaction():
            second = queue_job(world.users["coordinator"], "unit_card", unit_id)
        db.session.expire_all()
        versions = db.session.scalars(db.select(DocumentVersion).where(DocumentVersion.about("unit", unit_id))
                                      .order_by(DocumentVersion.number)).all()
        assert [(v.job_id, v.number, v.kind) for v in versions] == [(first.id, 1, "unit_card"), (second.id, 2, "unit_card")]
        text = PdfReader(BytesIO(storage.path_of(versions[0].storage_key).read_bytes())).pages[0].extract_text()
        assert world.unit_x.name in text
        # nothing about a programme of the same id is found as the unit's, nor the other way round
        assert not db.session.scalars(db.select(DocumentVersion).where(DocumentVersion.about("programme", unit_id))
                                      .where(DocumentVersion.kind == "unit_card")).all()
    finally:
        unregister(kind.name)


def test_a_registered_kind_whose_compile_fails_leaves_a_failed_job_with_its_reason_and_no_file(world, note_kind):
    def files() -> set[Path]:
        return set((storage.root() / "programme-notes").rglob("*"))

    before = files()
    with transaction():
        job = queue_job(world.users["coordinator"], "programme_note_broken", world.programme.id)
    db.session.expire_all()
    job = db.session.get(DocumentJob, job.id)
    assert job.state == "failed" and "brak danych do notatki" in job.error
    assert job.version is None
    assert files() == before


def test_a_row_of_an_unregistered_kind_or_about_another_subject_than_its_kind_is_refused(world, note_kind):
    with pytest.raises(Refused), transaction():
        db.session.add(DocumentJob(kind="no_such_kind", subject_id=world.programme.id))
    with pytest.raises(Refused), transaction():
        db.session.add(DocumentJob(kind="programme_note", subject_type="meeting", subject_id=world.meeting.id))
    with pytest.raises(Refused), transaction():
        db.session.add(DocumentJob(kind="programme_note", subject_type="programme"))
    assert db.session.scalar(db.select(db.func.count(DocumentVersion.id))) == 0


def test_registering_another_kind_under_a_taken_name_is_an_error(app, note_kind):
    with pytest.raises(ValueError):
        register(DocumentKind(name="programme_note", subject_type="call",
                              compile=_broken, folder="x", file_stem="x", compiled_action="compile_note"))
    assert kind_of("programme_note").subject_type == "programme"


def test_the_app_registers_the_meeting_call_and_report_kinds(app):
    assert {k.name for k in kinds()} >= {"meeting_summary", "call_announcement", "call_results",
                                         "implementation_report", "programme_report"}


# --- consult/documents knows no domain ---------------------------------------------------------------------

# What the service may build on: the shared core, accounts and infrastructure, never a domain.
ALLOWED = ("consult.core", "consult.auth", "consult.documents", "consult.extensions", "consult.i18n", "consult.config",
           "worker.celery_app", "worker.pdf")


def _imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names if node.module == "consult")
    return names


def test_consult_documents_imports_no_domain_package():
    files = sorted(DOCUMENTS.glob("*.py"))
    assert files
    offending = {}
    for path in files:
        ours = {n for n in _imports(path) if n.split(".")[0] in ("consult", "worker")}
        bad = sorted(n for n in ours if not any(n == a or n.startswith(a + ".") for a in ALLOWED)
                     and n != "consult")
        if bad:
            offending[path.name] = bad
    assert offending == {}


def test_consult_documents_names_no_kind(app):
    names = {k.name for k in kinds()}
    found = {}
    for path in sorted(DOCUMENTS.glob("*.py")):
        constants = {node.value for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
                     if isinstance(node, ast.Constant) and isinstance(node.value, str)}
        if constants & names:
            found[path.name] = sorted(constants & names)
    assert found == {}
