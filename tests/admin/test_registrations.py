"""The secretariat verifies or rejects registrations; everyone else is kept out."""

import pytest

from tests.conftest import Auth

ADMIN_PAGES = ["/admin/", "/admin/registrations", "/admin/users", "/admin/invitations", "/admin/themes"]


@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_anonymous_is_sent_to_sign_in(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


@pytest.mark.parametrize("role", ["participant", "moderator", "chair"])
@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_non_admins_get_403(client, make_user, role, path):
    Auth(client).login(make_user(role=role))
    response = client.get(path)
    assert response.status_code == 403
    assert "You may not open this page" in response.text


def test_pending_list_with_filters(client, auth, admin, make_user):
    make_user(status="pending", name="Kenyan Delegate", stakeholder_group="member_state", country="KE")
    make_user(status="pending", name="Chilean Researcher", stakeholder_group="academia", country="CL")
    make_user(status="verified", name="Already Verified")
    auth.login(admin)
    page = client.get("/admin/registrations").text
    assert "Kenyan Delegate" in page and "Chilean Researcher" in page
    assert "Already Verified" not in page
    assert 'id="pending-count">2<' in page
    by_group = client.get("/admin/registrations?group=member_state").text
    assert "Kenyan Delegate" in by_group and "Chilean Researcher" not in by_group
    by_country = client.get("/admin/registrations?country=CL").text
    assert "Chilean Researcher" in by_country and "Kenyan Delegate" not in by_country
    by_text = client.get("/admin/registrations?q=kenyan").text
    assert "Kenyan Delegate" in by_text and "Chilean Researcher" not in by_text
    everyone = client.get("/admin/registrations?status=").text
    assert "Already Verified" in everyone


def test_verify(client, auth, db, admin, pending_user):
    auth.login(admin)
    response = client.post(f"/admin/registrations/{pending_user.id}", data={"decision": "verified"})
    assert response.status_code == 302
    db.session.refresh(pending_user)
    assert pending_user.status == "verified"
    assert pending_user.status_changed_by_id == admin.id


def test_reject_needs_a_reason_and_the_applicant_sees_it(app, client, auth, db, admin, pending_user):
    auth.login(admin)
    url = f"/admin/registrations/{pending_user.id}"
    missing = client.post(url, data={"decision": "rejected", "reason": "  "})
    assert missing.status_code == 422
    assert "Give the applicant a reason" in missing.text
    db.session.refresh(pending_user)
    assert pending_user.status == "pending"
    response = client.post(url, data={"decision": "rejected", "reason": "Not an accredited organisation."})
    assert response.status_code == 302
    applicant = app.test_client()
    Auth(applicant).login(pending_user)
    page = applicant.get(f"/users/{pending_user.id}").text
    assert "Not an accredited organisation." in page
    assert "Registration rejected" in page


def test_second_decision_is_told_who_decided(client, auth, db, admin, make_user, pending_user):
    other_admin = make_user(role="admin", name="Other Admin")
    from forum.accounts.services import decide_registration

    decide_registration(other_admin, pending_user.id, "verified")
    auth.login(admin)
    response = client.post(
        f"/admin/registrations/{pending_user.id}", data={"decision": "rejected", "reason": "Too late"}
    )
    assert response.status_code == 422
    assert "Already handled" in response.text
    assert "Other Admin" in response.text
    db.session.refresh(pending_user)
    assert pending_user.status == "verified"


def test_rejected_registration_can_be_verified_later(client, auth, db, admin, pending_user):
    auth.login(admin)
    url = f"/admin/registrations/{pending_user.id}"
    client.post(url, data={"decision": "rejected", "reason": "Missing organisation"})
    client.post(url, data={"decision": "verified"})
    db.session.refresh(pending_user)
    assert pending_user.status == "verified"
    assert pending_user.status_reason is None


def test_unknown_registration_is_404(client, auth, admin):
    auth.login(admin)
    assert client.get("/admin/registrations/4242").status_code == 404
    assert client.post("/admin/registrations/4242", data={"decision": "verified"}).status_code == 404


def test_withdrawing_a_verification_needs_a_reason_and_is_audited(app, client, auth, db, admin, participant):
    """A verified account's page offers the withdrawal; it rejects the account with the reason, once."""
    from forum.audit.models import AuditEntry

    auth.login(admin)
    url = f"/admin/registrations/{participant.id}"
    assert 'value="withdrawn"' in client.get(url).text
    missing = client.post(url, data={"decision": "withdrawn", "reason": " "})
    assert missing.status_code == 422 and "Give the participant a reason" in missing.text
    done = client.post(url, data={"decision": "withdrawn", "reason": "Not the delegate they claimed to be"})
    assert done.status_code == 302
    db.session.refresh(participant)
    assert participant.status == "rejected"
    [entry] = db.session.scalars(db.select(AuditEntry).where(AuditEntry.action == "user.unverify")).all()
    assert (entry.actor_id, entry.target_id) == (admin.id, participant.id)
    assert entry.reason == "Not the delegate they claimed to be"
    again = client.post(url, data={"decision": "withdrawn", "reason": "Twice"})
    assert again.status_code == 422 and "This account is not verified." in again.text
    own = app.test_client()
    Auth(own).login(participant)
    assert "Not the delegate they claimed to be" in own.get(f"/users/{participant.id}").text
