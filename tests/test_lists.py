"""Every list has search, filters and pages (consult/core/paging.py, templates/_lists.html).

For each list: a search term narrows it, a filter narrows it, page 2 shows the next rows, and a page number
that is nonsense shows a page instead of an error. Pages are made small (PAGE_SIZE) so that a few rows fill
several pages.
"""
from __future__ import annotations

import re
from datetime import timedelta

import pytest

from consult.calls import operations as ops
from consult.calls.models import CommissionMember
from consult.core.actors import SYSTEM
from consult.core.operations import transaction
from consult.core.types import utcnow
from consult.extensions import db
from tests.conftest import login
from tests.test_calls import clock, make_call, people  # noqa: F401  (clock and people are fixtures)
from tests.test_job_status import forget_unsent_jobs

BAD_PAGES = ("abc", "-1", "0", "1.5", "99999999999999999999", "%00", "")


@pytest.fixture
def small_pages(app, monkeypatch):
    monkeypatch.setitem(app.config, "PAGE_SIZE", 2)


@pytest.fixture
def no_pdfs(monkeypatch):
    """Announcing a call asks for its PDF; these tests look at lists, so no worker compiles it."""
    monkeypatch.setattr("consult.documents.dispatch.enqueue", lambda job_id, app: None)
    yield
    forget_unsent_jobs()


def rows(html: str) -> list[str]:
    """The row headers (first cell) of the page's tables, as text."""
    return [re.sub(r"<[^>]+>|\s+", " ", cell).strip()
            for cell in re.findall(r'<th scope="row"[^>]*>(.*?)</th>', html, re.DOTALL)]


