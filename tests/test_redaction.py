"""A coordinator hides words (a private person's name) from a postulate's public text: every public output (the
postulate's page, the programme's and the meeting's pages, the register and its search, the organisation's page,
the API, the CSV/XLSX/ODS exports, the meeting summary's JSON and PDF, the consultation report's PDF) shows
"[usunięto]" instead, while the coordinator, the unit and the organisation that filed it read the original; the
redaction and its undoing are in the postulate's history."""
from __future__ import annotations

import io
import zipfile

import pytest

from consult.core.operations import transaction
from consult.extensions import db
from consult.postulates.models import Postulate
from tests.conftest import login
from tests.summary_support import compile_now, page_texts, pdf_bytes, squeeze, wait_for_jobs

pytestmark = pytest.mark.usefixtures("summary_worker")

NAME = "Zenobii Kwiatkowskiej"
WORD = "Kwiatkowskiej"
MARK = "[usunięto]"
# a person the unit's position names: redacted from the position (after its publication)
POSITION_WORD = "Wichurskiego"
POSITION_TEXT = f"Dyżury będą; poprowadzi je pan Bronisław {POSITION_WORD}."


def _published(world, *, meeting: bool) -> Postulate:
    """A postulate naming a private person, answered by unit X and published: filed online by NGO B, or entered
    by a coordinator from the meeting."""
    from consult.core.actors import SYSTEM
    from consult.core.operations import transaction
    from consult.postulates.operations import (assign_postulate, create_postulate, publish_positions,
                                               record_meeting_postulate, save_position)

    content = f"Prosimy o dyżury {NAME} w każdej dzielnicy ({'spotkanie' if meeting else 'online'})."
    justification = f"Pani {NAME.split()[1]} zna potrzeby seniorów."  # the name once more, in the justification
    with transaction():
        if meeting:
            postulate = record_meeting_postulate(SYSTEM, world.meeting, content=content, justification=justification,
                                                 organisation=world.org_b)
        else:
            postulate = create_postulate(world.user("ngo_b"), world.programme, content=content,
                                         justification=justification, submit=True)
        assign_postulate(SYSTEM, postulate, world.unit_x)
        save_position(world.user("unit_x"), postulate, category="accepted", text=POSITION_TEXT)
        publish_positions(world.user("unit_x"), [postulate])
    return postulate


def _redact(coordinator, postulate: Postulate, words: str = NAME, reason: str = "osoba prywatna bez zgody"):
    return coordinator.post(f"/postulaty/{postulate.id}/ukryj-slowa", data={"words": words, "reason": reason})


def _redact_position(coordinator, postulate: Postulate, words: str = POSITION_WORD,
                     reason: str = "osoba prywatna wymieniona w stanowisku"):
    position = db.session.get(Postulate, postulate.id).positions[0]
    return coordinator.post(f"/postulaty/{postulate.id}/stanowiska/{position.id}/ukryj-slowa",
                            data={"words": words, "reason": reason})


def _sheet_text(fmt: str, data: bytes) -> str:
    """Every cell of the download, read back as a spreadsheet program would (tests/test_register_exports.py)."""
    from tests.test_register_exports import _rows

    return "\n".join(" | ".join(row) for row in _rows(fmt, data))


