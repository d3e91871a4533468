"""Sessions end after SESSION_IDLE_MINUTES without a request and SESSION_MAX_HOURS after sign-in."""

from datetime import UTC, datetime

import pytest

from forum.accounts import sessions
from forum.accounts.models import session_claim
from forum.i18n import geneva

HOUR = 3600
IDLE = 8 * HOUR  # the defaults: 480 minutes, 24 hours
LIFETIME = 24 * HOUR
START = 1_780_000_000


@pytest.fixture
def clock(monkeypatch):
    """The sessions' clock, moved by the test: clock[0] is now, in epoch seconds."""
    now = [START]
    monkeypatch.setattr(sessions, "clock", lambda: now[0])
    return now


def signed_in(client):
    """True when the page shows the signed-in header."""
    return "Sign out" in client.get("/").text


def test_the_defaults_suit_a_conference_day(app):
    """8 hours without a request, 24 hours in all."""
    assert (app.config["SESSION_IDLE_MINUTES"], app.config["SESSION_MAX_HOURS"]) == (480, 24)


def test_an_idle_session_is_signed_out_at_its_next_request(client, auth, participant, clock):
    """Just under the idle limit the session holds; at the limit the next request is signed out and told."""
    auth.login(participant)
    clock[0] += IDLE - 60
    assert signed_in(client)
    clock[0] += IDLE - 1
    assert signed_in(client)
    clock[0] += IDLE
    page = client.get("/").text
    assert "Sign out" not in page
    assert "You were signed out after a long time without activity." in page
    assert not signed_in(client)
    assert client.get("/account").status_code == 302


def test_activity_keeps_a_session_only_until_its_lifetime(client, auth, participant, clock):
    """Requests every 7 hours keep the session alive, until 24 hours after its sign-in."""
    auth.login(participant)
    for _visit in range(3):
        clock[0] += 7 * HOUR
        assert signed_in(client)
    clock[0] = START + LIFETIME
    page = client.get("/").text
    assert "Sign out" not in page
    assert "Your session has reached its time limit." in page


@pytest.mark.parametrize("config_overrides", [{"SESSION_IDLE_MINUTES": 30, "SESSION_MAX_HOURS": 2}])
def test_the_limits_come_from_the_configuration(client, auth, participant, clock):
    """SESSION_IDLE_MINUTES and SESSION_MAX_HOURS set the limits."""
    auth.login(participant)
    clock[0] += 29 * 60
    assert signed_in(client)
    clock[0] += 30 * 60
    assert not signed_in(client)
    auth.login(participant)
    for _visit in range(4):
        clock[0] += 29 * 60
        assert signed_in(client)
    clock[0] += 5 * 60
    assert not signed_in(client)


def test_a_session_with_no_sign_in_time_is_signed_out(client, participant):
    """Sessions from before dating (or any cookie without the dates) count as expired."""
    with client.session_transaction() as session:
        session["_user_id"] = participant.get_id()
    page = client.get("/").text
    assert "Sign out" not in page
    assert "Your session has ended. Sign in again." in page


def test_a_new_sign_in_starts_a_new_session(client, auth, participant, clock):
    """Signing in again after expiry gives a fresh lifetime."""
    auth.login(participant)
    clock[0] += LIFETIME
    assert not signed_in(client)
    auth.login(participant)
    clock[0] += IDLE - 1
    assert signed_in(client)


def test_an_expired_session_no_longer_acts_on_its_sockets(app, client, auth, admin, socket_client, clock):
    """A socket keeps its handshake's session: once that session expires, it is nobody's."""
    auth.login(admin)
    sock = socket_client(client)
    assert sock.emit("subscribe", {"room": "registrations"}, callback=True)["ok"]
    clock[0] += IDLE
    refused = sock.emit("subscribe", {"room": "moderation"}, callback=True)
    assert refused["error"] == "forbidden"
    with app.test_request_context(headers={"Cookie": f"session={client.get_cookie('session').value}"}):
        assert session_claim() is None
        clock[0] -= 1
        assert session_claim() is not None


def moment(seconds):
    """Epoch seconds as the profile page shows them."""
    return geneva(datetime.fromtimestamp(seconds, UTC))


@pytest.mark.parametrize("role", ["moderator", "chair", "admin"])
def test_staff_see_their_sessions_age_on_their_own_profile(app, client, auth, make_user, clock, role):
    """Signed in since, the activity before this page, and the latest end; only on their own profile."""
    staff = make_user(role=role)
    auth.login(staff)
    clock[0] += 2 * HOUR
    client.get("/")
    clock[0] += 30 * 60
    page = client.get(f"/users/{staff.id}").text
    with app.test_request_context():
        assert "This session" in page
        assert moment(START) in page
        assert moment(START + 2 * HOUR) in page
        assert moment(START + LIFETIME) in page
        assert "after 8 hours without activity" in page
    assert "This session" not in client.get(f"/users/{make_user().id}").text


def test_participants_do_not_see_the_session_block(client, auth, participant, clock):
    """The block is for staff, who hold the rights worth watching."""
    auth.login(participant)
    assert "This session" not in client.get(f"/users/{participant.id}").text