def get(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def as_(app, world, role):
    return login(app.test_client(), world.user(role))


def assert_bad_pages_show_a_page(client, url: str, expected_first_row: str | None = None):
    for bad in BAD_PAGES:
        sep = "&" if "?" in url else "?"
        html = get(client, f"{url}{sep}strona={bad}")
        if expected_first_row is not None:
            assert expected_first_row in " ".join(rows(html)[:2]) or expected_first_row in html, bad


# --- the shared machinery ------------------------------------------------------------------------------------


def test_page_numbers_and_search_terms_are_read_forgivingly(app):
    from consult.core.paging import id_arg, page_number, search_term

    for raw, number in (("3", 3), ("abc", 1), ("-2", 1), ("0", 1), ("1e3", 1), (" 7 ", 7), ("9" * 30, 100_000)):
        with app.test_request_context(f"/?strona={raw}&q=  ab%25c  &komorka={raw}"):
            assert page_number() == number, raw
            assert search_term() == "ab%c"
    with app.test_request_context("/?komorka=x"):
        assert id_arg("komorka") is None


def test_a_search_for_wildcards_finds_them_literally(world, app):
    from consult.organisations.operations import create_organisation
    from consult.organisations.queries import organisations_page

    with transaction():
        create_organisation(SYSTEM, name="Fundacja 100% Pomocy", legal_form="fundacja")
    with app.test_request_context("/"):
        assert [o.name for o in organisations_page(search="100%").items] == ["Fundacja 100% Pomocy"]
        assert organisations_page(search="_").total == 0
        assert organisations_page(search="%").total == 1


def test_a_search_ignores_the_case_of_polish_letters(world, app):
    from consult.organisations.operations import create_organisation
    from consult.organisations.queries import organisations_page

    with transaction():
        create_organisation(SYSTEM, name="STOWARZYSZENIE ŁĄKA ŻYCIA", legal_form="stowarzyszenie")
    with app.test_request_context("/"):
        assert [o.name for o in organisations_page(search="łąka życia").items] == ["STOWARZYSZENIE ŁĄKA ŻYCIA"]


def test_pagination_nav_is_accessible_and_keeps_the_filters(world, app, small_pages):
    html = get(as_(app, world, "admin"), "/rejestry/konta?q=example&strona=2")
    nav = re.search(r'<nav class="pagination" aria-label="[^"]+">.*?</nav>', html, re.DOTALL).group(0)
    assert 'aria-current="page"' in nav and "strona=2" in nav
    current = re.search(r'<a href="([^"]+)" aria-current="page">', nav).group(1)
    assert "q=example" in current and "strona=2" in current
    assert 'rel="prev"' in nav and 'rel="next"' in nav
    assert "Wyniki 3–4 z 7" in html  # the world's seven accounts
    form = re.search(r'<form method="get"[^>]*role="search".*?</form>', html, re.DOTALL).group(0)
    assert '<label class="label" for="filter-q">' in form and 'id="filter-q"' in form and 'value="example"' in form


# --- registers --------------------------------------------------------------------------------------------------


def test_accounts_list(world, app, small_pages):
    admin = as_(app, world, "admin")
    assert rows(get(admin, "/rejestry/konta?q=ngo_")) == ["Ngo A", "Ngo B"]
    assert rows(get(admin, "/rejestry/konta?rola=unit")) == ["Unit X", "Unit Y"]
    world.users["unit_y"].active = False
    db.session.commit()
    assert rows(get(admin, "/rejestry/konta?aktywne=nie")) == ["Unit Y"]
    # by role, then name: admin, coordinator | ngo A, ngo B | resident, unit X | unit Y
    assert rows(get(admin, "/rejestry/konta")) == ["Admin", "Coordinator"]
    assert rows(get(admin, "/rejestry/konta?strona=2")) == ["Ngo A", "Ngo B"]
    assert rows(get(admin, "/rejestry/konta?strona=9")) == ["Unit Y"]  # past the end: the last page
    assert_bad_pages_show_a_page(admin, "/rejestry/konta?rola=nonsense")


def test_organisations_and_units_lists(world, app, small_pages):
    from consult.organisations.operations import create_organisation, create_unit

    with transaction():
        create_organisation(SYSTEM, name="Stowarzyszenie Alfa", legal_form="stowarzyszenie")
        create_unit(SYSTEM, name="Wydział Sportu", code="WS")
    coordinator = as_(app, world, "coordinator")
    assert rows(get(coordinator, "/rejestry/organizacje?q=zustr")) == ["Fundacja Zustricz"]
    assert rows(get(coordinator, "/rejestry/organizacje?q=8567346215")) == ["Fundacja Zustricz"]  # by NIP
    assert rows(get(coordinator, "/rejestry/organizacje?forma=stowarzyszenie")) == ["Stowarzyszenie Alfa"]
    assert rows(get(coordinator, "/rejestry/organizacje?strona=2")) == ["Stowarzyszenie Alfa"]
    html = get(coordinator, "/rejestry/organizacje?q=nikt-taki")
    assert "Nic nie znaleziono." in html and "Wyczyść filtry" in html
    assert_bad_pages_show_a_page(coordinator, "/rejestry/organizacje")

    assert rows(get(coordinator, "/rejestry/komorki?q=sport")) == ["Wydział Sportu"]
    assert rows(get(coordinator, "/rejestry/komorki?q=wdkko")) == [world.unit_y.name]  # by code
    assert rows(get(coordinator, "/rejestry/komorki?strona=2")) == ["Wydział Sportu"]
    assert_bad_pages_show_a_page(coordinator, "/rejestry/komorki")


# --- programmes and meetings ------------------------------------------------------------------------------------


def test_programme_lists(world, app, small_pages, monkeypatch):
    from consult.programmes.operations import create_programme

    now = utcnow()
    with transaction():
        create_programme(SYSTEM, year=2028, title="Program Współpracy na rok 2028",
                         consultation_opens=now + timedelta(days=100), consultation_closes=now + timedelta(days=130))
    coordinator = as_(app, world, "coordinator")
    assert [r for r in rows(get(coordinator, "/koordynacja?q=2027"))] == ["Program Współpracy na rok 2027"]
    assert rows(get(coordinator, "/koordynacja?konsultacje=closed")) == ["Program Współpracy na rok 2026"]
    assert rows(get(coordinator, "/koordynacja?konsultacje=not_open")) == ["Program Współpracy na rok 2028"]
    assert rows(get(coordinator, "/koordynacja?strona=2")) == ["Program Współpracy na rok 2026"]
    assert_bad_pages_show_a_page(coordinator, "/koordynacja")

    anon = app.test_client()

    def titles(html):
        return re.findall(r'<li><a href="/programy/\d+">([^<]+)</a>', html)

    assert titles(get(anon, "/programy?q=2026")) == ["Program Współpracy na rok 2026"]
    assert titles(get(anon, "/programy?konsultacje=open")) == ["Program Współpracy na rok 2027"]
    assert titles(get(anon, "/programy?strona=2")) == ["Program Współpracy na rok 2026"]
    assert_bad_pages_show_a_page(anon, "/programy")


def test_meeting_lists(world, app, small_pages):
    from datetime import time

    from consult.meetings.operations import MeetingDetails, create_meeting

    with transaction():
        for days, title, unit in ((5, "Spotkanie o sporcie", world.unit_x), (7, "Spotkanie o kulturze", world.unit_x)):
            create_meeting(SYSTEM, world.programme, MeetingDetails(
                host_unit=unit, title=title, date=(utcnow() + timedelta(days=days)).date(),
                starts=time(10, 0), ends=time(12, 0), place="sala obrad"))
    coordinator = as_(app, world, "coordinator")
    url = f"/koordynacja/programy/{world.programme.id}"
    assert rows(get(coordinator, f"{url}?q=sporcie")) == ["Spotkanie o sporcie"]
    assert rows(get(coordinator, f"{url}?komorka={world.unit_y.id}")) == ["Spotkanie branżowe"]
    assert rows(get(coordinator, f"{url}?strona=2")) == ["Spotkanie o kulturze"]  # in date order
    assert_bad_pages_show_a_page(coordinator, url)

    # every meeting of every programme, newest first: the coordinator's list of summaries
    assert rows(get(coordinator, "/koordynacja/podsumowania?q=kultur")) == ["Spotkanie o kulturze"]
    assert rows(get(coordinator, f"/koordynacja/podsumowania?komorka={world.unit_y.id}")) == ["Spotkanie branżowe"]
    assert rows(get(coordinator, "/koordynacja/podsumowania?stan=summary_published")) == []
    assert rows(get(coordinator, "/koordynacja/podsumowania?strona=2")) == ["Spotkanie branżowe"]
    assert_bad_pages_show_a_page(coordinator, "/koordynacja/podsumowania")


# --- calls, offers, commissions ---------------------------------------------------------------------------------


@pytest.fixture
def calls(world, clock, no_pdfs):  # noqa: F811
    """Three calls of unit X: two announced (one about sport), one draft; and one announced call of unit Y."""
    made = {
        "family": make_call(world),
        "sport": make_call(world, sphere="kultura fizyczna i sport"),
        "draft": make_call(world, sphere="kultura"),
        "y": make_call(world, sphere="turystyka"),
    }
    with transaction():
        made["sport"].title = "Zajęcia sportowe dla dzieci"
        made["y"].unit_id = world.unit_y.id
        made["y"].title = "Rajdy turystyczne"
        for key in ("family", "sport", "y"):
            ops.announce_call(SYSTEM, made[key])
    return made


def test_public_calls_list(world, app, small_pages, calls):
    anon = app.test_client()
    assert rows(get(anon, "/konkursy?q=sport"))[0].startswith("Zajęcia sportowe dla dzieci")
    assert len(rows(get(anon, "/konkursy?q=sport"))) == 1
    assert [r.split(" OKO")[0].strip() for r in rows(get(anon, f"/konkursy?komorka={world.unit_y.id}"))] == ["Rajdy turystyczne"]
    assert rows(get(anon, "/konkursy?stan=draft")) != []  # a draft is never public: the filter is ignored
    assert not any("kultura" in r for r in rows(get(anon, "/konkursy")))
    first, second = rows(get(anon, "/konkursy")), rows(get(anon, "/konkursy?strona=2"))
    assert len(first) == 2 and len(second) == 1 and not set(first) & set(second)
    assert_bad_pages_show_a_page(anon, "/konkursy")


def test_managed_calls_list(world, app, small_pages, calls):
    coordinator = as_(app, world, "coordinator")
    assert len(rows(get(coordinator, "/koordynacja/konkursy?q=turyst"))) == 1
    assert len(rows(get(coordinator, "/koordynacja/konkursy?stan=draft"))) == 1
    assert len(rows(get(coordinator, f"/koordynacja/konkursy?komorka={world.unit_x.id}&strona=2"))) == 1
    assert len(rows(get(coordinator, "/koordynacja/konkursy?strona=2"))) == 2
    unit_y = as_(app, world, "unit_y")
    assert [r.split(" OKO")[0].strip() for r in rows(get(unit_y, f"/koordynacja/konkursy?komorka={world.unit_x.id}"))] \
        == ["Rajdy turystyczne"]  # a unit sees its own calls whatever it asks for
    assert_bad_pages_show_a_page(coordinator, "/koordynacja/konkursy")


def test_offer_lists(world, app, small_pages, calls):
    ngo = world.user("ngo_a")
    with transaction():
        offers = [ops.create_offer(ngo, calls[key]) for key in ("family", "sport", "y")]
        for offer, title in zip(offers, ("Świetlica na Kazimierzu", "Szkółka piłkarska", "Rajd po Jurze")):
            offer.title = title
    with transaction():  # test data: two offers filed, as submit_offer would leave them
        for offer in offers[:2]:
            offer.state, offer.submitted_at = "submitted", utcnow()
    mine = as_(app, world, "ngo_a")

    def offer_titles(html):
        return [r.split(": ", 1)[-1] for r in rows(html)]

    assert offer_titles(get(mine, "/moje-oferty?q=piłkar")) == ["Szkółka piłkarska"]
    assert offer_titles(get(mine, "/moje-oferty?q=turystyczne")) == ["Rajd po Jurze"]  # by the call's title
    assert offer_titles(get(mine, "/moje-oferty?stan=draft")) == ["Rajd po Jurze"]
    assert offer_titles(get(mine, "/moje-oferty?strona=2")) == ["Świetlica na Kazimierzu"]  # newest first
    assert_bad_pages_show_a_page(mine, "/moje-oferty")
    assert rows(get(as_(app, world, "ngo_b"), "/moje-oferty")) == []

    # the offers of a call on its management page
    coordinator = as_(app, world, "coordinator")
    url = f"/koordynacja/konkursy/{calls['family'].id}"
    html = get(coordinator, f"{url}?q=Zustricz")
    assert "Świetlica na Kazimierzu" in html
    assert "Świetlica na Kazimierzu" not in get(coordinator, f"{url}?stan=withdrawn")
    assert "Wyniki 1–1 z 1" in html
    assert_bad_pages_show_a_page(coordinator, url)


def test_commission_seats_list(world, app, small_pages, calls):
    member = world.user("unit_x")
    with transaction():  # test data: seats as appoint_member would make them
        for key in ("family", "sport", "draft"):
            db.session.add(CommissionMember(call_id=calls[key].id, user_id=member.id, kind="staff"))
    client = as_(app, world, "unit_x")

    def seat_titles(html):
        return [r.split(" – ", 1)[-1] for r in rows(html)]

    assert seat_titles(get(client, "/komisja?q=sport")) == ["Zajęcia sportowe dla dzieci"]
    assert seat_titles(get(client, "/komisja?stan=draft")) == ["Prowadzenie placówek wsparcia dziennego"]
    first, second = seat_titles(get(client, "/komisja")), seat_titles(get(client, "/komisja?strona=2"))
    assert len(first) == 2 and len(second) == 1
    assert_bad_pages_show_a_page(client, "/komisja")


# --- notifications ----------------------------------------------------------------------------------------------


def test_notifications_list(world, app, small_pages):
    from consult.notifications.models import Notification

    user = world.user("ngo_a")
    now = utcnow()
    with transaction():  # test data: notices as the notification operations write them
        db.session.execute(db.delete(Notification))  # the world's own notices (its published position) aside
        for i, (kind, subject) in enumerate((("call_results", "Wyniki konkursu o sporcie"),
                                             ("call_results", "Wyniki konkursu o kulturze"),
                                             ("correction_requested", "Popraw ofertę o turystyce"))):
            db.session.add(Notification(recipient_id=user.id, kind=kind, related_type="call", related_id=i + 1,
                                        subject=subject, body="Treść.", created_at=now + timedelta(minutes=i)))
    client = as_(app, world, "ngo_a")

    def subjects(html):  # each listed notice's message (its subject, for notices written without parameters)
        return re.findall(r'<li class="notification">\s*<p>(?:<a href="[^"]*">)?([^<]+)', html)

    assert subjects(get(client, "/powiadomienia?q=kultur")) == ["Wyniki konkursu o kulturze"]
    assert subjects(get(client, "/powiadomienia?rodzaj=correction_requested")) == ["Popraw ofertę o turystyce"]
    assert subjects(get(client, "/powiadomienia?strona=2")) == ["Wyniki konkursu o sporcie"]  # newest first
    assert subjects(get(as_(app, world, "ngo_b"), "/powiadomienia")) == []
    assert_bad_pages_show_a_page(client, "/powiadomienia")


def test_a_list_page_is_two_queries_whatever_its_length(world, app, calls):
    """The public calls list: the count and the page, plus one query per relation it loads, not per row."""
    from sqlalchemy import event

    anon = app.test_client()
    statements: list[str] = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        get(anon, "/konkursy")
        few = len(statements)
        with transaction():
            for i in range(4):
                extra = make_call(world)
                extra.title = f"Dodatkowy {i}"
                ops.announce_call(SYSTEM, extra)
        statements.clear()
        get(anon, "/konkursy")
        many = len(statements)
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert many == few


def test_audit_log(world, app, small_pages):
    admin = as_(app, world, "admin")
    html = get(admin, "/rejestry/dziennik?rodzaj=unit")
    assert "Wyniki 1–2 z 2" in html  # the world's two units were registered
    html = get(admin, "/rejestry/dziennik?q=assign&rodzaj=postulate")
    assert "Wyniki 1–2 z 3" in html  # three postulates were assigned to unit X, newest first
    html = get(admin, f"/rejestry/dziennik?q={world.p['b_published_x'].id}&rodzaj=postulate&strona=2")
    assert "Wyniki 3–4 z" in html
    actor = world.user("unit_x")
    html = get(admin, f"/rejestry/dziennik?kto={actor.id}")
    assert "Pokazano tylko zdarzenia jednej osoby." in html
    assert set(re.findall(r'<td><a href="[^"]*kto=\d+[^"]*">([^<]+)</a></td>', html)) == {actor.name}
    everyone = get(admin, "/rejestry/dziennik")
    second = get(admin, "/rejestry/dziennik?strona=2")
    assert rows(everyone) and rows(second) and "Wyniki 3–4 z" in second
    assert_bad_pages_show_a_page(admin, "/rejestry/dziennik")
    assert as_(app, world, "coordinator").get("/rejestry/dziennik").status_code == 403


def test_own_postulates_list(world, app, small_pages):
    client = as_(app, world, "ngo_a")

    def refs(html):
        return rows(html)

    p = world.p
    assert refs(get(client, "/moje-postulaty?q=przypisany")) == [p["a_assigned_x"].reference]
    assert refs(get(client, "/moje-postulaty?stan=draft")) == [p["a_draft"].reference]
    everything = [p[k].reference for k in ("a_answered_x", "a_assigned_x", "a_submitted", "a_draft")]  # newest first
    assert refs(get(client, "/moje-postulaty")) == everything[:2]
    assert refs(get(client, "/moje-postulaty?strona=2")) == everything[2:]
    assert refs(get(client, f"/moje-postulaty?program={world.closed_programme.id}")) == []
    assert "Nic nie znaleziono." in get(client, f"/moje-postulaty?program={world.closed_programme.id}")
    assert_bad_pages_show_a_page(client, "/moje-postulaty")


def test_offers_a_commission_member_scores(world, app, clock, people, no_pdfs, monkeypatch):  # noqa: F811
    from tests.test_calls import FULL, _to_evaluation, score

    call, (offer_a, offer_b), _members = _to_evaluation(world, clock, people)
    score(world.user("unit_x"), offer_a, FULL)
    monkeypatch.setitem(app.config, "PAGE_SIZE", 1)
    member = as_(app, world, "unit_x")
    url = f"/komisja/konkursy/{call.id}"

    def refs(html):
        return [r.split(":")[0] for r in rows(html)]

    assert refs(get(member, f"{url}?ocena=submitted")) == [offer_a.reference]
    assert refs(get(member, f"{url}?ocena=none")) == [offer_b.reference]
    assert refs(get(member, f"{url}?q=start+tango")) == [offer_b.reference]
    assert refs(get(member, url)) == [offer_a.reference]
    assert refs(get(member, f"{url}?strona=2")) == [offer_b.reference]
    assert "złożona" in get(member, url) and "nierozpoczęta" in get(member, f"{url}?strona=2")
    assert_bad_pages_show_a_page(member, url)


def test_public_programme_postulates(world, app, small_pages):
    from consult.postulates.operations import (
        assign_postulate,
        create_postulate,
        publish_positions,
        save_position,
    )

    with transaction():
        extra = []
        for content, unit in (("Więcej ławek w parkach", world.unit_y), ("Dotacje na kursy językowe", world.unit_y)):
            p = create_postulate(world.user("ngo_a"), world.programme, content=content, submit=True)
            assign_postulate(SYSTEM, p, unit)
            staff = world.user("unit_y")
            save_position(staff, p, category="accepted", text="Przyjmujemy.")
            publish_positions(staff, [p])
            extra.append(p)
    anon = app.test_client()
    url = f"/programy/{world.programme.id}"

    def contents(html):
        return re.findall(r'<td class="text-block" data-label="Postulat">([^<]+)</td>', html)

    assert contents(get(anon, f"{url}?q=ławek")) == ["Więcej ławek w parkach"]
    assert contents(get(anon, f"{url}?q=zustricz")) == ["Więcej ławek w parkach", "Dotacje na kursy językowe"]
    assert contents(get(anon, f"{url}?komorka={world.unit_x.id}")) == ["B, opublikowany przez X"]
    assert contents(get(anon, url)) == ["B, opublikowany przez X", "Więcej ławek w parkach"]
    assert contents(get(anon, f"{url}?strona=2")) == ["Dotacje na kursy językowe"]
    assert f'href="/programy/{world.programme.id}?strona=1"' in get(anon, f"{url}?strona=2")
    assert_bad_pages_show_a_page(anon, url)


# --- the lists of postulates: the public register, the coordinators' register, a unit's queue ------------------


def _publish_more(world, contents, unit=None):
    """Postulates of NGO A, filed, assigned and published with a position of `unit` (unit Y by default)."""
    from consult.postulates.operations import (
        assign_postulate,
        create_postulate,
        publish_positions,
        save_position,
    )

    unit = unit or world.unit_y
    staff = world.user("unit_y" if unit is world.unit_y else "unit_x")
    made = []
    with transaction():
        for content in contents:
            p = create_postulate(world.user("ngo_a"), world.programme, content=content, submit=True)
            assign_postulate(SYSTEM, p, unit)
            save_position(staff, p, category="accepted", text="Przyjmujemy.")
            publish_positions(staff, [p])
            made.append(p)
    return made


def test_public_register_of_postulates(world, app, small_pages):
    benches, courses = _publish_more(world, ["Więcej ŁAWEK w parkach", "Dotacje na kursy językowe"])
    anon = app.test_client()
    newest_first = [courses.reference, benches.reference, world.p["b_published_x"].reference]
    assert rows(get(anon, "/postulaty?text=ławek")) == [benches.reference]  # Polish capitals, any case
    assert rows(get(anon, f"/postulaty?unit={world.unit_x.id}")) == [world.p["b_published_x"].reference]
    assert rows(get(anon, "/postulaty")) == newest_first[:2]
    second = get(anon, "/postulaty?strona=2&text=a")
    assert rows(second) == newest_first[2:]
    assert 'href="/postulaty?strona=1&amp;text=a"' in second  # back to page 1, the search kept
    html = get(anon, "/postulaty?text=nic-takiego")
    assert "Brak postulatów spełniających wybrane warunki." in html and 'href="/postulaty">' in html
    assert rows(get(anon, "/postulaty?strona=9999")) == newest_first[2:]  # past the end: the last page
    assert rows(get(anon, "/postulaty?category=nonsense&unit=abc&programme=x")) == newest_first[:2]
    assert_bad_pages_show_a_page(anon, "/postulaty")


def test_coordinators_register_of_postulates(world, app, small_pages):
    p = world.p
    coordinator = as_(app, world, "coordinator")
    newest_first = [p[k].reference for k in ("meeting_official", "b_published_x", "a_answered_x", "a_assigned_x",
                                              "b_submitted", "a_submitted")]
    # the search box looks in the content as well as in the submitter, ignoring the case of Polish letters
    assert rows(get(coordinator, "/rejestr?submitter=PRZYPISANY")) == [p["a_assigned_x"].reference]
    assert rows(get(coordinator, "/rejestr?submitter=ZŁOŻONY")) == [p["b_submitted"].reference,
                                                                     p["a_submitted"].reference]
    assert rows(get(coordinator, "/rejestr?submitter=tango")) == [p["b_published_x"].reference,
                                                                   p["b_submitted"].reference]
    assert rows(get(coordinator, "/rejestr?submitter=pełnomocnik")) == [p["meeting_official"].reference]
    assert rows(get(coordinator, "/rejestr?state=assigned")) == [p["a_assigned_x"].reference]
    assert rows(get(coordinator, "/rejestr")) == newest_first[:2]
    second = get(coordinator, "/rejestr?strona=2")
    assert rows(second) == newest_first[2:4]
    assert 'href="/rejestr?strona=1"' in second and 'href="/rejestr?strona=3"' in second
    assert rows(get(coordinator, "/rejestr?strona=9999")) == newest_first[4:]
    assert rows(get(coordinator, "/rejestr?state=nonsense&unit=abc")) == newest_first[:2]
    html = get(coordinator, "/rejestr?submitter=nic-takiego")
    assert "Brak postulatów spełniających wybrane warunki." in html and 'href="/rejestr">Wyczyść filtry' in html
    assert_bad_pages_show_a_page(coordinator, "/rejestr")
    # the export writes what the screen lists
    export = coordinator.get("/rejestr/eksport.csv?submitter=przypisany").get_data(as_text=True)
    assert "A, przypisany do X" in export and "Złożony przez A" not in export


def test_unit_queue_of_postulates(world, app, small_pages):
    p = world.p
    unit_x = as_(app, world, "unit_x")
    waiting_first = [p[k].reference for k in ("a_assigned_x", "a_answered_x", "b_published_x")]
    html = get(unit_x, "/kolejka")
    assert '<label class="label" for="text">' in html and 'name="text"' in html
    assert rows(get(unit_x, "/kolejka?text=OPUBLIKOWANY")) == [p["b_published_x"].reference]
    assert rows(get(unit_x, "/kolejka?text=zustricz")) == waiting_first[:2]  # by the submitter
    assert rows(get(unit_x, "/kolejka?state=answered")) == [p["a_answered_x"].reference]
    assert rows(html) == waiting_first[:2]
    second = get(unit_x, "/kolejka?strona=2&text=x")
    assert rows(second) == waiting_first[2:]
    assert 'href="/kolejka?strona=1&amp;text=x"' in second
    assert rows(get(unit_x, "/kolejka?strona=9999")) == waiting_first[2:]
    assert rows(get(unit_x, "/kolejka?state=nonsense&programme=abc")) == waiting_first[:2]
    html = get(unit_x, "/kolejka?text=nic-takiego")
    assert "Brak postulatów spełniających wybrane warunki." in html and "Pokaż wszystkie postulaty komórki" in html
    assert_bad_pages_show_a_page(unit_x, "/kolejka")
    # publishing the checked positions returns to the same search
    response = unit_x.post("/kolejka/publikuj", data={"text": "stanowiskiem", "postulates": [p["a_answered_x"].id]})
    assert response.status_code == 302 and "text=stanowiskiem" in response.headers["Location"]


def test_the_filters_show_the_meetings_as_they_are_now_in_the_readers_language(world, app):
    """The filters' choices are built once and shared by the pages (consult/core/widgets.py: kept_choices): a
    meeting renamed and moved shows with its new title and date on the next page, another language reads its own
    words and dates, and the chosen meeting stays selected."""
    from babel.dates import format_date

    from consult.i18n import DATE_PATTERNS
    from consult.meetings.operations import MeetingDetails, update_meeting

    unit_x = as_(app, world, "unit_x")
    meeting = world.meeting
    html = get(unit_x, f"/kolejka?meeting={meeting.id}")
    assert f'<option selected value="{meeting.id}">Spotkanie branżowe (' in html
    assert '<option value="">wszystkie</option>' in html
    moved = meeting.date + timedelta(days=2)
    with transaction():
        update_meeting(world.user("coordinator"), meeting, MeetingDetails(
            host_unit=meeting.host_unit, title="Spotkanie o <seniorach>", date=moved, starts=meeting.starts,
            ends=meeting.ends, place=meeting.place))
    in_english = format_date(moved, DATE_PATTERNS["en"], locale="en")  # "9 Dec 2026"
    for client in (unit_x, app.test_client()):  # the queue and the public register share the meetings' choices
        url = "/kolejka" if client is unit_x else "/postulaty"
        english = client.get(f"{url}?meeting={meeting.id}", headers={"Accept-Language": "en"}).get_data(as_text=True)
        assert f'<option selected value="{meeting.id}">Spotkanie o &lt;seniorach&gt; ({in_english})</option>' in english
        assert 'value="">all</option>' in english and "Spotkanie branżowe" not in english
        polish = get(client, url)
        assert f'<option value="{meeting.id}">Spotkanie o &lt;seniorach&gt; (' in polish
        assert in_english not in polish and 'value="">wszystkie</option>' in polish


def test_units_register_filters_by_staff_accounts(world, app, small_pages):
    from consult.organisations.operations import create_unit

    with transaction():
        create_unit(SYSTEM, name="Wydział Sportu", code="WS")
    coordinator = as_(app, world, "coordinator")
    assert rows(get(coordinator, "/rejestry/komorki?konta=nie")) == ["Wydział Sportu"]
    assert rows(get(coordinator, "/rejestry/komorki?konta=tak&q=wydział")) == [world.unit_y.name, world.unit_x.name]
    assert rows(get(coordinator, "/rejestry/komorki?konta=nonsense")) == [world.unit_y.name, world.unit_x.name]
    world.users["unit_y"].active = False
    db.session.commit()
    assert rows(get(coordinator, "/rejestry/komorki?konta=nie")) == [world.unit_y.name, "Wydział Sportu"]


# --- implementation reports ---------------------------------------------------------------------------------------


def _reports(years=(2022, 2023, 2024), title=None):
    from tests.implementation_support import import_data, small_data

    ids = {}
    for year in years:
        data = small_data()
        data["report_year"] = year
        if title:
            data["programme"]["title"] = title
        ids[year] = import_data(data)
    return ids


def test_lists_of_implementation_reports(world, app, small_pages):
    from consult.implementation.models import ImplementationReport
    from consult.implementation.operations import close_round

    ids = _reports()
    other = _reports(years=(2023,), title="Program Współpracy z Organizacjami 2023")[2023]
    with transaction():
        close_round(SYSTEM, db.session.get(ImplementationReport, ids[2022]), despite_missing=True)
    family = "Program Wspierania Rodziny dla Gminy Miejskiej Kraków na lata 2022-2024"
    coordinator = as_(app, world, "coordinator")

    def years_listed(html):
        return [int(y) for y in re.findall(r"<tr>\s*<td>(\d{4})</td>", html)]

    html = get(coordinator, "/koordynacja/sprawozdania")
    assert years_listed(html) == [2024, 2023] and "Wyniki 1–2 z 4" in html
    assert 'for="filter-q"' in html and 'for="filter-stan"' in html and 'for="filter-rok"' in html
    second = get(coordinator, "/koordynacja/sprawozdania?strona=2")
    assert years_listed(second) == [2023, 2022] and 'href="/koordynacja/sprawozdania?strona=1"' in second
    assert f'/koordynacja/sprawozdania/{ids[2023]}"' in second and f'/koordynacja/sprawozdania/{other}"' in html
    assert years_listed(get(coordinator, "/koordynacja/sprawozdania?q=WSPÓŁPRACY")) == [2023]
    assert years_listed(get(coordinator, "/koordynacja/sprawozdania?stan=closed")) == [2022]
    assert years_listed(get(coordinator, "/koordynacja/sprawozdania?rok=2023")) == [2023, 2023]
    assert years_listed(get(coordinator, "/koordynacja/sprawozdania?stan=nonsense&rok=abc")) == [2024, 2023]
    html = get(coordinator, "/koordynacja/sprawozdania?q=nic-takiego")
    assert "Nic nie znaleziono." in html and "Wyczyść filtry" in html
    assert_bad_pages_show_a_page(coordinator, "/koordynacja/sprawozdania")

    # a unit's reports: the same search and filters, with what is still missing of its own activities
    unit_x = as_(app, world, "unit_x")
    html = get(unit_x, "/sprawozdania")
    assert years_listed(html) == [2024, 2023] and family in html and "1 / 3" in html
    assert years_listed(get(unit_x, "/sprawozdania?strona=2")) == [2023, 2022]
    assert years_listed(get(unit_x, "/sprawozdania?q=współpracy")) == [2023]
    assert years_listed(get(unit_x, "/sprawozdania?stan=closed")) == [2022]
    assert years_listed(get(unit_x, "/sprawozdania?rok=2024")) == [2024]
    assert "Nic nie znaleziono." in get(unit_x, "/sprawozdania?rok=1999")
    assert_bad_pages_show_a_page(unit_x, "/sprawozdania")


def _activity_names(html):
    return rows(html.split('id="dzialania"', 1)[1])


def test_activities_of_a_report(world, app, small_pages):
    from tests.implementation_support import small_data

    report_id = _reports(years=(2024,))[2024]
    data = small_data()["goals"][0]["tasks"]
    names = [a["name"] for t in data for area in t["areas"] for a in area["activities"]]
    of_x = [a["name"] for t in data for area in t["areas"] for a in area["activities"]
            if any("Polityki Społecznej" in u for u in a["units"])]
    assert len(of_x) == 3
    coordinator = as_(app, world, "coordinator")
    url = f"/koordynacja/sprawozdania/{report_id}"
    html = get(coordinator, url)
    assert _activity_names(html) == names[:2] and "Wyniki 1–2 z 8" in html
    assert html.count("<h3>") == 1 and "I.1" in html
    second = get(coordinator, f"{url}?strona=2")
    assert _activity_names(second) == names[2:4] and f'href="{url}?strona=1"' in second
    last = get(coordinator, f"{url}?strona=9999")
    assert _activity_names(last) == names[6:8] and "I.2" in last  # the second task's heading
    assert _activity_names(get(coordinator, f"{url}?stan=missing")) == names[:2]
    assert _activity_names(get(coordinator, f"{url}?komorka={world.unit_y.id}")) == [names[1]]
    assert _activity_names(get(coordinator, f"{url}?q=KLUBÓW RODZICÓW")) == [n for n in names if "Klubów" in n]
    assert _activity_names(get(coordinator, f"{url}?stan=nonsense&komorka=abc")) == names[:2]
    html = get(coordinator, f"{url}?q=nic-takiego")
    assert "Nic nie znaleziono." in html and f'href="{url}#dzialania">Wyczyść filtry' in html
    assert_bad_pages_show_a_page(coordinator, url)

    # a coordinator who corrects an activity comes back to the page that shows it
    from consult.implementation.models import Activity

    fifth = db.session.scalars(db.select(Activity).where(Activity.report_id == report_id)
                               .order_by(Activity.id)).all()[4]
    response = coordinator.post(f"/sprawozdania/dzialania/{fifth.id}", data={
        "outcome": "done", "realised": "Zrobione.", "funds": "", "version": fifth.version})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"{url}?strona=3#dzialanie-{fifth.id}")

    # a unit's own activities in the report
    unit_x = as_(app, world, "unit_x")
    mine = f"/sprawozdania/{report_id}"
    assert rows(get(unit_x, mine)) == of_x[:2]
    second = get(unit_x, f"{mine}?strona=2")
    assert rows(second) == of_x[2:] and f'href="{mine}?strona=1"' in second
    assert rows(get(unit_x, f"{mine}?stan=missing")) == [names[0]]  # the others came with the file, reported
    assert rows(get(unit_x, f"{mine}?q=poradnictwa")) == [names[0]]
    html = get(unit_x, f"{mine}?stan=not_carried_out&q=poradnictwa")
    assert rows(html) == [] and "Nic nie znaleziono." in html and "Wyczyść filtry" in html
    assert_bad_pages_show_a_page(unit_x, mine)


