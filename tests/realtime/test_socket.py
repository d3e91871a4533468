"""Socket.IO: who may connect, room permissions, structured errors, publish after commit."""

import pytest

from forum import create_app
from forum.accounts import services as accounts
from forum.extensions import socketio
from forum.rules import RuleViolation
from tests.conftest import Auth, make_config


def test_anonymous_reader_connects_on_a_public_site(socket_client, client):
    sock = socket_client(client)
    assert sock.is_connected()


def test_anonymous_connection_refused_on_a_members_only_site():
    app = create_app(make_config(PUBLIC_READ=False))
    sock = socketio.test_client(app, flask_test_client=app.test_client())
    assert not sock.is_connected()


def test_connection_from_a_foreign_origin_is_refused(client, participant):
    Auth(client).login(participant)
    handshake = "/socket.io/?EIO=4&transport=polling"
    foreign = client.get(handshake, headers={"Origin": "https://evil.example"})
    assert foreign.status_code == 400
    same_site = client.get(handshake, headers={"Origin": "http://localhost"})
    assert same_site.status_code == 200
    assert '"sid"' in same_site.text


@pytest.mark.parametrize(
    ("payload", "error"),
    [
        (None, "bad_request"),
        ("registrations", "bad_request"),
        ({"room": ""}, "bad_request"),
        ({"room": 5}, "bad_request"),
    ],
)
def test_malformed_subscribe_gets_a_structured_error(socket_client, client, payload, error):
    sock = socket_client(client)
    reply = sock.emit("subscribe", payload, callback=True)
    assert reply["ok"] is False
    assert reply["error"] == error
    assert reply["message"]


@pytest.mark.parametrize("role", [None, "participant", "moderator", "chair"])
def test_registrations_room_is_for_admins_only(socket_client, client, make_user, role):
    if role:
        Auth(client).login(make_user(role=role))
    sock = socket_client(client)
    reply = sock.emit("subscribe", {"room": "registrations"}, callback=True)
    assert reply == {"ok": False, "error": "forbidden", "message": "You may not follow this room."}


def test_unknown_room_is_refused(socket_client, client, admin):
    Auth(client).login(admin)
    sock = socket_client(client)
    assert sock.emit("subscribe", {"room": "nowhere"}, callback=True)["error"] == "not_found"
    assert sock.emit("subscribe", {"room": "thread:999"}, callback=True)["error"] == "not_found"


def test_admin_sees_the_pending_count_change_after_registration(app, socket_client, client, admin):
    Auth(client).login(admin)
    sock = socket_client(client)
    reply = sock.emit("subscribe", {"room": "registrations"}, callback=True)
    assert reply == {"ok": True, "room": "registrations", "last": 0}
    visitor = app.test_client()
    visitor.post(
        "/register",
        data={
            "name": "New Person",
            "email": "new@example.org",
            "password": "a good passphrase",
            "confirm": "a good passphrase",
            "stakeholder_group": "academia",
            "organisation": "EPFL",
            "consent": "y",
        },
    )
    events = [e for e in sock.get_received() if e["name"] == "registrations.changed"]
    assert [e["args"][0] for e in events] == [{"pending": 1, "room": "registrations"}]
    sock.emit("unsubscribe", {"room": "registrations"}, callback=True)
    accounts.decide_registration(admin, 2, "verified")
    assert sock.get_received() == []


def test_nothing_is_published_when_the_write_fails(socket_client, client, admin, participant):
    Auth(client).login(admin)
    sock = socket_client(client)
    sock.emit("subscribe", {"room": "registrations"}, callback=True)
    data = {
        "name": "Dup",
        "email": "new@example.org",
        "password": "a good passphrase",
        "stakeholder_group": "aliens",
        "organisation": "EPFL",
        "consent": True,
    }
    with pytest.raises(RuleViolation):
        accounts.register(data)
    # An address that has an account creates nothing either (its owner is mailed instead).
    assert accounts.register({**data, "email": participant.email, "stakeholder_group": "academia"}) is None
    assert sock.get_received() == []


def test_unknown_event_gets_a_structured_error(socket_client, client):
    sock = socket_client(client)
    reply = sock.emit("make.coffee", {"sugar": 2}, callback=True)
    assert reply == {"ok": False, "error": "unknown_event", "message": "Unknown event."}


def test_a_failing_handler_answers_with_an_error(socket_client, client, monkeypatch):
    from forum.realtime import rooms

    def broken(room):
        """A bug deep in a handler."""
        raise RuntimeError("boom")

    monkeypatch.setattr(rooms, "check", broken)
    reply = socket_client(client).emit("subscribe", {"room": "thread:1"}, callback=True)
    assert reply["ok"] is False and reply["error"] == "server_error"
    assert "boom" not in reply["message"]
