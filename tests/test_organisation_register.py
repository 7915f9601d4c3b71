"""The public register of organisations: faceted search (sphere, district, legal form) with counts, text search,
pages, each organisation's page (profile, published postulates, grants awarded), downloads and the API; only
verified organisations, and never a person's name, e-mail or phone."""
from __future__ import annotations

import csv
import io
import re

import pytest
from openpyxl import load_workbook

from consult.calls.models import Decision, Offer
from consult.core.actors import SYSTEM
from consult.core.operations import transaction
from consult.core.types import utcnow
from consult.extensions import db
from consult.organisations.operations import create_organisation
from tests.access_cases.calls import _make_call
from tests.test_api import assert_matches


def _profile(org, *, district=None, spheres=(), email=None, phone=None, address=None, status="verified"):
    org.district, org.email, org.phone, org.address, org.status = district, email, phone, address, status
    org.set_spheres(spheres)


@pytest.fixture
def register(world):
    """The world's two organisations with profiles, twelve more in Nowa Huta (culture), a pending and a refused
    one (never public), a granted offer of NGO A in a call with published results, and a draft offer of B."""
    with transaction():
        _profile(world.org_a, district="II", spheres=["5a", "16"], email="biuro@zustricz.example",
                 phone="+48 12 000 11 22", address="ul. Długa 1, Kraków")
        _profile(world.org_b, district="XVIII", spheres=["16"])
        for n in range(12):
            org = create_organisation(SYSTEM, name=f"Stowarzyszenie Kultury {n:02d}", legal_form="stowarzyszenie")
            _profile(org, district="XVIII", spheres=["16", "14"] if n % 2 else ["16"])
        pending = create_organisation(SYSTEM, name="Fundacja Czekająca", legal_form="fundacja")
        _profile(pending, district="XVIII", spheres=["16"], status="pending")
        refused = create_organisation(SYSTEM, name="Fundacja Odrzucona", legal_form="fundacja")
        _profile(refused, district="XVIII", spheres=["16"], status="refused")
    call = _make_call(world, "register")
    with transaction():
        call.state, call.announced_at, call.results_published_at = "results_published", utcnow(), utcnow()
        granted = Offer(call_id=call.id, organisation_id=world.org_a.id, state="granted", title="Dyżury dla rodzin",
                        submitted_at=utcnow(), created_by_id=world.user("ngo_a").id,
                        applicant={"contact_name": "Ngo A", "contact_email": "ngo_a@example.org"})
        draft = Offer(call_id=call.id, organisation_id=world.org_b.id, state="draft", title="Szkic oferty B")
        db.session.add_all([granted, draft])
        db.session.flush()
        db.session.add(Decision(call_id=call.id, offer_id=granted.id, kind="grant", amount=12500,
                                published=True, published_at=utcnow()))
    world.call, world.granted = call, granted
    return world


def _names(page: str) -> list[str]:
    return re.findall(r'<th scope="row" class="org"><a href="/organizacje/\d+">([^<]+)</a>', page)


def _facet(page: str, arg: str) -> dict[str, int]:
    block = page.split(f'data-facet="{arg}"')[1].split("</ul>")[0]
    return {label.strip(): int(n) for label, n in
            re.findall(r'>([^<>]+?) <span class="facet-count">\((\d+)\)</span>', block)}


def test_only_verified_organisations_are_listed_with_facet_counts(client, register):
    page = client.get("/organizacje").get_data(as_text=True)
    assert "Wyniki 1–14 z 14" in page
    assert "Fundacja Czekająca" not in page and "Fundacja Odrzucona" not in page
    assert _facet(page, "forma") == {"fundacja": 2, "stowarzyszenie": 12}
    assert _facet(page, "dzielnica") == {"II Grzegórzki": 1, "XVIII Nowa Huta": 13}
    spheres = _facet(page, "sfera")
    assert spheres["16. kultura, sztuka, ochrona dóbr kultury i dziedzictwa narodowego"] == 14
    assert spheres["5a. działalność na rzecz integracji cudzoziemców"] == 1
    assert spheres["14. nauka, szkolnictwo wyższe, edukacja, oświata i wychowanie"] == 6


def test_filters_narrow_the_list_and_the_other_facets_count_within_them(client, register):
    page = client.get("/organizacje?dzielnica=XVIII&forma=fundacja").get_data(as_text=True)
    assert _names(page) == ["Fundacja Start Tango"]
    # the district's own facet still offers every district within the other filters (fundacje only)
    assert _facet(page, "dzielnica") == {"II Grzegórzki": 1, "XVIII Nowa Huta": 1}
    assert _facet(page, "forma") == {"fundacja": 1, "stowarzyszenie": 12}
    page = client.get("/organizacje?sfera=14").get_data(as_text=True)
    assert len(_names(page)) == 6 and all(n.startswith("Stowarzyszenie Kultury") for n in _names(page))
    page = client.get("/organizacje?q=zustricz").get_data(as_text=True)
    assert _names(page) == ["Fundacja Zustricz"]
    assert "Nic nie znaleziono" in client.get("/organizacje?q=czekająca").get_data(as_text=True)
    # nonsense in a filter is no filter, never an error
    page = client.get("/organizacje?sfera=99&dzielnica=%00&forma=<b>").get_data(as_text=True)
    assert "Wyniki 1–14 z 14" in page


