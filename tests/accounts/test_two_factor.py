"""Two-factor sign-in: enrolment, codes within one step of skew and only once, recovery codes used once,
staff rights withheld until the second factor, remembered browsers, throttling, fresh proof."""

import re

import pyotp
import pytest
from sqlalchemy import select

from forum.accounts import twofactor
from forum.accounts.security_models import RecoveryCode, TotpCredential
from forum.extensions import db
from tests.conftest import PASSWORD, Auth, enrol, next_code

START = 1_780_000_000.0  # a moment in June 2026; each step is 30 seconds


@pytest.fixture
def clock(monkeypatch):
    """A clock the test moves: clock[0] is the time twofactor reads."""
    now = [START]
    monkeypatch.setattr(twofactor, "clock", lambda: now[0])
    return now


def secret_of(user):
    """The user's confirmed TOTP secret, read fresh."""
    return db.session.scalar(
        select(TotpCredential.secret).where(
            TotpCredential.user_id == user.id, TotpCredential.confirmed_at.is_not(None)
        )
    )


def code_at(user, moment):
    """The user's TOTP code at `moment`."""
    return pyotp.TOTP(secret_of(user)).at(moment)


def password_step(client, user):
    """Submit the password form; returns the response."""
    return client.post("/login", data={"email": user.email, "password": PASSWORD})


def test_staff_without_a_second_factor_are_sent_to_enrol_and_hold_no_staff_rights(
    client, moderator, socket_client, clock
):
    response = password_step(client, moderator)
    assert response.headers["Location"].startswith("/account/two-factor")
    # Signed in, but as a participant: staff pages send them to enrol, staff socket events are refused.
    page = client.get("/moderation/")
    assert page.status_code == 302 and page.headers["Location"].startswith("/account/two-factor?next=")
    socket = socket_client(client)
    assert socket.emit("subscribe", {"room": "moderation"}, callback=True)["error"] == "forbidden"
    assert (
        socket.emit("moderation.act", {"item_id": 1, "action": "claim"}, callback=True)["error"]
        == "forbidden"
    )
    setup = client.get("/account/two-factor").text
    assert "<svg" in setup and 'role="img"' in setup and "Code from your authenticator app" in setup
    done = enrol(client)
    assert done.status_code == 200
    assert len(re.findall(r"<li><code>[a-z2-9]{5}-[a-z2-9]{5}</code></li>", done.text)) == 10
    assert client.get("/moderation/").status_code == 200
    socket = socket_client(client)
    assert socket.emit("subscribe", {"room": "moderation"}, callback=True)["ok"]


def test_an_enrolled_user_is_asked_the_code_after_the_password_and_holds_nothing_meanwhile(
    client, participant, socket_client, clock
):
    Auth(client).login(participant)
    enrol(client)
    client.post("/logout")
    response = password_step(client, participant)
    assert response.headers["Location"] == "/login/code"
    # Half signed in: no account pages, an anonymous socket.
    assert client.get("/account").headers["Location"].startswith("/login")
    socket = socket_client(client)
    assert (
        socket.emit("question.ask", {"session_id": 1, "body": "x", "anonymous": False}, callback=True)[
            "error"
        ]
        == "forbidden"
    )
    clock[0] += 31
    done = client.post("/login/code", data={"code": code_at(participant, clock[0])})
    assert done.status_code == 302 and done.headers["Location"] == "/"
    assert client.get("/account").status_code == 200


@pytest.mark.parametrize(
    ("skew", "accepted"), [(-60, False), (-30, True), (0, True), (30, True), (60, False)]
)
def test_codes_are_accepted_within_one_step_of_clock_skew(client, participant, clock, skew, accepted):
    Auth(client).login(participant)
    enrol(client)
    client.post("/logout")
    clock[0] += 300
    password_step(client, participant)
    response = client.post("/login/code", data={"code": code_at(participant, clock[0] + skew)})
    assert (response.status_code == 302) is accepted
    if not accepted:
        assert response.status_code == 422
        assert "This code is not valid" in response.text and 'id="code-error"' in response.text


def test_a_code_is_accepted_once(client, app, participant, clock):
    Auth(client).login(participant)
    enrol(client)
    client.post("/logout")
    clock[0] += 300
    code = code_at(participant, clock[0])
    password_step(client, participant)
    assert client.post("/login/code", data={"code": code}).status_code == 302
    other = app.test_client()
    password_step(other, participant)
    assert other.post("/login/code", data={"code": code}).status_code == 422
    # An earlier step's code is refused too once a later one was used.
    assert other.post("/login/code", data={"code": code_at(participant, clock[0] - 30)}).status_code == 422


def test_recovery_codes_work_once_and_are_stored_hashed(client, app, participant, clock):
    Auth(client).login(participant)
    codes = re.findall(r"<code>([a-z2-9]{5}-[a-z2-9]{5})</code>", enrol(client).text)
    stored = db.session.scalars(
        select(RecoveryCode.code_hash).where(RecoveryCode.user_id == participant.id)
    ).all()
    assert len(stored) == 10 and not {c.replace("-", "") for c in codes} & set(stored)
    client.post("/logout")
    password_step(client, participant)
    used = client.post("/login/code", data={"code": codes[0].upper().replace("-", " ")})
    assert used.status_code == 302
    assert "9 are left" in client.get("/").text
    other = app.test_client()
    password_step(other, participant)
    assert other.post("/login/code", data={"code": codes[0]}).status_code == 422
    assert other.post("/login/code", data={"code": codes[1]}).status_code == 302


