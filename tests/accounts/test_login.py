"""Sign in and out: fresh sessions, safe redirects, throttling, sessions ended elsewhere."""

import pytest

from tests.conftest import PASSWORD, Auth


def test_login_then_profile_shows_the_badge(client, auth, participant):
    response = auth.login(participant)
    assert response.status_code == 302
    page = client.get(f"/users/{participant.id}").text
    assert "Academia" in page
    assert "Verified" in page
    assert "Sign out" in client.get("/").text


def test_wrong_password_keeps_the_email_and_says_why(client, participant):
    response = client.post("/login", data={"email": participant.email, "password": "wrong password"})
    assert response.status_code == 422
    assert "Incorrect email address or password." in response.text
    assert f'value="{participant.email}"' in response.text


def test_unknown_email_gets_the_same_message(client):
    response = client.post("/login", data={"email": "nobody@example.org", "password": "whatever it is"})
    assert response.status_code == 422
    assert "Incorrect email address or password." in response.text


def test_email_case_does_not_matter(client, participant):
    response = client.post("/login", data={"email": participant.email.upper(), "password": PASSWORD})
    assert response.status_code == 302


def test_login_replaces_the_session(client, participant):
    """Signing in starts a new session; the language chosen before, in its own cookie, stays."""
    client.post("/language", data={"language": "fr"})
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    Auth(client).login(participant)
    with client.session_transaction() as session:
        assert "planted" not in session
    assert '<html lang="fr"' in client.get("/").text


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/programme", "/programme"),
        ("https://evil.example/", "/"),
        ("//evil.example/", "/"),
        ("/\\evil.example", "/"),
        ("javascript:alert(1)", "/"),
    ],
)
def test_next_redirect_only_within_the_site(client, participant, target, expected):
    response = client.post(f"/login?next={target}", data={"email": participant.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"] == expected


def test_login_is_throttled_per_account_with_retry_after(client, participant):
    for _ in range(5):
        client.post("/login", data={"email": participant.email, "password": "wrong password"})
    response = client.post("/login", data={"email": participant.email, "password": PASSWORD})
    assert response.status_code == 429
    assert int(response.headers["Retry-After"]) > 0
    assert "Too many failed sign-in attempts" in response.text


@pytest.mark.parametrize("config_overrides", [{"LOGIN_LIMIT_PER_IP": "3 per 15 minutes"}])
def test_login_is_throttled_per_address_across_accounts(client, make_user):
    for n in range(3):
        client.post("/login", data={"email": f"someone{n}@example.org", "password": "wrong password"})
    user = make_user()
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 429
    assert "Retry-After" in response.headers


def test_logout_ends_every_session_of_the_account(app, participant):
    first, second = app.test_client(), app.test_client()
    Auth(first).login(participant)
    Auth(second).login(participant)
    assert "Sign out" in second.get("/").text
    Auth(first).logout()
    assert "Sign out" not in first.get("/").text
    assert "Sign out" not in second.get("/").text


def test_logout_needs_post(client, auth, participant):
    auth.login(participant)
    assert client.get("/logout").status_code == 405


@pytest.mark.parametrize(
    ("value", "claim"),
    [
        ("12:tok:en", (12, "tok:en")),
        ("12:", (12, "")),
        ("12", (12, "")),
        (":tok", None),
        ("²:tok", None),
        (None, None),
    ],
)
def test_a_session_id_is_read_back_as_row_and_token(value, claim):
    """What User.get_id wrote, and nothing else, names a user row."""
    from forum.accounts.models import parse_user_id

    assert parse_user_id(value) == claim
