"""The report on the programme (art. 5a ust. 3): the numbers per priority area (the calls' spheres) checked against
calls built here — two areas, several calls, offers filed and drafts, grants and refusals, a decision not yet
published, a cancelled call, a draft call and a call of another programme — to the grosz, in the page, the XLSX (read
back) and the PDF's text in pl/en/uk; the consultations; who sees it before and after it is published."""
from __future__ import annotations

from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from consult.calls.models import Call, Decision, Offer
from consult.core.models import AuditEvent
from consult.core.types import utcnow
from consult.extensions import db
from consult.programme_report.queries import programme_numbers, small_grant_numbers
from tests.conftest import _wait_for_pending_jobs, login

D = Decimal


def _call(world, sphere, funds, *, state="results_published", programme=None, **kw):
    now = utcnow()
    call = Call(programme_id=(programme or world.programme).id, unit_id=world.unit_x.id, title=f"Konkurs {sphere}",
                sphere=sphere, funds=D(funds), state=state, announced_at=None if state == "draft" else now,
                cancel_reason="Brak ofert." if state == "cancelled" else None,
                cancelled_at=now if state == "cancelled" else None, **kw)
    db.session.add(call)
    db.session.flush()
    return call


def _offer(call, org, *, grant=None, refused=False, published=True, submitted=True):
    now = utcnow()
    offer = Offer(call_id=call.id, organisation_id=org.id, title="Oferta",
                  state="submitted" if submitted else "draft", submitted_at=now if submitted else None)
    db.session.add(offer)
    db.session.flush()
    if grant is not None or refused:
        offer.state = "granted" if grant is not None else "not_granted"
        db.session.add(Decision(call_id=call.id, offer_id=offer.id, kind="grant" if grant is not None else "refusal",
                                amount=D(grant) if grant is not None else None,
                                reason=None if grant is not None else "Za mało punktów.", published=published,
                                published_at=now if published else None))
    return offer


@pytest.fixture
def calls(world):
    a, b = world.org_a, world.org_b
    # Area "pomoc społeczna": two calls (the second writes the sphere with other spaces and capitals).
    first = _call(world, "pomoc społeczna", "100000.00")
    _offer(first, a, grant="12345.67")
    _offer(first, b, grant="20000.01")
    _offer(first, a, refused=True)
    _offer(first, b, submitted=False)  # a draft was never filed
    second = _call(world, "Pomoc  Społeczna", "50000.00", state="evaluation")
    _offer(second, a, grant="999.00", published=False)  # the commission's, not published: not counted
    # Area "kultura, sztuka": a call with a grant and a refusal, and a cancelled one.
    third = _call(world, "kultura, sztuka", "80000.00")
    _offer(third, b, grant="5000.50")
    _offer(third, a, refused=True)
    _call(world, "kultura, sztuka", "10000.00", state="cancelled")
    # Not in the report: a draft call, and a call of another programme.
    _call(world, "kultura, sztuka", "70000.00", state="draft")
    other = _call(world, "pomoc społeczna", "40000.00", programme=world.closed_programme)
    _offer(other, a, grant="40000.00")
    world.meeting.state = "held"
    db.session.commit()
    return world.programme


EXPECTED = {
    # area: calls announced, cancelled, funds, offers filed, grants, sum of grants, refusals
    "kultura, sztuka": (2, 1, D("90000.00"), 2, 1, D("5000.50"), 1),
    "pomoc społeczna": (2, 0, D("150000.00"), 4, 2, D("32345.68"), 1),
    None: (4, 1, D("240000.00"), 6, 3, D("37346.18"), 2),
}
FIELDS = ("calls_announced", "calls_cancelled", "call_funds", "offers_filed", "grants", "grants_sum", "refusals")


def test_the_numbers_per_priority_area_add_up_to_the_grosz(app, calls):
    n = programme_numbers(calls)
    got = {area.label: tuple(getattr(area, f) for f in FIELDS) for area in [*n.areas, n.total]}
    assert got == EXPECTED
    assert [a.label for a in n.areas] == ["kultura, sztuka", "pomoc społeczna"]
    # The small-grant journey has no offers on main yet: its section reads zeros through one function.
    assert small_grant_numbers(calls.id) == n.small_grants and n.small_grants.grants == 0
    # The world's sector meeting (held here), its postulates filed (drafts never were) and its published position.
    assert (n.consultations.meetings_held, n.consultations.postulates, n.consultations.positions) == (1, 6, 1)


