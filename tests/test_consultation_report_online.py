"""The consolidated consultation report holds the postulates filed online, outside any meeting: one section per
responsible unit after the meetings' sections, in the contents, the bookmarks and the statistics; only published
postulates and published positions; a section rendered again only when its own content changed.

Filed, routed, answered and published through the pages NGOs, coordinators and units use. Runs in process without
REDIS_URL; with it on the session's Celery worker (three missing sections or more go out as a chord of tasks)."""
from __future__ import annotations

from datetime import timedelta

import pytest

from consult.extensions import db
from consult.postulates.models import Postulate
from tests.conftest import login
from tests.summary_support import assert_in_order, page_texts, pdf_bytes, squeeze, wait_for_jobs
from tests.test_consultation_report import _bookmarks, _front_files, _front_parts, _part, _structure_checks

pytestmark = pytest.mark.usefixtures("summary_worker")

UNIT_X_GENITIVE = "Wydziału Polityki Społecznej, Równości i Zdrowia"
UNIT_Y_GENITIVE = "Wydziału Dialogu, Konsultacji i Kontaktu Obywatelskiego"


def _client(app, user):
    return login(app.test_client(), user)


def _file(client, programme_id: int, content: str, justification: str = "") -> Postulate:
    """An NGO member files a postulate online (the "Złóż postulat" button)."""
    response = client.post(f"/programy/{programme_id}/postulaty/nowy",
                           data={"content": content, "justification": justification, "submit": "1"})
    assert response.status_code == 302, response.get_data(as_text=True)
    return db.session.scalar(db.select(Postulate).where(Postulate.content == content))


def _assign(coordinator, postulate: Postulate, unit) -> None:
    assert coordinator.post(f"/postulaty/{postulate.id}/przypisz", data={"unit": unit.id}).status_code == 302


def _position(client, postulate: Postulate, category: str, text: str, unit=None) -> None:
    """A unit records its position (a coordinator may write down another unit's: `unit`)."""
    data = {"category": category, "text": text, "version": "0"}
    if unit is not None:
        data.update(unit=unit.id, version_unit=unit.id)
    response = client.post(f"/postulaty/{postulate.id}/stanowisko", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)


def _publish(client, postulate: Postulate) -> None:
    assert client.post(f"/postulaty/{postulate.id}/publikuj").status_code == 302
    db.session.expire_all()
    assert db.session.get(Postulate, postulate.id).state == "published"


def _compile(coordinator, programme_id: int, language: str = "pl"):
    from consult.documents.models import DocumentJob

    response = coordinator.post(f"/koordynacja/programy/{programme_id}/raport/kompilacja",
                                data={"language": language})
    assert response.status_code == 302 and "/koordynacja/raporty/zadania/" in response.location
    wait_for_jobs()
    job = db.session.get(DocumentJob, int(response.location.rsplit("/", 1)[1]))
    assert job.state == "done", job.error
    return job, pdf_bytes(job.version)


def _rendered_by(job_id: int) -> int:
    from consult.consultation_report.queries import sections_rendered_by

    return sections_rendered_by(job_id)


def _sections(programme_id: int) -> dict:
    """The programme's cached sections by key."""
    from consult.consultation_report.models import ReportSection

    rows = db.session.scalars(db.select(ReportSection).where(ReportSection.programme_id == programme_id))
    return {r.key: r for r in rows}


def _cache_of(programme_id: int) -> dict:
    """Each cached section's (id, digest, job that rendered it), by key: as it is now."""
    return {k: (r.id, r.digest, r.rendered_by_job_id) for k, r in _sections(programme_id).items()}


def _filed_day(postulate: Postulate) -> str:
    from consult.core.types import to_warsaw
    from consult.summaries.document import polish_date

    return polish_date(to_warsaw(postulate.submitted_at).date())