# --- a meeting's postulates, the home page's programmes -----------------------------------------------------------


def test_postulates_of_a_meeting(world, app, small_pages):
    from consult.postulates.operations import (
        assign_postulate,
        publish_positions,
        record_meeting_postulate,
        save_position,
    )

    coordinator_user, staff = world.user("coordinator"), world.user("unit_y")
    with transaction():
        made = [record_meeting_postulate(coordinator_user, world.meeting, content=content, organisation=org)
                for content, org in (("Więcej ŚWIETLIC", world.org_a), ("Ławki w parku", world.org_b),
                                     ("Kursy językowe", world.org_a))]
        for p in made:
            assign_postulate(SYSTEM, p, world.unit_y)
            save_position(staff, p, category="accepted", text="Przyjmujemy.")
        publish_positions(staff, made)
        assign_postulate(SYSTEM, world.p["meeting_official"], world.unit_x)
    coordinator = as_(app, world, "coordinator")
    url = f"/koordynacja/spotkania/{world.meeting.id}"

    def numbers(html):
        return [int(r.split()[0]) for r in rows(html.split('id="postulaty"', 1)[1])]

    html = get(coordinator, url)
    assert numbers(html) == [1, 2] and "Wyniki 1–2 z 4" in html
    second = get(coordinator, f"{url}?strona=2")
    assert numbers(second) == [3, 4] and f'href="{url}?strona=1"' in second
    assert numbers(get(coordinator, f"{url}?q=świetlic")) == [2]
    assert numbers(get(coordinator, f"{url}?q=start tango")) == [3]  # by the organisation
    assert numbers(get(coordinator, f"{url}?stan=assigned")) == [1]
    assert numbers(get(coordinator, f"{url}?komorka={world.unit_y.id}&strona=2")) == [4]
    assert numbers(get(coordinator, f"{url}?stan=nonsense&komorka=abc")) == [1, 2]
    html = get(coordinator, f"{url}?q=nic-takiego")
    assert "Nic nie znaleziono." in html and f'href="{url}#postulaty">Wyczyść filtry' in html
    assert_bad_pages_show_a_page(coordinator, url)

    anon = app.test_client()
    public = f"/programy/spotkania/{world.meeting.id}"
    html = get(anon, public)
    assert numbers(html) == [2, 3] and "Wyniki 1–2 z 3" in html  # published only
    second = get(anon, f"{public}?strona=2")
    assert numbers(second) == [4] and f'href="{public}?strona=1"' in second
    assert numbers(get(anon, f"{public}?q=ławki")) == [3]
    assert numbers(get(anon, f"{public}?komorka={world.unit_x.id}")) == []
    assert "Nic nie znaleziono." in get(anon, f"{public}?komorka={world.unit_x.id}")
    assert numbers(get(anon, f"{public}?komorka={world.unit_y.id}&strona=9999")) == [4]
    assert_bad_pages_show_a_page(anon, public)