def _page_rows(html: str) -> list[list[str]]:
    import re

    rows = []
    for tr in re.findall(r"<tr[^>]*>(.*?)</tr>", html, re.DOTALL):
        cells = [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", tr, re.DOTALL)]
        rows.append([" ".join(c.split()) for c in cells])
    return rows


def test_the_page_shows_the_numbers_and_is_public_only_once_published(app, calls, world):
    url = f"/programy/{calls.id}/sprawozdanie-z-realizacji"
    anon = app.test_client()
    assert anon.get(url).status_code == 404
    assert anon.get(url + ".xlsx").status_code == 404 and anon.get(url + ".pdf").status_code == 404
    ngo = app.test_client()
    login(ngo, world.user("ngo_a"))
    assert ngo.get(url).status_code == 404

    coordinator = app.test_client()
    login(coordinator, world.user("coordinator"))
    page = coordinator.get(url).get_data(as_text=True)
    rows = _page_rows(page)
    assert ["pomoc społeczna", "2", "0", "150 000,00 zł", "4", "2", "32 345,68 zł", "1", "0", "0,00 zł"] in rows
    assert ["kultura, sztuka", "2", "1", "90 000,00 zł", "2", "1", "5 000,50 zł", "1", "0", "0,00 zł"] in rows
    assert ["Razem", "4", "1", "240 000,00 zł", "6", "3", "37 346,18 zł", "2", "0", "0,00 zł"] in rows
    assert ["Spotkania branżowe odbyte", "1"] in rows and ["Postulaty złożone", "6"] in rows
    assert "nie zostało jeszcze opublikowane" in page and "Opublikuj sprawozdanie" in page

    response = coordinator.post(f"/koordynacja/programy/{calls.id}/sprawozdanie-z-realizacji/publikacja",
                                data={"csrf_token": ""})
    assert response.status_code == 302
    assert db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "publish_implementation_summary",
                                                         AuditEvent.subject_id == calls.id)) is not None
    public_page = anon.get(url).get_data(as_text=True)
    assert "Opublikowano" in public_page and "Opublikuj sprawozdanie" not in public_page
    assert ["Razem", "4", "1", "240 000,00 zł", "6", "3", "37 346,18 zł", "2", "0", "0,00 zł"] in _page_rows(public_page)
    again = coordinator.post(f"/koordynacja/programy/{calls.id}/sprawozdanie-z-realizacji/publikacja",
                             follow_redirects=True).get_data(as_text=True)
    assert "opublikowano już" in again


