"""Year to year: next year's programme text starts from last year's adopted text (the same provision identifiers,
published as draft 1); last year's postulates whose final position was "budget dependent" or "under analysis" are
offered to the coordinator, who carries chosen ones into the new consultation, linked both ways, the NGO told."""
from __future__ import annotations

import copy

import pytest

from consult.core.actors import SYSTEM
from consult.core.errors import Refused
from consult.core.models import AuditEvent
from consult.core.operations import transaction
from consult.core.types import utcnow
from consult.extensions import db
from consult.notifications.models import Notification
from consult.postulates.models import Position, Postulate
from consult.programme_text.models import Provision, TextVersion
from tests.conftest import login
from tests.programme_text_support import DRAFT_1, provision

QUOTE = "wzmacnianie roli organizacji"


def _adopt_last_years_text(world):
    from consult.programme_text.operations import import_text, publish_text_version

    with transaction():
        import_text(SYSTEM, world.closed_programme, copy.deepcopy(DRAFT_1["provisions"]))
        publish_text_version(SYSTEM, world.closed_programme, kind="draft")
        publish_text_version(SYSTEM, world.closed_programme, kind="adopted")


def _last_years_postulate(world, org, content: str, categories: list[str], *, key: str | None = None):
    """A published postulate of last year's consultation with positions published in this order (the last is
    the final one)."""
    now = utcnow()
    old = provision(world.closed_programme, key) if key else None
    p = Postulate(programme_id=world.closed_programme.id, organisation_id=org.id, content=content,
                  justification="Bo tak trzeba.", state="published", submitted_at=now,
                  responsible_unit_id=world.unit_x.id, provision_id=old.id if old else None,
                  quote=QUOTE if old else None)
    db.session.add(p)
    db.session.flush()
    for n, (category, unit) in enumerate(zip(categories, (world.unit_y, world.unit_x))):
        db.session.add(Position(postulate_id=p.id, unit_id=unit.id, category=category, text=f"Stanowisko {n}.",
                                status="published", published_at=now.replace(microsecond=0) if n == 0 else now))
    db.session.commit()
    return p


def test_next_years_text_starts_from_last_years_adopted_text(app, world):
    _adopt_last_years_text(world)
    coordinator = login(app.test_client(), "coordinator@example.org")
    manage = coordinator.get(f"/koordynacja/programy/{world.programme.id}/tekst").get_data(as_text=True)
    assert "Rozpocznij od tekstu przyjętego na rok 2026" in manage

    response = coordinator.post(f"/koordynacja/programy/{world.programme.id}/tekst/z-poprzedniego-roku")
    assert response.status_code == 302
    version = db.session.scalar(db.select(TextVersion).where(TextVersion.programme_id == world.programme.id))
    assert (version.number, version.kind) == (1, "draft")
    keys = lambda programme: [p.key for p in db.session.scalars(db.select(Provision).where(
        Provision.programme_id == programme.id).order_by(Provision.ordinal))]
    assert keys(world.programme) == keys(world.closed_programme)
    # the same identifiers: the new text's provision has last year's address and parent
    section = provision(world.programme, "par-2.ust-1")
    assert section.parent.key == "par-2" and section.parent.programme_id == world.programme.id
    page = app.test_client().get(f"/programy/{world.programme.id}/tekst/przepisy/par-2.ust-1")
    assert page.status_code == 200 and "wzmacnianie roli organizacji w życiu miasta" in page.get_data(as_text=True)
    assert db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "start_text_from")) is not None

    # once: the programme has its text now
    again = coordinator.post(f"/koordynacja/programy/{world.programme.id}/tekst/z-poprzedniego-roku",
                             follow_redirects=True)
    assert "ma już swój tekst" in again.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(TextVersion.id)).where(
        TextVersion.programme_id == world.programme.id)) == 1


def test_without_an_adopted_text_last_year_nothing_is_started(app, world):
    coordinator = login(app.test_client(), "coordinator@example.org")
    assert "Rozpocznij od tekstu" not in coordinator.get(
        f"/koordynacja/programy/{world.programme.id}/tekst").get_data(as_text=True)
    page = coordinator.post(f"/koordynacja/programy/{world.programme.id}/tekst/z-poprzedniego-roku",
                            follow_redirects=True).get_data(as_text=True)
    assert "Żaden program z wcześniejszego roku nie ma tekstu przyjętego uchwałą" in page
    assert db.session.scalar(db.select(db.func.count(Provision.id))) == 0


@pytest.fixture
def carried_world(app, world):
    from consult.programme_text.operations import start_from_previous_text

    _adopt_last_years_text(world)
    with transaction():
        start_from_previous_text(SYSTEM, world.programme)
    world.p["budget"] = _last_years_postulate(world, world.org_a, "Więcej pieniędzy na wolontariat",
                                              ["rejected", "budget_dependent"], key="par-2.ust-1")
    world.p["analysis"] = _last_years_postulate(world, world.org_b, "Zbadać potrzeby seniorów",
                                                ["under_analysis"])
    world.p["rejected"] = _last_years_postulate(world, world.org_b, "Nowy park dla organizacji",
                                                ["budget_dependent", "rejected"])
    return world


