"""Operations of a call for offers: announcement, offers, formal check, commission, scores, results."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from consult.calls import jobs, queries
from consult.calls import operations as ops
from consult.calls.access import can_view_offer
from consult.calls.models import Call, Offer
from consult.core.actors import SYSTEM
from consult.core.audit import trail
from consult.core.errors import Forbidden, Refused
from consult.core.operations import transaction
from consult.core.types import warsaw_to_utc
from consult.extensions import db
from tests.conftest import PASSWORD, login

# A Monday in March, at noon in Kraków: the day the tests announce their calls.
ANNOUNCED = warsaw_to_utc(datetime(2027, 3, 1, 12, 0))


class Clock:
    def __init__(self, now: datetime):
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock(monkeypatch):
    c = Clock(ANNOUNCED)
    monkeypatch.setattr(ops, "utcnow", c)
    return c


@pytest.fixture
def scheduled(monkeypatch):
    """The follow-up jobs the operations scheduled and that ran after commit: (name, id)."""
    ran = []
    for name in (
        "enqueue_announcement_document",
        "enqueue_results_document",
        "notify_applicants_of_results",
        "notify_correction_requested",
    ):
        monkeypatch.setattr(jobs, name, lambda obj_id, name=name: ran.append((name, obj_id)))
    return ran


@pytest.fixture
def people(world):
    """Commission candidates: a second staff member of unit X, nominees of NGOs A and C."""
    from consult.auth.operations import create_user
    from consult.organisations.operations import create_organisation

    with transaction():
        org_c = create_organisation(SYSTEM, name="Stowarzyszenie Trzecie", legal_form="stowarzyszenie")
        out = {"org_c": org_c}
        for key, role, kw in (
            ("staff_x2", "unit", {"unit": world.unit_x}),
            ("nominee_a", "ngo", {"organisation": world.org_a}),
            ("nominee_c", "ngo", {"organisation": org_c}),
            ("member_c", "ngo", {"organisation": org_c}),
        ):
            out[key] = create_user(
                SYSTEM,
                email=f"{key}@example.org",
                name=key,
                password=PASSWORD,
                role=role,
                bootstrap=True,
                **kw,
            )
    return out


def deadline_at(days: int, hour: int = 0, minute: int = 0, second: int = 0) -> datetime:
    """An instant `days` after the announcement day, at the given Warsaw wall-clock time."""
    return warsaw_to_utc(datetime(2027, 3, 1, hour, minute, second) + timedelta(days=days))


def make_call(world, *, actor=None, deadline=None, funds="100000.00", **extra) -> Call:
    values = dict(
        task_type="Wspieranie rodziny i systemu pieczy zastępczej",
        sphere="wspieranie rodziny",
        funds=funds,
        award_rules="Dotacje do 80% kosztów zadania.",
        task_starts=date(2027, 5, 1),
        task_ends=date(2027, 12, 31),
        task_conditions="Zadanie realizowane na terenie Krakowa.",
        offers_deadline=deadline or deadline_at(30, 15, 30),
        procedure="Komisja konkursowa ocenia oferty.",
        selection_date=date(2027, 4, 20),
        previous_tasks=[{"year": 2026, "task": "Placówki wsparcia dziennego", "amount": "250000,00"}],
    )
    values.update(extra)
    with transaction():
        return ops.create_call(
            actor or world.user("coordinator"),
            world.programme,
            world.unit_x,
            title="Prowadzenie placówek wsparcia dziennego",
            **values,
        )


def announced_call(world, clock, **kw) -> Call:
    call = make_call(world, **kw)
    with transaction():
        ops.announce_call(world.user("unit_x"), call)
    return call


COSTS = {
    "cost_lines": [
        {
            "category": "activity",
            "name": "Warsztaty",
            "unit": "godzina",
            "unit_cost": "150,00",
            "quantity": "40",
        },
        {
            "category": "administrative",
            "name": "Obsługa księgowa",
            "unit": "miesiąc",
            "unit_cost": "500",
            "quantity": "4",
        },
    ],
    "grant_requested": "6000",
    "own_financial": "1 000,00",
    "own_personal": "500",
    "own_material": "0",
    "participant_fees": "500",
}


def complete_offer(user, call: Call, *, costs: dict | None = None, partners: list | None = None) -> Offer:
    """A draft offer with every section filled: 8 000 zł of costs, 6 000 zł requested."""
    with transaction():
        offer = ops.create_offer(user, call)
        ops.save_offer_section(user, offer, "basic", {"task_type": call.task_type})
        ops.save_offer_section(
            user,
            offer,
            "applicants",
            {
                "contact_name": "Anna Nowak",
                "contact_email": "anna@example.org",
                "address": "ul. Długa 1, Kraków",
                "partners": partners or [],
            },
        )
        ops.save_offer_section(
            user,
            offer,
            "task",
            {
                "title": "Świetlica dla dzieci",
                "task_starts": "2027-05-01",
                "task_ends": "2027-12-31",
                "description": "Zajęcia popołudniowe.",
                "place": "Kraków",
                "schedule": [{"name": "Zajęcia", "starts": "2027-05-01", "ends": "2027-12-31"}],
                "results": [
                    {"result": "Dzieci objęte opieką", "target_value": "30", "monitoring": "lista obecności"}
                ],
            },
        )
        ops.save_offer_section(user, offer, "resources", {"staff": "Dwóch pedagogów."})
        ops.save_offer_section(user, offer, "costs", costs or COSTS)
        ops.save_offer_section(user, offer, "declarations", {k: True for k in ops.DECLARATIONS})
    return offer


def submitted_offer(user, call, **kw) -> Offer:
    offer = complete_offer(user, call, **kw)
    with transaction():
        ops.submit_offer(user, offer)
    return offer


def all_met(offer) -> dict:
    """A formal check with every criterion of the offer's call met."""
    return {c.id: (True, None) for c in offer.call.formal_criteria}


def accept_formally(actor, offer) -> Offer:
    """Assess every formal criterion as met, then accept the offer formally (within the caller's transaction)."""
    ops.record_formal_check(actor, offer, all_met(offer))
    return ops.accept_offer_formally(actor, offer)


def actions(subject_type: str, subject_id: int) -> list[str]:
    return [e.action for e in trail(subject_type, subject_id)]


# --- the 21-day rule -----------------------------------------------------------------------------------


def test_earliest_deadline_counts_21_whole_days_after_the_day_of_announcement():
    # 1 March: the days 2-22 March are counted; the earliest deadline is the end of 22 March.
    assert ops.earliest_offers_deadline(date(2027, 3, 1)) == warsaw_to_utc(datetime(2027, 3, 23, 0, 0))
    # Across the change to summer time (28 March 2027) the boundary is still midnight in Kraków.
    assert ops.earliest_offers_deadline(date(2027, 3, 10)) == datetime(2027, 3, 31, 22, 0, tzinfo=UTC)


def test_announcement_with_20_days_is_refused_with_the_earliest_allowed_date(world, clock):
    # 22 March 23:59:59 leaves 20 whole days and most of the 21st: refused.
    call = make_call(world, deadline=deadline_at(22, 0, 0) - timedelta(seconds=1))
    with pytest.raises(Refused) as exc, transaction():
        ops.announce_call(world.user("unit_x"), call)
    assert "23.03.2027 00:00" in exc.value.reason
    assert "21 dni" in exc.value.reason and "22.03.2027" in exc.value.reason
    db.session.refresh(call)
    assert call.state == "draft" and "announce" not in actions("call", call.id)