def test_home_page_shows_the_newest_programmes_and_links_to_all(world, app):
    from consult.programmes.operations import create_programme

    now = utcnow()
    with transaction():
        for year in range(2028, 2034):
            create_programme(SYSTEM, year=year, title=f"Program Współpracy na rok {year}",
                             consultation_opens=now + timedelta(days=year),
                             consultation_closes=now + timedelta(days=year + 9))
    html = get(app.test_client(), "/")
    listed = re.findall(r'<li><a href="/programy/\d+">Program Współpracy na rok (\d+)</a>', html)
    assert listed == ["2033", "2032", "2031", "2030", "2029"]
    assert '<a href="/programy">Wszystkie programy współpracy</a>' in html
    # an NGO is offered every programme whose consultation is open, listed or not
    ngo = get(as_(app, world, "ngo_a"), "/")
    assert f'href="/programy/{world.programme.id}/postulaty/nowy"' in ngo


# --- the versions of a document ---------------------------------------------------------------------------------


def _versions(world, subject: dict, kinds):
    """Versions as the compile jobs leave them (test data: no PDF is compiled): for each of `kinds`
    ("published", "unpublished", "preview") one version, numbered from 1, compiled by the coordinator."""
    from consult.documents.models import DocumentJob, DocumentVersion

    coordinator = world.user("coordinator")
    with transaction():
        for number, kind in enumerate(kinds, start=1):
            job = DocumentJob(**subject, preview=kind == "preview", state="done", requested_by_id=coordinator.id,
                              started_at=utcnow(), finished_at=utcnow())
            db.session.add(job)
            db.session.flush()
            published = {"published_at": utcnow(), "published_by_label": "Coordinator"} if kind == "published" else {}
            db.session.add(DocumentVersion(**subject, job_id=job.id, number=number, preview=kind == "preview",
                                           storage_key=f"test/{number}", sha256=f"{number:x}" * 64,
                                           size=1000, pages=2, source_digest="0" * 64,
                                           created_by_id=coordinator.id, **published))


