"""Pages of calls for offers: public announcements, and the pages of those who run a call.

The calls are made on demand through the operations: a draft and an announced call, both run by
unit X, with an offers deadline 40 days away (so announcing the draft succeeds).
"""

from __future__ import annotations

from contextlib import contextmanager
from datetime import date, timedelta

from tests.access_cases import ALL, SIGNED_IN, Case

RUNNERS_OF_X = frozenset({"coordinator", "unit_x"})
RUNNERS = frozenset({"coordinator", "unit_x", "unit_y"})
APPLICANT_A = frozenset({"ngo_a"})
COORD = frozenset({"coordinator"})
NGOS = frozenset({"ngo_a", "ngo_b"})


def _make_call(w, label: str):
    from consult.calls.operations import create_call
    from consult.core.actors import SYSTEM
    from consult.core.operations import transaction
    from consult.core.types import utcnow

    with transaction():
        return create_call(
            SYSTEM,
            w.programme,
            w.unit_x,
            title=f"Konkurs testowy ({label})",
            task_type="Wspieranie rodziny",
            sphere="wspieranie rodziny",
            funds="50000",
            award_rules="Zasady.",
            task_starts=date(2030, 1, 1),
            task_ends=date(2030, 12, 31),
            task_conditions="Warunki.",
            offers_deadline=utcnow() + timedelta(days=40),
            procedure="Tryb.",
            selection_date=(utcnow() + timedelta(days=60)).date(),
        )


def _document_job_url(w) -> str:
    """The status of the compile of the announced call's PDF (a failed job: nothing for a worker to pick up,
    nothing for the next test to wait for)."""
    from consult.core.types import utcnow
    from consult.documents.models import DocumentJob
    from consult.extensions import db

    call = call_of(w, "announced")
    now = utcnow()
    job = DocumentJob(kind="call_results", subject_id=call.id, state="failed", attempts=1, error="test",
                      requested_at=now, started_at=now, finished_at=now)
    db.session.add(job)
    db.session.commit()
    return f"/koordynacja/konkursy/{call.id}/dokumenty/zadania/{job.id}/stan"


def call_of(w, state: str):
    """A call of unit X in `state` ("draft" or "announced"), made once per test world."""
    key = f"_call_{state}"
    if not hasattr(w, key):
        from consult.calls.operations import announce_call
        from consult.core.actors import SYSTEM
        from consult.core.operations import transaction

        call = _make_call(w, state)
        if state == "announced":
            with transaction():
                announce_call(SYSTEM, call)
        setattr(w, key, call)
    return getattr(w, key)


@contextmanager
def _clock_at(when):
    """Run the calls' operations as if it were `when` (a call's deadline must pass for its evaluation)."""
    from consult.calls import operations as ops

    saved = ops.utcnow
    ops.utcnow = lambda: when
    try:
        yield
    finally:
        ops.utcnow = saved


def _fill(user, offer):
    from consult.calls.operations import DECLARATIONS, save_offer_section, submit_offer

    save_offer_section(
        user,
        offer,
        "applicants",
        {"contact_name": "Anna Nowak", "contact_email": "a@example.org", "address": "ul. Długa 1, Kraków"},
    )
    save_offer_section(
        user,
        offer,
        "task",
        {
            "title": "Świetlica",
            "task_starts": "2030-01-01",
            "task_ends": "2030-06-30",
            "description": "Zajęcia.",
            "schedule": [{"name": "Zajęcia", "starts": "2030-01-01", "ends": "2030-06-30"}],
            "results": [{"result": "Uczestnicy", "target_value": "20", "monitoring": "lista obecności"}],
        },
    )
    save_offer_section(user, offer, "resources", {"staff": "Pedagog."})
    save_offer_section(
        user,
        offer,
        "costs",
        {
            "cost_lines": [{"name": "Zajęcia", "unit": "godzina", "unit_cost": "100", "quantity": "10"}],
            "grant_requested": "1000",
        },
    )
    save_offer_section(user, offer, "declarations", {k: True for k in DECLARATIONS})
    submit_offer(user, offer)