def test_announcement_with_21_days_is_accepted(world, clock, scheduled):
    call = make_call(world, deadline=deadline_at(22, 0, 0))
    with transaction():
        ops.announce_call(world.user("unit_x"), call)
    assert call.state == "announced" and call.announced_at == ANNOUNCED
    assert actions("call", call.id)[-1] == "announce"
    assert ("enqueue_announcement_document", call.id) in scheduled


def test_announcement_needs_every_field_of_art_13(world, clock):
    call = make_call(world, procedure="")
    with pytest.raises(Refused) as exc, transaction():
        ops.announce_call(world.user("coordinator"), call)
    assert exc.value.field == "procedure" and "tryb" in exc.value.reason


def test_a_unit_announces_only_its_own_calls_and_edits_only_drafts(world, clock):
    call = make_call(world)
    with pytest.raises(Forbidden), transaction():
        ops.announce_call(world.user("unit_y"), call)
    with pytest.raises(Forbidden), transaction():
        ops.announce_call(world.user("ngo_a"), call)
    with transaction():
        ops.announce_call(world.user("unit_x"), call)
    with pytest.raises(Refused), transaction():
        ops.update_call(world.user("coordinator"), call, funds="1")
    with pytest.raises(Refused), transaction():
        ops.set_evaluation_card(world.user("coordinator"), call, [{"title": "Jedno", "max_points": "5"}])


# --- the evaluation card ---------------------------------------------------------------------------------


def test_default_card_is_art_15_with_the_joint_offer_subcriterion(world, clock):
    call = make_call(world)
    tops = queries.card(call)
    assert len(tops) == 6 and call.max_total == Decimal(45)
    quality = tops[2]
    assert any(
        "udokumentowana deklaracja współpracy z innymi podmiotami" in c.title.lower()
        for c in quality.children
    )
    assert sum(c.max_points for c in quality.children) == quality.max_points
    assert len(call.scored_criteria) == 8
    assert call.formal_criteria


def test_card_subcriteria_must_add_up(world, clock):
    call = make_call(world)
    with pytest.raises(Refused) as exc, transaction():
        ops.set_evaluation_card(
            world.user("unit_x"),
            call,
            [
                {
                    "title": "Jakość",
                    "max_points": "10",
                    "children": [{"title": "a", "max_points": "3"}, {"title": "b", "max_points": "3"}],
                }
            ],
        )
    assert "10" in exc.value.reason and "6" in exc.value.reason
    with transaction():
        ops.set_evaluation_card(
            world.user("unit_x"),
            call,
            [
                {
                    "title": "Jakość",
                    "max_points": "10",
                    "children": [{"title": "a", "max_points": "7"}, {"title": "b", "max_points": "3"}],
                },
                {"title": "Koszty", "max_points": "5"},
            ],
        )
    assert [c.title for c in call.scored_criteria] == ["a", "b", "Koszty"]


# --- offers: sums, completeness, deadline ---------------------------------------------------------------


def test_costs_are_summed_and_split_between_joint_applicants(world, clock, people):
    call = announced_call(world, clock)
    offer = complete_offer(
        world.user("ngo_a"),
        call,
        partners=[{"organisation_id": people["org_c"].id, "role": "Prowadzi warsztaty."}],
    )
    partner = offer.partners[0]
    costs = dict(
        COSTS, cost_lines=[dict(COSTS["cost_lines"][0], partner_id=partner.id), COSTS["cost_lines"][1]]
    )
    with transaction():
        ops.save_offer_section(world.user("ngo_a"), offer, "costs", costs)
    assert offer.total_costs == Decimal("8000.00")
    assert offer.costs_of("activity") == Decimal("6000.00") and offer.costs_of("administrative") == Decimal(
        "2000.00"
    )
    assert offer.own_contribution == Decimal("1500.00") and offer.total_funding == Decimal("8000.00")
    assert offer.cost_split() == [
        ("Fundacja Zustricz", Decimal("2000.00")),
        ("Stowarzyszenie Trzecie", Decimal("6000.00")),
    ]
    assert offer.is_joint


def test_grant_requested_above_the_funds_of_the_call_is_refused(world, clock):
    call = announced_call(world, clock, funds="5000")
    with transaction():
        offer = ops.create_offer(world.user("ngo_a"), call)
    with pytest.raises(Refused) as exc, transaction():
        ops.save_offer_section(world.user("ngo_a"), offer, "costs", COSTS)
    assert exc.value.field == "grant_requested"
    assert "6 000,00 zł" in exc.value.reason and "5 000,00 zł" in exc.value.reason


def test_bad_amounts_are_refused_in_polish(world, clock):
    call = announced_call(world, clock)
    with transaction():
        offer = ops.create_offer(world.user("ngo_a"), call)
    bad = dict(COSTS, cost_lines=[dict(COSTS["cost_lines"][0], unit_cost="sto")])
    with pytest.raises(Refused) as exc, transaction():
        ops.save_offer_section(world.user("ngo_a"), offer, "costs", bad)
    assert exc.value.field == "cost_lines-0" and "wpisz liczbę" in exc.value.reason
    with pytest.raises(Refused), transaction():
        ops.save_offer_section(world.user("ngo_a"), offer, "costs", dict(COSTS, own_financial="-5"))


def test_submission_checks_completeness(world, clock):
    call = announced_call(world, clock)
    with transaction():
        offer = ops.create_offer(world.user("ngo_a"), call)
        ops.save_offer_section(world.user("ngo_a"), offer, "task", {"title": "Tylko tytuł"})
    with pytest.raises(Refused) as exc, transaction():
        ops.submit_offer(world.user("ngo_a"), offer)
    assert exc.value.reason.startswith("Oferta nie jest kompletna") and "pozostałe braki" in exc.value.reason
    assert exc.value.field == "contact_name"
    assert {f for _s, f, _m in ops.offer_missing(offer)} >= {
        "description",
        "schedule",
        "results",
        "cost_lines",
        "declarations",
    }


def test_funding_must_equal_costs_to_submit(world, clock):
    call = announced_call(world, clock)
    offer = complete_offer(world.user("ngo_a"), call, costs=dict(COSTS, participant_fees="0"))
    with pytest.raises(Refused) as exc, transaction():
        ops.submit_offer(world.user("ngo_a"), offer)
    assert "7 500,00 zł" in exc.value.reason and "8 000,00 zł" in exc.value.reason


def test_submission_one_second_before_the_deadline_is_accepted(world, clock):
    deadline = deadline_at(30, 15, 30)
    call = announced_call(world, clock, deadline=deadline)
    offer = complete_offer(world.user("ngo_a"), call)
    clock.now = deadline - timedelta(seconds=1)
    with transaction():
        ops.submit_offer(world.user("ngo_a"), offer)
    assert offer.state == "submitted" and offer.submitted_at == deadline - timedelta(seconds=1)


def test_submission_at_the_deadline_instant_is_refused(world, clock):
    """The deadline is the first instant at which offers are no longer accepted."""
    deadline = deadline_at(30, 15, 30)
    call = announced_call(world, clock, deadline=deadline)
    offer = complete_offer(world.user("ngo_a"), call)
    clock.now = deadline
    with pytest.raises(Refused) as exc, transaction():
        ops.submit_offer(world.user("ngo_a"), offer)
    assert "31.03.2027 15:30" in exc.value.reason and "upłynął" in exc.value.reason
    with pytest.raises(Refused), transaction():
        ops.save_offer_section(world.user("ngo_a"), offer, "other", {"text": "spóźnione"})
    with pytest.raises(Refused), transaction():
        ops.create_offer(world.user("ngo_b"), call)
    db.session.refresh(offer)
    assert offer.state == "draft"


