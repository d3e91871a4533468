"""Security keys (WebAuthn) as a second factor: named keys added and removed, a key instead of the code
at sign-in and before sensitive actions, and every bad, copied or foreign answer refused with a message."""

import json

import pytest
from sqlalchemy import select

from forum.accounts import passkeys, twofactor
from forum.accounts.security_models import WebAuthnCredential
from forum.extensions import db
from tests.conftest import PASSWORD, Auth, enrol, next_code
from tests.webauthn_keys import SoftKey

START = 1_780_000_000.0
REFUSED = "The security key&#39;s answer was not accepted."


@pytest.fixture
def clock(monkeypatch):
    """A clock the test moves: clock[0] is the time twofactor reads."""
    now = [START]
    monkeypatch.setattr(twofactor, "clock", lambda: now[0])
    return now


def add_key(client, key, name="Office key"):
    """Add `key` through the two-factor page's form, as its script does; returns the response."""
    options = client.post("/account/passkeys/options")
    assert options.status_code == 200, options.text
    answer = key.register(options.text)
    return client.post("/account/passkeys", data={"key-name": name, "key-credential": answer})


def with_a_key(client, user, name="Office key"):
    """Sign `user` in, turn two-factor sign-in on (staff do at sign-in) and add a key; returns the key."""
    Auth(client).login(user)
    if not twofactor.enrolled(user):
        enrol(client)
    key = SoftKey()
    assert add_key(client, key, name).status_code == 303
    return key


def password_step(client, user):
    """Sign out, then give the password; the session waits for the second factor."""
    client.post("/logout")
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.headers["Location"] == "/login/code"
    return response


def key_step(client, key, remember=False, origin=None):
    """Answer the sign-in challenge with `key`; returns the response."""
    options = client.post("/login/passkey/options")
    assert options.status_code == 200, options.text
    data = {"key-credential": key.sign_in(options.text, origin=origin)}
    return client.post("/login/passkey", data={**data, **({"key-remember": "y"} if remember else {})})


def test_keys_are_added_under_names_listed_and_removed(client, app, participant, make_user, clock):
    with_a_key(client, participant)
    assert add_key(client, SoftKey(), "Travel key").status_code == 303
    page = client.get("/account/two-factor").text
    assert "Office key" in page and "Travel key" in page and "needs JavaScript" in page
    blue = db.session.scalar(select(WebAuthnCredential).where(WebAuthnCredential.name == "Office key"))
    removed = client.post(f"/account/passkeys/{blue.id}/delete")
    assert removed.status_code == 303
    page = client.get("/account/two-factor").text
    assert "Office key" not in page and "Travel key" in page
    # Nobody removes another account's key.
    laptop = db.session.scalar(select(WebAuthnCredential.id).where(WebAuthnCredential.name == "Travel key"))
    other = app.test_client()
    Auth(other).login(make_user())
    assert (
        "There is no such key."
        in other.post(f"/account/passkeys/{laptop}/delete", follow_redirects=True).text
    )
    assert db.session.get(WebAuthnCredential, laptop) is not None


def test_a_key_replaces_the_code_at_sign_in_with_the_same_effect(client, moderator, socket_client, clock):
    key = with_a_key(client, moderator)
    password_step(client, moderator)
    page = client.get("/login/code").text
    assert "Use a security key" in page and "Verify and sign in" in page
    done = key_step(client, key, remember=True)
    assert done.status_code == 302 and done.headers["Location"] == "/"
    # Staff rights, fresh proof and a remembered browser, as after a code.
    assert client.get("/moderation/").status_code == 200
    assert client.get("/moderation/audit.csv").status_code == 200
    socket = socket_client(client)
    assert socket.emit("subscribe", {"room": "moderation"}, callback=True)["ok"]
    client.post("/logout")
    again = client.post("/login", data={"email": moderator.email, "password": PASSWORD})
    assert again.headers["Location"] == "/"
    used = db.session.scalar(select(WebAuthnCredential).where(WebAuthnCredential.user_id == moderator.id))
    assert used.last_used_at is not None and used.sign_count == 1


def test_an_answer_counts_once(client, participant, clock):
    key = with_a_key(client, participant)
    password_step(client, participant)
    options = client.post("/login/passkey/options").text
    answer = key.sign_in(options)
    assert client.post("/login/passkey", data={"key-credential": answer}).status_code == 302
    password_step(client, participant)
    replayed = client.post("/login/passkey", data={"key-credential": answer})
    assert replayed.status_code == 422 and REFUSED in replayed.text
    assert client.get("/account").headers["Location"].startswith("/login")


def test_only_the_latest_challenge_counts(client, participant, clock):
    key = with_a_key(client, participant)
    password_step(client, participant)
    first = client.post("/login/passkey/options").text
    second = client.post("/login/passkey/options").text
    stale = client.post("/login/passkey", data={"key-credential": key.sign_in(first)})
    assert stale.status_code == 422 and REFUSED in stale.text
    assert client.post("/login/passkey", data={"key-credential": key.sign_in(second)}).status_code == 302