def _version_numbers(html):
    return [int(n) for n in re.findall(r'<th scope="row"><a href="[^"]+">[^<]*?(\d+) \(PDF\)</a></th>', html)]


def test_versions_of_a_meeting_summary(world, app, small_pages):
    _versions(world, {"kind": "meeting_summary", "subject_id": world.meeting.id},
              ("published", "preview", "unpublished", "preview", "unpublished"))
    coordinator = as_(app, world, "coordinator")
    url = f"/koordynacja/spotkania/{world.meeting.id}/podsumowanie"
    html = get(coordinator, url)
    assert _version_numbers(html) == [5, 4] and "Wyniki 1–2 z 5" in html  # newest first
    second = get(coordinator, f"{url}?strona=2")
    assert _version_numbers(second) == [3, 2] and f'href="{url}?strona=1"' in second
    assert _version_numbers(get(coordinator, f"{url}?rodzaj=preview")) == [4, 2]
    assert _version_numbers(get(coordinator, f"{url}?rodzaj=published")) == [1]
    assert _version_numbers(get(coordinator, f"{url}?rodzaj=unpublished")) == [5, 3]
    assert _version_numbers(get(coordinator, f"{url}?q=3")) == [3]  # by number
    assert _version_numbers(get(coordinator, f"{url}?q=4444")) == [4]  # by the start of the checksum
    assert _version_numbers(get(coordinator, f"{url}?q=COORD&strona=3")) == [1]  # by who compiled it
    assert _version_numbers(get(coordinator, f"{url}?rodzaj=nonsense&strona=9999")) == [1]
    html = get(coordinator, f"{url}?q=nikt")
    assert "Nic nie znaleziono." in html and f'href="{url}#wersje">Wyczyść filtry' in html
    assert_bad_pages_show_a_page(coordinator, url)


