"""The secretariat reviews changes of verified identity: the queue, accept, decline with a reason, audited."""

import json
import logging

import pytest
from sqlalchemy import select

from forum.accounts import editing
from forum.admin.services import decide_identity_change
from forum.audit.models import AuditEntry
from forum.mail.models import OutboxMessage
from forum.notifications.models import Notification
from tests.conftest import Auth

NEW_IDENTITY = {"stakeholder_group": "member_state", "country": "KE", "organisation": "Ministry of ICT"}


@pytest.fixture
def request_change(db):
    """Make `user` ask for `wanted` (NEW_IDENTITY by default) through the profile rules."""

    def factory(user, **wanted):
        data = {"name": user.name, "handle": user.handle, "job_title": user.job_title}
        return editing.update_profile(user, {**data, **NEW_IDENTITY, **wanted})

    return factory


@pytest.mark.parametrize("role", ["participant", "moderator", "chair"])
def test_only_the_secretariat_opens_the_queue(client, make_user, request_change, participant, role):
    """Everyone but admins gets 403, on the list and on a request."""
    change = request_change(participant)
    Auth(client).login(make_user(role=role))
    assert client.get("/admin/identity-changes").status_code == 403
    assert client.get(f"/admin/identity-changes/{change.id}").status_code == 403
    assert (
        client.post(f"/admin/identity-changes/{change.id}", data={"decision": "accepted"}).status_code == 403
    )


def test_queue_with_filters_and_count(client, auth, admin, make_user, request_change):
    """Pending requests by default, with a count; filters by state, requested group and text."""
    kenya = make_user(name="Kenyan Delegate")
    chile = make_user(name="Chilean Researcher")
    request_change(kenya)
    request_change(chile, stakeholder_group="civil_society", country="CL", organisation="Derechos Digitales")
    auth.login(admin)
    page = client.get("/admin/identity-changes").text
    assert "Kenyan Delegate" in page and "Chilean Researcher" in page
    assert 'id="identity-pending-count">2<' in page
    assert '<label for="f-state">' in page and '<label for="f-group">' in page and '<label for="f-q">' in page
    by_group = client.get("/admin/identity-changes?group=member_state").text
    assert "Kenyan Delegate" in by_group and "Chilean Researcher" not in by_group
    by_text = client.get("/admin/identity-changes?q=chilean").text
    assert "Chilean Researcher" in by_text and "Kenyan Delegate" not in by_text
    assert "Kenyan Delegate" not in client.get("/admin/identity-changes?state=accepted").text
    assert client.get("/admin/identity-changes?state=nonsense").status_code == 400


def test_accepting_applies_the_change_audited_and_tells_the_participant(
    app, client, auth, db, admin, participant, request_change, caplog
):
    """The identity changes, audited from what to what; the participant gets a mail and a notice."""
    change = request_change(participant)
    auth.login(admin)
    page = client.get(f"/admin/identity-changes/{change.id}").text
    assert "University of Geneva" in page and "Ministry of ICT" in page
    assert "Reason (shown to the participant; required to decline)" in page
    with caplog.at_level(logging.INFO, logger="forum.security"):
        response = client.post(f"/admin/identity-changes/{change.id}", data={"decision": "accepted"})
    assert response.status_code == 303
    db.session.refresh(participant)
    assert (participant.stakeholder_group, participant.country, participant.organisation) == (
        "member_state",
        "KE",
        "Ministry of ICT",
    )
    assert participant.is_verified
    db.session.refresh(change)
    assert (change.state, change.decided_by_id) == ("accepted", admin.id)
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "identity.accept"))
    assert (entry.actor_id, entry.target_id) == (admin.id, participant.id)
    assert (
        entry.before["stakeholder_group"] == "academia" and entry.after["stakeholder_group"] == "member_state"
    )
    mail = db.session.scalar(select(OutboxMessage).where(OutboxMessage.user_id == participant.id))
    assert mail.kind == "identity_accepted" and "accepted your change of identity" in mail.text_body
    kinds = db.session.scalars(select(Notification.kind).where(Notification.user_id == participant.id)).all()
    assert kinds == ["identity_accepted"]
    lines = [json.loads(r.getMessage()) for r in caplog.records if r.name == "forum.security"]
    assert [line for line in lines if line["event"] == "identity.change_decided"] == [
        {
            "event": "identity.change_decided",
            "staff_id": admin.id,
            "user_id": participant.id,
            "change_id": change.id,
            "decision": "accepted",
        }
    ]
    assert "Accepted a change of identity" in client.get("/moderation/audit").text


def test_declining_needs_a_reason_that_the_participant_sees(
    app, client, auth, db, admin, participant, request_change
):
    """No reason: refused beside the field. With one: the identity stays, and the participant reads why."""
    change = request_change(participant)
    auth.login(admin)
    url = f"/admin/identity-changes/{change.id}"
    missing = client.post(url, data={"decision": "declined", "reason": " "})
    assert missing.status_code == 422
    assert "Give the participant a reason for declining." in missing.text
    response = client.post(
        url, data={"decision": "declined", "reason": "You do not represent a Member State."}
    )
    assert response.status_code == 303
    db.session.refresh(participant)
    assert (participant.stakeholder_group, participant.organisation) == ("academia", "University of Geneva")
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "identity.decline")).reason == (
        "You do not represent a Member State."
    )
    mine = app.test_client()
    Auth(mine).login(participant)
    page = mine.get("/account").text
    assert "The secretariat declined your change of identity" in page
    assert "You do not represent a Member State." in page
    notes = mine.get("/notifications").text
    assert "The secretariat declined your change of identity" in notes and "You do not represent" in notes


def test_a_second_decision_is_told_who_decided(
    client, auth, db, admin, make_user, participant, request_change
):
    """Two secretariat members at once: the second learns the first decided."""
    change = request_change(participant)
    decide_identity_change(make_user(role="admin", name="Other Admin"), change.id, "accepted")
    auth.login(admin)
    response = client.post(
        f"/admin/identity-changes/{change.id}", data={"decision": "declined", "reason": "No"}
    )
    assert response.status_code == 422
    assert "Already handled: Accepted by Other Admin." in response.text
    db.session.refresh(participant)
    assert participant.stakeholder_group == "member_state"


def test_a_withdrawn_request_cannot_be_accepted(client, auth, db, admin, participant, request_change):
    """The participant withdrew: accepting it changes nothing."""
    change = request_change(participant)
    editing.withdraw_change(participant)
    auth.login(admin)
    response = client.post(f"/admin/identity-changes/{change.id}", data={"decision": "accepted"})
    assert response.status_code == 422
    db.session.refresh(participant)
    assert participant.stakeholder_group == "academia"


def test_staff_see_the_name_and_handle_history(client, auth, db, admin, moderator, participant):
    """Renames are listed on the secretariat's registration page and the moderators' user page."""
    data = {"handle": "pat.p", "job_title": None, "stakeholder_group": "academia", "country": "CH"}
    editing.update_profile(
        participant, {**data, "name": "Patricia Participant", "organisation": "University of Geneva"}
    )
    auth.login(admin)
    page = client.get(f"/admin/registrations/{participant.id}").text
    history = page[page.index("Name and handle history") :]
    assert "Pat Participant · @pat.participant" in history and "Patricia Participant · @pat.p" in history
    auth.login(moderator)
    page = client.get(f"/moderation/users/{participant.id}").text
    assert "Patricia Participant · @pat.p" in page[page.index("Name and handle history") :]
