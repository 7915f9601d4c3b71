"""Walks every route with every role and checks the expected allow or deny (see tests/access_cases)."""
from __future__ import annotations

import pytest

from consult.auth.models import User
from consult.extensions import db
from tests.access_cases import all_cases
from tests.conftest import EXTRA_ROLES, ROLES, _wait_for_pending_jobs, login, make_world
from tests.snapshots import Snapshot

CASES = all_cases()
# Every role of the shared fixtures, and the two the access matrix adds (tests/conftest.py EXTRA_ROLES).
ACCESS_ROLES = [*ROLES, *EXTRA_ROLES]


def _request(client, case, world, url):
    if case.method == "GET":
        return client.get(url)
    return client.post(url, data=case.data(world) if case.data else {})


# The case whose rows the last test left: (case id, its URL, the snapshot). The roles of one case run one after
# another in a process (the role is the fastest-varying parameter), so the world and the case's own objects are
# built once a case and restored for the other roles, each into emptied tables.
_last: dict = {}


def _world_and_url(app, case):
    if _last.get("case") == case.id:
        return _last["snapshot"].restore(), _last["url"]
    world = make_world()
    for role in EXTRA_ROLES:  # every role's account is there before the case builds what it needs
        world.user(role)
    url = case.url(world)  # builds what the case needs (a call in its stage, an offer, a document...)
    _wait_for_pending_jobs(app)  # with a real worker: the jobs it queued are done before the rows are read
    _last.update(case=case.id, url=url, snapshot=Snapshot.take(world))
    return world, url


@pytest.mark.parametrize("role", ACCESS_ROLES)
@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_route_access(app, role, case):
    world, url = _world_and_url(app, case)
    client = app.test_client()
    if role != "anon":
        login(client, world.user(role))
    response = _request(client, case, world, url)
    location = response.headers.get("Location", "")
    if role in case.allowed:
        assert response.status_code != 403, f"{role} was refused {case.id}"
        assert response.status_code != 404, f"{case.id} gave 404 for {role}: check the case's URL"
        assert "/logowanie" not in location or case.endpoint.startswith("auth."), \
            f"{role} was sent to sign in for {case.id}"
        assert response.status_code < 500
    elif role == "anon":
        assert response.status_code == 302 and "/logowanie" in location, \
            f"anonymous got {response.status_code} for {case.id}, expected a redirect to sign in"
    else:
        assert response.status_code == 403, f"{role} got {response.status_code} for {case.id}, expected 403"
    if case.follow_up is not None:
        case.follow_up(world, role, response)


def test_every_route_has_cases(app):
    """A route without a case in tests/access_cases has no declared access: add one."""
    covered = {(c.endpoint, c.method) for c in CASES}
    missing = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        for method in ("GET", "POST"):
            if method in rule.methods and (rule.endpoint, method) not in covered:
                missing.append(f"{method} {rule.rule} ({rule.endpoint})")
    assert not missing, "routes without an access case:\n" + "\n".join(missing)


def test_every_view_declares_access(app):
    """Each view carries a declaration made by consult.core.access (public, signed_in or roles)."""
    undeclared = [name for name, view in app.view_functions.items()
                  if name != "static" and not hasattr(view, "access")]
    assert not undeclared, f"views without an access declaration: {undeclared}"


def test_csrf_is_required_on_every_post(app, world):
    """With CSRF on, a POST without a token is refused on every route and changes nothing."""
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        coordinator = world.user("coordinator")
        client = app.test_client()
        # sign in with a token from the form, as a browser would
        page = client.get("/logowanie").get_data(as_text=True)
        token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
        assert client.post("/logowanie", data={"email": coordinator.email, "password": "haslo-testowe-123",
                                               "csrf_token": token}).status_code == 302
        for case in CASES:
            if case.method != "POST":
                continue
            response = client.post(case.url(world), data=case.data(world) if case.data else {})
            assert response.status_code == 400, f"{case.id} accepted a POST without a CSRF token"
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


def test_passwords_are_hashed_and_cookies_protected(app, world, client):
    user = db.session.get(User, world.user("ngo_a").id)
    assert "haslo-testowe-123" not in user.password_hash
    assert user.check_password("haslo-testowe-123") and not user.check_password("wrong")
    response = client.post("/logowanie", data={"email": user.email, "password": "haslo-testowe-123"})
    cookie = response.headers.get("Set-Cookie", "")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_sign_in_refusal_does_not_say_which_part_was_wrong(app, world, client):
    unknown = client.post("/logowanie", data={"email": "nobody@example.org", "password": "whatever-123"})
    wrong = client.post("/logowanie", data={"email": world.user("ngo_a").email, "password": "whatever-123"})
    for response in (unknown, wrong):
        page = response.get_data(as_text=True)
        assert response.status_code == 200
        assert "Nieprawidłowy adres e-mail lub hasło." in page
        assert "<title>Błąd: " in page and "Wystąpił problem" in page