def test_versions_of_a_consultation_report(world, app, small_pages):
    from consult.consultation_report.operations import KIND

    _versions(world, {"kind": KIND, "subject_id": world.programme.id}, ("published", "unpublished", "unpublished"))
    coordinator = as_(app, world, "coordinator")
    url = f"/koordynacja/programy/{world.programme.id}/raport"
    html = get(coordinator, url)
    assert _version_numbers(html) == [3, 2] and 'for="filter-rodzaj"' in html and ">podglądy" not in html
    second = get(coordinator, f"{url}?strona=2")
    assert _version_numbers(second) == [1] and f'href="{url}?strona=1"' in second
    assert _version_numbers(get(coordinator, f"{url}?rodzaj=published")) == [1]
    assert _version_numbers(get(coordinator, f"{url}?q=2")) == [2]
    assert "Nic nie znaleziono." in get(coordinator, f"{url}?rodzaj=preview")
    assert_bad_pages_show_a_page(coordinator, url)


# --- a call's commission, decisions and results -------------------------------------------------------------------


@pytest.fixture
def decided_call(world, clock, people, no_pdfs):  # noqa: F811
    """A call in evaluation with three formally accepted offers (A's, B's, A's second) and a commission of
    three; B's offer refused, A's first granted, A's second not decided yet."""
    from tests.test_calls import _to_evaluation

    call, offers, members = _to_evaluation(world, clock, people, offers=("ngo_a", "ngo_b", "ngo_a"))
    coordinator = world.user("coordinator")
    with transaction():
        offers[2].title = "Kolonie letnie nad morzem"
        ops.record_decision(coordinator, offers[0], kind="grant", amount="5000")
        ops.record_decision(coordinator, offers[1], kind="refusal", reason="Brak środków.")
    return call, offers, members


