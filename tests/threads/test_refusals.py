"""Refusals say why: the reply page of a locked thread, and a silenced user's reason and end date."""

from datetime import timedelta

import pytest

from forum.database import utcnow
from forum.extensions import db
from forum.moderation import sanctions
from tests.conftest import Auth


@pytest.fixture
def signed_in(app):
    """A fresh client signed in as `user`: signed_in(user) -> client."""

    def factory(user):
        client = app.test_client()
        Auth(client).login(user)
        return client

    return factory


def test_the_reply_page_of_a_locked_thread_shows_no_form(db, signed_in, participant, make_thread):
    thread = make_thread()
    thread.locked = True
    db.session.commit()
    page = signed_in(participant).get(f"/threads/{thread.id}/reply").text
    assert "This thread is locked: no new replies." in page
    assert "<textarea" not in page and "Post reply" not in page
    assert f'href="/threads/{thread.id}"' in page


def test_a_reply_typed_before_the_lock_is_kept_beside_the_reason(signed_in, participant, make_thread):
    thread = make_thread()
    client = signed_in(participant)
    thread.locked = True
    db.session.commit()
    refused = client.post(f"/threads/{thread.id}/reply", data={"body": "My careful answer"})
    assert refused.status_code == 422
    assert "This thread is locked." in refused.text and "My careful answer</textarea>" in refused.text


def test_staff_still_reply_to_a_locked_thread(signed_in, moderator, make_thread):
    thread = make_thread()
    thread.locked = True
    db.session.commit()
    assert "<textarea" in signed_in(moderator).get(f"/threads/{thread.id}/reply").text


def test_a_silenced_user_is_told_why_and_until_when(signed_in, moderator, participant, make_thread):
    thread = make_thread()
    ends = utcnow() + timedelta(days=2)
    sanctions.sanction(moderator, participant, "silence", "Repeated off-topic posts", ends)
    client = signed_in(participant)
    for path in (f"/threads/{thread.id}", f"/threads/{thread.id}/reply", "/threads/new"):
        page = client.get(path).text
        assert "Your account may not post." not in page, path
        assert "A moderator has silenced your account until" in page, path
        assert "The reason given: Repeated off-topic posts" in page, path
    assert "<textarea" not in client.get(f"/threads/{thread.id}/reply").text
    refused = client.post(f"/threads/{thread.id}/reply", data={"body": "Let me speak"})
    assert "The reason given: Repeated off-topic posts" in refused.text


def test_a_silence_without_its_record_still_says_until_when(signed_in, participant, make_thread):
    thread = make_thread()
    participant.silenced_until = utcnow() + timedelta(hours=3)
    db.session.commit()
    page = signed_in(participant).get(f"/threads/{thread.id}").text
    assert "A moderator has silenced your account until" in page and "The reason given" not in page
