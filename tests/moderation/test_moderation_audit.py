"""The audit log: a row for every staff action, never changed, searchable, exportable."""

import csv
import io
from datetime import timedelta

import pytest
from sqlalchemy import select, text

from forum import audit
from forum.audit.models import AuditEntry
from forum.database import utcnow
from forum.i18n import dialogue_zone
from forum.moderation import actions, queue, sanctions, screening
from forum.moderation.models import ReviewItem
from forum.threads import services


def test_every_staff_action_is_logged(
    db, signed_in, admin, moderator, participant, pending_user, make_thread, make_post
):
    thread = make_thread()
    post = make_post(thread, author=participant)
    held = services.reply(pending_user, thread, "Held")
    item = db.session.scalar(select(ReviewItem).where(ReviewItem.post_id == held.id))
    queue.claim(moderator, item.id)
    queue.release(moderator, item.id)
    queue.approve(moderator, item.id)
    actions.hide(moderator, post, "Spam")
    actions.restore(moderator, post, "Not spam")
    actions.set_locked(moderator, thread, True)
    actions.set_pinned(moderator, thread, True)
    actions.set_slow_mode(moderator, thread, 30)
    services.edit_post(moderator, post, "Edited by staff")
    services.update_thread(moderator, thread, "Renamed", "discussion", "record", "")
    sanctions.sanction(moderator, participant, "warn", "Careful")
    sanctions.sanction(moderator, participant, "silence", "Quiet", utcnow() + timedelta(days=1))
    sanctions.add_note(moderator, participant, "Watch")
    screening.add_word(admin, "spam", "flag")
    client = signed_in(admin)
    client.post(f"/admin/registrations/{pending_user.id}", data={"decision": "verified"})
    client.post(f"/admin/users/{participant.id}/role", data={"role": "chair"})
    client.post("/admin/invitations", data={"email": "late@example.org"})
    client.post("/admin/themes", data={"name-en": "Standards", "slug": "standards"})
    services.delete_post(moderator, post)
    logged = db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert logged == [
        "item.claim", "item.release", "post.approve", "post.hide", "post.restore", "thread.lock",
        "thread.pin", "thread.slow_mode", "post.edit", "thread.edit", "user.warn", "user.silence",
        "user.note", "word.add", "user.verify", "user.role", "invitation.create", "theme.create",
        "post.delete",
    ]  # fmt: skip
    assert set(logged) <= set(audit.ACTION_LABELS)


def test_audit_rows_cannot_be_changed_or_deleted(db, moderator):
    entry = audit.log(moderator, "user.warn", "user", 1, "Someone", reason="First")
    db.session.commit()
    entry.reason = "Rewritten"
    with pytest.raises(RuntimeError, match="append-only"):
        db.session.commit()
    db.session.rollback()
    for statement in ("UPDATE audit_entry SET reason = 'x'", "DELETE FROM audit_entry"):
        with pytest.raises(Exception, match="append-only"), db.engine.begin() as conn:
            conn.execute(text(statement))
    db.session.expire_all()
    assert db.session.get(AuditEntry, entry.id).reason == "First"


def test_search_by_actor_action_and_date_and_export(db, signed_in, admin, moderator, make_user):
    other = make_user(role="moderator", name="Otto Other")
    target = make_user(name="Target Person")
    sanctions.sanction(moderator, target, "warn", '=HYPERLINK("x")')
    sanctions.sanction(other, target, "warn", "Second warning")
    client = signed_in(admin)
    page = client.get("/moderation/audit?actor=otto").text
    assert "Second warning" in page and "HYPERLINK" not in page
    assert "Second warning" not in client.get("/moderation/audit?action=user.note").text
    # The filter's days are Geneva's: between 23:00 and midnight UTC, Geneva is already on the next day.
    today = utcnow().astimezone(dialogue_zone()).date()
    assert "Second warning" in client.get(f"/moderation/audit?start={today}&end={today}").text
    later = today + timedelta(days=2)
    assert "Second warning" not in client.get(f"/moderation/audit?start={later}").text
    assert client.get("/moderation/audit?start=yesterday").status_code == 400
    export = client.get("/moderation/audit.csv?actor=mo moderator")
    assert export.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(export.text)))
    assert [(r["actor"], r["action"], r["target"]) for r in rows] == [
        ("Mo Moderator", "user.warn", "Target Person")
    ]
    # A spreadsheet must not run a reason as a formula.
    assert rows[0]["reason"] == '\'=HYPERLINK("x")'
