"""Pages of calls for offers: public announcements, and the pages of those who run a call.

The calls are made on demand through the operations: a draft and an announced call, both run by
unit X, with an offers deadline 40 days away (so announcing the draft succeeds).
"""

from __future__ import annotations

from datetime import date, timedelta

from tests.access_cases import ALL, Case

RUNNERS_OF_X = frozenset({"coordinator", "unit_x"})
RUNNERS = frozenset({"coordinator", "unit_x", "unit_y"})


def call_of(w, state: str):
    """A call of unit X in `state` ("draft" or "announced"), made once per test world."""
    key = f"_call_{state}"
    if not hasattr(w, key):
        from consult.calls.operations import announce_call, create_call
        from consult.core.actors import SYSTEM
        from consult.core.operations import transaction
        from consult.core.types import utcnow

        with transaction():
            call = create_call(
                SYSTEM,
                w.programme,
                w.unit_x,
                title=f"Konkurs testowy ({state})",
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
            if state == "announced":
                announce_call(SYSTEM, call)
        setattr(w, key, call)
    return getattr(w, key)


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
]
