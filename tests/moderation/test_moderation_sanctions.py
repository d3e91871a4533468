"""Sanctions: warn, silence and suspend with a reason and an end date; they end by themselves."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from forum.accounts.models import User
from forum.audit.models import AuditEntry
from forum.database import utcnow
from forum.moderation import flags, sanctions
from forum.moderation.models import Sanction, StaffNote
from forum.notifications.models import Notification
from forum.rules import RuleViolation
from forum.threads import services
from tests.conftest import Auth


def soon(days=1):
    """A moment in the future."""
    return utcnow() + timedelta(days=days)


def test_a_warning_reaches_the_user(db, signed_in, moderator, participant):
    response = signed_in(moderator).post(
        f"/moderation/users/{participant.id}",
        data={"change": "sanction", "kind": "warn", "reason": "Keep it civil."},
    )
    assert response.status_code == 303
    note = db.session.scalar(select(Notification).where(Notification.user_id == participant.id))
    assert note.kind == "warning" and note.message == "Keep it civil."
    page = signed_in(participant).get("/notifications").text
    assert "A moderator sent you a warning" in page and "Keep it civil." in page


def test_silenced_users_read_but_may_not_post_or_flag(db, signed_in, moderator, participant, make_thread):
    thread = make_thread()
    sanctions.sanction(moderator, participant, "silence", "Repeated off-topic posts", soon())
    client = signed_in(participant)
    page = client.get(f"/threads/{thread.id}")
    assert page.status_code == 200 and "you can read, but not post, flag or ask questions" in page.text
    assert "The reason given: Repeated off-topic posts" in page.text
    refused = client.post(f"/threads/{thread.id}/reply", data={"body": "Let me speak"})
    assert refused.status_code == 422
    assert "A moderator has silenced your account until" in refused.text
    assert "Let me speak</textarea>" in refused.text
    assert thread.posts.count() == 1
    assert client.post(f"/posts/{thread.first_post_id}/flag", data={"reason": "spam"}).status_code == 403
    notice = db.session.scalar(select(Notification).where(Notification.kind == "silenced"))
    assert notice.message.startswith("Repeated off-topic posts (until ")


def test_a_silence_ends_by_itself(db, moderator, participant, make_thread):
    thread = make_thread()
    sanctions.sanction(moderator, participant, "silence", "Cool down", soon())
    with pytest.raises(RuleViolation):
        services.reply(participant, thread, "Too early")
    participant.silenced_until = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert services.reply(participant, thread, "Back again").state == "published"


def test_a_suspension_refuses_sign_in_with_the_reason_and_ends_sessions(
    db, app, signed_in, moderator, participant
):
    client = signed_in(participant)
    assert client.get("/notifications").status_code == 200
    sanctions.sanction(moderator, participant, "suspend", "Harassment of a delegate", soon(7))
    assert client.get("/notifications").status_code == 302
    fresh = app.test_client()
    response = Auth(fresh).login(participant)
    assert response.status_code == 422
    assert "Your account is suspended until" in response.text and "Harassment of a delegate" in response.text
    participant.suspended_until = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert Auth(fresh).login(participant).status_code == 302


def test_a_suspension_closes_the_users_sockets(db, client, socket_client, moderator, participant):
    Auth(client).login(participant)
    sock = socket_client(client)
    assert sock.is_connected()
    sanctions.sanction(moderator, participant, "suspend", "Spam", soon())
    assert not sock.is_connected()


def test_a_silenced_users_open_socket_loses_its_rights_at_once(
    db, client, socket_client, moderator, participant
):
    Auth(client).login(participant)
    sock = socket_client(client)
    sanctions.sanction(moderator, participant, "silence", "Heated", soon())
    [event] = [e for e in sock.get_received() if e["name"] == "account.silenced"]
    assert event["args"][0]["reason"] == "Heated"


@pytest.mark.parametrize(
    ("kind", "reason", "ends_at", "message"),
    [
        ("silence", "", soon(), "Give a reason: the author is told."),
        ("silence", "Too loud", None, "Give the date the sanction ends."),
        ("suspend", "Too loud", utcnow() - timedelta(hours=1), "The end date must be in the future."),
    ],
)
def test_bad_sanctions_change_nothing(db, moderator, participant, kind, reason, ends_at, message):
    with pytest.raises(RuleViolation, match=message):
        sanctions.sanction(moderator, participant, kind, reason, ends_at)
    db.session.expire_all()
    assert db.session.scalars(select(Sanction)).all() == []
    assert db.session.get(User, participant.id).silenced_until is None


def test_the_form_shows_the_error_beside_the_field_and_keeps_the_reason(
    db, signed_in, moderator, participant
):
    response = signed_in(moderator).post(
        f"/moderation/users/{participant.id}",
        data={"change": "sanction", "kind": "suspend", "reason": "Spam links", "ends_at": "2020-01-01T10:00"},
    )
    assert response.status_code == 422
    assert "The end date must be in the future." in response.text
    assert "Spam links</textarea>" in response.text


def test_the_end_date_is_read_in_geneva_time(db, signed_in, moderator, participant):
    signed_in(moderator).post(
        f"/moderation/users/{participant.id}",
        data={"change": "sanction", "kind": "silence", "reason": "Calm", "ends_at": "2099-07-06T10:00"},
    )
    db.session.expire_all()
    assert db.session.get(User, participant.id).silenced_until.isoformat() == "2099-07-06T08:00:00+00:00"


def test_moderators_cannot_sanction_staff_or_themselves(db, moderator, admin, make_user):
    other_moderator = make_user(role="moderator")
    for target in (moderator, other_moderator, admin):
        with pytest.raises(RuleViolation):
            sanctions.sanction(moderator, target, "warn", "No")
    sanctions.sanction(admin, other_moderator, "warn", "Please check the queue more often")


def test_lifting_ends_a_silence_early(db, signed_in, moderator, participant, make_thread):
    row = sanctions.sanction(moderator, participant, "silence", "Cool down", soon())
    response = signed_in(moderator).post(f"/moderation/sanctions/{row.id}/lift")
    assert response.status_code == 303
    db.session.expire_all()
    assert not db.session.get(User, participant.id).is_silenced
    again = signed_in(moderator).post(f"/moderation/sanctions/{row.id}/lift", follow_redirects=True)
    assert "This sanction has already ended." in again.text
    actions = db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions == ["user.silence", "user.lift"]


def test_staff_notes_are_for_staff_only(db, signed_in, moderator, participant):
    client = signed_in(moderator)
    client.post(
        f"/moderation/users/{participant.id}", data={"change": "note", "body": "Known troll elsewhere"}
    )
    assert db.session.scalar(select(StaffNote.body)) == "Known troll elsewhere"
    assert "Known troll elsewhere" in client.get(f"/moderation/users/{participant.id}").text
    participant_client = signed_in(participant)
    assert participant_client.get(f"/moderation/users/{participant.id}").status_code == 403
    assert "Known troll elsewhere" not in participant_client.get(f"/users/{participant.id}").text
    empty = client.post(f"/moderation/users/{participant.id}", data={"change": "note", "body": " "})
    assert empty.status_code == 422 and "Write the note first." in empty.text


def test_flagging_is_refused_to_silenced_users(db, moderator, participant, make_thread):
    thread = make_thread()
    sanctions.sanction(moderator, participant, "silence", "Quiet", soon())
    post = thread.posts.first()
    with pytest.raises(RuleViolation):
        flags.flag_post(participant, post, "spam")