def offer_of(w, kind: str):
    """An offer of NGO A: "draft" and "submitted" in the announced call; "evaluation" and "conflict" in a
    call under evaluation on whose commission sits a nominee from NGO B (who declared a conflict of
    interest with the "conflict" offer)."""
    key = f"_offer_{kind}"
    if hasattr(w, key):
        return getattr(w, key)
    from consult.calls import operations as ops
    from consult.core.actors import SYSTEM
    from consult.core.operations import transaction

    ngo_a = w.user("ngo_a")
    if kind in ("draft", "submitted"):
        call = call_of(w, "announced")
        with transaction():
            offer = ops.create_offer(ngo_a, call)
            if kind == "submitted":
                _fill(ngo_a, offer)
        setattr(w, key, offer)
        return offer
    call = _make_call(w, "evaluation")
    with transaction():
        ops.announce_call(SYSTEM, call)
        ops.appoint_member(SYSTEM, call, w.user("ngo_b"), kind="nominee")
        offers = [ops.create_offer(ngo_a, call), ops.create_offer(ngo_a, call)]
        for offer in offers:
            _fill(ngo_a, offer)
    with _clock_at(call.offers_deadline), transaction():
        ops.close_call_for_offers(SYSTEM, call)
        for offer in offers:
            ops.record_formal_check(SYSTEM, offer, {c.id: (True, None) for c in call.formal_criteria})
            ops.accept_offer_formally(SYSTEM, offer)
        ops.start_evaluation(SYSTEM, call)
        ops.declare_conflict(w.user("ngo_b"), offers[1], has_conflict=True, note="Znam oferenta.")
    w._offer_evaluation, w._offer_conflict = offers
    return getattr(w, key)


def _member(w):
    """A staff member (unit X) on the announced call's commission."""
    if not hasattr(w, "_member"):
        from consult.calls.operations import appoint_member
        from consult.core.actors import SYSTEM
        from consult.core.operations import transaction

        with transaction():
            w._member = appoint_member(SYSTEM, call_of(w, "announced"), w.user("unit_x"), kind="staff")
    return w._member


def _draft_sheet(w):
    """NGO B's nominee's draft score sheet, every criterion scored, on the offer under evaluation."""
    if not hasattr(w, "_draft_sheet"):
        from consult.calls import operations as ops
        from consult.core.operations import transaction

        offer = offer_of(w, "evaluation")
        with transaction():
            ops.declare_conflict(w.user("ngo_b"), offer, has_conflict=False)
            w._draft_sheet = ops.save_scores(
                w.user("ngo_b"), offer, {c.id: "1" for c in offer.call.scored_criteria}
            )
    return w._draft_sheet


def _call_form(w):
    return {
        "programme": str(w.programme.id),
        "unit": str(w.unit_x.id),
        "title": "Konkurs z formularza",
        "funds": "12 000,50",
        "deadline_date-day": "1",
        "deadline_date-month": "6",
        "deadline_date-year": "2030",
        "deadline_time": "15:30",
        "aggregation": "median",
        "version": str(call_of(w, "draft").version),
    }


