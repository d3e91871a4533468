"""Sign-in, registration and session events on the forum.security log: who, where, never a secret."""

import json
import logging

import pytest

from forum.accounts import sessions
from tests.conftest import PASSWORD, Auth

WRONG = "a wrong password typed"


@pytest.fixture
def events(caplog):
    """The security events logged so far, parsed: events() -> [{"event": ..., ...}]."""
    caplog.set_level(logging.INFO, logger="forum.security")

    def parsed():
        """Each forum.security line as a dict."""
        return [json.loads(r.getMessage()) for r in caplog.records if r.name == "forum.security"]

    return parsed


def test_sign_in_success_and_failure_are_logged_without_the_password(
    app, client, participant, events, caplog
):
    """Failures name the account (or 'unknown' with a keyed hash), the address and the device trust."""
    client.post("/login", data={"email": participant.email, "password": WRONG})
    client.post("/login", data={"email": "stranger@example.org", "password": WRONG})
    Auth(client).login(participant)
    Auth(client).logout()
    Auth(client).login(participant)
    # The sign-out's closed sockets are logged apart, as for every session end (test_session_ends.py).
    sign_ins = [line for line in events() if line["event"] != "session.ended"]
    failed_known, failed_unknown, success, signed_out, trusted = sign_ins
    assert failed_known == {
        "event": "login.failed",
        "user_id": participant.id,
        "ip": "127.0.0.1",
        "trusted_device": False,
    }
    assert failed_unknown["event"] == "login.failed"
    assert failed_unknown["user_id"] == "unknown"
    assert len(failed_unknown["email_hash"]) == 16
    assert success == {**failed_known, "event": "login.succeeded"}
    assert signed_out == {"event": "session.signed_out", "user_id": participant.id, "ip": "127.0.0.1"}
    assert trusted == {**success, "trusted_device": True}
    assert WRONG not in caplog.text and PASSWORD not in caplog.text
    assert "stranger@example.org" not in caplog.text


def test_throttling_is_logged_with_the_limit_that_held(client, participant, events):
    """The sixth attempt names the account budget and how long to wait."""
    for _attempt in range(6):
        client.post("/login", data={"email": participant.email, "password": WRONG})
    throttled = events()[-1]
    assert throttled["event"] == "login.throttled"
    assert throttled["limit"] == "account"
    assert throttled["retry_after"] > 0
    assert throttled["user_id"] == participant.id


def test_a_registration_on_an_existing_address_is_logged(client, participant, events, caplog):
    """The owner's id and whether they were mailed; not the password tried."""
    data = {
        "name": "Someone Else",
        "email": participant.email,
        "password": "a password for the log",
        "confirm": "a password for the log",
        "stakeholder_group": "academia",
        "organisation": "Nowhere",
        "consent": "y",
    }
    client.post("/register", data=data)
    [event] = events()
    assert event == {
        "event": "register.existing_address",
        "user_id": participant.id,
        "ip": "127.0.0.1",
        "notified": True,
    }
    assert "a password for the log" not in caplog.text


def test_session_expiry_is_logged(client, participant, events, monkeypatch):
    """The expiry names the user and the reason, once, at the request that ends the session."""
    now = [1_780_000_000]
    monkeypatch.setattr(sessions, "clock", lambda: now[0])
    Auth(client).login(participant)
    now[0] += 8 * 3600
    client.get("/")
    client.get("/")
    expired = [e for e in events() if e["event"] == "session.expired"]
    assert expired == [
        {"event": "session.expired", "user_id": participant.id, "reason": "idle", "ip": "127.0.0.1"}
    ]