def test_the_coordinator_carries_last_years_postulates_waiting_on_the_budget(app, carried_world):
    world = carried_world
    world.user("ngo_a").locale = "uk"
    db.session.commit()
    coordinator = login(app.test_client(), "coordinator@example.org")
    url = f"/koordynacja/programy/{world.programme.id}/postulaty-z-poprzedniego-roku"
    page = coordinator.get(url).get_data(as_text=True)
    assert "Więcej pieniędzy na wolontariat" in page and "Zbadać potrzeby seniorów" in page
    assert "Nowy park" not in page  # its final position is "rejected"

    response = coordinator.post(url, data={"postulates": [str(world.p["budget"].id)]})
    assert response.status_code == 302
    carried = db.session.scalar(db.select(Postulate).where(Postulate.carried_from_id == world.p["budget"].id))
    assert carried.programme_id == world.programme.id and carried.organisation_id == world.org_a.id
    assert (carried.content, carried.justification, carried.state) == (
        "Więcej pieniędzy na wolontariat", "Bo tak trzeba.", "submitted")
    # the provision of the new text with the same identifier, and the words quoted, still there
    assert carried.provision_id == provision(world.programme, "par-2.ust-1").id and carried.quote == QUOTE
    actions = {(e.subject_id, e.action) for e in db.session.scalars(db.select(AuditEvent))}
    assert {(carried.id, "carry_from"), (world.p["budget"].id, "carry_into")} <= actions
    # the organisation is told, in its member's language
    note = db.session.scalar(db.select(Notification).where(Notification.kind == "postulate_carried"))
    assert note.recipient_id == world.user("ngo_a").id and note.locale == "uk"
    assert world.p["budget"].reference in note.subject and note.subject.startswith("Постулат")

    # carried twice: refused, nothing new
    again = coordinator.post(url, data={"postulates": [str(world.p["budget"].id)]})
    assert again.status_code == 200 and "został już przeniesiony" in again.get_data(as_text=True)
    with pytest.raises(Refused):
        from consult.postulates.operations import carry_postulate

        carry_postulate(world.user("coordinator"), world.p["budget"], world.programme)
    db.session.rollback()
    assert db.session.scalar(db.select(db.func.count(Postulate.id)).where(
        Postulate.carried_from_id.is_not(None))) == 1
    # a postulate whose final position is "rejected" is not carried
    refused = coordinator.post(url, data={"postulates": [str(world.p["rejected"].id)]})
    assert refused.status_code == 200 and "Wybierz postulaty z listy" in refused.get_data(as_text=True)


def test_both_postulates_show_the_link_and_the_ngo_sees_what_became_of_it(app, carried_world):
    from consult.postulates.operations import carry_postulate

    world = carried_world
    with transaction():
        carried = carry_postulate(world.user("coordinator"), world.p["budget"], world.programme)
    old_ref, new_ref = world.p["budget"].reference, carried.reference
    ngo = login(app.test_client(), "ngo_a@example.org")
    mine = ngo.get("/moje-postulaty").get_data(as_text=True)
    assert "przeniesiony do konsultacji na rok 2027:" in mine and new_ref in mine

    old_page = ngo.get(f"/postulaty/{world.p['budget'].id}").get_data(as_text=True)
    assert "Przeniesiony do" in old_page and f'href="/postulaty/{carried.id}"' in old_page
    new_page = ngo.get(f"/postulaty/{carried.id}").get_data(as_text=True)
    assert "Przeniesiony z" in new_page and old_ref in new_page
    assert f'href="/postulaty/{world.p["budget"].id}"' in new_page

    # the notice in the application: a short message whose link opens the new postulate
    notices = ngo.get("/powiadomienia").get_data(as_text=True)
    assert (f'<a href="/postulaty/{carried.id}">Postulat {old_ref} przeniesiono do konsultacji programu na rok 2027 '
            f"jako postulat {new_ref}.</a>") in notices

    # the public page of last year's postulate says where it went; the new one is not public yet: no link
    public = app.test_client().get(f"/postulaty/{world.p['budget'].id}").get_data(as_text=True)
    assert new_ref in public and f'href="/postulaty/{carried.id}"' not in public

    coordinator = login(app.test_client(), "coordinator@example.org")
    page = coordinator.get(f"/koordynacja/programy/{world.programme.id}/postulaty-z-poprzedniego-roku")
    assert "przeniesiony jako" in page.get_data(as_text=True)


def test_words_hidden_from_last_years_public_text_stay_hidden_when_it_is_carried(app, carried_world):
    from consult.postulates.operations import carry_postulate, redact_postulate

    world = carried_world
    with transaction():
        redact_postulate(world.user("coordinator"), world.p["budget"], words="wolontariat", reason="test")
    with transaction():
        carried = carry_postulate(world.user("coordinator"), world.p["budget"], world.programme)
    db.session.expire_all()
    carried = db.session.get(Postulate, carried.id)
    assert carried.content == "Więcej pieniędzy na wolontariat"
    assert carried.public_text == "Więcej pieniędzy na [usunięto]"
    assert [(r.words, r.reason) for r in carried.redactions] == [("wolontariat", "test")]