def test_only_the_applicant_edits_and_submits(world, clock):
    call = announced_call(world, clock)
    offer = complete_offer(world.user("ngo_a"), call)
    for role in ("ngo_b", "unit_x", "coordinator"):
        with pytest.raises(Forbidden), transaction():
            ops.save_offer_section(world.user(role), offer, "other", {"text": "x"})
        with pytest.raises(Forbidden), transaction():
            ops.submit_offer(world.user(role), offer)
    assert not can_view_offer(world.user("coordinator"), offer)  # a draft is the applicant's own
    assert can_view_offer(world.user("ngo_a"), offer)


# --- formal check and correction window ---------------------------------------------------------------


def test_submitted_offer_is_frozen_except_within_a_correction_window(world, clock, scheduled):
    call = announced_call(world, clock)
    offer = submitted_offer(world.user("ngo_a"), call)
    ngo, staff = world.user("ngo_a"), world.user("unit_x")
    with pytest.raises(Refused), transaction():
        ops.save_offer_section(ngo, offer, "other", {"text": "po złożeniu"})
    clock.now = call.offers_deadline + timedelta(days=1)
    with transaction():
        ops.close_call_for_offers(staff, call)
        criterion = call.formal_criteria[-1]
        ops.record_formal_check(staff, offer, all_met(offer) | {criterion.id: (False, "Brak podpisu skarbnika.")})
        ops.request_correction(
            staff, offer, deficiencies="Brak podpisu skarbnika.", deadline=clock.now + timedelta(days=7)
        )
    assert offer.state == "correction" and ("notify_correction_requested", offer.id) in scheduled
    with pytest.raises(Refused) as exc, transaction():
        ops.accept_offer_formally(staff, offer)  # the window is still open
    assert "poprawiać" in exc.value.reason
    with transaction():
        ops.save_offer_section(ngo, offer, "other", {"text": "Uzupełniono podpis."})
    assert offer.other == {"text": "Uzupełniono podpis."}
    clock.now += timedelta(days=7)  # the window's deadline instant: closed
    with pytest.raises(Refused), transaction():
        ops.save_offer_section(ngo, offer, "other", {"text": "za późno"})
    with transaction():
        ops.record_formal_check(staff, offer, {criterion.id: (True, None)})
        ops.accept_offer_formally(staff, offer)
    assert offer.state == "formally_accepted" and offer.corrections[0].closed_at == clock.now
    assert actions("offer", offer.id) == ["create"] + ["edit"] * 6 + [
        "submit",
        "check_formal",
        "request_correction",
        "edit",
        "check_formal",
        "accept_formally",
    ]


def test_finishing_a_correction_freezes_the_offer_again(world, clock):
    call = announced_call(world, clock)
    offer = submitted_offer(world.user("ngo_a"), call)
    staff = world.user("coordinator")
    clock.now = call.offers_deadline
    with transaction():
        ops.request_correction(
            staff, offer, deficiencies="Brak oświadczenia.", deadline=clock.now + timedelta(days=3)
        )
    with transaction():
        ops.finish_correction(world.user("ngo_a"), offer)
    with pytest.raises(Refused), transaction():
        ops.save_offer_section(world.user("ngo_a"), offer, "other", {"text": "x"})
    with pytest.raises(Refused) as exc, transaction():
        ops.reject_offer_formally(staff, offer, reason="")
    assert exc.value.field == "reason"
    with transaction():
        ops.reject_offer_formally(staff, offer, reason="Oświadczenie nadal niepodpisane.")
    assert offer.state == "formally_rejected" and offer.formal_reason == "Oświadczenie nadal niepodpisane."


def test_an_unmet_formal_criterion_needs_a_note(world, clock):
    call = announced_call(world, clock)
    offer = submitted_offer(world.user("ngo_a"), call)
    with pytest.raises(Refused) as exc, transaction():
        ops.record_formal_check(world.user("unit_x"), offer, {call.formal_criteria[0].id: (False, "")})
    assert exc.value.field == f"formal-{call.formal_criteria[0].id}"
    with pytest.raises(Forbidden), transaction():
        ops.record_formal_check(world.user("unit_y"), offer, {call.formal_criteria[0].id: (True, None)})


def test_an_offer_is_accepted_formally_only_once_every_criterion_is_assessed(world, clock):
    call = announced_call(world, clock)
    offer = submitted_offer(world.user("ngo_a"), call)
    staff = world.user("unit_x")
    criteria = call.formal_criteria
    clock.now = call.offers_deadline
    with pytest.raises(Refused) as exc, transaction():
        ops.accept_offer_formally(staff, offer)  # nothing assessed yet
    assert "Nie oceniono kryteriów formalnych nr 1, 2, 3, 4, 5, 6, 7." in exc.value.reason
    with transaction():  # saved in parts: all but the 3rd and 6th
        ops.record_formal_check(staff, offer, {c.id: (True, None) for c in criteria if c not in (criteria[2], criteria[5])})
    with pytest.raises(Refused) as exc, transaction():
        ops.accept_offer_formally(staff, offer)
    assert "Nie oceniono kryteriów formalnych nr 3, 6." in exc.value.reason
    with transaction():
        ops.record_formal_check(staff, offer, {criteria[2].id: (True, None)})
    with pytest.raises(Refused) as exc, transaction():
        ops.accept_offer_formally(staff, offer)
    assert "Nie oceniono kryterium formalnego nr 6." in exc.value.reason
    db.session.refresh(offer)
    assert offer.state == "submitted" and offer.formally_decided_at is None
    with transaction():
        ops.record_formal_check(staff, offer, {criteria[5].id: (True, None)})
        ops.accept_offer_formally(staff, offer)
    assert offer.state == "formally_accepted"


def test_an_offer_failing_a_criterion_goes_to_correction_or_rejection_not_acceptance(world, clock):
    call = announced_call(world, clock)
    offer = submitted_offer(world.user("ngo_a"), call)
    staff = world.user("unit_x")
    unmet = call.formal_criteria[6]
    clock.now = call.offers_deadline
    with transaction():
        ops.record_formal_check(staff, offer, all_met(offer) | {unmet.id: (False, "Brak podpisu skarbnika.")})
    with pytest.raises(Refused) as exc, transaction():
        ops.accept_offer_formally(staff, offer)
    assert f"nie spełnia kryterium formalnego nr 7 („{unmet.text}”: Brak podpisu skarbnika.)" in exc.value.reason
    assert "Wezwij oferenta do poprawienia oferty albo odrzuć ją" in exc.value.reason
    db.session.refresh(offer)
    assert offer.state == "submitted"
    # the two ways it may go
    with transaction():
        ops.request_correction(staff, offer, deficiencies="Brak podpisu.", deadline=clock.now + timedelta(days=3))
    with transaction():
        ops.finish_correction(world.user("ngo_a"), offer)
    with pytest.raises(Refused), transaction():
        ops.accept_offer_formally(staff, offer)  # still recorded as not met
    with transaction():
        ops.reject_offer_formally(staff, offer, reason="Nie uzupełniono podpisu skarbnika.")
    assert offer.state == "formally_rejected"


