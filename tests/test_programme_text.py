"""The programme's text: imported from DOCX, ODT or JSON, edited, published in versions with each provision's
anchor and word-level change; postulates on provisions; positions linked to the provisions they changed."""
from __future__ import annotations

import copy
import io
import json

import pytest

from consult.core.models import AuditEvent
from consult.extensions import db
from consult.postulates.models import Postulate
from consult.programme_text.models import Provision, ProvisionSnapshot, TextVersion
from tests.conftest import login
from tests.programme_text_support import DRAFT_1, provision, publish_text


def _count(model) -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(model))


def _docx(lines: list[str]) -> bytes:
    import docx

    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _odt(lines: list[str]) -> bytes:
    from odf.opendocument import OpenDocumentText
    from odf.text import P

    document = OpenDocumentText()
    for line in lines:
        document.text.addElement(P(text=line))
    out = io.BytesIO()
    document.write(out)
    return out.getvalue()


DRAFT_LINES = [
    "Projekt uchwały w sprawie programu współpracy",  # the title: not a provision
    "Rozdział 1",
    "Postanowienia ogólne",
    "§ 1. Program określa formy współpracy.",
    "Rozdział 2. Cele programu",
    "§ 2. 1. Celem głównym jest wzmacnianie organizacji.",
    "2. Celami szczegółowymi są:",
    "1) wspieranie inicjatyw lokalnych;",
    "2) rozwój wolontariatu,",
    "w tym wolontariatu seniorów.",
]


@pytest.mark.parametrize("kind", ["docx", "odt"])
def test_coordinator_imports_a_draft_from_a_word_processor_file(app, world, client, kind):
    login(client, world.user("coordinator"))
    data = _docx(DRAFT_LINES) if kind == "docx" else _odt(DRAFT_LINES)
    response = client.post(f"/koordynacja/programy/{world.programme.id}/tekst",
                           data={"file": (io.BytesIO(data), f"projekt.{kind}")}, content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)
    rows = {p.key: p for p in db.session.scalars(db.select(Provision).where(
        Provision.programme_id == world.programme.id))}
    assert list(rows) == ["rozdzial-1", "par-1", "rozdzial-2", "par-2", "par-2.ust-1", "par-2.ust-2",
                          "par-2.ust-2.pkt-1", "par-2.ust-2.pkt-2"]
    assert rows["rozdzial-1"].heading == "Postanowienia ogólne"
    assert rows["rozdzial-2"].heading == "Cele programu"
    assert rows["par-2.ust-1"].text == "Celem głównym jest wzmacnianie organizacji."
    assert rows["par-2.ust-2.pkt-2"].text == "rozwój wolontariatu,\nw tym wolontariatu seniorów."
    assert rows["par-2.ust-2.pkt-1"].parent.key == "par-2.ust-2"
    page = client.get(f"/koordynacja/programy/{world.programme.id}/tekst").get_data(as_text=True)
    assert "rozwój wolontariatu," in page
    assert db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "import_text")) is not None


def test_a_damaged_or_foreign_file_is_refused_beside_the_field_and_writes_nothing(app, world, client):
    login(client, world.user("coordinator"))
    for name, body in (("projekt.docx", b"PK not really"), ("projekt.pdf", b"%PDF-1.7"),
                       ("tekst.json", json.dumps({**DRAFT_1, "provisions": [{"kind": "article", "number": "1"}]})
                        .encode())):
        response = client.post(f"/koordynacja/programy/{world.programme.id}/tekst",
                               data={"file": (io.BytesIO(body), name)}, content_type="multipart/form-data")
        page = response.get_data(as_text=True)
        assert response.status_code == 200 and "Wystąpił problem" in page, name
    assert "/provisions/0/kind" in page
    assert _count(Provision) == 0