def test_the_report_holds_every_published_online_postulate_in_a_section_per_unit_with_statistics(app, world):
    from consult.consultation_report.models import online_key
    from consult.documents import storage

    coordinator = _client(app, world.user("coordinator"))
    ngo_a, ngo_b = _client(app, world.user("ngo_a")), _client(app, world.user("ngo_b"))
    unit_x, unit_y = _client(app, world.user("unit_x")), _client(app, world.user("unit_y"))
    programme_id = world.programme.id
    premises = _file(ngo_a, programme_id, "Lokale gminne dla organizacji w każdej dzielnicy, na preferencyjnych "
                     "warunkach najmu.", "Organizacje tracą siedziby po podwyżkach czynszów.")
    own_share = _file(ngo_b, programme_id, "Wkład własny w konkursach ofert także w formie pracy wolontariuszy.")
    dialogue = _file(ngo_a, programme_id, "Coroczne otwarte spotkanie rad dzielnic z organizacjami.")
    _assign(coordinator, premises, world.unit_x)
    _assign(coordinator, own_share, world.unit_x)
    _assign(coordinator, dialogue, world.unit_y)
    positions = {
        premises.id: [("przyjęty częściowo", "Lokale zostaną wskazane w dzielnicach I, V i XIII.", None),
                      ("wyjaśnienie", "Rady dzielnic mogą udostępniać swoje sale.", UNIT_Y_GENITIVE)],
        own_share.id: [("zależny od środków w budżecie", "Rozważymy przy ogłaszaniu konkursów na 2027 r.", None)],
        dialogue.id: [("przyjęty", "Spotkanie odbędzie się w marcu.", None)],
    }
    _position(unit_x, premises, "partially_accepted", positions[premises.id][0][1])
    _position(coordinator, premises, "explanation", positions[premises.id][1][1], unit=world.unit_y)
    _position(unit_x, own_share, "budget_dependent", positions[own_share.id][0][1])
    _position(unit_y, dialogue, "accepted", positions[dialogue.id][0][1])
    for client, postulate in ((unit_x, premises), (unit_x, own_share), (unit_y, dialogue)):
        _publish(client, postulate)

    job, data = _compile(coordinator, programme_id)
    # The meeting's section and one per unit with published online postulates: three sections to render (on the
    # Celery worker, a chord of three tasks).
    assert _rendered_by(job.id) == 3 and (job.progress_done, job.progress_total) == (3, 3)
    texts = page_texts(data)
    flat = squeeze(" ".join(texts))
    n = len(texts)
    assert n == job.version.pages and all(squeeze(f"strona {k} z {n}") in squeeze(t)
                                          for k, t in enumerate(texts, start=1))

    # Every published postulate filed online is there, with its organisation, reference, filing date, justification
    # and each published position with its category (another unit's position named as such).
    db.session.expire_all()
    published_x = db.session.get(Postulate, world.p["b_published_x"].id)
    online = [published_x, *(db.session.get(Postulate, p.id) for p in (premises, own_share, dialogue))]
    positions[published_x.id] = [("nieprzyjęty", "Nie przyjmujemy.", None)]
    for postulate in online:
        for needle in (postulate.content, postulate.justification or "", postulate.organisation.name,
                       postulate.reference, _filed_day(postulate)):
            assert squeeze(needle) in flat, needle
        for category, text, other_unit in positions[postulate.id]:
            cell = f"Rodzaj stanowiska: {category} {text}"
            if other_unit:
                cell = f"Stanowisko {other_unit}: {cell}"
            assert squeeze(cell) in flat, cell
    # Nothing unpublished: not the postulates still waiting, not the draft position, not a draft postulate; and the
    # organisation, never the person who filed it online.
    for name in ("a_submitted", "b_submitted", "a_assigned_x", "a_answered_x", "a_draft", "b_draft"):
        assert squeeze(world.p[name].content) not in flat, name
    assert squeeze("Przyjmujemy.") not in flat
    for key in ("ngo_a", "ngo_b"):
        assert squeeze(world.user(key).name) not in flat and world.user(key).email not in " ".join(texts)

    # The sections: the meeting's, then the units' in the order of their names; within a unit, in filing order.
    sections = _sections(programme_id)
    title_x = f"Postulaty złożone online – {world.unit_x.name}"
    title_y = f"Postulaty złożone online – {world.unit_y.name}"
    front_pages = n - sum(s.pages for s in sections.values())
    assert_in_order(" ".join(texts[front_pages:]), [world.meeting.title, title_y, dialogue.content, title_x,
                                                    published_x.content, premises.content, own_share.content])
    heading = {t: next(k for k, text in enumerate(texts, start=1) if k > front_pages
                       and squeeze(text).startswith(squeeze(t))) for t in (title_x, title_y)}
    assert heading[title_y] < heading[title_x]
    # One bookmark per section at its first page, and the contents list the units' sections with those pages.
    marks = {title: page for title, page, _children in _bookmarks(data)}
    assert marks[title_x] == heading[title_x] and marks[title_y] == heading[title_y]
    contents = squeeze(" ".join(texts[:front_pages]))
    assert squeeze(f"Postulaty złożone online Lp. Komórka merytoryczna Strona 1. {world.unit_y.name} "
                   f"{heading[title_y]} 2. {world.unit_x.name} {heading[title_x]}") in contents
    # Tagged as a whole: every section's structure is in the merged tree, one /Part per section and front part.
    order = [f"meeting:{world.meeting.id}", online_key(programme_id, world.unit_y.id),
             online_key(programme_id, world.unit_x.id)]
    assert sorted(sections) == sorted(order)
    _structure_checks(data, [storage.path_of(sections[k].storage_key).read_bytes() for k in order]
                      + _front_parts(data))

    # The statistics count the online postulates: by way of filing, in the total, per unit, per category, per
    # submitter; and say how many filed online wait for a published position (not in the report).
    meeting_postulates = db.session.scalars(db.select(Postulate).where(
        Postulate.meeting_id == world.meeting.id, Postulate.state.not_in(("draft", "withdrawn")))).all()
    waiting = db.session.scalars(db.select(Postulate).where(
        Postulate.programme_id == programme_id, Postulate.meeting_id.is_(None),
        Postulate.state.in_(("submitted", "assigned", "answered")))).all()
    total = len(meeting_postulates) + len(online)
    assert len(waiting) == 4 and total == 5
    assert squeeze(f"Spotkania branżowe: 1. Postulaty: {total}.") in contents
    assert squeeze(f"W tym złożone online, poza spotkaniami: {len(online)}.") in contents
    for row in (f"na spotkaniach branżowych {len(meeting_postulates)}",
                f"online, poza spotkaniami (z opublikowanym stanowiskiem) {len(online)}",
                f"Razem w raporcie {total}",
                ("Postulaty złożone online, których stanowiska nie zostały jeszcze opublikowane (raport ich nie "
                 f"zawiera): {len(waiting)}."),
                f"{world.unit_x.name} 3 3", f"{world.unit_y.name} 1 1", "bez przypisanej komórki 1 0",
                "zależny od środków w budżecie 1", "wyjaśnienie 1", "przyjęty częściowo 1",
                f"organizacje pozarządowe {len(online)}", f"przedstawiciele urzędu i inni {len(meeting_postulates)}"):
        assert squeeze(row) in contents, row


