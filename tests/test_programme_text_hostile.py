"""Hostile files and values at the programme text's doors: the upload (JSON, DOCX, ODT) and the command line refuse
them naming where, never a 500 nor a traceback, and write nothing; the postulate form's quote and provision too."""
from __future__ import annotations

import json
from io import BytesIO

import pytest

from consult.extensions import db
from consult.programme_text.models import Provision
from tests.conftest import login
from tests.programme_text_support import DRAFT_1, provision, publish_text


def _with(path: list, value) -> bytes:
    data = json.loads(json.dumps(DRAFT_1))
    target = data
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return json.dumps(data).encode()


HOSTILE = {
    "nested 10,000 deep": (b'{"provisions": ' + b"[" * 10_000 + b"]" * 10_000 + b"}", "zagnieżdżone"),
    "NUL in a provision": (_with(["provisions", 0, "children", 0, "text"], "a\x00b"), "tekst zawiera niedozwolony"),
    "a lone surrogate": (_with(["provisions", 0, "heading"], "R \ud800"), "tekst zawiera niedozwolony"),
    "a huge number": (_with(["programme", "year"], 10**30), "spoza zakresu"),
    "a too long text": (_with(["provisions", 0, "children", 0, "text"], "ż" * 20_001),
                        "/provisions/0/children/0/text"),
    "invalid UTF-8": (b'{"programme": "\xff\xfe\xfa"}', "UTF-8"),
    "not JSON": (b"\x00\x01\x02", "nie jest poprawnym JSON-em"),
}


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_json_is_refused_on_the_web_and_the_command_line(app, world, client, runner, tmp_path, name):
    content, expected = HOSTILE[name]
    login(client, world.user("coordinator"))
    response = client.post(f"/koordynacja/programy/{world.programme.id}/tekst",
                           data={"file": (BytesIO(content), "tekst.json")}, content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "Wystąpił problem" in page, name
    path = tmp_path / "tekst.json"
    path.write_bytes(content)
    result = runner.invoke(args=["import-programme-text", str(path)])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.output
    assert result.output.startswith("Błąd: ") and "Traceback" not in result.output
    assert expected in result.output, result.output
    assert db.session.scalar(db.select(db.func.count(Provision.id))) == 0


def test_hostile_word_processor_files_are_refused(app, world, client):
    login(client, world.user("coordinator"))
    import zipfile

    broken = BytesIO()
    with zipfile.ZipFile(broken, "w") as archive:
        archive.writestr("word/document.xml", "<w:document>\x00")
    for name, body in (("a.docx", broken.getvalue()), ("a.odt", broken.getvalue()), ("a.docx", b""),
                       ("a.odt", b"\x00" * 100)):
        response = client.post(f"/koordynacja/programy/{world.programme.id}/tekst",
                               data={"file": (BytesIO(body), name)}, content_type="multipart/form-data")
        assert response.status_code == 200 and "Wystąpił problem" in response.get_data(as_text=True), name
    assert db.session.scalar(db.select(db.func.count(Provision.id))) == 0


@pytest.mark.parametrize("value", ["a\x00b", "a\x1bb", "ż" * 5000, "9" * 5000, "-1", "2147483648"])
def test_hostile_provision_and_quote_in_the_postulate_form(app, world, client, value):
    publish_text(world.programme)
    row = provision(world.programme, "par-1")
    login(client, world.user("ngo_a"))
    url = f"/programy/{world.programme.id}/postulaty/nowy"
    for body in ({"content": "Treść", "provision": value, "submit": "1"},
                 {"content": "Treść", "provision": str(row.id), "quote": value, "submit": "1"}):
        response = client.post(url, data=body)
        assert response.status_code < 500
        assert "Wystąpił problem" in response.get_data(as_text=True) or response.status_code == 302
    coordinator = app.test_client()
    login(coordinator, world.user("coordinator"))
    response = coordinator.post(f"/koordynacja/programy/{world.programme.id}/tekst/przepisy/{row.id}/edycja",
                                data={"text": value, "version": value})
    assert response.status_code < 500
