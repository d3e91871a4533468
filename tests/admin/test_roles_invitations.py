"""Admins grant roles and invite people after the registration deadline."""

import pytest
from sqlalchemy import select

from forum.accounts.models import User
from tests.conftest import Auth

AFTER_DEADLINE = {"REGISTRATION_DEADLINE": "2020-06-25T23:59:59"}


def test_admin_grants_a_role(client, auth, db, admin, participant):
    auth.login(admin)
    response = client.post(f"/admin/users/{participant.id}/role", data={"role": "moderator"})
    assert response.status_code == 302
    db.session.refresh(participant)
    assert participant.role == "moderator"


def test_unknown_role_is_refused(client, auth, db, admin, participant):
    auth.login(admin)
    assert client.post(f"/admin/users/{participant.id}/role", data={"role": "emperor"}).status_code == 400
    db.session.refresh(participant)
    assert participant.role == "participant"


def test_last_admin_keeps_the_role(client, auth, db, admin):
    auth.login(admin)
    response = client.post(
        f"/admin/users/{admin.id}/role", data={"role": "participant"}, follow_redirects=True
    )
    assert "The last administrator cannot lose the role." in response.text
    db.session.refresh(admin)
    assert admin.role == "admin"


def test_participant_cannot_grant_roles(client, db, participant):
    Auth(client).login(participant)
    assert client.post(f"/admin/users/{participant.id}/role", data={"role": "admin"}).status_code == 403
    db.session.refresh(participant)
    assert participant.role == "participant"


def _invite(client, email):
    """Create an invitation through the page and return the link it shows once."""
    response = client.post("/admin/invitations", data={"email": email})
    assert response.status_code == 200
    marker = 'id="invite-link" type="text" readonly value="'
    start = response.text.index(marker) + len(marker)
    return response.text[start : response.text.index('"', start)]


@pytest.mark.parametrize("config_overrides", [AFTER_DEADLINE])
def test_invitation_opens_registration_after_the_deadline(app, client, auth, db, admin):
    auth.login(admin)
    link = _invite(client, "late.delegate@example.org")
    path = link.split("localhost", 1)[1]
    visitor = app.test_client()
    assert visitor.get("/register").status_code == 403
    form = visitor.get(path)
    assert form.status_code == 200
    assert 'value="late.delegate@example.org"' in form.text
    data = {
        "name": "Late Delegate",
        "email": "late.delegate@example.org",
        "password": "late but welcome here",
        "confirm": "late but welcome here",
        "stakeholder_group": "civil_society",
        "country": "",
        "organisation": "Access Now",
        "consent": "y",
    }
    assert visitor.post(path, data=data).status_code == 302
    user = db.session.scalar(select(User).where(User.email == "late.delegate@example.org"))
    assert user.status == "verified"
    reused = app.test_client().get(path)
    assert reused.status_code == 410
    assert "invalid, expired or already used" in reused.text


@pytest.mark.parametrize("config_overrides", [AFTER_DEADLINE])
def test_invitation_is_for_its_own_email_only(app, client, auth, db, admin):
    auth.login(admin)
    path = _invite(client, "invited@example.org").split("localhost", 1)[1]
    data = {
        "name": "Someone Else",
        "email": "someone.else@example.org",
        "password": "late but welcome here",
        "confirm": "late but welcome here",
        "stakeholder_group": "academia",
        "organisation": "Somewhere",
        "consent": "y",
    }
    response = app.test_client().post(path, data=data)
    assert response.status_code == 422
    assert "the invitation was made for" in response.text
    assert db.session.scalar(select(User).where(User.email == "someone.else@example.org")) is None


def test_tampered_invitation_link_is_refused(client):
    response = client.get("/register?invite=not-a-real-token")
    assert response.status_code == 410


def test_invitation_for_an_existing_account_is_refused(client, auth, admin, participant):
    auth.login(admin)
    response = client.post("/admin/invitations", data={"email": participant.email})
    assert response.status_code == 422
    assert "already exists" in response.text