def test_publishing_versions_shows_anchors_and_word_changes_told_in_words(app, world, client):
    publish_text(world.programme, drafts=2)
    page = client.get(f"/programy/{world.programme.id}/tekst").get_data(as_text=True)
    assert 'id="par-2.ust-1"' in page and 'id="par-2.ust-2.pkt-1"' in page
    assert "nr 2 – projekt" in page
    # the change of § 2 ust. 1: deletion and insertion each said in words, not by colour alone
    assert '<del><span class="diff-label">usunięto: </span>' in page
    assert '<ins><span class="diff-label">dodano: </span>pozarządowych </ins>' in page
    assert '<del><span class="diff-label">usunięto: </span>miasta.</del>' in page
    assert '<ins><span class="diff-label">dodano: </span>miasta i dzielnic.</ins>' in page
    # an unchanged provision shows no change
    first = client.get(f"/programy/{world.programme.id}/tekst/wersje/1").get_data(as_text=True)
    assert "<ins>" not in first and 'id="par-1"' in first
    # each provision has its own page with its history, by its stable key
    own = client.get(f"/programy/{world.programme.id}/tekst/przepisy/par-2.ust-1")
    assert own.status_code == 200 and "Wersja nr 1" in own.get_data(as_text=True)
    assert client.get(f"/programy/{world.programme.id}/tekst/przepisy/nie-ma").status_code == 404


def test_coordinator_edits_a_provision_and_publishes_the_adopted_text_which_then_is_final(app, world, client):
    publish_text(world.programme)
    login(client, world.user("coordinator"))
    row = provision(world.programme, "par-1")
    url = f"/koordynacja/programy/{world.programme.id}/tekst/przepisy/{row.id}/edycja"
    assert "Program określa" in client.get(url).get_data(as_text=True)
    refused = client.post(url, data={"text": "", "version": row.version})
    assert "Wpisz treść przepisu." in refused.get_data(as_text=True)
    stale = client.post(url, data={"text": "Nowa treść.", "version": row.version + 5})
    assert stale.status_code == 409
    assert client.post(url, data={"text": "Program określa zasady współpracy.", "version": row.version}) \
        .status_code == 302
    publish = f"/koordynacja/programy/{world.programme.id}/tekst/publikacja"
    assert client.post(publish, data={"kind": "adopted"}).status_code == 302
    version = db.session.scalar(db.select(TextVersion).where(TextVersion.kind == "adopted"))
    assert version.number == 2
    page = client.get(f"/programy/{world.programme.id}/tekst").get_data(as_text=True)
    assert "uchwała (tekst przyjęty)" in page and "zasady" in page
    # nothing changes after the resolution
    row = provision(world.programme, "par-1")
    again = client.post(url, data={"text": "Jeszcze inaczej.", "version": row.version})
    assert "przyjęty uchwałą" in again.get_data(as_text=True)
    assert client.post(publish, data={"kind": "draft"}).status_code == 302
    assert _count(TextVersion) == 2


def test_publishing_an_unchanged_text_is_refused(app, world, client):
    publish_text(world.programme)
    login(client, world.user("coordinator"))
    response = client.post(f"/koordynacja/programy/{world.programme.id}/tekst/publikacja", data={"kind": "draft"},
                           follow_redirects=True)
    assert "nie różni się" in response.get_data(as_text=True)
    assert _count(TextVersion) == 1


# --- postulates on provisions --------------------------------------------------------------------------------

def test_ngo_files_a_postulate_on_a_provision_from_its_link_and_quotes_its_words(app, world, client):
    publish_text(world.programme)
    row = provision(world.programme, "par-2.ust-1")
    login(client, world.user("ngo_a"))
    text_page = client.get(f"/programy/{world.programme.id}/tekst").get_data(as_text=True)
    link = f"/programy/{world.programme.id}/postulaty/nowy?przepis={row.id}"
    assert link in text_page and "zgłoś postulat do tego przepisu" in text_page
    form = client.get(link).get_data(as_text=True)
    assert f'<option selected value="{row.id}">' in form
    preview = form[form.index("data-provision-preview"):form.index("data-provision-texts")]
    assert "Celem głównym jest wzmacnianie roli organizacji" in preview  # the provision's text, shown
    url = f"/programy/{world.programme.id}/postulaty/nowy"
    refused = client.post(url, data={"content": "Dopisać dzielnice.", "provision": row.id,
                                     "quote": "słowa, których tam nie ma", "submit": "1"})
    assert "Tych słów nie ma w przepisie ust. 1" in refused.get_data(as_text=True)
    before = _count(Postulate)
    filed = client.post(url, data={"content": "Dopisać dzielnice.", "provision": row.id,
                                   "quote": "w  życiu miasta", "submit": "1"})
    assert filed.status_code == 302
    assert _count(Postulate) == before + 1
    postulate = db.session.scalar(db.select(Postulate).order_by(Postulate.id.desc()).limit(1))
    assert (postulate.provision_id, postulate.quote) == (row.id, "w życiu miasta")
    detail = client.get(f"/postulaty/{postulate.id}").get_data(as_text=True)
    assert "§ 2 ust. 1" in detail and "w życiu miasta" in detail


