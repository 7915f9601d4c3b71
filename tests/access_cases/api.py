"""The read-only JSON API (/api/v1/): every route is public, for every role alike (it never looks at who
asks). Each case names a row the API shows, so that a 404 would mean a wrong case (tests/test_api.py
checks what it shows and hides)."""
from __future__ import annotations

from tests.access_cases import ALL, Case
from tests.access_cases.calls import _make_call

API = "/api/v1"


def _published_call(w):
    """A call whose results are out, made by setting its state (the access walk needs no PDF nor offers)."""
    if not hasattr(w, "_api_call"):
        from consult.core.types import utcnow
        from consult.extensions import db

        call = _make_call(w, "results")
        call.state, call.announced_at, call.results_published_at = "results_published", utcnow(), utcnow()
        db.session.commit()
        w._api_call = call
    return w._api_call


def _position(w):
    return w.p["b_published_x"].positions[0]


CASES = [
    Case("api.openapi", lambda w: f"{API}/openapi.json", ALL),
    Case("api.units", lambda w: f"{API}/units", ALL),
    Case("api.programmes", lambda w: f"{API}/programmes", ALL),
    Case("api.programme", lambda w: f"{API}/programmes/{w.programme.id}", ALL),
    Case("api.meetings", lambda w: f"{API}/meetings?programme={w.programme.id}", ALL),
    Case("api.meeting", lambda w: f"{API}/meetings/{w.meeting.id}", ALL),
    Case("api.postulates", lambda w: f"{API}/postulates?programme={w.programme.id}", ALL),
    Case("api.postulate", lambda w: f"{API}/postulates/{w.p['b_published_x'].id}", ALL),
    Case("api.positions", lambda w: f"{API}/positions", ALL),
    Case("api.position", lambda w: f"{API}/positions/{_position(w).id}", ALL),
    Case("api.calls", lambda w: f"{API}/calls", ALL),
    Case("api.call", lambda w: f"{API}/calls/{_published_call(w).id}", ALL),
    Case("api.call_results", lambda w: f"{API}/calls/{_published_call(w).id}/results", ALL),
]
