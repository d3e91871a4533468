"""A verified identity changes by the secretariat's review; names and handles change audited, rate-limited."""

import json
import logging
from datetime import timedelta

import pytest
from sqlalchemy import select

from forum.accounts import editing
from forum.accounts.identity import IdentityChange
from forum.audit.models import AuditEntry
from forum.database import utcnow

# The participant fixture as registered.
CURRENT = {
    "name": "Pat Participant",
    "handle": "pat.participant",
    "stakeholder_group": "academia",
    "country": "CH",
    "organisation": "University of Geneva",
    "job_title": "",
}
# The attack of issue 18: a verified participant dresses up as the ITU secretariat.
ATTACK = {
    "name": "ITU Secretariat (official)",
    "handle": "itu.secretariat",
    "stakeholder_group": "member_state",
    "country": "US",
    "organisation": "ITU Secretariat (official)",
    "job_title": "",
}
NEW_IDENTITY = {
    "stakeholder_group": "member_state",
    "country": "US",
    "organisation": "ITU Secretariat (official)",
}


def identity(user):
    """A user's name, handle, group, country and organisation."""
    return (user.name, user.handle, user.stakeholder_group, user.country, user.organisation)


def changes(db):
    """Every change request, oldest first."""
    return db.session.scalars(select(IdentityChange).order_by(IdentityChange.id)).all()


def events(caplog, name):
    """The fields of the security events called `name` that were logged."""
    lines = [json.loads(r.getMessage()) for r in caplog.records if r.name == "forum.security"]
    return [line for line in lines if line["event"] == name]


def renames(db, user):
    """The audit entries of the user's own renames, oldest first."""
    query = select(AuditEntry).where(AuditEntry.actor_id == user.id, AuditEntry.action == "profile.rename")
    return db.session.scalars(query.order_by(AuditEntry.id)).all()


def test_the_attack_leaves_the_verified_identity_as_it_is(client, auth, db, participant):
    """The whole attack is refused: the name and handle pass for the secretariat, and nothing is stored."""
    auth.login(participant)
    before = identity(participant)
    response = client.post("/account", data=ATTACK)
    assert response.status_code == 422
    error = response.text[response.text.index('id="name-error"') :][:400]
    assert "reserved" in error and "ITU" in error
    db.session.refresh(participant)
    assert identity(participant) == before
    assert participant.is_verified
    assert changes(db) == []


def test_a_verified_identity_change_waits_for_the_secretariat(client, auth, db, participant, caplog):
    """Group, country and organisation become a pending request; the verified identity stays in force."""
    auth.login(participant)
    with caplog.at_level(logging.INFO, logger="forum.security"):
        response = client.post("/account", data={**CURRENT, **NEW_IDENTITY})
    assert response.status_code == 303
    assert response.headers["Location"] == "/account"
    db.session.refresh(participant)
    assert identity(participant) == (
        "Pat Participant",
        "pat.participant",
        "academia",
        "CH",
        "University of Geneva",
    )
    assert participant.is_verified
    (change,) = changes(db)
    assert change.state == "pending"
    assert change.requested() == NEW_IDENTITY
    assert change.previous() == {
        "stakeholder_group": "academia",
        "country": "CH",
        "organisation": "University of Geneva",
    }
    (event,) = events(caplog, "identity.change_requested")
    assert event["user_id"] == participant.id and event["change_id"] == change.id
    profile = client.get(f"/users/{participant.id}").text
    assert "Academia" in profile and "Member State" not in profile and "Verified" in profile
    page = client.get("/account").text
    assert "Your change of identity waits for the secretariat" in page
    assert "ITU Secretariat (official)" in page and "University of Geneva" in page
    assert "Withdraw my request" in page


def test_a_new_request_replaces_the_pending_one_and_the_old_identity_withdraws_it(
    client, auth, db, participant
):
    """One pending request at a time; asking for the verified identity again withdraws it."""
    auth.login(participant)
    client.post("/account", data={**CURRENT, **NEW_IDENTITY})
    client.post("/account", data={**CURRENT, "organisation": "Geneva Graduate Institute"})
    (change,) = changes(db)
    assert change.state == "pending" and change.organisation == "Geneva Graduate Institute"
    assert change.stakeholder_group == "academia"
    response = client.post("/account", data=CURRENT)
    assert response.status_code == 302
    db.session.refresh(change)
    assert change.state == "withdrawn"
    db.session.refresh(participant)
    assert participant.organisation == "University of Geneva"


