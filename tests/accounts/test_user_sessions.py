"""The sessions page: each sign-in listed with its browser, address and times; signing one out (or all
others) ends its next request and closes its live connections."""

import pytest
from sqlalchemy import select

from forum.accounts import sessions, twofactor, usersessions
from forum.accounts.security_models import UserSession
from forum.extensions import db
from tests.conftest import PASSWORD, Auth

FIREFOX_WINDOWS = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:140.0) Gecko/20100101 Firefox/140.0"
CHROME_ANDROID = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/140.0.0.0 Mobile Safari/537.36"
)


def browser(app, user, agent, address):
    """A client signed in as `user` from a browser with this User-Agent and address."""
    client = app.test_client()
    client.environ_base.update({"HTTP_USER_AGENT": agent, "REMOTE_ADDR": address})
    Auth(client).login(user)
    return client


def session_ids(user):
    """The ids of the user's open session rows, oldest first."""
    query = select(UserSession.id).where(UserSession.user_id == user.id, UserSession.ended_at.is_(None))
    return db.session.scalars(query.order_by(UserSession.created_at)).all()


@pytest.mark.parametrize(
    ("agent", "described"),
    [
        (FIREFOX_WINDOWS, "Firefox on Windows"),
        (CHROME_ANDROID, "Chrome on Android"),
        (
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 Version/17.5 Safari/605.1.15",
            "Safari on macOS",
        ),
        (
            "Mozilla/5.0 (Windows NT 10.0) AppleWebKit/537.36 Chrome/140.0 Safari/537.36 Edg/140.0",
            "Edge on Windows",
        ),
        ("curl/8.5", "Unknown browser on an unknown system"),
        (None, "Unknown browser on an unknown system"),
    ],
)
def test_the_browser_and_system_are_named_from_the_user_agent(app, agent, described):
    with app.test_request_context():
        assert usersessions.describe(agent) == described


def test_the_page_lists_each_session_with_its_browser_address_and_times(app, participant):
    laptop = browser(app, participant, FIREFOX_WINDOWS, "198.51.100.7")
    browser(app, participant, CHROME_ANDROID, "203.0.113.9")
    page = laptop.get("/account/sessions").text
    assert "Firefox on Windows" in page and "198.51.100.7" in page
    assert "Chrome on Android" in page and "203.0.113.9" in page
    assert page.count("This session") == 1 and page.count("Sign out this session") == 1
    assert "Sign out all other sessions" in page


def test_signing_out_a_session_ends_its_next_request_and_closes_its_sockets(app, participant, socket_client):
    laptop = browser(app, participant, FIREFOX_WINDOWS, "198.51.100.7")
    phone = browser(app, participant, CHROME_ANDROID, "203.0.113.9")
    phone_socket = socket_client(phone)
    laptop_socket = socket_client(laptop)
    assert phone.get("/account").status_code == 200
    _laptop_id, phone_id = session_ids(participant)
    ended = laptop.post(f"/account/sessions/{phone_id}/end")
    assert ended.status_code == 302 and ended.headers["Location"] == "/account/sessions"
    assert not phone_socket.is_connected()
    assert laptop_socket.is_connected()
    assert phone.get("/account").headers["Location"].startswith("/login")
    # A new socket from the revoked browser is anonymous: it may not ask.
    again = socket_client(phone)
    reply = again.emit("question.ask", {"session_id": 1, "body": "x", "anonymous": False}, callback=True)
    assert reply["error"] == "forbidden"
    assert laptop.get("/account").status_code == 200
    assert "Chrome on Android" not in laptop.get("/account/sessions").text


def test_signing_out_all_others_keeps_this_one_and_forgets_remembered_browsers(
    app, participant, twofactor_clock
):
    laptop = browser(app, participant, FIREFOX_WINDOWS, "198.51.100.7")
    from tests.conftest import enrol

    enrol(laptop)
    phone = app.test_client()
    twofactor_clock[0] += 31
    Auth(phone).login(participant, remember=True)
    tablet = browser(app, participant, CHROME_ANDROID, "203.0.113.9")
    response = laptop.post("/account/sessions/end-others")
    assert response.status_code == 303
    assert "2 other sessions are signed out." in laptop.get("/account/sessions").text
    for other in (phone, tablet):
        assert other.get("/account").headers["Location"].startswith("/login")
    assert laptop.get("/account").status_code == 200
    # The phone's remembered browser asks for the code again.
    signed = phone.post("/login", data={"email": participant.email, "password": PASSWORD})
    assert signed.headers["Location"] == "/login/code"


def test_nobody_ends_another_accounts_session(app, participant, make_user):
    mine = browser(app, participant, FIREFOX_WINDOWS, "198.51.100.7")
    other = make_user()
    theirs = browser(app, other, CHROME_ANDROID, "203.0.113.9")
    [their_id] = session_ids(other)
    assert mine.post(f"/account/sessions/{their_id}/end").status_code == 404
    assert mine.post("/account/sessions/no-such-session/end").status_code == 404
    [my_id] = session_ids(participant)
    assert mine.post(f"/account/sessions/{my_id}/end").status_code == 400
    assert theirs.get("/account").status_code == 200
    assert app.test_client().get("/account/sessions").headers["Location"].startswith("/login")


def test_signing_out_ends_every_row_and_use_is_noted_once_a_minute(app, participant, monkeypatch):
    now = [1_780_000_000]
    monkeypatch.setattr(sessions, "clock", lambda: now[0])
    laptop = browser(app, participant, FIREFOX_WINDOWS, "198.51.100.7")
    [row_id] = session_ids(participant)
    first = db.session.scalar(select(UserSession.last_seen_at).where(UserSession.id == row_id))
    now[0] += 120
    laptop.environ_base["REMOTE_ADDR"] = "198.51.100.8"
    laptop.get("/")
    seen = db.session.execute(
        select(UserSession.last_seen_at, UserSession.ip).where(UserSession.id == row_id)
    ).one()
    assert seen.last_seen_at >= first and seen.ip == "198.51.100.8"
    laptop.post("/logout")
    assert session_ids(participant) == []


@pytest.fixture
def twofactor_clock(monkeypatch):
    """A clock for the codes that the test moves."""
    now = [1_780_000_000.0]
    monkeypatch.setattr(twofactor, "clock", lambda: now[0])
    return now