def test_an_empty_formal_check_is_refused(world, clock):
    call = announced_call(world, clock)
    offer = submitted_offer(world.user("ngo_a"), call)
    with pytest.raises(Refused) as exc, transaction():
        ops.record_formal_check(world.user("unit_x"), offer, {})
    assert exc.value.field == f"formal-{call.formal_criteria[0].id}"
    assert actions("offer", offer.id)[-1] == "submit"  # nothing recorded


# --- commission ----------------------------------------------------------------------------------------


def test_nominee_is_excluded_when_their_organisation_files_an_offer(world, clock, people):
    call = announced_call(world, clock)
    coordinator = world.user("coordinator")
    with transaction():
        member = ops.appoint_member(coordinator, call, people["nominee_a"], kind="nominee")
        other = ops.appoint_member(coordinator, call, people["nominee_c"], kind="nominee")
    draft = complete_offer(world.user("ngo_a"), call)
    assert not member.is_excluded  # a draft is not filed yet
    with transaction():
        ops.submit_offer(world.user("ngo_a"), draft)
    assert member.is_excluded and draft.reference in member.exclusion_reason
    assert not other.is_excluded
    assert "exclude_member" in actions("call", call.id)


def test_nominee_is_excluded_when_their_organisation_is_a_partner(world, clock, people):
    call = announced_call(world, clock)
    with transaction():
        member = ops.appoint_member(world.user("coordinator"), call, people["nominee_c"], kind="nominee")
    submitted_offer(
        world.user("ngo_b"), call, partners=[{"organisation_id": people["org_c"].id, "role": "Sala."}]
    )
    assert member.is_excluded


def test_a_nominee_of_an_applicant_cannot_be_appointed(world, clock, people):
    call = announced_call(world, clock)
    submitted_offer(world.user("ngo_a"), call)
    with pytest.raises(Refused) as exc, transaction():
        ops.appoint_member(world.user("coordinator"), call, people["nominee_a"], kind="nominee")
    assert "art. 15 ust. 2d" in exc.value.reason
    with pytest.raises(Refused), transaction():
        ops.appoint_member(world.user("coordinator"), call, world.user("ngo_b"), kind="staff")
    with pytest.raises(Forbidden), transaction():
        ops.appoint_member(world.user("unit_x"), call, people["staff_x2"], kind="staff")


def _to_evaluation(world, clock, people, *, aggregation="mean", offers=("ngo_a", "ngo_b")):
    """A call in evaluation with the given offers formally accepted and a commission of three."""
    call = announced_call(world, clock, aggregation=aggregation)
    coordinator, staff = world.user("coordinator"), world.user("unit_x")
    with transaction():
        members = [
            ops.appoint_member(coordinator, call, world.user("unit_x"), kind="staff"),
            ops.appoint_member(coordinator, call, people["staff_x2"], kind="staff"),
            ops.appoint_member(coordinator, call, people["nominee_c"], kind="nominee"),
        ]
    filed = [submitted_offer(world.user(role), call) for role in offers]
    clock.now = call.offers_deadline
    with transaction():
        ops.close_call_for_offers(staff, call)
        for offer in filed:
            accept_formally(staff, offer)
        ops.start_evaluation(staff, call)
    return call, filed, members


def score(user, offer, points_by_position: list, *, submit=True, conflict=False):
    call = offer.call
    with transaction():
        ops.declare_conflict(user, offer, has_conflict=conflict)
    if conflict:
        return None
    points = {c.id: p for c, p in zip(call.scored_criteria, points_by_position)}
    with transaction():
        sheet = ops.save_scores(user, offer, points)
        if submit:
            ops.submit_scores(user, offer)
    return sheet


FULL = ["10", "10", "5", "3", "2", "5", "5", "5"]  # 45


def test_scoring_requires_a_declaration_and_a_declared_conflict_excludes(world, clock, people):
    call, (offer_a, offer_b), _members = _to_evaluation(world, clock, people)
    member_user = people["nominee_c"]
    criterion = call.scored_criteria[0]
    with pytest.raises(Refused) as exc, transaction():
        ops.save_scores(member_user, offer_a, {criterion.id: "5"})
    assert exc.value.field == "declaration"
    with transaction():
        ops.declare_conflict(member_user, offer_a, has_conflict=True, note="Zasiadam w zarządzie A.")
    with pytest.raises(Forbidden), transaction():
        ops.save_scores(member_user, offer_a, {criterion.id: "5"})
    with pytest.raises(Refused), transaction():
        ops.declare_conflict(member_user, offer_a, has_conflict=False)
    assert not can_view_offer(member_user, offer_a) and can_view_offer(member_user, offer_b)
    assert queries.offers_to_score(member_user, call) == [offer_b]
    assert "declare_conflict" in actions("offer", offer_a.id)


def test_non_members_and_excluded_members_cannot_score(world, clock, people):
    call, (offer_a, _b), members = _to_evaluation(world, clock, people)
    with pytest.raises(Forbidden), transaction():
        ops.declare_conflict(world.user("unit_y"), offer_a, has_conflict=False)
    members[2].excluded_at, members[2].exclusion_reason = clock.now, "test"
    db.session.commit()
    with pytest.raises(Forbidden), transaction():
        ops.declare_conflict(people["nominee_c"], offer_a, has_conflict=False)
    assert not can_view_offer(people["nominee_c"], offer_a)


def test_points_above_the_maximum_and_incomplete_sheets_are_refused(world, clock, people):
    call, (offer_a, _b), _m = _to_evaluation(world, clock, people)
    user = world.user("unit_x")
    first = call.scored_criteria[0]
    with transaction():
        ops.declare_conflict(user, offer_a, has_conflict=False)
    with pytest.raises(Refused) as exc, transaction():
        ops.save_scores(user, offer_a, {first.id: "10,5"})
    assert exc.value.field == f"points-{first.id}" and "10" in exc.value.reason
    with transaction():
        ops.save_scores(user, offer_a, {first.id: "7"})
    with pytest.raises(Refused) as exc, transaction():
        ops.submit_scores(user, offer_a)
    assert exc.value.field == f"points-{call.scored_criteria[1].id}"


def test_a_member_reads_others_scores_only_after_submitting_their_own(world, clock, people):
    call, (offer_a, _b), _m = _to_evaluation(world, clock, people)
    first, second = world.user("unit_x"), people["staff_x2"]
    score(first, offer_a, FULL)
    mine = score(second, offer_a, ["5", "5", "2", "1", "1", "2", "2", "2"], submit=False)
    assert queries.visible_sheets(second, offer_a) == [mine]
    assert queries.visible_score(second, offer_a) is None
    with transaction():
        ops.submit_scores(second, offer_a)
    assert len(queries.visible_sheets(second, offer_a)) == 2
    # A submitted sheet is final.
    with pytest.raises(Refused), transaction():
        ops.save_scores(second, offer_a, {call.scored_criteria[0].id: "1"})
    # The applicant never reads sheets, nor the score before results; the runner reads submitted sheets.
    assert queries.visible_sheets(world.user("ngo_a"), offer_a) == []
    assert queries.visible_score(world.user("ngo_a"), offer_a) is None
    assert len(queries.visible_sheets(world.user("coordinator"), offer_a)) == 2
    assert queries.visible_sheets(world.user("unit_y"), offer_a) == []


