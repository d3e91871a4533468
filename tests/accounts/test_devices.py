"""Device cookies: strangers' guesses never lock a participant's own browser out of their account."""

import time

import pytest
from itsdangerous import TimestampSigner, URLSafeTimedSerializer

from tests.conftest import Auth

WRONG = "not the password at all"
DEVICE = "forum_device"


def recognised(app, user):
    """A browser that signed in to `user` once and signed out: it holds a device cookie."""
    browser = app.test_client()
    assert Auth(browser).login(user).status_code == 302
    assert browser.get_cookie(DEVICE, path="/login") is not None
    Auth(browser).logout()
    return browser


def guess(client, user, times):
    """Wrong passwords from `client`; returns the last answer."""
    for _attempt in range(times):
        answer = client.post("/login", data={"email": user.email, "password": WRONG})
    return answer


def test_strangers_guesses_do_not_lock_out_a_recognised_browser(app, participant):
    """Five wrong guesses from elsewhere throttle elsewhere; the owner's browser still signs in."""
    owner = recognised(app, participant)
    stranger = app.test_client()
    assert guess(stranger, participant, 5).status_code == 422
    refused = Auth(stranger).login(participant)
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) > 0
    assert "Too many failed sign-in attempts" in refused.text
    assert Auth(owner).login(participant).status_code == 302


def test_a_recognised_browser_is_throttled_after_its_own_failures(app, participant):
    """A device cookie is locked out after N failures of its own, without touching other browsers."""
    owner = recognised(app, participant)
    guess(owner, participant, 5)
    refused = Auth(owner).login(participant)
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) > 0
    assert Auth(app.test_client()).login(participant).status_code == 302


def test_a_device_cookie_counts_only_for_its_own_account(app, make_user, participant):
    """Presented for another account, the cookie is not trusted: that account's stranger budget applies."""
    browser = recognised(app, participant)
    other = make_user()
    guess(browser, other, 5)
    assert Auth(browser).login(other).status_code == 429
    assert Auth(browser).login(participant).status_code == 302


@pytest.mark.parametrize(
    "forge",
    [
        lambda app, user: "not-a-device-cookie",
        lambda app, user: URLSafeTimedSerializer("another key", salt="device-cookie").dumps(
            {"u": user.id, "n": "guessed"}
        ),
        lambda app, user: URLSafeTimedSerializer(
            app.config["SECRET_KEY"], salt="device-cookie", signer=PastSigner
        ).dumps({"u": user.id, "n": "too-old"}),
    ],
    ids=["garbage", "other-key", "expired"],
)
def test_a_forged_or_expired_device_cookie_is_a_stranger(app, participant, forge):
    """Only a cookie the site signed, for this account, within DEVICE_COOKIE_DAYS, is trusted."""
    attacker = app.test_client()
    attacker.set_cookie(DEVICE, forge(app, participant), path="/login")
    guess(attacker, participant, 5)
    assert Auth(attacker).login(participant).status_code == 429


class PastSigner(TimestampSigner):
    """Signs as if a year and a day ago."""

    def get_timestamp(self):
        """A timestamp older than DEVICE_COOKIE_DAYS (365)."""
        return int(time.time()) - 366 * 24 * 3600


@pytest.mark.parametrize("config_overrides", [{"LOGIN_LIMIT_PER_IP": "3 per 15 minutes"}])
def test_a_recognised_browser_signs_in_behind_a_throttled_address(app, make_user, participant):
    """Delegates share the venue's address: a stranger's guesses there do not lock out known browsers."""
    owner = recognised(app, participant)
    stranger = app.test_client()
    for n in range(3):
        stranger.post("/login", data={"email": f"someone{n}@example.org", "password": WRONG})
    assert Auth(stranger).login(make_user()).status_code == 429
    assert Auth(owner).login(participant).status_code == 302


@pytest.mark.parametrize("secure", [False, True])
def test_the_device_cookie_is_http_only_lax_long_lived_and_for_the_sign_in_form(app, participant, secure):
    """HttpOnly, SameSite=Lax, Secure when sessions are, a year, sent to /login only; signed, no email."""
    app.config["SESSION_COOKIE_SECURE"] = secure
    response = Auth(app.test_client()).login(participant)
    [header] = [h for h in response.headers.getlist("Set-Cookie") if h.startswith(f"{DEVICE}=")]
    attributes = [part.strip() for part in header.split(";")]
    assert "HttpOnly" in attributes
    assert "SameSite=Lax" in attributes
    assert "Path=/login" in attributes
    assert f"Max-Age={365 * 24 * 3600}" in attributes
    assert ("Secure" in attributes) is secure
    assert participant.email not in header


def test_each_sign_in_issues_a_new_device_cookie(app, participant):
    """A fresh nonce at every successful sign-in (OWASP), so a copied cookie does not follow the owner."""
    browser = recognised(app, participant)
    first = browser.get_cookie(DEVICE, path="/login").value
    Auth(browser).login(participant)
    assert browser.get_cookie(DEVICE, path="/login").value != first
