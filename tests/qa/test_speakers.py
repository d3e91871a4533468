"""The speakers' list: requests until the deadline, decisions with reasons, order, the timer; public list."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from forum.database import utcnow
from forum.extensions import db
from forum.qa import speakers
from forum.qa.models import SpeakerSlot
from forum.rules import RuleViolation
from tests.conftest import Auth


def refused(code, call, *args):
    """Assert that the service refuses with `code`, and return the refusal."""
    with pytest.raises(RuleViolation) as caught:
        call(*args)
    assert caught.value.code == code
    return caught.value


def test_requests_are_checked_and_close_at_the_deadline(make_session, participant, pending_user):
    session = make_session()
    slot = speakers.request_slot(participant, session, "Republic of Kenya", "en", 3)
    assert slot.state == "requested"
    refused("duplicate", speakers.request_slot, participant, session, "Kenya again", "en", 3)
    refused("forbidden", speakers.request_slot, pending_user, session, "Nobody", "en", 3)
    assert (
        refused("invalid", speakers.request_slot, participant, make_session(), "", "en", 3).field
        == "on_behalf_of"
    )
    assert (
        refused("invalid", speakers.request_slot, participant, make_session(), "X", "xx", 3).field
        == "language"
    )
    assert (
        refused("invalid", speakers.request_slot, participant, make_session(), "X", "fr", 30).field
        == "minutes"
    )
    closed = make_session(speaker_deadline=utcnow() - timedelta(minutes=1))
    error = refused("deadline_passed", speakers.request_slot, participant, closed, "Kenya", "en", 3)
    assert "deadline" in error.message
    assert db.session.scalar(select(func.count()).select_from(SpeakerSlot)) == 1


def test_chair_decides_orders_and_times(make_session, make_user, participant, moderator):
    chair = make_user(role="chair")
    session = make_session(chairs=[chair])
    first = speakers.request_slot(participant, session, "Republic of Kenya", "en", 3)
    second = speakers.request_slot(make_user(), session, "Civil society coalition", "fr", 2)
    third = speakers.request_slot(make_user(), session, "Industry association", "es", 2)
    refused("forbidden", speakers.decide, moderator, first, True)
    speakers.decide(chair, first, True)
    speakers.decide(chair, second, True)
    assert refused("invalid", speakers.decide, chair, third, False, " ").field == "reason"
    speakers.decide(chair, third, False, "The list is full.")
    assert third.state == "rejected" and third.reason == "The list is full."
    refused("invalid_state", speakers.decide, chair, third, True)
    speakers.move(chair, second, "up")
    assert [s.on_behalf_of for s in speakers.approved(session)] == [
        "Civil society coalition",
        "Republic of Kenya",
    ]
    refused("invalid_state", speakers.move, chair, second, "up")
    speakers.start(chair, second)
    slot, ends = speakers.current(session)
    assert slot.id == second.id and ends == second.started_at + timedelta(minutes=2)
    refused("busy", speakers.start, chair, first)
    speakers.stop(chair, second)
    assert second.state == "done" and session.current_slot_id is None
    refused("invalid_state", speakers.stop, chair, second)


def test_list_page_is_public_and_requests_show_their_reason(
    client, make_session, make_user, participant, admin
):
    session = make_session()
    approved = speakers.request_slot(make_user(), session, "Federative Republic of Brazil", "es", 3)
    speakers.decide(admin, approved, True)
    mine = speakers.request_slot(participant, session, "Academic network", "en", 2)
    speakers.decide(admin, mine, False, "Statements are for delegations.")
    page = client.get(f"/programme/{session.slug}/speakers").text
    assert "Federative Republic of Brazil" in page and "Academic network" not in page
    Auth(client).login(participant)
    page = client.get(f"/programme/{session.slug}/speakers").text
    assert "Statements are for delegations." in page
    closed = make_session(speaker_deadline=utcnow() - timedelta(minutes=1))
    response = client.post(
        f"/programme/{closed.slug}/speakers", data={"on_behalf_of": "Late", "language": "en", "minutes": "2"}
    )
    assert response.status_code == 422
    assert "The deadline for requesting a speaking slot has passed." in response.text