def test_mean_aggregation_with_spread_and_ranking(world, clock, people):
    call, (offer_a, offer_b), _m = _to_evaluation(world, clock, people)
    u1, u2, u3 = world.user("unit_x"), people["staff_x2"], people["nominee_c"]
    score(u1, offer_a, FULL)  # 45
    score(u2, offer_a, ["5", "5", "2", "1", "1", "2", "2", "2"])  # 20
    score(u3, offer_a, ["8", "8", "4", "2", "1", "3", "3", "3"])  # 32
    score(u1, offer_b, ["9", "9", "4", "3", "2", "4", "4", "4"])  # 39
    score(u2, offer_b, ["9", "9", "4", "3", "2", "4", "4", "4"])  # 39
    rows = queries.standings(call)
    assert [r.offer for r in rows] == [offer_b, offer_a]
    assert rows[0].score == Decimal("39.00") and rows[0].spread == Decimal("0.00") and rows[0].rank == 1
    assert rows[1].score == Decimal("32.33") and rows[1].spread == Decimal("25.00") and rows[1].rank == 2


def test_median_aggregation_as_a_call_setting(world, clock, people):
    call, (offer_a, offer_b), _m = _to_evaluation(world, clock, people, aggregation="median")
    u1, u2, u3 = world.user("unit_x"), people["staff_x2"], people["nominee_c"]
    score(u1, offer_a, FULL)  # 45
    score(u2, offer_a, ["5", "5", "2", "1", "1", "2", "2", "2"])  # 20
    score(u3, offer_a, ["8", "8", "4", "2", "1", "3", "3", "3"])  # 32
    score(u1, offer_b, ["8", "8", "4", "2", "1", "3", "3", "3"])  # 32
    score(u3, offer_b, conflict=True, points_by_position=[])  # excluded from B: B's score is u1's alone
    rows = queries.standings(call)
    assert [(r.offer, r.score, r.spread, r.rank) for r in rows] == [
        (offer_a, Decimal("32.00"), Decimal("25.00"), 1),
        (offer_b, Decimal("32.00"), Decimal("0.00"), 1),
    ]


def test_aggregate_helpers():
    values = [Decimal(10), Decimal(20), Decimal(40)]
    assert queries.aggregate(values) == Decimal("23.33")
    assert queries.aggregate(values, "median") == Decimal("20.00")
    assert queries.aggregate([Decimal(10), Decimal(15)], "median") == Decimal("12.50")
    assert queries.spread(values) == Decimal("30.00")
    assert queries.aggregate([]) is None


# --- decisions and results ------------------------------------------------------------------------------


def test_decisions_are_invisible_to_applicants_until_published(world, clock, people, scheduled):
    call, (offer_a, offer_b), _m = _to_evaluation(world, clock, people)
    coordinator = world.user("coordinator")
    with pytest.raises(Refused) as exc, transaction():
        ops.record_decision(coordinator, offer_a, kind="grant", amount="6000,01")
    assert exc.value.field == "amount" and "6 000,00 zł" in exc.value.reason
    with pytest.raises(Refused) as exc, transaction():
        ops.record_decision(coordinator, offer_b, kind="refusal")
    assert exc.value.field == "reason"
    with pytest.raises(Forbidden), transaction():
        ops.record_decision(world.user("unit_x"), offer_a, kind="grant", amount="5000")
    with pytest.raises(Refused) as exc, transaction():
        ops.publish_results(coordinator, call)
    assert offer_a.reference in exc.value.reason
    with transaction():
        ops.record_decision(coordinator, offer_a, kind="grant", amount="5000")
        ops.record_decision(coordinator, offer_b, kind="refusal", reason="Niska ocena merytoryczna.")
    for role in ("ngo_a", "ngo_b", "anon"):
        user = world.user(role)
        assert (
            queries.visible_decision(user, offer_a) is None
            and queries.visible_decision(user, offer_b) is None
        )
    assert queries.visible_decision(coordinator, offer_a).amount == Decimal("5000.00")
    with transaction():
        ops.publish_results(coordinator, call)
    assert call.state == "results_published"
    assert (offer_a.state, offer_b.state) == ("granted", "not_granted")
    assert queries.visible_decision(world.user("ngo_a"), offer_a).amount == Decimal("5000.00")
    assert queries.visible_decision(None, offer_b).reason == "Niska ocena merytoryczna."
    assert ("enqueue_results_document", call.id) in scheduled
    assert ("notify_applicants_of_results", call.id) in scheduled


def test_grants_together_may_not_exceed_the_funds(world, clock, people):
    call, (offer_a, offer_b), _m = _to_evaluation(world, clock, people)
    call.funds = Decimal(10000)
    db.session.commit()
    coordinator = world.user("coordinator")
    with transaction():
        ops.record_decision(coordinator, offer_a, kind="grant", amount="6000")
    with pytest.raises(Refused) as exc, transaction():
        ops.record_decision(coordinator, offer_b, kind="grant", amount="4000,01")
    assert "4 000,00 zł" in exc.value.reason
    with transaction():
        ops.record_decision(coordinator, offer_b, kind="grant", amount="4000")


def test_jobs_are_scheduled_after_commit_only(world, clock, scheduled):
    call = make_call(world)
    try:
        with transaction():
            ops.announce_call(world.user("coordinator"), call)
            raise RuntimeError("rolled back")
    except RuntimeError:
        pass
    assert scheduled == []


# --- cancellation ---------------------------------------------------------------------------------------


def test_cancellation_only_without_valid_offers_and_with_a_reason(world, clock):
    call = announced_call(world, clock)
    coordinator = world.user("coordinator")
    with pytest.raises(Refused) as exc, transaction():
        ops.cancel_call(coordinator, call, reason="Brak ofert.")  # offers may still come
    assert "art. 18a" in exc.value.reason
    clock.now = call.offers_deadline
    with pytest.raises(Refused) as exc, transaction():
        ops.cancel_call(coordinator, call, reason=" ")
    assert exc.value.field == "reason"
    with transaction():
        ops.cancel_call(coordinator, call, reason="Nie złożono żadnej oferty.")
    assert call.state == "cancelled" and call.cancel_ground == "no_offers"


def test_cancellation_when_every_offer_was_rejected(world, clock):
    call = announced_call(world, clock)
    offer = submitted_offer(world.user("ngo_a"), call)
    staff, coordinator = world.user("unit_x"), world.user("coordinator")
    clock.now = call.offers_deadline
    with transaction():
        ops.close_call_for_offers(staff, call)
    with pytest.raises(Refused), transaction():
        ops.cancel_call(coordinator, call, reason="x")
    with transaction():
        ops.reject_offer_formally(staff, offer, reason="Oferta złożona przez podmiot nieuprawniony.")
        ops.cancel_call(coordinator, call, reason="Żadna oferta nie spełnia wymogów.")
    assert call.cancel_ground == "no_valid_offers"


# --- the whole call ----------------------------------------------------------------------------------------