def test_wrong_codes_are_throttled_per_account(client, app, participant, clock):
    Auth(client).login(participant)
    enrol(client)
    client.post("/logout")
    password_step(client, participant)
    for _n in range(5):
        assert client.post("/login/code", data={"code": "000000"}).status_code == 422
    refused = client.post("/login/code", data={"code": next_code(participant.email)})
    assert refused.status_code == 429 and "Retry-After" in refused.headers
    assert "Too many wrong codes" in refused.text


def test_a_remembered_browser_skips_the_code_until_the_password_changes(client, participant, clock):
    Auth(client).login(participant)
    enrol(client)
    client.post("/logout")
    clock[0] += 60
    Auth(client).login(participant, remember=True)
    client.post("/logout")
    assert password_step(client, participant).headers["Location"] == "/"
    form = {
        "current_password": PASSWORD,
        "new_password": "a new long passphrase",
        "confirm": "a new long passphrase",
    }
    assert client.post("/account/password", data=form).status_code == 302
    client.post("/logout")
    again = client.post("/login", data={"email": participant.email, "password": "a new long passphrase"})
    assert again.headers["Location"] == "/login/code"


def test_the_remembered_browser_cookie_expires_after_thirty_days(client, participant, clock, monkeypatch):
    Auth(client).login(participant)
    enrol(client)
    client.post("/logout")
    clock[0] += 60
    Auth(client).login(participant, remember=True)
    client.post("/logout")
    cookie = client.get_cookie("forum_2fa", path="/login")
    assert cookie is not None and cookie.max_age == 30 * 24 * 3600


def test_the_code_step_expires(client, participant, clock):
    Auth(client).login(participant)
    enrol(client)
    client.post("/logout")
    password_step(client, participant)
    clock[0] += 301
    response = client.post("/login/code", data={"code": next_code(participant.email)})
    assert response.status_code == 410 and "Sign in with your password first" in response.text
    assert client.get("/account").headers["Location"].startswith("/login")


def test_sensitive_staff_actions_ask_for_a_recent_code(client, admin, participant, clock):
    Auth(client).login(admin)
    assert client.get("/admin/words").status_code == 200
    clock[0] += 11 * 60
    asked = client.get("/admin/words")
    assert asked.status_code == 302 and asked.headers["Location"].startswith("/account/two-factor/confirm")
    role = client.post(
        f"/admin/users/{participant.id}/role",
        data={"role": "moderator"},
        headers={"Referer": "http://localhost/admin/users"},
    )
    assert role.headers["Location"] == "/account/two-factor/confirm?next=/admin/users"
    db.session.refresh(participant)
    assert participant.role == "participant"
    confirmed = client.post(
        "/account/two-factor/confirm", data={"code": next_code(admin.email), "next": "/admin/words"}
    )
    assert confirmed.headers["Location"] == "/admin/words"
    assert client.get("/admin/words").status_code == 200
    assert client.get("/moderation/audit.csv").status_code == 200


def test_participants_may_turn_it_off_and_staff_may_not(client, app, participant, moderator, clock):
    Auth(client).login(participant)
    enrol(client)
    clock[0] += 60
    wrong = client.post("/account/two-factor/disable", data={"off-password": "nope", "off-code": "123456"})
    assert wrong.status_code == 422 and "The password is not correct." in wrong.text
    off = client.post(
        "/account/two-factor/disable",
        data={"off-password": PASSWORD, "off-code": next_code(participant.email)},
    )
    assert off.status_code == 302
    assert not twofactor.enrolled(participant)
    staff = app.test_client()
    Auth(staff).login(moderator)
    page = staff.get("/account/two-factor").text
    assert "it cannot be turned off" in page and "Turn off two-factor sign-in" not in page
    refused = staff.post(
        "/account/two-factor/disable", data={"off-password": PASSWORD, "off-code": next_code(moderator.email)}
    )
    assert refused.status_code == 422 and twofactor.enrolled(moderator)


def test_new_recovery_codes_replace_the_old_ones(client, participant, clock):
    Auth(client).login(participant)
    old = re.findall(r"<code>([a-z2-9-]{11})</code>", enrol(client).text)
    clock[0] += 60
    renewed = client.post(
        "/account/two-factor/recovery-codes", data={"codes-code": next_code(participant.email)}
    )
    new = re.findall(r"<code>([a-z2-9-]{11})</code>", renewed.text)
    assert len(new) == 10 and not set(new) & set(old)
    assert twofactor.remaining_codes(participant) == 10


def test_a_wrong_first_code_keeps_enrolment_open(client, participant, clock):
    Auth(client).login(participant)
    client.get("/account/two-factor")
    response = client.post("/account/two-factor", data={"code": "12345x"})
    assert response.status_code == 422 and 'id="code-error"' in response.text
    assert not twofactor.enrolled(participant)
    assert client.post("/account/two-factor", data={"code": ""}).status_code == 422


def test_the_secretariat_resets_a_lost_device_from_the_command_line(app, client, runner, moderator, clock):
    Auth(client).login(moderator)
    assert twofactor.enrolled(moderator)
    result = runner.invoke(args=["forum", "reset-two-factor", "MODERATOR@example.org"])
    assert result.exit_code == 0 and "removed for moderator@example.org" in result.output
    assert not twofactor.enrolled(moderator)
    assert client.get("/account").headers["Location"].startswith("/login")
    again = password_step(app.test_client(), moderator)
    assert again.headers["Location"].startswith("/account/two-factor")
    assert runner.invoke(args=["forum", "reset-two-factor", "nobody@example.org"]).exit_code == 1
