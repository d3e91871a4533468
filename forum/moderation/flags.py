"""Flags: participants report a post; enough distinct reports hide it until a moderator decides."""

from flask_babel import gettext as _
from sqlalchemy import func, select

from forum.accounts.models import User
from forum.database import insert_ignoring_conflict, utcnow
from forum.extensions import db
from forum.moderation import items
from forum.moderation import settings as moderation_settings
from forum.moderation.models import FLAG_REASONS, REASON_MAX, Flag
from forum.policy import allowed
from forum.realtime.publish import publish_events
from forum.rules import RuleViolation
from forum.states import AccountStatus, PostState
from forum.threads import services as posts


def flag_count(post):
    """How many distinct verified users have flagged the post."""
    query = (
        select(func.count(func.distinct(Flag.user_id)))
        .join(User, User.id == Flag.user_id)
        .where(Flag.post_id == post.id, User.status == AccountStatus.VERIFIED)
    )
    return db.session.scalar(query)


def flag_post(user, post, reason, note=""):
    """Flag a post once; at the threshold of distinct verified flaggers the post is hidden pending review."""
    if not allowed(user, "post.flag", post):
        raise RuleViolation(_("You may not flag this post."), code="forbidden")
    if reason not in FLAG_REASONS:
        raise RuleViolation(_("Choose a reason."), field="reason")
    note = (note or "").strip()
    if reason == "other" and not note:
        raise RuleViolation(_("Tell the moderators what is wrong."), field="note")
    if len(note) > REASON_MAX:
        raise RuleViolation(_("Notes are limited to %(n)s characters.", n=REASON_MAX), field="note")
    inserted = insert_ignoring_conflict(
        Flag, post_id=post.id, user_id=user.id, reason=reason, note=note or None, created_at=utcnow()
    )
    if not inserted:
        db.session.rollback()
        raise RuleViolation(_("You have already flagged this post."), code="duplicate")
    events = [items.raise_item(post, ["flagged"])]
    if flag_count(post) >= moderation_settings.get("flag_threshold"):
        # Lock the post row so that two last flags arriving together hide it once.
        db.session.refresh(post, with_for_update=True)
        if post.state == PostState.PUBLISHED:
            events += posts.withdraw(post, PostState.HIDDEN)
    db.session.commit()
    publish_events(events)
    return post


def flags_of(post_ids):
    """{post id: [flags]} for the given posts, oldest first."""
    found = {}
    if post_ids:
        query = select(Flag).where(Flag.post_id.in_(post_ids)).order_by(Flag.id)
        for flag in db.session.scalars(query):
            found.setdefault(flag.post_id, []).append(flag)
    return found