def test_the_register_pages_and_page_links_keep_the_filters(app, client, register):
    app.config["PAGE_SIZE"] = 5
    try:
        first = client.get("/organizacje?dzielnica=XVIII").get_data(as_text=True)
        assert "Wyniki 1–5 z 13" in first
        assert "dzielnica=XVIII" in re.search(r'<a href="([^"]+)" rel="next">', first).group(1).replace("&amp;", "&")
        third = client.get("/organizacje?dzielnica=XVIII&strona=3").get_data(as_text=True)
        assert "Wyniki 11–13 z 13" in third
        assert set(_names(first)).isdisjoint(_names(third))
    finally:
        app.config["PAGE_SIZE"] = 50


def test_an_organisation_page_shows_its_profile_published_postulates_and_grants(client, register):
    w = register
    page = client.get(f"/organizacje/{w.org_b.id}").get_data(as_text=True)
    assert "B, opublikowany przez X" in page  # published
    assert "Złożony przez B" not in page and "Szkic organizacji B" not in page  # not published
    assert "Szkic oferty B" not in page
    page = client.get(f"/organizacje/{w.org_a.id}").get_data(as_text=True)
    assert "biuro@zustricz.example" in page and "+48 12 000 11 22" in page and "II Grzegórzki" in page
    assert "Dyżury dla rodzin" in page and w.call.reference in page and "12" in page
    assert "Szkic organizacji A" not in page and "A, ze stanowiskiem X" not in page
    pending = db.session.scalar(db.select(Offer.organisation_id).where(Offer.title == "Szkic oferty B"))
    assert pending == w.org_b.id
    from consult.organisations.models import Organisation

    hidden = db.session.scalar(db.select(Organisation).where(Organisation.name == "Fundacja Czekająca"))
    assert client.get(f"/organizacje/{hidden.id}").status_code == 404
    assert client.get("/api/v1/organisations/%d" % hidden.id).status_code == 404


PEOPLE = ("Ngo A", "Ngo B", "ngo_a@example.org", "ngo_b@example.org", "Unit X", "Coordinator", "Admin",
          "admin@example.org")


def _no_person(text: str) -> None:
    for secret in PEOPLE:
        assert secret not in text, f"{secret!r} is public"


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "ods"])
def test_downloads_hold_the_filtered_list_and_no_person(client, register, fmt):
    response = client.get(f"/organizacje/eksport.{fmt}?sfera=5a")
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    body = response.get_data()
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
        text = body.decode("utf-8-sig")
    elif fmt == "xlsx":
        rows = [["" if c is None else str(c) for c in r] for r in load_workbook(io.BytesIO(body)).active.values]
        text = repr(rows)
    else:
        import zipfile

        text = zipfile.ZipFile(io.BytesIO(body)).read("content.xml").decode()
        rows = [r for r in re.findall(r"<table:table-row>(.*?)</table:table-row>", text)]
    assert len(rows) == 2  # the header and Fundacja Zustricz
    assert "Fundacja Zustricz" in text and "biuro@zustricz.example" in text and "8567346215" in text
    assert "Stowarzyszenie Kultury" not in text
    _no_person(text)
    everything = client.get(f"/organizacje/eksport.{fmt}").get_data()
    if fmt == "csv":
        assert len(list(csv.reader(io.StringIO(everything.decode("utf-8-sig"))))) == 15
        assert "Fundacja Czekająca" not in everything.decode("utf-8-sig")


def test_pages_and_api_show_no_person(client, register):
    w = register
    for url in ("/organizacje", f"/organizacje/{w.org_a.id}", "/api/v1/organisations?per_page=100",
                f"/api/v1/organisations/{w.org_a.id}"):
        _no_person(client.get(url).get_data(as_text=True))


def test_the_api_lists_and_shows_the_register_as_documented(client, register):
    w = register
    body = client.get("/api/v1/organisations?district=XVIII&legal_form=fundacja").get_json()
    assert_matches(body, "RegisterOrganisationPage")
    assert [o["name"] for o in body["items"]] == ["Fundacja Start Tango"] and body["total"] == 1
    body = client.get("/api/v1/organisations?sphere=16&per_page=5&page=3").get_json()
    assert body["total"] == 14 and len(body["items"]) == 4 and body["next"] is None
    detail = client.get(f"/api/v1/organisations/{w.org_a.id}").get_json()
    assert_matches(detail, "RegisterOrganisationDetail")
    assert detail["spheres"] == ["16", "5a"] and detail["email"] == "biuro@zustricz.example"
    assert detail["grants"] == [{"call_id": w.call.id, "call_reference": w.call.reference,
                                 "call_title": w.call.title, "task": "Dyżury dla rodzin", "amount": "12500.00",
                                 "results_url": f"/api/v1/calls/{w.call.id}/results"}]
    assert detail["postulates"] == []  # A's postulates are none of them published
    assert [p["reference"] for p in client.get(f"/api/v1/organisations/{w.org_b.id}").get_json()["postulates"]] \
        == [w.p["b_published_x"].reference]
    for bad in ("sphere=99", "district=XIX", "legal_form=spolka", "q=" + "x" * 201, "colour=red", "q=a%00b"):
        response = client.get(f"/api/v1/organisations?{bad}")
        assert response.status_code == 400, bad
        assert response.get_json()["parameter"] in ("sphere", "district", "legal_form", "q", "colour")
    assert client.get("/api/v1/organisations?q=ZUSTRICZ").get_json()["total"] == 1