def _zip_text(data: bytes) -> str:
    """Every XML part of the zip, raw: a hidden word is not anywhere in the file either."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return " ".join(archive.read(name).decode("utf-8", "replace") for name in archive.namelist()
                        if name.endswith(".xml"))


def test_redacted_words_appear_in_no_public_output_and_staff_still_read_them(app, world):
    online, at_meeting = _published(world, meeting=False), _published(world, meeting=True)
    # both concern a provision of the programme's published text: its page and "what changed" list them
    from consult.programme_text.operations import link_postulate
    from tests.programme_text_support import provision, publish_text

    publish_text(world.programme)
    point = provision(world.programme, "par-2.ust-2.pkt-1")
    with transaction():
        for postulate in (online, at_meeting):
            link_postulate(world.user("coordinator"), db.session.get(Postulate, postulate.id), provision_id=point.id)
    coordinator = login(app.test_client(), world.user("coordinator"))
    for postulate in (online, at_meeting):
        assert _redact(coordinator, postulate).status_code == 302
    # a second name form of the same person, lower case in the form: every spelling goes
    assert _redact(coordinator, online, words="zenobii").status_code == 302
    # the surname alone, which the justification names
    for postulate in (online, at_meeting):
        assert _redact(coordinator, postulate, words=WORD).status_code == 302
    # a name in the units' published positions
    for postulate in (online, at_meeting):
        assert _redact_position(coordinator, postulate).status_code == 302

    anonymous = app.test_client()
    resident = login(app.test_client(), world.user("resident"))
    ngo_a = login(app.test_client(), world.user("ngo_a"))  # another organisation: the public text too
    programme_id, meeting_id = world.programme.id, world.meeting.id
    outputs = {}
    for who, client in (("anonymous", anonymous), ("resident", resident), ("ngo_a", ngo_a)):
        for url in (f"/postulaty/{online.id}", f"/postulaty/{at_meeting.id}", f"/programy/{programme_id}",
                    f"/programy/spotkania/{meeting_id}", "/postulaty", f"/organizacje/{world.org_b.id}",
                    "/api/v1/postulates", f"/api/v1/postulates/{online.id}", f"/api/v1/postulates/{at_meeting.id}",
                    "/postulaty/eksport.csv", f"/programy/{programme_id}/tekst/przepisy/par-2.ust-2.pkt-1",
                    f"/programy/{programme_id}/tekst/zmiany"):
            response = client.get(url)
            assert response.status_code == 200, (who, url)
            outputs[f"{who} {url}"] = response.get_data(as_text=True)
    for fmt in ("xlsx", "ods"):
        response = anonymous.get(f"/postulaty/eksport.{fmt}")
        assert response.status_code == 200
        outputs[fmt] = _sheet_text(fmt, response.data)
        outputs[f"{fmt} raw"] = _zip_text(response.data)
    # the meeting took place (its day moved to the past, as the summary's final compile asks)
    from datetime import timedelta

    from consult.meetings.models import Meeting
    from consult.meetings.operations import mark_meeting_held

    meeting = db.session.get(Meeting, meeting_id)
    meeting.date = meeting.date - timedelta(days=10)
    db.session.commit()
    with transaction():
        mark_meeting_held(world.user("coordinator"), meeting)
    outputs["summary json"] = coordinator.get(f"/koordynacja/spotkania/{meeting_id}/podsumowanie.json").get_data(
        as_text=True)
    job = compile_now(meeting_id)
    assert job.state == "done", job.error
    outputs["summary pdf"] = " ".join(page_texts(pdf_bytes(job.version)))
    response = coordinator.post(f"/koordynacja/programy/{programme_id}/raport/kompilacja", data={"language": "pl"})
    assert response.status_code == 302
    wait_for_jobs()
    from consult.documents.models import DocumentJob

    report = db.session.get(DocumentJob, int(response.location.rsplit("/", 1)[1]))
    assert report.state == "done", report.error
    outputs["report pdf"] = " ".join(page_texts(pdf_bytes(report.version)))

    for where, text in outputs.items():
        assert WORD not in text and "Zenobii" not in text, where
        assert POSITION_WORD not in text, where
    # the mark stands where the words were (the API's JSON escapes non-ASCII letters; the PDFs break lines)
    for where in (f"anonymous /postulaty/{online.id}", f"anonymous /programy/{programme_id}",
                  f"anonymous /programy/spotkania/{meeting_id}", "anonymous /postulaty",
                  "anonymous /postulaty/eksport.csv",
                  "xlsx", "ods", f"anonymous /organizacje/{world.org_b.id}",
                  f"anonymous /programy/{programme_id}/tekst/przepisy/par-2.ust-2.pkt-1",
                  f"anonymous /programy/{programme_id}/tekst/zmiany"):
        assert f"dyżury {MARK} w każdej" in outputs[where].replace("&#34;", '"'), where
    for where in ("summary pdf", "report pdf"):
        assert squeeze(f"dyżury {MARK} w każdej dzielnicy") in squeeze(outputs[where]), where
    api = anonymous.get(f"/api/v1/postulates/{online.id}").get_json()
    assert api["content"] == f"Prosimy o dyżury {MARK} w każdej dzielnicy (online)."
    assert api["justification"] == f"Pani {MARK} zna potrzeby seniorów."  # "Kwiatkowskiej" is redacted too
    assert [p["text"] for p in api["positions"]] == [f"Dyżury będą; poprowadzi je pan Bronisław {MARK}."]
    for where in ("summary pdf", "report pdf"):
        assert squeeze(f"pan Bronisław {MARK}") in squeeze(outputs[where]), where
    for where in (f"anonymous /postulaty/{online.id}", "anonymous /postulaty/eksport.csv", "xlsx",
                  f"anonymous /programy/{programme_id}/tekst/przepisy/par-2.ust-2.pkt-1",
                  f"anonymous /programy/{programme_id}/tekst/zmiany"):
        assert f"pan Bronisław {MARK}" in outputs[where], where

    # the public search finds nothing by the hidden words, and still finds the postulates by the others
    for url in (f"/postulaty?text={WORD}", f"/programy/{programme_id}?q={WORD}",
                f"/programy/spotkania/{meeting_id}?q={WORD}"):
        assert online.reference not in anonymous.get(url).get_data(as_text=True), url
    assert online.reference in anonymous.get("/postulaty?text=dyżury").get_data(as_text=True)

    # the staff and the organisation that filed it read the original; the staff read the position as written
    for key in ("coordinator", "unit_x", "ngo_b"):
        page = login(app.test_client(), world.user(key)).get(f"/postulaty/{online.id}").get_data(as_text=True)
        assert NAME in page and f"Pani {WORD} zna" in page, key
        assert (POSITION_WORD in page) == (key != "ngo_b"), key
    page = coordinator.get(f"/postulaty/{online.id}").get_data(as_text=True)
    # the coordinator sees what the public reads, and the redaction with its reason in the history
    assert f"dyżury {MARK} w każdej" in page
    assert "ukrycie słów w publicznej treści" in page and "osoba prywatna bez zgody" in page
    assert "ukrycie słów w publicznej treści stanowiska" in page and "osoba prywatna wymieniona w stanowisku" in page


def test_a_redaction_is_undone_and_the_words_are_public_again(app, world):
    postulate = _published(world, meeting=False)
    coordinator = login(app.test_client(), world.user("coordinator"))
    assert _redact(coordinator, postulate).status_code == 302
    assert NAME not in app.test_client().get(f"/postulaty/{postulate.id}").get_data(as_text=True)
    db.session.expire_all()
    redaction = db.session.get(Postulate, postulate.id).redactions[0]
    response = coordinator.post(f"/postulaty/{postulate.id}/ukryj-slowa/{redaction.id}/przywroc")
    assert response.status_code == 302
    assert NAME in app.test_client().get(f"/postulaty/{postulate.id}").get_data(as_text=True)
    assert app.test_client().get(f"/api/v1/postulates/{postulate.id}").get_json()["content"] == postulate.content
    assert "przywrócenie ukrytych słów" in coordinator.get(f"/postulaty/{postulate.id}").get_data(as_text=True)


def test_words_not_in_the_text_are_refused_and_change_nothing(app, world):
    postulate = _published(world, meeting=False)
    coordinator = login(app.test_client(), world.user("coordinator"))
    response = _redact(coordinator, postulate, words="Jan Nowak")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "<title>Błąd: " in page
    assert "Tych słów nie ma w treści postulatu" in page
    response = _redact(coordinator, postulate, reason="")
    assert response.status_code == 200 and "Wpisz powód ukrycia." in response.get_data(as_text=True)
    db.session.expire_all()
    stored = db.session.get(Postulate, postulate.id)
    assert stored.redactions == [] and stored.public_content is None


def test_only_coordinators_redact(app, world):
    postulate = _published(world, meeting=False)
    for key in ("ngo_b", "unit_x", "resident"):
        client = login(app.test_client(), world.user(key))
        assert client.get(f"/postulaty/{postulate.id}/ukryj-slowa").status_code == 403, key
        assert _redact(client, postulate).status_code == 403, key
    db.session.expire_all()
    assert db.session.get(Postulate, postulate.id).redactions == []
