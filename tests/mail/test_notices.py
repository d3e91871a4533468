"""Essential notices by mail: account decisions, posts rejected or hidden, sanctions. No unsubscribe."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from forum.database import utcnow
from forum.moderation import queue, sanctions
from forum.moderation.models import ReviewItem
from forum.threads import services as threads
from tests.conftest import Auth
from tests.mail.conftest import html_of, text_of


def only_to(messages, address):
    """The one message sent to `address`."""
    [message] = [m for m in messages if m["To"] == address]
    assert message.get_content_type() == "multipart/alternative"
    assert "List-Unsubscribe" not in message
    return message


def test_a_verified_applicant_is_told(app, deliver, admin, pending_user):
    client = app.test_client()
    Auth(client).login(admin)
    client.post(f"/admin/registrations/{pending_user.id}", data={"decision": "verified", "reason": ""})
    message = only_to(deliver(), pending_user.email)
    assert message["Subject"] == "Your Dialogue Forum account is verified"
    assert "verified your registration" in text_of(message)


def test_a_rejected_applicant_is_told_why(app, deliver, admin, pending_user):
    client = app.test_client()
    Auth(client).login(admin)
    reason = "We could not confirm the <organisation> & its mandate."
    client.post(f"/admin/registrations/{pending_user.id}", data={"decision": "rejected", "reason": reason})
    message = only_to(deliver(), pending_user.email)
    assert reason in text_of(message)
    assert "&lt;organisation&gt; &amp; its mandate" in html_of(message)


def test_a_rejected_post_is_mailed_with_the_reason(db, deliver, moderator, pending_user, make_thread):
    thread = make_thread(title="Harbour data governance")
    post = threads.reply(pending_user, thread, "Held reply about tidal data.")
    item = db.session.scalar(select(ReviewItem).where(ReviewItem.post_id == post.id))
    queue.reject(moderator, item.id, "Off topic for this thread")
    message = only_to(deliver(), pending_user.email)
    assert message["Subject"] == "A moderator rejected your post"
    body = text_of(message)
    assert "Off topic for this thread" in body and "Held reply about tidal data." in body
    assert "Harbour data governance" in body


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("warn", "sent you a warning"),
        ("silence", "silenced your account"),
        ("suspend", "suspended your account"),
    ],
)
def test_a_sanction_is_mailed_with_reason_and_end_date(deliver, moderator, participant, kind, expected):
    ends = utcnow() + timedelta(days=3) if kind != "warn" else None
    sanctions.sanction(moderator, participant, kind, "Personal attacks on a delegate", ends)
    message = only_to(deliver(), participant.email)
    body = text_of(message)
    assert expected in body and "Personal attacks on a delegate" in body
    if ends is not None:
        assert "Geneva time" in body