def test_every_transition_leaves_an_audit_event(world, clock, people):
    call, (offer_a, offer_b), _m = _to_evaluation(world, clock, people)
    coordinator = world.user("coordinator")
    score(world.user("unit_x"), offer_a, FULL)
    with transaction():
        ops.record_decision(coordinator, offer_a, kind="grant", amount="6000")
        ops.record_decision(coordinator, offer_b, kind="refusal", reason="Brak środków.")
        ops.publish_results(coordinator, call)
    assert actions("call", call.id) == [
        "create",
        "announce",
        "appoint_member",
        "appoint_member",
        "appoint_member",
        "close_for_offers",
        "start_evaluation",
        "record_decision",
        "record_decision",
        "publish_results",
    ]
    assert actions("offer", offer_a.id)[-5:] == [
        "submit", "check_formal", "accept_formally", "declare_no_conflict", "grant"
    ]
    assert actions("offer", offer_b.id)[-1] == "refuse"
    sheet = queries.own_sheet(world.user("unit_x"), offer_a)
    assert actions("score_sheet", sheet.id) == ["create", "save", "submit"]
    events = trail("call", call.id)
    assert events[1].from_state == "draft" and events[1].to_state == "announced"
    assert events[-1].actor_id == coordinator.id


def test_calls_past_their_deadline_are_closed_by_the_scheduled_sweep(world, clock):
    late = announced_call(world, clock, deadline=deadline_at(30, 15, 30))
    later = announced_call(world, clock, deadline=deadline_at(31, 15, 30))
    clock.now = deadline_at(30, 15, 30)
    with transaction():
        closed = ops.close_calls_past_deadline(SYSTEM)
    assert closed == [late] and late.state == "closed" and later.state == "announced"
    assert trail("call", late.id)[-1].actor_id is None  # the system, not a person


def test_state_labels_are_polish(app):
    from consult.core.operations import state_label

    assert state_label("call", "announced") == "ogłoszony, przyjmuje oferty"
    assert state_label("offer", "correction") == "do poprawy"


# --- who sees what ----------------------------------------------------------------------------------------


def test_members_see_only_offers_of_calls_they_sit_on(world, clock, people):
    other = announced_call(world, clock)
    other_offer = submitted_offer(world.user("ngo_b"), other)
    call, (offer_a, _b), _m = _to_evaluation(world, clock, people)
    member = people["nominee_c"]
    assert can_view_offer(member, offer_a)
    assert not can_view_offer(member, other_offer)
    assert queries.offers_to_score(member, other) == []
    assert not can_view_offer(world.user("unit_y"), offer_a)  # staff of another unit, not on the commission
    assert not can_view_offer(world.user("ngo_b"), offer_a)  # another applicant


def test_applicants_learn_member_names_only_with_the_results(world, clock, people):
    from consult.calls.access import can_see_member_names

    call, (offer_a, offer_b), _m = _to_evaluation(world, clock, people)
    applicant = world.user("ngo_a")
    assert not can_see_member_names(applicant, call)
    assert can_see_member_names(people["nominee_c"], call)
    assert can_see_member_names(world.user("unit_x"), call)
    score(world.user("unit_x"), offer_b, FULL)
    assert queries.visible_score(applicant, offer_b) is None  # another applicant's offer, ever
    coordinator = world.user("coordinator")
    with transaction():
        ops.record_decision(coordinator, offer_a, kind="refusal", reason="Brak środków.")
        ops.record_decision(coordinator, offer_b, kind="grant", amount="6000")
        ops.publish_results(coordinator, call)
    assert can_see_member_names(applicant, call)
    assert queries.visible_score(applicant, offer_b) is None
    assert queries.visible_score(world.user("ngo_b"), offer_b).score == Decimal("45.00")


def test_a_member_who_scored_cannot_be_dismissed(world, clock, people):
    call, (offer_a, _b), members = _to_evaluation(world, clock, people)
    score(world.user("unit_x"), offer_a, FULL)
    with pytest.raises(Refused), transaction():
        ops.dismiss_member(world.user("coordinator"), members[0])
    with transaction():
        ops.dismiss_member(world.user("coordinator"), members[1], reason="Rezygnacja.")
    assert [m.user_id for m in call.members] == [world.user("unit_x").id, people["nominee_c"].id]
    assert "dismiss_member" in actions("call", call.id)


def test_a_withdrawn_offer_is_not_evaluated(world, clock):
    call = announced_call(world, clock)
    offer = submitted_offer(world.user("ngo_a"), call)
    with pytest.raises(Forbidden), transaction():
        ops.withdraw_offer(world.user("ngo_b"), offer)
    with transaction():
        ops.withdraw_offer(world.user("ngo_a"), offer, reason="Rezygnujemy.")
    assert offer.state == "withdrawn"
    clock.now = call.offers_deadline
    with transaction():
        ops.close_call_for_offers(world.user("unit_x"), call)
        ops.start_evaluation(world.user("unit_x"), call)  # nothing waits for a formal check
    assert queries.standings(call) == []


def test_evaluation_waits_for_every_formal_decision(world, clock):
    call = announced_call(world, clock)
    offer = submitted_offer(world.user("ngo_a"), call)
    clock.now = call.offers_deadline
    with transaction():
        ops.close_call_for_offers(world.user("unit_x"), call)
    with pytest.raises(Refused) as exc, transaction():
        ops.start_evaluation(world.user("unit_x"), call)
    assert offer.reference in exc.value.reason


def test_closing_for_offers_waits_for_the_deadline(world, clock):
    call = announced_call(world, clock)
    clock.now = call.offers_deadline - timedelta(seconds=1)
    with pytest.raises(Refused) as exc, transaction():
        ops.close_call_for_offers(world.user("unit_x"), call)
    assert "31.03.2027 15:30" in exc.value.reason


def test_task_list_shows_each_sections_status(world, clock):
    call = announced_call(world, clock)
    with transaction():
        offer = ops.create_offer(world.user("ngo_a"), call)
        ops.save_offer_section(world.user("ngo_a"), offer, "task", {"title": "Świetlica"})
    statuses = {s: (status, lacks) for s, status, lacks in queries.section_statuses(offer)}
    assert statuses["basic"][0] == "complete"  # the task type comes from the call
    assert statuses["task"][0] == "in_progress" and "Wpisz opis zadania." in statuses["task"][1]
    assert statuses["costs"][0] == "not_started"
    done = complete_offer(world.user("ngo_b"), call)
    assert {status for _s, status, _l in queries.section_statuses(done)} == {"complete"}


def test_published_results_list_organisations_tasks_and_amounts(world, clock, people):
    call, (offer_a, offer_b), _m = _to_evaluation(world, clock, people)
    coordinator = world.user("coordinator")
    with transaction():
        ops.record_decision(coordinator, offer_a, kind="refusal", reason="Brak środków.")
        ops.record_decision(coordinator, offer_b, kind="grant", amount="5500")
    assert queries.published_results(call) == []
    with transaction():
        ops.publish_results(coordinator, call)
    rows = queries.published_results(call)
    assert [(r.applicant, r.task, r.amount, r.granted) for r in rows] == [
        ("Fundacja Start Tango", "Świetlica dla dzieci", Decimal("5500.00"), True),
        ("Fundacja Zustricz", "Świetlica dla dzieci", None, False),
    ]


def test_results_page_lists_grants_once_published_and_no_person(client, world, clock, people):
    call, (offer_a, offer_b), _m = _to_evaluation(world, clock, people)
    coordinator = world.user("coordinator")
    score(world.user("unit_x"), offer_b, FULL)
    with transaction():
        ops.record_decision(coordinator, offer_a, kind="refusal", reason="Niska ocena merytoryczna.")
        ops.record_decision(coordinator, offer_b, kind="grant", amount="5500")
    before = client.get(f"/konkursy/{call.id}/wyniki").get_data(as_text=True)
    assert "nie zostały jeszcze ogłoszone" in before and "5 500,00 zł" not in before
    with transaction():
        ops.publish_results(coordinator, call)
    page = client.get(f"/konkursy/{call.id}/wyniki").get_data(as_text=True)
    assert "Fundacja Start Tango" in page and "5 500,00 zł" in page and offer_b.reference in page
    assert "Fundacja Zustricz" in page
    assert "Niska ocena merytoryczna." not in page  # the reason goes to the applicant, not the public
    for user in [*world.users.values(), *(people[k] for k in ("staff_x2", "nominee_c"))]:
        assert user.name not in page and user.email not in page
    assert "Wyniki konkursu" in client.get(f"/konkursy/{call.id}").get_data(as_text=True)


