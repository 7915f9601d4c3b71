"""consult import-meeting / export-meeting / publish-summary: the JSON round trip, refusals that name
the field and write nothing, and the commands run as a real process on DATABASE_URL and CONSULT_STORAGE."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from consult.documents.models import DocumentVersion
from consult.extensions import db
from consult.meetings.interchange import schema
from consult.meetings.models import Meeting
from consult.organisations.models import Organisation
from consult.postulates.models import Position, Postulate
from consult.programmes.models import Programme
from tests.summary_support import FIXTURE, fixture_data, page_texts

pytestmark = pytest.mark.usefixtures("summary_worker")


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def _write(tmp_path, data, name="meeting.json") -> str:
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return str(path)


def _counts():
    return [db.session.scalar(db.select(db.func.count()).select_from(m)) for m in (Programme, Meeting, Postulate,
                                                                                  Position)]


def test_import_then_export_gives_back_the_same_data(runner):
    result = runner.invoke(args=["import-meeting", str(FIXTURE)])
    assert result.exit_code == 0, result.output
    meeting_id = int(result.stdout.strip().splitlines()[-1])
    meeting = db.session.get(Meeting, meeting_id)
    assert meeting.state == "held"
    exported = runner.invoke(args=["export-meeting", str(meeting_id)])
    assert exported.exit_code == 0, exported.output
    data = json.loads(exported.stdout)
    jsonschema.Draft202012Validator(schema(), format_checker=jsonschema.FormatChecker()).validate(data)
    assert data == fixture_data()


def test_round_trip_keeps_an_official_submitter_two_positions_and_optional_fields(runner, tmp_path):
    data = fixture_data()
    data["meeting"].update(date="2025-06-24", scope="Sfera: działalność obywatelska", participants_count=7)
    data["meeting"]["officials"].append({"function": "Pełnomocnik Prezydenta ds. NGO"})
    data["postulates"][0]["positions"].append({"unit": "Wydział Dialogu, Konsultacji i Kontaktu Obywatelskiego",
                                              "category": "explanation", "text": "Drugie stanowisko."})
    data["postulates"].append({"number": 15, "submitter": "Pełnomocnik Prezydenta ds. NGO",
                               "submitter_kind": "official", "content": "Postulat bez uzasadnienia.",
                               "positions": []})
    result = runner.invoke(args=["import-meeting", _write(tmp_path, data)])
    assert result.exit_code == 0, result.output
    meeting_id = result.stdout.strip().splitlines()[-1]
    assert json.loads(runner.invoke(args=["export-meeting", meeting_id]).stdout) == data


def test_an_invalid_file_is_refused_naming_the_field_and_nothing_is_written(runner, tmp_path):
    before = _counts()
    data = fixture_data()
    data["meeting"]["starts"] = "25:00"
    data["postulates"][3]["content"] = ""
    result = runner.invoke(args=["import-meeting", _write(tmp_path, data)])
    assert result.exit_code == 1
    assert result.stderr.startswith("Błąd: ")
    assert "meeting.starts" in result.stderr and "postulates[3].content" in result.stderr
    assert result.stdout == ""
    assert _counts() == before

    data = fixture_data()
    data["meeting"]["ends"] = "16:00"
    result = runner.invoke(args=["import-meeting", _write(tmp_path, data)])
    assert result.exit_code == 1 and "meeting.ends" in result.stderr
    assert _counts() == before

    (tmp_path / "broken.json").write_text("{", encoding="utf-8")
    result = runner.invoke(args=["import-meeting", str(tmp_path / "broken.json")])
    assert result.exit_code == 1 and "JSON" in result.stderr
    result = runner.invoke(args=["import-meeting", str(tmp_path / "missing.json")])
    assert result.exit_code == 1 and "nie można odczytać" in result.stderr
    assert _counts() == before


def test_a_meeting_imported_twice_is_refused_and_a_failure_half_way_writes_nothing(runner, tmp_path):
    assert runner.invoke(args=["import-meeting", str(FIXTURE)]).exit_code == 0
    before = _counts()
    again = runner.invoke(args=["import-meeting", str(FIXTURE)])
    assert again.exit_code == 1 and "meeting:" in again.stderr and "już jest w systemie" in again.stderr
    assert _counts() == before
    # Valid against the schema, refused by an operation after the programme and organisations were made.
    data = fixture_data()
    data["programme"] = {"year": 2040, "title": "Program 2040"}
    data["meeting"]["organisations"].append("Nowa Fundacja Testowa")
    data["postulates"][5]["content"] = "   "  # passes the schema, refused by the operation
    result = runner.invoke(args=["import-meeting", _write(tmp_path, data)])
    assert result.exit_code == 1 and "Wpisz treść postulatu" in result.stderr
    assert _counts() == before
    assert db.session.scalar(db.select(Programme).where(Programme.year == 2040)) is None
    assert db.session.scalar(db.select(Organisation).where(Organisation.name == "Nowa Fundacja Testowa")) is None


def test_export_of_a_missing_meeting_is_refused(runner):
    result = runner.invoke(args=["export-meeting", "999"])
    assert result.exit_code == 1 and "nie ma spotkania nr 999" in result.stderr


def test_publish_summary_compiles_publishes_and_prints_the_path(runner, app):
    meeting_id = runner.invoke(args=["import-meeting", str(FIXTURE)]).stdout.strip().splitlines()[-1]
    result = runner.invoke(args=["publish-summary", meeting_id])
    assert result.exit_code == 0, result.output
    path = Path(result.stdout.strip().splitlines()[-1])
    assert path.is_file() and path.is_relative_to(Path(app.config["CONSULT_STORAGE"]))
    db.session.expire_all()
    version = db.session.scalar(db.select(DocumentVersion).where(DocumentVersion.about("meeting", int(meeting_id))))
    assert version.published and not version.preview and version.published_by_label
    assert db.session.get(Meeting, int(meeting_id)).state == "summary_published"
    assert "Stanowisko Wydziału Dialogu" in "".join(page_texts(path.read_bytes()))
    assert runner.invoke(args=["publish-summary", "999"]).exit_code == 1


def test_commands_run_as_a_process_on_database_url_and_consult_storage(tmp_path):
    """The console script, as an operator runs it: its own SQLite file and storage, no Redis."""
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}", "CONSULT_STORAGE": str(tmp_path / "st"),
           "CONSULT_INSTANCE": str(tmp_path / "instance")}
    env.pop("REDIS_URL", None)
    consult = [sys.executable, "-c", "from consult.cli import cli; cli()"]

    def run(*args):
        return subprocess.run([*consult, *args], check=False, env=env, capture_output=True, text=True, timeout=120)

    assert run("db", "upgrade").returncode == 0
    imported = run("import-meeting", str(FIXTURE))
    assert imported.returncode == 0, imported.stderr
    meeting_id = imported.stdout.strip().splitlines()[-1]
    assert meeting_id.isdigit()
    exported = run("export-meeting", meeting_id)
    assert exported.returncode == 0, exported.stderr
    assert json.loads(exported.stdout) == fixture_data()
    published = run("publish-summary", meeting_id)
    assert published.returncode == 0, published.stderr
    path = Path(published.stdout.strip().splitlines()[-1])
    assert path.is_file() and path.is_relative_to(tmp_path / "st")
    assert path.read_bytes()[:5] == b"%PDF-"