MALFORMED = {
    "": "Security keys need JavaScript in your browser.",
    "not json": REFUSED,
    json.dumps([1, 2]): REFUSED,
    json.dumps({"response": {"clientDataJSON": "%%%"}}): REFUSED,
    json.dumps({"response": {"clientDataJSON": 7}}): REFUSED,
    json.dumps({"id": "x", "response": {"clientDataJSON": "e30"}}): REFUSED,
}


def test_malformed_answers_are_refused_with_a_message(client, participant, clock):
    key = with_a_key(client, participant)
    password_step(client, participant)
    options = client.post("/login/passkey/options").text
    for answer, message in MALFORMED.items():
        response = client.post("/login/passkey", data={"key-credential": answer})
        assert response.status_code == 422 and message in response.text, answer
    # A real answer whose parts are broken: the challenge is spent, the rest fails inside the library.
    broken = json.loads(key.sign_in(options))
    broken["response"]["signature"] = 12
    response = client.post("/login/passkey", data={"key-credential": json.dumps(broken)})
    assert response.status_code == 422 and REFUSED in response.text


def test_an_answer_from_another_origin_or_to_an_old_challenge_is_refused(client, app, participant, clock):
    key = with_a_key(client, participant)
    password_step(client, participant)
    foreign = key_step(client, key, origin="https://dialogue-forum.example.net")
    assert foreign.status_code == 422 and REFUSED in foreign.text
    app.config["WEBAUTHN_CHALLENGE_SECONDS"] = 0
    late = key_step(client, key)
    assert late.status_code == 422 and REFUSED in late.text


def test_another_keys_or_accounts_answer_is_refused(client, app, participant, make_user, clock):
    key = with_a_key(client, participant)
    password_step(client, participant)
    stranger = key_step(client, SoftKey())
    assert stranger.status_code == 422 and REFUSED in stranger.text
    # An answer to Bo's challenge does not sign in Pat, even with Pat's key.
    bo = make_user(name="Bo Other")
    bo_client = app.test_client()
    with_a_key(bo_client, bo)
    password_step(bo_client, bo)
    bo_options = bo_client.post("/login/passkey/options").text
    crossed = client.post("/login/passkey", data={"key-credential": key.sign_in(bo_options)})
    assert crossed.status_code == 422 and REFUSED in crossed.text


def test_adding_a_key_needs_a_recent_proof_and_two_factor_on(client, participant, clock):
    Auth(client).login(participant)
    assert client.post("/account/passkeys/options").status_code == 409
    enrol(client)
    clock[0] += 11 * 60
    assert client.post("/account/passkeys/options").status_code == 409
    refused = client.post("/account/passkeys", data={"key-name": "Key", "key-credential": "{}"})
    assert refused.headers["Location"].startswith("/account/two-factor/confirm")
    assert "Confirm it is you to add a key" in client.get("/account/two-factor").text


def test_a_key_gives_the_recent_proof_sensitive_staff_actions_ask_for(client, admin, clock):
    key = with_a_key(client, admin)
    clock[0] += 11 * 60
    asked = client.get("/admin/words")
    assert asked.headers["Location"].startswith("/account/two-factor/confirm")
    assert "Use a security key" in client.get(asked.headers["Location"]).text
    options = client.post("/login/passkey/options").text
    confirmed = client.post(
        "/account/two-factor/confirm/passkey",
        data={"key-credential": key.sign_in(options), "next": "/admin/words"},
    )
    assert confirmed.headers["Location"] == "/admin/words"
    assert client.get("/admin/words").status_code == 200


def test_a_key_name_is_required_and_turning_two_factor_off_removes_the_keys(client, participant, clock):
    with_a_key(client, participant)
    unnamed = add_key(client, SoftKey(), name="")
    assert unnamed.status_code == 422 and "This field is required." in unnamed.text
    off = client.post(
        "/account/two-factor/disable",
        data={"off-password": PASSWORD, "off-code": next_code(participant.email)},
    )
    assert off.status_code == 302
    assert db.session.scalars(select(WebAuthnCredential)).all() == []


def test_the_command_for_a_lost_device_removes_the_keys_too(client, runner, moderator, clock):
    with_a_key(client, moderator)
    assert runner.invoke(args=["forum", "reset-two-factor", moderator.email]).exit_code == 0
    assert db.session.scalars(select(WebAuthnCredential)).all() == []


def test_the_relying_party_is_the_configured_site_never_the_host_header(app):
    app.config.update(WEBAUTHN_ORIGIN_FROM_REQUEST=False, MAIL_BASE_URL="https://dialogue.example.org/")
    with app.test_request_context("/", headers={"Host": "attacker.example.net"}):
        assert passkeys.relying_party() == ("dialogue.example.org", "https://dialogue.example.org")
        app.config.update(SERVER_NAME="forum.example.int", PREFERRED_URL_SCHEME="https")
        assert passkeys.relying_party() == ("forum.example.int", "https://forum.example.int")
