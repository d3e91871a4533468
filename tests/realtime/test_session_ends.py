"""Ended sessions stop listening: every way a session ends or rights shrink closes the user's sockets."""

import json
import logging
from datetime import timedelta

import pytest

from forum.accounts import services as accounts
from forum.admin.services import withdraw_verification as withdraw
from forum.database import utcnow
from forum.extensions import db
from forum.mail import services as mail
from forum.mail import tokens
from forum.moderation import sanctions
from forum.notifications import services as notifications
from forum.threads import services as threads
from tests.conftest import PASSWORD, Auth

NEW_PASSWORD = "a brand new passphrase"


def sign_out(world):
    """The moderator signs out in another browser: every session of the account ends."""
    assert world["browser"].post("/logout").status_code == 302


def change_password(world):
    """The moderator changes their password in another browser."""
    form = {"current_password": PASSWORD, "new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    assert world["browser"].post("/account/password", data=form).status_code == 302


def reset_password(world):
    """The moderator sets a new password from a reset link."""
    mail.reset_password(tokens.reset_token(world["moderator"]), NEW_PASSWORD)


def suspend(world):
    """The secretariat suspends the moderator."""
    sanctions.sanction(
        world["admin"], world["moderator"], "suspend", "Leaked a flagged post", utcnow() + timedelta(days=1)
    )


def demote(world):
    """The secretariat makes the moderator a participant again."""
    accounts.set_role(world["admin"], world["moderator"], "participant")


def withdraw_verification(world):
    """The secretariat withdraws the moderator's verification."""
    withdraw(world["admin"], world["moderator"].id, "Not the delegate they claimed to be")


ENDS = {
    "sign_out": sign_out,
    "password_change": change_password,
    "password_reset": reset_password,
    "suspension": suspend,
    "role_change": demote,
    "verification_withdrawn": withdraw_verification,
}


@pytest.fixture
def world(app, socket_client, moderator, admin, pending_user, make_thread):
    """A moderator's socket in the moderation room and their own room, another browser of theirs, a thread."""
    page = app.test_client()
    Auth(page).login(moderator)
    sock = socket_client(page)
    assert sock.emit("subscribe", {"room": "moderation"}, callback=True)["ok"]
    browser = app.test_client()
    Auth(browser).login(moderator)
    thread = make_thread(title="Harbour data governance")
    return {
        "moderator": moderator,
        "admin": admin,
        "author": pending_user,
        "thread": thread,
        "sock": sock,
        "browser": browser,
    }


def private_events(world, body):
    """A held post (queue.changed for moderators) and a notice to the moderator (notification.created)."""
    threads.reply(world["author"], world["thread"], body)
    notifications.notice(world["moderator"].id, "warning", "Mind the tone")
    db.session.commit()
    notifications.publish([world["moderator"].id])


def heard(sock):
    """The names of the events the socket received, whether or not it is still connected."""
    return [event["name"] for event in sock.queue]


@pytest.mark.parametrize("kind", ENDS)
def test_an_ended_session_hears_no_private_event(db, world, kind, caplog):
    """After the end the socket is closed and hears neither the queue nor the user's notifications."""
    sock = world["sock"]
    private_events(world, "Held before the end")
    assert {"queue.changed", "notification.created"} <= set(heard(sock))
    sock.queue.clear()
    with caplog.at_level(logging.INFO, logger="forum.security"):
        ENDS[kind](world)
    assert not sock.is_connected()
    assert heard(sock) == ["session.ended"]
    private_events(world, "Held after the end")
    assert heard(sock) == ["session.ended"]
    ended = [json.loads(r.message) for r in caplog.records if r.name == "forum.security"]
    assert {
        "event": "session.ended",
        "kind": kind,
        "user_id": world["moderator"].id,
        "sockets_closed": 1,
    } in ended


def test_a_sign_out_closes_every_socket_of_the_account_and_logs_how_many(
    app, db, socket_client, participant, caplog
):
    """Two open pages of one account close at one sign-out; the security log counts them."""
    client = app.test_client()
    Auth(client).login(participant)
    pages = [socket_client(client) for _ in range(2)]
    with caplog.at_level(logging.INFO, logger="forum.security"):
        Auth(client).logout()
    assert [page.is_connected() for page in pages] == [False, False]
    lines = [json.loads(r.message) for r in caplog.records if r.name == "forum.security"]
    [line] = [line for line in lines if line["event"] == "session.ended"]
    assert line == {
        "event": "session.ended",
        "kind": "sign_out",
        "user_id": participant.id,
        "sockets_closed": 2,
    }


def test_a_socket_opening_while_the_session_ends_is_closed_too(
    app, db, socket_client, participant, monkeypatch
):
    """The end commits after the socket's session was checked, before its connection completes: closed too."""
    from forum.extensions import login_manager

    load = login_manager._user_callback

    def load_then_end(user_id):
        """Load the user with the old token, then let the session end before the handler goes on."""
        user = load(user_id)
        if user is not None:
            monkeypatch.setattr(login_manager, "_user_callback", load)
            accounts.end_all_sessions(user, "sign_out")
        return user

    client = app.test_client()
    Auth(client).login(participant)
    monkeypatch.setattr(login_manager, "_user_callback", load_then_end)
    sock = socket_client(client)
    assert not sock.is_connected()
    notifications.notice(participant.id, "warning", "Mind the tone")
    db.session.commit()
    notifications.publish([participant.id])
    assert "notification.created" not in heard(sock)
