"""Reading the queue and the audit log as the staff pages show them."""

import json
from datetime import UTC, datetime, time, timedelta

from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from forum.accounts.models import User
from forum.audit.models import AuditEntry
from forum.csv_export import to_csv
from forum.extensions import db
from forum.i18n import dialogue_zone
from forum.moderation.flags import flags_of
from forum.moderation.models import ItemState, ReviewItem, StaffNote
from forum.threads.models import Post, PostRevision

QUEUE_PAGE = 50
AUDIT_PAGE = 50


def queue(state=ItemState.OPEN, reason=""):
    """Review items, oldest first when open, newest first when handled, with their posts loaded."""
    query = select(ReviewItem).options(
        selectinload(ReviewItem.post).selectinload(Post.thread),
        selectinload(ReviewItem.post).selectinload(Post.author),
    )
    if state == ItemState.OPEN:
        query = query.where(ReviewItem.state == ItemState.OPEN).order_by(ReviewItem.id)
    else:
        query = query.where(ReviewItem.state != ItemState.OPEN).order_by(ReviewItem.id.desc())
    if reason:
        query = query.where(ReviewItem.reasons.contains(reason))
    return db.session.scalars(query.limit(QUEUE_PAGE)).all()


def context(review_items):
    """What each item shows beside its post: flags, the author's history and notes, the post's revisions."""
    posts = [item.post for item in review_items]
    author_ids = {post.author_id for post in posts}
    history = {}
    if author_ids:
        rows = db.session.execute(
            select(Post.author_id, Post.state, func.count())
            .where(Post.author_id.in_(author_ids))
            .group_by(Post.author_id, Post.state)
        )
        for author_id, state, count in rows:
            history.setdefault(author_id, {})[state] = count
    notes = {}
    if author_ids:
        query = select(StaffNote).where(StaffNote.user_id.in_(author_ids)).order_by(StaffNote.id.desc())
        for note in db.session.scalars(query):
            notes.setdefault(note.user_id, []).append(note)
    post_ids = [post.id for post in posts]
    revisions = {}
    if post_ids:
        query = select(PostRevision.post_id, func.count()).where(PostRevision.post_id.in_(post_ids))
        revisions = dict(db.session.execute(query.group_by(PostRevision.post_id)).all())
    return {"flags": flags_of(post_ids), "history": history, "notes": notes, "revisions": revisions}


def _day_start(day, days=0):
    """Midnight in Geneva of a date (plus `days`), in UTC."""
    zone = dialogue_zone()
    return datetime.combine(day + timedelta(days=days), time(), tzinfo=zone).astimezone(UTC)


def audit_query(actor="", action="", start=None, end=None):
    """Audit rows matching the filters, newest first; dates are whole days in Geneva time."""
    query = select(AuditEntry).options(selectinload(AuditEntry.actor)).order_by(AuditEntry.id.desc())
    if actor:
        pattern = f"%{actor.strip().lower()}%"
        staff = select(User.id).where(or_(func.lower(User.name).like(pattern), User.email.like(pattern)))
        query = query.where(AuditEntry.actor_id.in_(staff))
    if action:
        query = query.where(AuditEntry.action == action)
    if start:
        query = query.where(AuditEntry.created_at >= _day_start(start))
    if end:
        query = query.where(AuditEntry.created_at < _day_start(end, days=1))
    return query


CSV_COLUMNS = (
    "id",
    "time_utc",
    "actor",
    "actor_email",
    "action",
    "target_type",
    "target_id",
    "target",
    "reason",
    "before",
    "after",
)


def audit_csv(query):
    """The audit rows of `query` as CSV text, newest first, times in UTC ISO 8601."""
    rows = (
        (
            entry.id,
            entry.created_at.isoformat(),
            entry.actor.name if entry.actor else "",
            entry.actor.email if entry.actor else "",
            entry.action,
            entry.target_type,
            entry.target_id if entry.target_id is not None else "",
            entry.target_label,
            entry.reason or "",
            json.dumps(entry.before, ensure_ascii=False) if entry.before is not None else "",
            json.dumps(entry.after, ensure_ascii=False) if entry.after is not None else "",
        )
        for entry in db.session.scalars(query)
    )
    return to_csv(CSV_COLUMNS, rows)
