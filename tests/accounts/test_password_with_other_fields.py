"""A weak password is pointed out together with the form's other mistakes, not only once they are fixed."""

from tests.accounts.test_register import VALID, user_count


def error_of(page, field):
    """The error text shown beside `field`, or None."""
    marker = f'id="{field}-error"'
    if marker not in page:
        return None
    start = page.index(marker)
    return page[start : page.index("</p>", start)]


def test_registration_names_a_weak_password_with_the_other_mistakes(client, db):
    data = {**VALID, "name": "", "organisation": "", "password": "short", "confirm": "short"}
    response = client.post("/register", data=data)
    assert response.status_code == 422
    page = response.text
    assert "This field is required." in error_of(page, "name")
    assert "This field is required." in error_of(page, "organisation")
    assert "at least 8 characters" in error_of(page, "password")
    assert user_count(db) == 0


def test_a_common_password_is_named_beside_a_bad_address(client, db):
    data = {**VALID, "email": "not-an-email", "password": "password123", "confirm": "password123"}
    page = client.post("/register", data=data).text
    assert "Enter a valid email address." in error_of(page, "email")
    assert "too common" in error_of(page, "password")


def test_a_new_password_is_judged_beside_the_confirmation(client, auth, participant):
    auth.login(participant)
    data = {"current_password": "whatever", "new_password": "qwerty123", "confirm": "qwerty124"}
    page = client.post("/account/password", data=data).text
    assert "too common" in error_of(page, "new_password")
    assert "The two passwords differ." in error_of(page, "confirm")