def test_a_provision_not_in_the_published_text_is_refused(app, world, client):
    publish_text(world.programme)
    other = db.session.scalar(db.select(Provision).where(Provision.programme_id != world.programme.id))
    assert other is None
    login(client, world.user("ngo_a"))
    response = client.post(f"/programy/{world.programme.id}/postulaty/nowy",
                           data={"content": "Coś", "provision": 999999, "submit": "1"})
    assert "Wybierz przepis z opublikowanego tekstu programu." in response.get_data(as_text=True)


def test_coordinator_links_a_meeting_postulate_and_the_text_counts_published_ones(app, world, client):
    publish_text(world.programme)
    row = provision(world.programme, "par-2.ust-2.pkt-2")
    login(client, world.user("coordinator"))
    published = world.p["b_published_x"]
    url = f"/postulaty/{published.id}/przepis"
    assert client.post(url, data={"provision": row.id, "quote": "wolontariatu"}).status_code == 302
    meeting_postulate = world.p["meeting_official"]
    assert client.post(f"/postulaty/{meeting_postulate.id}/przepis", data={"provision": row.id}).status_code == 302
    assert db.session.get(Postulate, meeting_postulate.id).provision_id == row.id
    anon = app.test_client()
    page = anon.get(f"/programy/{world.programme.id}/tekst").get_data(as_text=True)
    assert "1 opublikowany postulat do tego przepisu" in page  # the meeting's is not published
    own = anon.get(f"/programy/{world.programme.id}/tekst/przepisy/par-2.ust-2.pkt-2").get_data(as_text=True)
    assert published.reference in own and "Nie przyjmujemy." in own
    assert meeting_postulate.reference not in own


def test_unit_links_its_accepted_position_to_the_provision_it_changed(app, world, client):
    from consult.core.operations import transaction
    from consult.postulates.operations import publish_positions

    publish_text(world.programme, drafts=2)
    row = provision(world.programme, "par-2.ust-1")
    postulate = world.p["a_answered_x"]  # unit X's position: accepted
    position = postulate.positions[0]
    login(client, world.user("unit_y"))
    assert client.get(f"/stanowiska/{position.id}/zmienione-przepisy").status_code == 403
    unit = app.test_client()
    login(unit, world.user("unit_x"))
    url = f"/stanowiska/{position.id}/zmienione-przepisy"
    assert "§ 2 ust. 1" in unit.get(url).get_data(as_text=True)
    assert unit.post(url, data={"provisions": [row.id]}).status_code == 302
    with transaction():
        publish_positions(world.user("unit_x"), [db.session.get(Postulate, postulate.id)])
    detail = unit.get(f"/postulaty/{postulate.id}").get_data(as_text=True)
    assert "par-2.ust-1" in detail
    # a rejected position changed nothing
    rejected = world.p["b_published_x"].positions[0]
    response = unit.post(f"/stanowiska/{rejected.id}/zmienione-przepisy", data={"provisions": [row.id]})
    assert "przyjęty częściowo" in response.get_data(as_text=True)


def test_the_changes_page_groups_postulate_position_and_change_by_provision(app, world, client):
    from consult.core.operations import transaction
    from consult.postulates.operations import publish_positions
    from consult.programme_text.operations import link_position_changes, link_postulate

    publish_text(world.programme, drafts=2)
    row = provision(world.programme, "par-2.ust-1")
    postulate = db.session.get(Postulate, world.p["a_answered_x"].id)
    with transaction():
        link_postulate(world.user("coordinator"), postulate, provision_id=row.id, quote="roli organizacji")
        link_position_changes(world.user("unit_x"), postulate.positions[0], [row.id])
        publish_positions(world.user("unit_x"), [postulate])
    page = client.get(f"/programy/{world.programme.id}/tekst/zmiany").get_data(as_text=True)
    at = [page.index(s) for s in ("§ 2 ust. 1", postulate.reference, "zmieniło ten przepis", "Przyjmujemy.",
                                  "Wprowadzona zmiana:", "dodano: </span>pozarządowych")]
    assert at == sorted(at)
