"""Address confirmation: the mail at registration, the link, its expiry, and a new link on request."""

from forum.accounts.models import find_by_email
from forum.mail import tokens
from tests.conftest import PASSWORD
from tests.mail.conftest import html_of, links, old_token, text_of

FORM = {
    "name": "Rosa Registrant",
    "email": "rosa@example.org",
    "password": PASSWORD,
    "confirm": PASSWORD,
    "stakeholder_group": "academia",
    "country": "CH",
    "organisation": "University of Geneva",
    "consent": "y",
}


def register(client, **changes):
    """Register through the real form."""
    return client.post("/register", data={**FORM, **changes})


def test_registration_mails_a_link_that_confirms_the_address(client, deliver, db, admin, auth):
    assert register(client).status_code == 302
    [message] = [m for m in deliver() if m["To"] == "rosa@example.org"]
    assert message.get_content_type() == "multipart/alternative"
    assert "List-Unsubscribe" not in message
    assert "<img" not in html_of(message)
    [link] = [path for path in links(message) if path.startswith("/confirm-email/")]
    assert f'href="http://localhost{link}"' in html_of(message)
    page = client.get(link)
    assert page.status_code == 200
    assert "rosa@example.org is confirmed" in page.get_data(as_text=True)
    user = find_by_email("rosa@example.org")
    db.session.refresh(user)
    assert user.email_confirmed_at is not None
    client.post("/logout")
    auth.login(admin)
    detail = client.get(f"/admin/registrations/{user.id}").get_data(as_text=True)
    assert "address confirmed on" in detail


def test_the_secretariat_sees_an_unconfirmed_address(client, deliver, admin, auth):
    register(client)
    client.post("/logout")
    auth.login(admin)
    listing = client.get("/admin/registrations").get_data(as_text=True)
    assert "address not confirmed" in listing
    user = find_by_email("rosa@example.org")
    assert "address not confirmed" in client.get(f"/admin/registrations/{user.id}").get_data(as_text=True)


def test_the_mail_is_in_the_registrants_language(client, deliver):
    client.post("/language", data={"language": "fr"})
    register(client)
    [message] = deliver()
    assert message["Content-Language"] == "fr"
    assert message["Subject"] == "Confirmez votre adresse électronique pour le Forum du Dialogue"
    assert "Confirmer mon adresse électronique" in html_of(message)


def test_a_tampered_link_gets_a_clear_page(client, participant):
    token = tokens.confirmation_token(participant)
    page = client.get(f"/confirm-email/{token[:-3]}xyz")
    assert page.status_code == 400
    assert "This link is not valid" in page.get_data(as_text=True)


def test_an_expired_link_gets_a_clear_page(app, client, participant):
    token = old_token(app, "mail-confirm", {"u": participant.id, "e": participant.email}, 8 * 24 * 3600)
    page = client.get(f"/confirm-email/{token}")
    assert page.status_code == 410
    assert "This link has expired" in page.get_data(as_text=True)


def test_a_link_for_an_earlier_address_no_longer_works(client, db, participant):
    token = tokens.confirmation_token(participant)
    participant.email = "new-address@example.org"
    db.session.commit()
    assert client.get(f"/confirm-email/{token}").status_code == 410
    db.session.refresh(participant)
    assert participant.email_confirmed_at is None


def test_a_signed_in_user_asks_for_a_new_link_within_limits(client, deliver, auth, participant):
    auth.login(participant)
    profile = client.get(f"/users/{participant.id}").get_data(as_text=True)
    assert "is not confirmed yet" in profile
    for _attempt in range(3):
        assert client.post("/confirm-email/resend").status_code == 302
    client.post("/confirm-email/resend")
    page = client.get(f"/users/{participant.id}").get_data(as_text=True)
    assert "Too many confirmation mails" in page
    received = deliver()
    assert len(received) == 3
    link = next(path for path in links(received[-1]) if path.startswith("/confirm-email/"))
    assert client.get(link).status_code == 200
    assert "is confirmed" in client.get(f"/users/{participant.id}").get_data(as_text=True)
    assert "Dear Pat Participant" in text_of(received[0])
