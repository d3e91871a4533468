"""Registration: the happy path, every bad input, and the deadline."""

import pytest
from sqlalchemy import func, select

from forum.accounts.models import User

VALID = {
    "name": "Amara Okafor",
    "email": "Amara.Okafor@Example.org ",
    "password": "a long enough passphrase",
    "confirm": "a long enough passphrase",
    "stakeholder_group": "member_state",
    "country": "NG",
    "organisation": "Federal Ministry of Communications",
    "job_title": "Director",
    "consent": "y",
}


def user_count(db):
    """How many accounts exist."""
    return db.session.scalar(select(func.count()).select_from(User))


def test_register_creates_a_pending_account_then_the_user_signs_in(client, db):
    """The answer sends the registrant to their mail; they sign in with the new password meanwhile."""
    response = client.post("/register", data=VALID)
    assert response.status_code == 302
    user = db.session.scalar(select(User))
    assert user.email == "amara.okafor@example.org"
    assert user.status == "pending"
    assert user.country == "NG"
    assert user.password_hash.startswith("$argon2id$")
    page = client.get(response.headers["Location"]).text
    assert "Check your mail" in page
    assert "Sign out" not in page
    signed_in = client.post("/login", data={"email": VALID["email"], "password": VALID["password"]})
    assert signed_in.status_code == 302
    profile = client.get(f"/users/{user.id}").text
    assert "Amara Okafor" in profile
    assert "awaiting verification" in profile


def test_register_form_has_visible_labels(client):
    page = client.get("/register").text
    for field_id in ("name", "email", "password", "confirm", "stakeholder_group", "country", "organisation"):
        assert f'<label for="{field_id}"' in page


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"name": ""}, "name", "This field is required."),
        ({"email": "not-an-email"}, "email", "Enter a valid email address."),
        ({"password": "short", "confirm": "short"}, "password", "at least 8 characters"),
        ({"password": "password123", "confirm": "password123"}, "password", "too common"),
        ({"confirm": "something else entirely"}, "confirm", "The two passwords differ."),
        ({"country": ""}, "country", "must give the country they represent"),
        ({"stakeholder_group": "aliens"}, "stakeholder_group", "Not a valid choice"),
        ({"organisation": ""}, "organisation", "This field is required."),
        ({"country": "XX"}, "country", "Not a valid choice"),
    ],
)
def test_bad_input_reshows_the_form_beside_the_field(client, db, changes, field, message):
    data = {**VALID, **changes}
    response = client.post("/register", data=data)
    assert response.status_code == 422
    page = response.text
    assert f'id="{field}-error"' in page
    error_start = page.index(f'id="{field}-error"')
    assert message in page[error_start : error_start + 300]
    assert (
        f'aria-describedby="{field}-help {field}-error"' in page
        or f'aria-describedby="{field}-error"' in page
    )
    assert 'value="Amara Okafor"' in page or changes.get("name") == ""
    assert "Federal Ministry of Communications" in page or changes.get("organisation") == ""
    assert user_count(db) == 0


def test_too_long_password_is_refused(client, db):
    long_password = "x" * 60 + "yz" * 40
    response = client.post("/register", data={**VALID, "password": long_password, "confirm": long_password})
    assert response.status_code == 422
    assert "at most 128 characters" in response.text
    assert user_count(db) == 0


def test_sixty_four_character_password_is_accepted(client, db):
    password = "The Global Dialogue meets in Geneva on six and seven July twenty26"[:64]
    assert len(password) == 64
    response = client.post("/register", data={**VALID, "password": password, "confirm": password})
    assert response.status_code == 302


def test_password_is_never_echoed_back(client):
    response = client.post("/register", data={**VALID, "name": ""})
    assert VALID["password"] not in response.text


@pytest.mark.parametrize("config_overrides", [{"REGISTRATION_DEADLINE": "2020-06-25T23:59:59"}])
def test_registration_closed_after_the_deadline(client, db):
    page = client.get("/register")
    assert page.status_code == 403
    assert "Registration is closed" in page.text
    assert "Jun 25, 2020, 11:59\u202fPM Geneva time (UTC+2)" in page.text
    response = client.post("/register", data=VALID)
    assert response.status_code == 403
    assert user_count(db) == 0


def test_signed_in_user_is_sent_to_their_profile(client, auth, participant):
    auth.login(participant)
    response = client.get("/register")
    assert response.status_code == 302
    assert f"/users/{participant.id}" in response.headers["Location"]


@pytest.mark.parametrize("config_overrides", [{"REGISTER_LIMIT_PER_IP": "2 per hour"}])
def test_registrations_are_throttled_per_address(app, db):
    for n in range(2):
        app.test_client().post("/register", data={**VALID, "email": f"person{n}@example.org"})
    response = app.test_client().post("/register", data={**VALID, "email": "third@example.org"})
    assert response.status_code == 429
    assert int(response.headers["Retry-After"]) > 0
    assert "Too many registrations from your network" in response.text
    assert 'value="Amara Okafor"' in response.text
    assert user_count(db) == 2