CASES = [
    Case("calls.public_index", lambda w: "/konkursy", ALL),
    Case("calls.announcement", lambda w: f"/konkursy/{call_of(w, 'announced').id}", ALL),
    Case("calls.announcement", lambda w: f"/konkursy/{call_of(w, 'draft').id}", RUNNERS_OF_X, name="draft"),
    Case("calls.manage_index", lambda w: "/koordynacja/konkursy", RUNNERS),
    Case("calls.manage", lambda w: f"/koordynacja/konkursy/{call_of(w, 'draft').id}", RUNNERS_OF_X),
    Case(
        "calls.manage",
        lambda w: f"/koordynacja/konkursy/{call_of(w, 'announced').id}",
        RUNNERS_OF_X,
        name="announced",
    ),
    Case("calls.document_job_state", lambda w: _document_job_url(w), RUNNERS_OF_X),
    Case(
        "calls.translate_document",
        lambda w: f"/koordynacja/konkursy/{call_of(w, 'announced').id}/dokumenty/tlumaczenie",
        RUNNERS_OF_X,
        method="POST",
        data=lambda w: {"kind": "call_announcement", "language": "en"},
    ),
    # GET of a POST step answers with the page its form is on (after a refusal, reloading is not a 405).
    Case(
        "calls.translate_document",
        lambda w: f"/koordynacja/konkursy/{call_of(w, 'announced').id}/dokumenty/tlumaczenie",
        RUNNERS_OF_X,
    ),
    # The confirmation page of announcing.
    Case("calls.announce", lambda w: f"/koordynacja/konkursy/{call_of(w, 'draft').id}/ogloszenie", RUNNERS_OF_X),
    Case(
        "calls.announce",
        lambda w: f"/koordynacja/konkursy/{call_of(w, 'draft').id}/ogloszenie",
        RUNNERS_OF_X,
        method="POST",
        data=lambda w: {},
    ),
    Case("calls.results", lambda w: f"/konkursy/{call_of(w, 'announced').id}/wyniki", ALL),
    Case("calls.results", lambda w: f"/konkursy/{call_of(w, 'draft').id}/wyniki", RUNNERS_OF_X, name="draft"),
    Case("calls.new", lambda w: "/koordynacja/konkursy/nowy", RUNNERS),
    Case("calls.new", lambda w: "/koordynacja/konkursy/nowy", RUNNERS, method="POST", data=_call_form),
    Case("calls.edit", lambda w: f"/koordynacja/konkursy/{call_of(w, 'draft').id}/edycja", RUNNERS_OF_X),
    Case(
        "calls.edit",
        lambda w: f"/koordynacja/konkursy/{call_of(w, 'draft').id}/edycja",
        RUNNERS_OF_X,
        method="POST",
        data=_call_form,
    ),
    # The evaluation card and formal criteria of a call: those who run it (refused, re-rendered, once announced).
    Case("calls.card", lambda w: f"/koordynacja/konkursy/{call_of(w, 'draft').id}/karta", RUNNERS_OF_X),
    Case(
        "calls.card",
        lambda w: f"/koordynacja/konkursy/{call_of(w, 'announced').id}/karta",
        RUNNERS_OF_X,
        name="announced",
    ),
    Case(
        "calls.card",
        lambda w: f"/koordynacja/konkursy/{call_of(w, 'draft').id}/karta",
        RUNNERS_OF_X,
        method="POST",
        data=lambda w: {"action": "save", "criteria-0-title": "Jakość", "criteria-0-max_points": "10"},
    ),
    Case(
        "calls.reset_card",
        lambda w: f"/koordynacja/konkursy/{call_of(w, 'draft').id}/karta/domyslna",
        RUNNERS_OF_X,
        method="POST",
        data=lambda w: {},
    ),
    Case(
        "calls.reset_card",
        lambda w: f"/koordynacja/konkursy/{call_of(w, 'draft').id}/karta/domyslna",
        RUNNERS_OF_X,
    ),
    Case(
        "calls.formal_criteria",
        lambda w: f"/koordynacja/konkursy/{call_of(w, 'draft').id}/kryteria-formalne",
        RUNNERS_OF_X,
    ),
    Case(
        "calls.formal_criteria",
        lambda w: f"/koordynacja/konkursy/{call_of(w, 'draft').id}/kryteria-formalne",
        RUNNERS_OF_X,
        method="POST",
        data=lambda w: {"action": "save", "formal_criteria-0": "Oferta złożona w terminie."},
    ),
    Case("calls.offer", lambda w: f"/oferty/{offer_of(w, 'draft').id}", APPLICANT_A, name="draft"),
    Case(
        "calls.offer",
        lambda w: f"/oferty/{offer_of(w, 'submitted').id}",
        APPLICANT_A | RUNNERS_OF_X,
        name="submitted",
    ),
    # NGO B's nominee sits on the commission: reads the offer it scores, not the one it has a conflict with.
    Case(
        "calls.offer",
        lambda w: f"/oferty/{offer_of(w, 'evaluation').id}",
        APPLICANT_A | RUNNERS_OF_X | {"ngo_b"},
        name="evaluation",
    ),
    Case(
        "calls.offer",
        lambda w: f"/oferty/{offer_of(w, 'conflict').id}",
        APPLICANT_A | RUNNERS_OF_X,
        name="conflict",
    ),
    # The commission's pages: only its sitting members (here NGO B's nominee); the conflicted offer to nobody.
    Case("calls.seats", lambda w: "/komisja", SIGNED_IN),
    Case(
        "calls.commission",
        lambda w: f"/komisja/konkursy/{offer_of(w, 'evaluation').call_id}",
        frozenset({"ngo_b"}),
    ),
    Case("calls.score", lambda w: f"/oferty/{offer_of(w, 'evaluation').id}/ocena", frozenset({"ngo_b"})),
    Case(
        "calls.score", lambda w: f"/oferty/{offer_of(w, 'conflict').id}/ocena", frozenset(), name="conflict"
    ),
    Case(
        "calls.score",
        lambda w: f"/oferty/{offer_of(w, 'evaluation').id}/ocena",
        frozenset({"ngo_b"}),
        method="POST",
        data=lambda w: {"action": "save"},
    ),
    Case(
        "calls.declare",
        lambda w: f"/oferty/{offer_of(w, 'evaluation').id}/oswiadczenie",
        frozenset({"ngo_b"}),
        method="POST",
        data=lambda w: {"has_conflict": "no"},
    ),
    Case("calls.declare", lambda w: f"/oferty/{offer_of(w, 'evaluation').id}/oswiadczenie", frozenset({"ngo_b"})),
    # Submitting a score sheet: its confirmation page, and the step.
    Case("calls.submit_score", lambda w: f"/oferty/{_draft_sheet(w).offer_id}/ocena/zlozenie", frozenset({"ngo_b"})),
    Case(
        "calls.submit_score",
        lambda w: f"/oferty/{_draft_sheet(w).offer_id}/ocena/zlozenie",
        frozenset({"ngo_b"}),
        method="POST",
        data=lambda w: {},
    ),
    # The call's actions, on the announced call: the guards refuse (re-rendered page), the roles decide 403.
    Case(
        "calls.call_action",
        lambda w: f"/koordynacja/konkursy/{call_of(w, 'announced').id}/czynnosc/ocena",
        RUNNERS_OF_X,
        method="POST",
        data=lambda w: {},
    ),
    # Their confirmation pages: the coordinator's steps (results, cancellation) are the coordinator's only.
    Case(
        "calls.call_action",
        lambda w: f"/koordynacja/konkursy/{call_of(w, 'announced').id}/czynnosc/zamkniecie-naboru",
        RUNNERS_OF_X,
    ),
    Case(
        "calls.call_action",
        lambda w: f"/koordynacja/konkursy/{offer_of(w, 'evaluation').call_id}/czynnosc/wyniki",
        COORD,
        name="results",
    ),
    Case("calls.members", lambda w: f"/koordynacja/konkursy/{call_of(w, 'announced').id}/komisja", COORD),
    Case(
        "calls.members",
        lambda w: f"/koordynacja/konkursy/{call_of(w, 'announced').id}/komisja",
        COORD,
        method="POST",
        data=lambda w: {"user": str(w.user("unit_y").id), "kind": "staff"},
    ),
    Case(
        "calls.dismiss",
        lambda w: f"/koordynacja/komisja/{_member(w).id}/odwolanie",
        COORD,
        method="POST",
        data=lambda w: {},
    ),
    Case("calls.dismiss", lambda w: f"/koordynacja/komisja/{_member(w).id}/odwolanie", COORD),
    Case(
        "calls.formal",
        lambda w: f"/koordynacja/oferty/{offer_of(w, 'submitted').id}/ocena-formalna",
        RUNNERS_OF_X,
    ),
    Case(
        "calls.formal",
        lambda w: f"/koordynacja/oferty/{offer_of(w, 'submitted').id}/ocena-formalna",
        RUNNERS_OF_X,
        method="POST",
        data=lambda w: {"action": "check"},
    ),
    # The formal decisions' confirmation pages; posted without the check (accept) or a reason (reject): refused.
    Case(
        "calls.accept_formally",
        lambda w: f"/koordynacja/oferty/{offer_of(w, 'submitted').id}/ocena-formalna/przyjecie",
        RUNNERS_OF_X,
    ),
    Case(
        "calls.accept_formally",
        lambda w: f"/koordynacja/oferty/{offer_of(w, 'submitted').id}/ocena-formalna/przyjecie",
        RUNNERS_OF_X,
        method="POST",
        data=lambda w: {},
    ),
    Case(
        "calls.reject_formally",
        lambda w: f"/koordynacja/oferty/{offer_of(w, 'submitted').id}/ocena-formalna/odrzucenie",
        RUNNERS_OF_X,
    ),
    Case(
        "calls.reject_formally",
        lambda w: f"/koordynacja/oferty/{offer_of(w, 'submitted').id}/ocena-formalna/odrzucenie",
        RUNNERS_OF_X,
        method="POST",
        data=lambda w: {"reason": ""},
    ),
    Case(
        "calls.decisions",
        lambda w: f"/koordynacja/konkursy/{offer_of(w, 'evaluation').call_id}/rozstrzygniecia",
        COORD,
    ),
    Case(
        "calls.decide",
        lambda w: f"/koordynacja/oferty/{offer_of(w, 'evaluation').id}/rozstrzygniecie",
        COORD,
        method="POST",
        data=lambda w: {"kind": "grant", "amount": "500"},
    ),
    Case("calls.decide", lambda w: f"/koordynacja/oferty/{offer_of(w, 'evaluation').id}/rozstrzygniecie", COORD),
    # The applicant's pages: NGO members, and for an offer only its own organisation.
    Case("calls.my_offers", lambda w: "/moje-oferty", NGOS),
    Case(
        "calls.new_offer",
        lambda w: f"/konkursy/{call_of(w, 'announced').id}/oferty/nowa",
        NGOS,
        method="POST",
        data=lambda w: {},
    ),
    Case("calls.offer_tasks", lambda w: f"/oferty/{offer_of(w, 'draft').id}/edycja", APPLICANT_A),
    Case("calls.offer_section", lambda w: f"/oferty/{offer_of(w, 'draft').id}/czesc/task", APPLICANT_A),
    Case(
        "calls.offer_section",
        lambda w: f"/oferty/{offer_of(w, 'draft').id}/czesc/task",
        APPLICANT_A,
        method="POST",
        data=lambda w: {"title": "Świetlica"},
    ),
    Case(
        "calls.submit_offer",
        lambda w: f"/oferty/{offer_of(w, 'draft').id}/zlozenie",
        APPLICANT_A,
        method="POST",
        data=lambda w: {},
    ),
    Case("calls.submit_offer", lambda w: f"/oferty/{offer_of(w, 'draft').id}/zlozenie", APPLICANT_A),
    Case("calls.offer_check", lambda w: f"/oferty/{offer_of(w, 'draft').id}/sprawdzenie", APPLICANT_A),
    Case(
        "calls.offer_submitted", lambda w: f"/oferty/{offer_of(w, 'submitted').id}/potwierdzenie", APPLICANT_A
    ),
    Case(
        "calls.finish_correction",
        lambda w: f"/oferty/{offer_of(w, 'submitted').id}/koniec-poprawek",
        APPLICANT_A,
        method="POST",
        data=lambda w: {},
    ),
    Case("calls.finish_correction", lambda w: f"/oferty/{offer_of(w, 'submitted').id}/koniec-poprawek", APPLICANT_A),
    Case(
        "calls.withdraw_offer",
        lambda w: f"/oferty/{offer_of(w, 'draft').id}/wycofanie",
        APPLICANT_A,
        method="POST",
        data=lambda w: {},
    ),
    Case("calls.withdraw_offer", lambda w: f"/oferty/{offer_of(w, 'draft').id}/wycofanie", APPLICANT_A),
]
