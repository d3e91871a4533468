"""Changing one's email address: the new address confirms it first, the old one is told."""

from forum.accounts.models import User
from forum.extensions import db
from tests.conftest import PASSWORD, Auth
from tests.mail.conftest import links, old_token, text_of


def ask(client, email="new.address@example.org", password=PASSWORD):
    """Submit the change form."""
    return client.post("/account/email", data={"email": email, "password": password})


def email_of(user_id):
    """The user's address, read fresh."""
    db.session.expire_all()
    return db.session.get(User, user_id).email


def test_the_new_address_confirms_the_change_and_the_old_one_is_told(client, deliver, participant):
    Auth(client).login(participant)
    assert "Change my email address" in client.get("/account/email").text
    response = ask(client)
    assert response.status_code == 302
    messages = deliver()
    [to_new] = [m for m in messages if m["To"] == "new.address@example.org"]
    [to_old] = [m for m in messages if m["To"] == participant.email]
    assert "new.address@example.org" in text_of(to_old) and "change your password" in text_of(to_old)
    assert email_of(participant.id) == participant.email  # nothing changes before the link
    [link] = [path for path in links(to_new) if path.startswith("/account/email/confirm/")]
    done = client.get(link)
    assert done.status_code == 200 and "new.address@example.org is confirmed" in done.text
    assert email_of(participant.id) == "new.address@example.org"
    assert client.get(link).status_code == 410  # used: the address it moves from has changed


def test_refusals_are_shown_beside_the_field(client, participant, make_user):
    make_user(email="taken@example.org")
    Auth(client).login(participant)
    wrong = ask(client, password="not my password")
    assert wrong.status_code == 422 and 'id="password-error"' in wrong.text
    taken = ask(client, email="Taken@Example.org")
    assert taken.status_code == 422 and "already exists" in taken.text
    same = ask(client, email=participant.email)
    assert same.status_code == 422 and "already your email address" in same.text
    bad = ask(client, email="not an address")
    assert bad.status_code == 422 and 'id="email-error"' in bad.text


def test_an_expired_or_forged_link_changes_nothing(app, client, participant):
    payload = {"u": participant.id, "o": participant.email, "e": "late@example.org"}
    expired = client.get(f"/account/email/confirm/{old_token(app, 'email-change', payload, 25 * 3600)}")
    assert expired.status_code == 410
    assert client.get("/account/email/confirm/not-a-token").status_code == 400
    assert email_of(participant.id) == participant.email


def test_the_form_needs_a_signed_in_user(client):
    assert "/login" in client.get("/account/email").headers["Location"]
