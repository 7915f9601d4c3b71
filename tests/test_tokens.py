"""Signed links: they expire, serve one purpose, and stop working once what they were for has happened."""
from __future__ import annotations

import pytest

from consult.core import tokens
from consult.core.types import clock_at, utcnow
from datetime import timedelta


@pytest.fixture
def state():
    return {"7": tokens.fingerprint("hash-before")}


def test_a_token_reads_back_for_its_purpose_and_record(app, state):
    with app.app_context():
        token = tokens.make("reset-password", 7, state["7"], email="a@example.org")
        payload = tokens.read("reset-password", token, max_age=3600, fingerprint_of=lambda i: state.get(str(i)))
        assert payload["id"] == 7 and payload["email"] == "a@example.org"


def test_a_token_for_another_purpose_or_tampered_is_refused(app, state):
    with app.app_context():
        token = tokens.make("confirm-email", 7, state["7"])
        with pytest.raises(tokens.TokenInvalid):
            tokens.read("reset-password", token, max_age=3600, fingerprint_of=lambda i: state.get(str(i)))
        with pytest.raises(tokens.TokenInvalid):
            tokens.read("confirm-email", token[:-2] + "xx", max_age=3600, fingerprint_of=lambda i: state.get(str(i)))
        with pytest.raises(tokens.TokenInvalid):
            tokens.read("confirm-email", "\udcff", max_age=3600, fingerprint_of=lambda i: state.get(str(i)))


def test_a_token_is_single_use_because_the_state_it_was_made_for_changes(app, state):
    with app.app_context():
        token = tokens.make("reset-password", 7, state["7"])
        state["7"] = tokens.fingerprint("hash-after")  # the password was reset with it
        with pytest.raises(tokens.TokenInvalid):
            tokens.read("reset-password", token, max_age=3600, fingerprint_of=lambda i: state.get(str(i)))
        with pytest.raises(tokens.TokenInvalid):  # the record is gone
            tokens.read("reset-password", token, max_age=3600, fingerprint_of=lambda i: None)


def test_a_token_expires(app, state):
    with app.app_context():
        with clock_at(utcnow() - timedelta(hours=2)):
            token = tokens.make("reset-password", 7, state["7"])
        with pytest.raises(tokens.TokenExpired):
            tokens.read("reset-password", token, max_age=3600, fingerprint_of=lambda i: state.get(str(i)))
