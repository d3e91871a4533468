"""The language switcher: a preference cookie for anonymous visitors, the account's language when signed in.

CSRF protection is on, as in production: an anonymous visitor's form carries no token (their pages must
set no cookie), so the browser's same-origin headers stand in for it.
"""

import json
import logging
import re

import pytest

from tests.conftest import PASSWORD

pytestmark = pytest.mark.parametrize("config_overrides", [{"WTF_CSRF_ENABLED": True}])
SAME_ORIGIN = {"Sec-Fetch-Site": "same-origin"}


def switch(client, language="fr", headers=None, **fields):
    """Send the switcher's form."""
    return client.post(
        "/language", data={"language": language, "next": "/programme", **fields}, headers=headers
    )


def test_the_anonymous_switcher_has_no_token(client, db):
    """The switcher of an anonymous page works without a token: the page sets no cookie."""
    page = client.get("/programme")
    form = re.search(r"<form[^>]*language-switcher.*?</form>", page.text, re.S).group(0)
    assert "csrf_token" not in form
    assert "Set-Cookie" not in page.headers


def test_an_anonymous_choice_is_a_preference_cookie_and_no_session(client, db):
    """The choice sets only the language cookie; the next pages are in that language and still shareable."""
    response = switch(client, headers=SAME_ORIGIN)
    assert response.status_code == 302
    assert response.headers["Location"] == "/programme"
    [cookie] = response.headers.getlist("Set-Cookie")
    assert cookie.startswith("language=fr;")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Max-Age=31536000" in cookie
    page = client.get("/programme")
    assert '<html lang="fr"' in page.text
    assert "Set-Cookie" not in page.headers
    assert page.headers["Cache-Control"].startswith("public")


@pytest.mark.parametrize(
    "headers",
    [
        {"Sec-Fetch-Site": "same-origin"},
        {"Origin": "http://localhost"},
        {"Referer": "http://localhost/programme"},
    ],
    ids=["fetch-metadata", "origin", "referer"],
)
def test_the_browser_proves_the_form_is_ours(client, db, headers):
    """Fetch Metadata, else Origin, else Referer shows that one of our pages sent the form."""
    assert switch(client, headers=headers).status_code == 302


@pytest.mark.parametrize(
    "headers",
    [
        {"Sec-Fetch-Site": "cross-site", "Origin": "http://localhost"},
        {"Sec-Fetch-Site": "same-site"},
        {"Origin": "https://evil.example"},
        {"Origin": "null"},
        {"Referer": "https://evil.example/localhost"},
        {},
    ],
    ids=["cross-site", "same-site", "foreign-origin", "null-origin", "foreign-referer", "no-proof"],
)
def test_a_form_from_elsewhere_is_refused(client, db, headers, caplog):
    """Another site cannot change a visitor's language: 400, no cookie, and a security event."""
    with caplog.at_level(logging.INFO, logger="forum.security"):
        response = switch(client, headers=headers)
    assert response.status_code == 400
    assert "The form expired or was sent from another page." in response.text
    assert "Set-Cookie" not in response.headers
    [event] = [json.loads(r.getMessage()) for r in caplog.records if r.name == "forum.security"]
    assert event["event"] == "language.refused"


def test_a_signed_in_choice_needs_the_token_and_goes_on_the_account(client, db, participant):
    """Signed in, the page's token is required (same-origin headers are not enough); the account keeps it."""
    form = client.get("/login").text
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form).group(1)
    client.post("/login", data={"email": participant.email, "password": PASSWORD, "csrf_token": token})
    page = client.get("/programme").text
    meta = re.search(r'<meta name="csrf-token" content="([^"]+)"', page).group(1)
    switcher = re.search(r"<form[^>]*language-switcher.*?</form>", page, re.S).group(0)
    assert f'name="csrf_token" value="{meta}"' in switcher
    assert switch(client, headers=SAME_ORIGIN).status_code == 400
    db.session.refresh(participant)
    assert participant.locale is None
    assert switch(client, csrf_token=meta).status_code == 302
    db.session.refresh(participant)
    assert participant.locale == "fr"


def test_an_unknown_language_is_refused(client, db):
    """A language the forum does not offer is a 400 and sets nothing."""
    response = switch(client, language="xx", headers=SAME_ORIGIN)
    assert response.status_code == 400
    assert "Set-Cookie" not in response.headers