def test_publishing_an_online_postulate_renders_its_units_section_again_and_reuses_the_others(app, world):
    from consult.consultation_report.models import meeting_key, online_key

    coordinator = _client(app, world.user("coordinator"))
    unit_x, unit_y = _client(app, world.user("unit_x")), _client(app, world.user("unit_y"))
    programme_id = world.programme.id
    dialogue = _file(_client(app, world.user("ngo_b")), programme_id, "Konsultacje projektów uchwał także w "
                     "soboty.")
    _assign(coordinator, dialogue, world.unit_y)
    _position(unit_y, dialogue, "under_analysis", "Sprawdzimy, czy sale będą dostępne.")
    _publish(unit_y, dialogue)
    first, _data = _compile(coordinator, programme_id)
    assert _rendered_by(first.id) == 3
    before = _cache_of(programme_id)
    key_x, key_y = online_key(programme_id, world.unit_x.id), online_key(programme_id, world.unit_y.id)
    assert sorted(before) == sorted([meeting_key(world.meeting.id), key_x, key_y])

    # A draft position on an online postulate is not in the report: nothing is rendered again, not even the
    # front matter.
    assigned = world.p["a_assigned_x"]
    _position(unit_x, assigned, "accepted", "Przyjmujemy i wpiszemy do programu na 2027 r.")
    front_before = _front_files(programme_id)
    second, data = _compile(coordinator, programme_id)
    assert _rendered_by(second.id) == 0 and _front_files(programme_id) == front_before
    assert squeeze("Przyjmujemy i wpiszemy") not in squeeze(" ".join(page_texts(data)))

    # Published, it joins unit X's section: that section alone is rendered again (and the front matter, whose
    # counts changed); the meeting's and unit Y's sections are the cached ones of the first compile.
    _publish(unit_x, assigned)
    third, data = _compile(coordinator, programme_id)
    assert _rendered_by(third.id) == 1
    after = _cache_of(programme_id)
    assert sorted(after) == sorted(before)  # the stale section of unit X is gone from the cache
    assert after[key_x][2] == third.id and after[key_x][1] != before[key_x][1]
    for key in (meeting_key(world.meeting.id), key_y):
        assert after[key] == before[key] and before[key][2] == first.id
    assert _part(_front_files(programme_id), "statistics") != _part(front_before, "statistics")
    texts = page_texts(data)
    flat = squeeze(" ".join(texts))
    assert squeeze(assigned.content) in flat and squeeze("Przyjmujemy i wpiszemy do programu na 2027 r.") in flat
    assert squeeze("online, poza spotkaniami (z opublikowanym stanowiskiem) 3") in flat
    n = len(texts)
    assert all(squeeze(f"strona {k} z {n}") in squeeze(t) for k, t in enumerate(texts, start=1))