def test_decisions_list(world, app, small_pages, decided_call):
    call, (a1, b, a2), _members = decided_call
    coordinator = as_(app, world, "coordinator")
    url = f"/koordynacja/konkursy/{call.id}/rozstrzygniecia"

    def refs(html):
        return re.findall(r'<h2 id="offer-\d+">(?:\d+\. )?(OF/\d+/\d+) – ', html)

    html = get(coordinator, url)
    assert refs(html) == [a1.reference, b.reference] and "Wyniki 1–2 z 3" in html  # by rank, then number
    second = get(coordinator, f"{url}?strona=2")
    assert refs(second) == [a2.reference] and f'href="{url}?strona=1"' in second
    assert refs(get(coordinator, f"{url}?rozstrzygniecie=none")) == [a2.reference]
    assert refs(get(coordinator, f"{url}?rozstrzygniecie=grant")) == [a1.reference]
    assert refs(get(coordinator, f"{url}?q=START TANGO")) == [b.reference]
    assert refs(get(coordinator, f"{url}?q=morzem")) == [a2.reference]
    assert refs(get(coordinator, f"{url}?q={a2.reference}")) == [a2.reference]
    assert refs(get(coordinator, f"{url}?rozstrzygniecie=nonsense&strona=9999")) == [a2.reference]
    html = get(coordinator, f"{url}?q=nic-takiego")
    assert "Nic nie znaleziono." in html and f'href="{url}#oferty">Wyczyść filtry' in html
    assert_bad_pages_show_a_page(coordinator, url)
    # a decision taken on a filtered page returns to it
    page = get(coordinator, f"{url}?rozstrzygniecie=none")
    assert '<input type="hidden" name="rozstrzygniecie" value="none">' in page
    response = coordinator.post(f"/koordynacja/oferty/{a2.id}/rozstrzygniecie",
                                data={"kind": "refusal", "reason": "Niska ocena.", "rozstrzygniecie": "none"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"{url}?rozstrzygniecie=none#offer-{a2.id}")
    assert refs(get(coordinator, f"{url}?rozstrzygniecie=none")) == []


def test_results_list(world, app, small_pages, decided_call):
    call, (a1, b, a2), _members = decided_call
    coordinator = world.user("coordinator")
    with transaction():
        ops.record_decision(coordinator, a2, kind="refusal", reason="Niska ocena.")
        ops.publish_results(coordinator, call)
    anon = app.test_client()
    url = f"/konkursy/{call.id}/wyniki"

    def refs(html):
        return re.findall(r"<td>(OF/\d+/\d+)</td>", html)

    html = get(anon, url)
    assert refs(html) == [a1.reference, b.reference] and "Wyniki 1–3 z 3" not in html  # granted first
    assert "Oferty, którym przyznano dotację" in html and "Oferty, którym nie przyznano dotacji" in html
    second = get(anon, f"{url}?strona=2")
    assert refs(second) == [a2.reference] and f'href="{url}?strona=1"' in second
    assert "Nie przyznano żadnej dotacji." not in second  # page 2 holds the refusals only
    assert refs(get(anon, f"{url}?wynik=not_granted")) == [b.reference, a2.reference]
    assert refs(get(anon, f"{url}?q=zustricz")) == [a1.reference, a2.reference]
    assert refs(get(anon, f"{url}?q=morzem&wynik=not_granted")) == [a2.reference]
    assert refs(get(anon, f"{url}?wynik=nonsense&strona=9999")) == [a2.reference]
    html = get(anon, f"{url}?q=nic-takiego")
    assert "Nic nie znaleziono." in html and f'href="{url}#oferty">Wyczyść filtry' in html
    assert_bad_pages_show_a_page(anon, url)


def test_commission_members_list(world, app, small_pages, decided_call, people):  # noqa: F811
    call, _offers, _members = decided_call
    coordinator = as_(app, world, "coordinator")
    url = f"/koordynacja/konkursy/{call.id}/komisja"
    html = get(coordinator, url)
    assert rows(html) == ["Unit X", "staff_x2"] and "Wyniki 1–2 z 3" in html  # in the order appointed
    second = get(coordinator, f"{url}?strona=2")
    assert rows(second) == ["nominee_c"] and f'href="{url}?strona=1"' in second
    assert rows(get(coordinator, f"{url}?rodzaj=nominee")) == ["nominee_c"]
    assert rows(get(coordinator, f"{url}?q=trzecie")) == ["nominee_c"]  # by the nominating organisation
    assert rows(get(coordinator, f"{url}?q=polityki")) == ["Unit X", "staff_x2"]  # by the unit
    assert rows(get(coordinator, f"{url}?stan=seated&rodzaj=staff&q=x2")) == ["staff_x2"]
    html = get(coordinator, f"{url}?stan=excluded")
    assert rows(html) == [] and "Nic nie znaleziono." in html and f'href="{url}#czlonkowie">Wyczyść filtry' in html
    assert rows(get(coordinator, f"{url}?stan=nonsense&rodzaj=x")) == ["Unit X", "staff_x2"]
    assert_bad_pages_show_a_page(coordinator, url)