def test_runners_page_lists_filed_offers_and_the_ranking(client, world, clock, people):
    call, (offer_a, offer_b), _m = _to_evaluation(world, clock, people)
    score(world.user("unit_x"), offer_a, FULL)
    score(people["staff_x2"], offer_a, ["5", "5", "2", "1", "1", "2", "2", "2"])
    login(client, world.user("coordinator"))
    page = client.get(f"/koordynacja/konkursy/{call.id}").get_data(as_text=True)
    assert offer_a.reference in page and offer_b.reference in page and "przyjęta formalnie" in page
    assert "6 000,00 zł" in page
    assert "Ranking ofert" in page and "32,5" in page and "25" in page and "brak ocen" in page


def test_runners_page_does_not_list_drafts(client, world, clock):
    call = announced_call(world, clock)
    draft = complete_offer(world.user("ngo_a"), call)
    filed = submitted_offer(world.user("ngo_b"), call)
    login(client, world.user("unit_x"))
    page = client.get(f"/koordynacja/konkursy/{call.id}").get_data(as_text=True)
    assert filed.reference in page and draft.reference not in page


def test_offer_page_shows_the_sections_and_hides_an_unpublished_decision(client, world, clock, people):
    call, (offer_a, _b), _m = _to_evaluation(world, clock, people)
    with transaction():
        ops.record_decision(world.user("coordinator"), offer_a, kind="grant", amount="5000")
    login(client, world.user("ngo_a"))
    page = client.get(f"/oferty/{offer_a.id}").get_data(as_text=True)
    for text in (
        "I. Podstawowe informacje",
        "VII. Oświadczenia",
        "Świetlica dla dzieci",
        "Warsztaty",
        "8 000,00 zł",
        "6 000,00 zł",
        "Dzieci objęte opieką",
        "lista obecności",
    ):
        assert text in page, text
    assert "Rozstrzygnięcie" not in page and "5 000,00 zł" not in page
    staff = client.application.test_client()
    login(staff, world.user("unit_x"))
    page = staff.get(f"/oferty/{offer_a.id}").get_data(as_text=True)
    assert "5 000,00 zł" in page and "nie zostało jeszcze ogłoszone" in page


def test_a_member_declares_then_scores_through_the_web(client, world, clock, people):
    call, (offer_a, _b), _m = _to_evaluation(world, clock, people)
    first = call.scored_criteria[0]
    score(world.user("unit_x"), offer_a, FULL)  # another member has already scored
    login(client, people["nominee_c"])
    page = client.get(f"/komisja/konkursy/{call.id}").get_data(as_text=True)
    assert offer_a.reference in page and "nierozpoczęta" in page
    page = client.get(f"/oferty/{offer_a.id}/ocena").get_data(as_text=True)
    assert "Oświadczenie o braku konfliktu interesów" in page and "Unit X" not in page
    response = client.post(f"/oferty/{offer_a.id}/oswiadczenie", data={})
    page = response.get_data(as_text=True)
    assert "<title>Błąd: " in page and 'href="#has_conflict"' in page
    assert client.post(f"/oferty/{offer_a.id}/oswiadczenie", data={"has_conflict": "no"}).status_code == 302
    response = client.post(f"/oferty/{offer_a.id}/ocena", data={"action": "save", f"points-{first.id}": "11"})
    page = response.get_data(as_text=True)
    assert "<title>Błąd: " in page and f'href="#points-{first.id}"' in page
    assert f'id="points-{first.id}-error"' in page and "najwyżej 10 pkt" in page
    given = ["8", "8", "4", "2", "1", "3", "3", "3"]  # 32
    points = {f"points-{c.id}": p for c, p in zip(call.scored_criteria, given, strict=True)}
    assert client.post(f"/oferty/{offer_a.id}/ocena", data={"action": "save", **points}).status_code == 302
    page = client.get(f"/oferty/{offer_a.id}/ocena").get_data(as_text=True)
    # Others' scores (and who gave them) stay hidden until the member submits.
    assert "Unit X" not in page and "Oceny komisji" not in page
    # "Złóż ocenę" saves and leads to the confirmation page; its button submits
    response = client.post(f"/oferty/{offer_a.id}/ocena", data={"action": "submit", **points})
    assert response.status_code == 302 and response.headers["Location"].endswith("/ocena/zlozenie")
    assert "Oceny komisji" not in client.get(f"/oferty/{offer_a.id}/ocena").get_data(as_text=True)
    assert client.post(f"/oferty/{offer_a.id}/ocena/zlozenie").status_code == 302
    page = client.get(f"/oferty/{offer_a.id}/ocena").get_data(as_text=True)
    assert "Oceny komisji" in page and "Unit X" in page and "38,5" in page  # mean of 45 and 32
    assert 'name="action"' not in page  # a submitted card is final


def test_a_member_who_declares_a_conflict_loses_access_to_the_offer(client, world, clock, people):
    call, (offer_a, _b), _m = _to_evaluation(world, clock, people)
    login(client, people["nominee_c"])
    response = client.post(
        f"/oferty/{offer_a.id}/oswiadczenie",
        data={"has_conflict": "yes", "note": "Członek zarządu oferenta."},
    )
    assert response.status_code == 302 and f"/komisja/konkursy/{call.id}" in response.headers["Location"]
    assert client.get(f"/oferty/{offer_a.id}/ocena").status_code == 403
    assert client.get(f"/oferty/{offer_a.id}").status_code == 403
    assert offer_a.reference not in client.get(f"/komisja/konkursy/{call.id}").get_data(as_text=True)


def test_runners_close_the_call_and_start_evaluation_through_the_web(client, world, clock):
    call = announced_call(world, clock)
    offer = submitted_offer(world.user("ngo_a"), call)
    login(client, world.user("unit_x"))
    page = client.get(f"/koordynacja/konkursy/{call.id}").get_data(as_text=True)
    assert (
        "Zamknij nabór ofert" in page and "Unieważnij konkurs" not in page
    )  # cancelling is the coordinator's
    response = client.post(f"/koordynacja/konkursy/{call.id}/czynnosc/zamkniecie-naboru")
    page = response.get_data(as_text=True)
    assert (
        response.status_code == 200
        and 'href="#confirm"' in page  # told on the step's confirmation page
        and "31.03.2027 15:30" in page
    )
    clock.now = call.offers_deadline
    assert client.post(f"/koordynacja/konkursy/{call.id}/czynnosc/zamkniecie-naboru").status_code == 302
    response = client.post(f"/koordynacja/konkursy/{call.id}/czynnosc/ocena")
    assert offer.reference in response.get_data(as_text=True) and "<title>Błąd: " in response.get_data(
        as_text=True
    )
    assert (
        client.post(
            f"/koordynacja/konkursy/{call.id}/czynnosc/uniewaznienie", data={"reason": "x"}
        ).status_code
        == 403
    )
    db.session.expire_all()
    assert db.session.get(Call, call.id).state == "closed"