def test_a_programme_with_online_postulates_only_gets_a_report_once_one_is_published(app, world):
    from consult.core.actors import SYSTEM
    from consult.core.operations import transaction
    from consult.core.types import utcnow
    from consult.programmes.operations import create_programme

    now = utcnow()
    with transaction():
        programme = create_programme(SYSTEM, year=2028, title="Program Współpracy na rok 2028",
                                     consultation_opens=now - timedelta(days=1),
                                     consultation_closes=now + timedelta(days=30))
    coordinator = _client(app, world.user("coordinator"))
    postulate = _file(_client(app, world.user("ngo_a")), programme.id, "Mapa lokali dostępnych dla organizacji.")
    refused = coordinator.post(f"/koordynacja/programy/{programme.id}/raport/kompilacja", data={"language": "pl"},
                               follow_redirects=True).get_data(as_text=True)
    assert "ani opublikowanych postulatów złożonych online" in refused  # filed, not published: nothing to report
    _assign(coordinator, postulate, world.unit_y)
    _position(_client(app, world.user("unit_y")), postulate, "already_implemented", "Mapa jest w przygotowaniu.")
    _publish(coordinator, postulate)

    _job, data = _compile(coordinator, programme.id)
    flat = squeeze(" ".join(page_texts(data)))
    assert squeeze("Spotkania branżowe: 0. Postulaty: 1.") in flat
    assert squeeze(postulate.content) in flat
    assert squeeze("Rodzaj stanowiska: już realizowany Mapa jest w przygotowaniu.") in flat
    # In English the section's labels follow the report's language (the section is rendered again, not reused).
    english, data = _compile(coordinator, programme.id, "en")
    assert _rendered_by(english.id) == 1
    flat = squeeze(" ".join(page_texts(data)))
    for text in (f"Postulates submitted online – {world.unit_y.name}", "Kind of position: already being carried out",
                 "Mapa jest w przygotowaniu.", "Of which submitted online, outside meetings: 1.",
                 "Number and date of submission"):
        assert squeeze(text) in flat, text
    assert squeeze("Rodzaj stanowiska") not in flat


def test_units_are_ordered_as_the_polish_alphabet_orders_them_on_every_database():
    from consult.consultation_report.online import alphabetical

    names = ["Zarząd Zieleni Miejskiej", "Śródmiejski Ośrodek Kultury", "Straż Miejska", "Łaźnia Nowa",
             "Ludowy Dom Kultury", "Żłobki Miejskie", "Źródła Ośrodek", "Miejski Ośrodek Pomocy Społecznej",
             "wydział Edukacji", "Wydział Dialogu"]
    assert sorted(names, key=alphabetical) == [
        "Ludowy Dom Kultury", "Łaźnia Nowa", "Miejski Ośrodek Pomocy Społecznej", "Straż Miejska",
        "Śródmiejski Ośrodek Kultury", "Wydział Dialogu", "wydział Edukacji", "Zarząd Zieleni Miejskiej",
        "Źródła Ośrodek", "Żłobki Miejskie"]


def test_a_section_task_queued_before_online_sections_still_names_a_meeting():
    from consult.consultation_report.document import plan_from_json
    from consult.consultation_report.models import parse_key

    assert parse_key(12) == parse_key("12") == parse_key("meeting:12") == ("meeting", (12,))
    assert parse_key("online:3:7") == ("online", (3, 7))
    assert [s.key for s in plan_from_json([[12, "d" * 64, 5], ["online:3:7", "e" * 64, 2]])] == [
        "meeting:12", "online:3:7"]
    for junk in ("online:3", "meeting:x", "unit:3:7", ""):
        with pytest.raises(ValueError):
            parse_key(junk)
