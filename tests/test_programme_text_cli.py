"""consult import-programme-text / export-programme-text: the JSON round trip, DOCX with --programme, and bad files
refused naming the field by its JSON pointer, exit status 1, no traceback, nothing written."""
from __future__ import annotations

import copy
import io
import json

import jsonschema
import pytest

from consult.extensions import db
from consult.programme_text.interchange import schema
from consult.programme_text.models import Provision
from consult.programmes.models import Programme
from tests.programme_text_support import DRAFT_1


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def _write(tmp_path, data, name="tekst.json") -> str:
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return str(path)


def _counts():
    return [db.session.scalar(db.select(db.func.count()).select_from(m)) for m in (Programme, Provision)]


def test_import_then_export_gives_back_the_same_file_and_import_again_changes_nothing(runner, tmp_path):
    result = runner.invoke(args=["import-programme-text", _write(tmp_path, DRAFT_1)])
    assert result.exit_code == 0, result.output
    programme_id = int(result.stdout.strip().splitlines()[-1])
    assert "przepisów 8 (nowych 8" in result.stdout
    exported = runner.invoke(args=["export-programme-text", str(programme_id)])
    assert exported.exit_code == 0, exported.output
    data = json.loads(exported.stdout)
    jsonschema.Draft202012Validator(schema()).validate(data)
    assert data == DRAFT_1
    again = runner.invoke(args=["import-programme-text", _write(tmp_path, data, "again.json")])
    assert again.exit_code == 0 and "nowych 0, zmienionych 0, usuniętych 0" in again.stdout


def test_ids_are_made_from_the_numbering_when_the_file_has_none(runner, tmp_path):
    data = copy.deepcopy(DRAFT_1)

    def strip(nodes):
        for node in nodes:
            node.pop("id")
            strip(node.get("children", []))

    strip(data["provisions"])
    result = runner.invoke(args=["import-programme-text", _write(tmp_path, data)])
    assert result.exit_code == 0, result.output
    keys = list(db.session.scalars(db.select(Provision.key).order_by(Provision.ordinal)))
    assert keys == ["rozdzial-1", "par-1", "rozdzial-2", "par-2", "par-2.ust-1", "par-2.ust-2", "par-2.ust-2.pkt-1",
                    "par-2.ust-2.pkt-2"]


@pytest.mark.parametrize("change, pointer", [
    (lambda d: d["provisions"][1]["children"][0]["children"][1]["children"][0].update(kind="article"),
     "/provisions/1/children/0/children/1/children/0/kind"),
    (lambda d: d["provisions"][0].pop("number"), "/provisions/0/number"),
    (lambda d: d["provisions"][0].update(colour="red"), "/provisions/0/colour"),
    (lambda d: d["programme"].update(year="2027"), "/programme/year"),
    (lambda d: d["provisions"][1]["children"][0].update(kind="point"), "/provisions/1/children/0/children/0/kind"),
    (lambda d: d["provisions"][1].update(id="par-1"), "/provisions/1/id"),
])
def test_a_bad_file_is_refused_naming_the_field_and_writes_nothing(runner, tmp_path, change, pointer):
    data = copy.deepcopy(DRAFT_1)
    change(data)
    before = _counts()
    result = runner.invoke(args=["import-programme-text", _write(tmp_path, data)])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert pointer in result.stderr, result.stderr
    assert _counts() == before


def test_not_json_and_a_docx_without_programme_are_refused(runner, tmp_path):
    path = tmp_path / "zly.json"
    path.write_text("{nie json", encoding="utf-8")
    result = runner.invoke(args=["import-programme-text", str(path)])
    assert result.exit_code == 1 and "JSON" in result.stderr
    docx_path = tmp_path / "projekt.docx"
    docx_path.write_bytes(b"x")
    result = runner.invoke(args=["import-programme-text", str(docx_path)])
    assert result.exit_code == 1 and "--programme" in result.stderr
    assert _counts()[1] == 0


def test_a_docx_draft_is_imported_into_the_programme_named(runner, tmp_path, world):
    import docx

    document = docx.Document()
    for line in ("Rozdział 1. Postanowienia ogólne", "§ 1. Program określa formy współpracy.",
                 "§ 2. 1. Celem jest dialog.", "2. Zadaniem jest:", "1) wspieranie;"):
        document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    path = tmp_path / "projekt.docx"
    path.write_bytes(out.getvalue())
    result = runner.invoke(args=["import-programme-text", str(path), "--programme", str(world.programme.id)])
    assert result.exit_code == 0, result.output
    exported = json.loads(runner.invoke(args=["export-programme-text", str(world.programme.id)]).stdout)
    assert exported["provisions"][0]["children"][1]["children"][1]["children"][0] == {
        "id": "par-2.ust-2.pkt-1", "kind": "point", "number": "1", "text": "wspieranie;"}