def test_a_coordinator_cancels_a_call_without_offers_with_a_reason(client, world, clock):
    call = announced_call(world, clock)
    clock.now = call.offers_deadline
    login(client, world.user("coordinator"))
    page = client.post(
        f"/koordynacja/konkursy/{call.id}/czynnosc/uniewaznienie", data={"reason": ""}
    ).get_data(as_text=True)
    assert 'href="#reason"' in page
    response = client.post(
        f"/koordynacja/konkursy/{call.id}/czynnosc/uniewaznienie",
        data={"reason": "Nie złożono żadnej oferty."},
    )
    assert response.status_code == 302
    public = client.get(f"/konkursy/{call.id}").get_data(as_text=True)
    assert "Konkurs unieważniony" in public and "Nie złożono żadnej oferty." in public


def test_the_coordinator_appoints_and_dismisses_members_through_the_web(client, world, clock, people):
    call = announced_call(world, clock)
    submitted_offer(world.user("ngo_a"), call)
    login(client, world.user("coordinator"))
    response = client.post(
        f"/koordynacja/konkursy/{call.id}/komisja",
        data={"user": str(people["nominee_a"].id), "kind": "nominee"},
    )
    page = response.get_data(as_text=True)
    assert "<title>Błąd: " in page and 'href="#user"' in page and 'id="user-error"' in page
    assert "art. 15 ust. 2d" in page
    page = client.post(f"/koordynacja/konkursy/{call.id}/komisja", data={"user": ""}).get_data(as_text=True)
    assert "Wybierz osobę z listy." in page and "Zaznacz, kogo reprezentuje" in page
    response = client.post(
        f"/koordynacja/konkursy/{call.id}/komisja",
        data={"user": str(people["nominee_c"].id), "kind": "nominee"},
    )
    assert response.status_code == 302
    page = client.get(f"/koordynacja/konkursy/{call.id}/komisja").get_data(as_text=True)
    assert "nominee_c" in page and "Stowarzyszenie Trzecie" in page
    member = call.members[0]
    assert client.post(f"/koordynacja/komisja/{member.id}/odwolanie").status_code == 302
    db.session.expire_all()
    assert db.session.get(Call, call.id).members == []


def test_formal_check_corrections_and_decision_through_the_web(client, world, clock):
    call = announced_call(world, clock)
    offer = submitted_offer(world.user("ngo_a"), call)
    clock.now = call.offers_deadline
    first = call.formal_criteria[0]
    login(client, world.user("unit_x"))
    url = f"/koordynacja/oferty/{offer.id}/ocena-formalna"
    page = client.post(url, data={"action": "check", f"met-{first.id}": "no"}).get_data(as_text=True)
    assert (
        "<title>Błąd: " in page
        and f'href="#formal-{first.id}"' in page
        and f'id="formal-{first.id}-error"' in page
    )
    data = {"action": "check", f"met-{first.id}": "no", f"note-{first.id}": "Brak podpisu."}
    assert client.post(url, data=data).status_code == 302
    page = client.post(url, data={"action": "correct", "deficiencies": "Brak podpisu."}).get_data(
        as_text=True
    )
    assert 'href="#deadline_date"' in page and "Podaj datę i godzinę terminu na poprawki." in page
    data = {
        "action": "correct",
        "deficiencies": "Brak podpisu.",
        "deadline_date-day": "7",
        "deadline_date-month": "4",
        "deadline_date-year": "2027",
        "deadline_time": "15:00",
    }
    assert client.post(url, data=data).status_code == 302
    # the formal decisions are confirmed on their own pages
    page = client.post(f"{url}/przyjecie").get_data(as_text=True)
    assert "<title>Błąd: " in page and "07.04.2027 15:00" in page  # the window is still open
    clock.now = warsaw_to_utc(datetime(2027, 4, 7, 15, 0))
    page = client.post(f"{url}/odrzucenie", data={"reason": ""}).get_data(as_text=True)
    assert 'href="#reason"' in page and 'id="reason-error"' in page
    assert client.post(f"{url}/odrzucenie", data={"reason": "Nie uzupełniono podpisu."}).status_code == 302
    db.session.expire_all()
    offer = db.session.get(Offer, offer.id)
    assert offer.state == "formally_rejected" and offer.formal_reason == "Nie uzupełniono podpisu."
    applicant = client.application.test_client()
    login(applicant, world.user("ngo_a"))
    page = applicant.get(f"/oferty/{offer.id}").get_data(as_text=True)
    assert "Nie uzupełniono podpisu." in page and "Brak podpisu." in page


def test_the_coordinator_records_decisions_and_publishes_results_through_the_web(
    client, world, clock, people, scheduled
):
    call, (offer_a, offer_b), _m = _to_evaluation(world, clock, people)
    login(client, world.user("coordinator"))
    page = client.post(
        f"/koordynacja/oferty/{offer_a.id}/rozstrzygniecie", data={"kind": "grant", "amount": "7000"}
    ).get_data(as_text=True)
    assert f'href="#amount-{offer_a.id}"' in page and "6 000,00 zł" in page and "<title>Błąd: " in page
    page = client.post(
        f"/koordynacja/oferty/{offer_b.id}/rozstrzygniecie", data={"kind": "refusal"}
    ).get_data(as_text=True)
    assert f'href="#reason-{offer_b.id}"' in page
    assert (
        client.post(
            f"/koordynacja/oferty/{offer_a.id}/rozstrzygniecie", data={"kind": "grant", "amount": "5 500,00"}
        ).status_code
        == 302
    )
    assert (
        client.post(
            f"/koordynacja/oferty/{offer_b.id}/rozstrzygniecie",
            data={"kind": "refusal", "reason": "Niższa ocena."},
        ).status_code
        == 302
    )
    page = client.get(f"/koordynacja/konkursy/{call.id}/rozstrzygniecia").get_data(as_text=True)
    assert "5 500,00 zł" in page and "Niższa ocena." in page
    applicant = client.application.test_client()
    login(applicant, world.user("ngo_a"))
    assert "5 500,00 zł" not in applicant.get(f"/oferty/{offer_a.id}").get_data(as_text=True)
    assert client.post(f"/koordynacja/konkursy/{call.id}/czynnosc/wyniki").status_code == 302
    assert "Przyznano dotację w wysokości 5 500,00 zł." in applicant.get(f"/oferty/{offer_a.id}").get_data(
        as_text=True
    )
    assert ("enqueue_results_document", call.id) in scheduled


def test_the_applicant_sees_its_score_on_the_offer_page_only_after_results(client, world, clock, people):
    call, (offer_a, offer_b), _m = _to_evaluation(world, clock, people)
    score(world.user("unit_x"), offer_a, FULL)
    login(client, world.user("ngo_a"))
    assert "Ocena komisji" not in client.get(f"/oferty/{offer_a.id}").get_data(as_text=True)
    coordinator = world.user("coordinator")
    with transaction():
        ops.record_decision(coordinator, offer_a, kind="grant", amount="6000")
        ops.record_decision(coordinator, offer_b, kind="refusal", reason="Brak ocen.")
        ops.publish_results(coordinator, call)
    page = client.get(f"/oferty/{offer_a.id}").get_data(as_text=True)
    assert "Wynik: 45 pkt na 45 możliwych" in page and "Unit X" not in page