def test_the_participant_withdraws_the_request(client, auth, db, participant, caplog):
    """The withdraw button ends the request; a second press says there is none."""
    auth.login(participant)
    client.post("/account", data={**CURRENT, **NEW_IDENTITY})
    with caplog.at_level(logging.INFO, logger="forum.security"):
        response = client.post("/account/identity-change/withdraw")
    assert response.status_code == 303
    (change,) = changes(db)
    assert change.state == "withdrawn"
    assert events(caplog, "identity.change_withdrawn")[0]["change_id"] == change.id
    page = client.get("/account").text
    assert "Withdraw my request" not in page
    assert "Your request is withdrawn" in page
    again = client.post("/account/identity-change/withdraw", follow_redirects=True)
    assert "You have no change of identity waiting" in again.text


def test_an_account_awaiting_verification_edits_freely(client, auth, db, pending_user):
    """The secretariat verifies the whole registration, so a pending account's changes apply at once."""
    auth.login(pending_user)
    response = client.post(
        "/account",
        data={**CURRENT, "name": "Penny Pending", "handle": pending_user.handle, **NEW_IDENTITY},
    )
    assert response.status_code == 302
    db.session.refresh(pending_user)
    assert (pending_user.stakeholder_group, pending_user.country) == ("member_state", "US")
    assert changes(db) == []


def test_the_secretariat_changes_its_own_identity_directly_audited(client, auth, db, admin):
    """An administrator's own change applies at once, with an audit entry."""
    auth.login(admin)
    data = {"name": admin.name, "handle": admin.handle, "stakeholder_group": "un_entity", "country": "CH"}
    response = client.post("/account", data={**data, "organisation": "ITU", "job_title": ""})
    assert response.status_code == 302
    db.session.refresh(admin)
    assert admin.organisation == "ITU"
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "identity.change"))
    assert entry.actor_id == admin.id
    assert entry.before == {"organisation": "University of Geneva"} and entry.after == {"organisation": "ITU"}
    assert changes(db) == []


def test_name_and_handle_changes_are_audited_and_limited(client, auth, db, participant, monkeypatch, caplog):
    """Two changes in 30 days by default, each in the audit log; the third waits, said beside the field."""
    auth.login(participant)
    # Saving the same name and handle again is not a change: it counts for nothing.
    for _ in range(3):
        assert client.post("/account", data={**CURRENT, "job_title": "Professor"}).status_code == 302
    with caplog.at_level(logging.INFO, logger="forum.security"):
        assert client.post("/account", data={**CURRENT, "name": "Patricia Participant"}).status_code == 302
        assert (
            client.post(
                "/account", data={**CURRENT, "name": "Patricia Participant", "handle": "patricia"}
            ).status_code
            == 302
        )
        refused = client.post("/account", data={**CURRENT, "name": "Patricia P.", "handle": "patricia"})
    assert refused.status_code == 422
    error = refused.text[refused.text.index('id="name-error"') :][:400]
    assert "You may change your name or handle 2 times in 30 days" in error
    db.session.refresh(participant)
    assert (participant.name, participant.handle) == ("Patricia Participant", "patricia")
    first, second = renames(db, participant)
    assert (first.before, first.after) == ({"name": "Pat Participant"}, {"name": "Patricia Participant"})
    assert (second.before, second.after) == ({"handle": "pat.participant"}, {"handle": "patricia"})
    assert [e["after"] for e in events(caplog, "identity.renamed")] == [
        {"name": "Patricia Participant"},
        {"handle": "patricia"},
    ]
    assert events(caplog, "identity.rename_throttled")[0]["user_id"] == participant.id
    later = utcnow() + timedelta(days=31)
    monkeypatch.setattr(editing, "utcnow", lambda: later)
    assert (
        client.post("/account", data={**CURRENT, "name": "Patricia P.", "handle": "patricia"}).status_code
        == 302
    )


@pytest.mark.parametrize("config_overrides", [{"NAME_CHANGE_LIMIT": "1 per 7 days"}])
def test_the_rename_limit_is_configurable(client, auth, db, participant):
    """NAME_CHANGE_LIMIT sets how many changes, in how many days."""
    auth.login(participant)
    assert client.post("/account", data={**CURRENT, "handle": "pat"}).status_code == 302
    refused = client.post("/account", data={**CURRENT, "handle": "pat.p"})
    assert refused.status_code == 422
    error = refused.text[refused.text.index('id="handle-error"') :][:400]
    assert "1 time in 7 days" in error