def test_the_xlsx_read_back_gives_the_same_numbers(app, calls, world):
    client = app.test_client()
    login(client, world.user("coordinator"))
    response = client.get(f"/programy/{calls.id}/sprawozdanie-z-realizacji.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.data)).active
    rows = {row[0]: row[1:] for row in sheet.iter_rows(min_row=3, values_only=True) if row and row[0]}
    for label, expected in EXPECTED.items():
        got = rows["Razem" if label is None else label][:len(FIELDS)]
        assert [D(str(v)).quantize(D("0.01")) if isinstance(e, Decimal) else v for v, e in zip(got, expected)] \
            == list(expected)
    assert rows["Małe granty przyznane"][0] == 0 and rows["Spotkania branżowe odbyte"][0] == 1


@pytest.mark.parametrize("language, words", [
    ("pl", ["Razem", "37 346,18 zł", "32 345,68 zł", "Spotkania branżowe odbyte"]),
    ("en", ["Total", "PLN 37,346.18", "PLN 32,345.68", "Sector meetings held"]),
    ("uk", ["Разом", "37 346,18 PLN", "32 345,68 PLN"]),
])
def test_the_pdf_gives_the_numbers_in_its_language(app, calls, world, language, words):
    client = app.test_client()
    login(client, world.user("coordinator"))
    response = client.get(f"/programy/{calls.id}/sprawozdanie-z-realizacji.pdf?jezyk={language}")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    reader = PdfReader(BytesIO(response.data))
    text = " ".join((page.extract_text() or "") for page in reader.pages)
    text = " ".join(text.replace("\u00a0", " ").replace("\u202f", " ").split())
    for word in words:
        assert word in text, (word, text[:2000])
    assert "/StructTreeRoot" in reader.trailer["/Root"]  # tagged, like the other reports
    assert reader.trailer["/Root"]["/Lang"] == language
    assert client.get(f"/programy/{calls.id}/sprawozdanie-z-realizacji.pdf?jezyk=xx").status_code == 404


def test_only_a_coordinator_publishes(app, calls, world):
    client = app.test_client()
    login(client, world.user("unit_x"))
    assert client.post(f"/koordynacja/programy/{calls.id}/sprawozdanie-z-realizacji/publikacja").status_code == 403
    assert app.test_client().get(f"/programy/{calls.id}/sprawozdanie-z-realizacji").status_code == 404


# --- small grants per priority area (art. 19a) --------------------------------------------------------------------

FAMILY = "wspieranie rodziny i systemu pieczy zastępczej"  # art. 4 ust. 1 pkt 1a, as the Act words it
CULTURE = "kultura, sztuka, ochrona dóbr kultury i dziedzictwa narodowego"  # pkt 16


def _small_grant(world, sphere, granted, *, state="granted", year=None):
    from datetime import date

    from consult.smallgrants.models import SmallGrantOffer

    starts = date(year or world.programme.year, 5, 1)
    offer = SmallGrantOffer(organisation_id=world.org_a.id, unit_id=world.unit_x.id, state=state, title="Mały grant",
                            description="Opis", place="Kraków", starts=starts, ends=starts, expected_results="R",
                            budget=[], amount=D("10000.00"), total_cost=D("10000.00"), judge_by=starts,
                            sphere=sphere, granted_amount=D(granted) if granted else None,
                            decision_year=starts.year if granted else None,
                            comments_until=starts if state == "open_for_comments" else None)
    db.session.add(offer)
    return offer


@pytest.fixture
def small_grants(world, calls):
    family_call = _call(world, "Wspieranie rodziny i systemu  pieczy zastępczej", "30000.00")
    _offer(family_call, world.org_b, grant="7000.00")
    _small_grant(world, "1a", "4000.00")
    _small_grant(world, "1a", "1234.56", state="reported")
    _small_grant(world, "1a", None, state="not_granted")  # refused: not counted
    _small_grant(world, "1a", None, state="open_for_comments")  # not decided yet: not counted
    _small_grant(world, "1a", "3333.33", year=world.programme.year + 1)  # a task of another year
    _small_grant(world, "16", "999.99")  # no call in this area: an area of its own, named as the Act does
    _small_grant(world, None, "100.01")  # filed before the sphere was asked: "nie określono"
    db.session.commit()
    return calls


SMALL = {  # area: calls announced, grants in calls, sum of grants in calls, small grants, sum of small grants
    "Wspieranie rodziny i systemu pieczy zastępczej": (1, 1, D("7000.00"), 2, D("5234.56")),
    CULTURE: (0, 0, D("0.00"), 1, D("999.99")),
    "": (0, 0, D("0.00"), 1, D("100.01")),
    None: (5, 4, D("44346.18"), 4, D("6334.56")),
}
SMALL_FIELDS = ("calls_announced", "grants", "grants_sum", "small_grants", "small_grants_sum")


def test_small_grants_count_per_priority_area_beside_the_calls_to_the_grosz(app, small_grants):
    n = programme_numbers(small_grants)
    got = {area.label: tuple(getattr(area, f) for f in SMALL_FIELDS) for area in [*n.areas, n.total]}
    assert {label: got[label] for label in SMALL} == SMALL
    assert got["pomoc społeczna"][3:] == (0, D("0.00"))  # no small grant in an area of calls only
    assert n.small_grants.grants == 4 and n.small_grants.grants_sum == D("6334.56")


def test_small_grants_per_area_in_the_page_the_xlsx_and_the_pdf(app, small_grants, world):
    client = app.test_client()
    login(client, world.user("coordinator"))
    url = f"/programy/{small_grants.id}/sprawozdanie-z-realizacji"
    rows = _page_rows(client.get(url).get_data(as_text=True))
    assert ["Wspieranie rodziny i systemu pieczy zastępczej", "1", "0", "30 000,00 zł", "1", "1", "7 000,00 zł", "0",
            "2", "5 234,56 zł"] in rows
    assert [CULTURE, "0", "0", "0,00 zł", "0", "0", "0,00 zł", "0", "1", "999,99 zł"] in rows
    assert ["nie określono", "0", "0", "0,00 zł", "0", "0", "0,00 zł", "0", "1", "100,01 zł"] in rows
    assert ["Razem", "5", "1", "270 000,00 zł", "7", "4", "44 346,18 zł", "2", "4", "6 334,56 zł"] in rows

    sheet = load_workbook(BytesIO(client.get(url + ".xlsx").data)).active
    header = [c.value for c in sheet[2]]
    at = header.index("Kwota przyznanych małych grantów")
    assert header[at - 1] == "Małe granty przyznane (art. 19a)"
    by_label = {row[0]: row for row in sheet.iter_rows(min_row=3, values_only=True) if row and row[0]}
    assert by_label["Wspieranie rodziny i systemu pieczy zastępczej"][at - 1] == 2
    assert D(str(by_label["Wspieranie rodziny i systemu pieczy zastępczej"][at])) == D("5234.56")
    assert D(str(by_label["Razem"][at])) == D("6334.56") and by_label["nie określono"][at - 1] == 1

    reader = PdfReader(BytesIO(client.get(url + ".pdf?jezyk=pl").data))
    text = " ".join(" ".join((p.extract_text() or "") for p in reader.pages).replace("\u00a0", " ")
                    .replace("\u202f", " ").split())
    for word in ("Małe granty przyznane (art. 19a)", "5 234,56 zł", "6 334,56 zł", "999,99 zł", "nie określono"):
        assert word in text, (word, text[:2000])


def test_publishing_keeps_the_pdf_in_every_language_as_published(app, calls, world):
    """The published report is a document: its PDF is compiled in pl, en and uk when it is published, kept as
    versions, and served as it was published even after the numbers it was read from change."""
    from consult.documents import storage
    from consult.documents.models import DocumentVersion

    coordinator = app.test_client()
    login(coordinator, world.user("coordinator"))
    assert coordinator.post(f"/koordynacja/programy/{calls.id}/sprawozdanie-z-realizacji/publikacja").status_code == 302
    _wait_for_pending_jobs(app)
    versions = db.session.scalars(db.select(DocumentVersion).where(
        DocumentVersion.about("programme", calls.id), DocumentVersion.kind == "implementation_summary")).all()
    assert sorted(v.language for v in versions) == ["en", "pl", "uk"]
    assert all(v.published_at is not None for v in versions)
    compiled = db.session.scalars(db.select(AuditEvent).where(
        AuditEvent.action == "compile_implementation_summary", AuditEvent.subject_id == calls.id)).all()
    assert len(compiled) == 3

    anon = app.test_client()
    url = f"/programy/{calls.id}/sprawozdanie-z-realizacji.pdf"
    kept = {v.language: storage.path_of(v.storage_key).read_bytes() for v in versions}
    assert anon.get(url).data == kept["pl"] and anon.get(url + "?jezyk=uk").data == kept["uk"]
    text = " ".join(" ".join((p.extract_text() or "") for p in PdfReader(BytesIO(kept["pl"])).pages).split())
    assert "37 346,18 zł" in text.replace("\u00a0", " ")

    # a grant decided after publication changes the page (live) but not the published PDF
    second = _call(world, "pomoc społeczna", "10000.00", programme=calls)
    _offer(second, world.org_a, grant="1000.00")
    db.session.commit()
    assert anon.get(url).data == kept["pl"]
    assert "38 346,18 zł" in anon.get(f"/programy/{calls.id}/sprawozdanie-z-realizacji").get_data(as_text=True)
