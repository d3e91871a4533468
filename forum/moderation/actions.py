"""Moderators' actions on posts and threads outside the queue: hide, restore, lock, pin, move, slow mode."""

from flask_babel import gettext as _
from sqlalchemy import update

from forum import audit
from forum.database import utcnow
from forum.extensions import db
from forum.moderation import items
from forum.moderation.models import FlagOutcome, ItemState, ReviewItem
from forum.moderation.queue import clean_reason, resolve_flags
from forum.notifications import services as notifications
from forum.realtime.publish import publish_events
from forum.realtime.store import record
from forum.rules import RuleViolation
from forum.states import PostState
from forum.threads import services as posts

SLOW_MODE_CHOICES = (0, 30, 60, 120, 300, 600, 1800, 3600)


def _close_open_item(moderator, post, state, reason):
    """Close the post's open review item, if any, as this decision; returns the queue events."""
    item_id = db.session.scalar(
        update(ReviewItem)
        .where(ReviewItem.post_id == post.id, ReviewItem.state == ItemState.OPEN)
        .values(state=state, handled_by_id=moderator.id, handled_at=utcnow(), resolution_reason=reason)
        .returning(ReviewItem.id)
    )
    return [items.changed(item_id, state)] if item_id else []


def _commit(events, recipients=()):
    """Commit, then publish the room events and the notices."""
    db.session.commit()
    publish_events(events)
    notifications.publish(list(recipients))


def hide(moderator, post, reason):
    """Hide a published post with a reason its author is told; flaggers hear that it was acted on."""
    reason = clean_reason(reason)
    if post.state != PostState.PUBLISHED:
        raise RuleViolation(_("Only a published post can be hidden."), code="invalid_state")
    events = posts.withdraw(post, PostState.HIDDEN, reason) + _close_open_item(
        moderator, post, ItemState.REJECTED, reason
    )
    recipients = [notifications.notice(post.author_id, "post_hidden", reason, post=post)]
    recipients += resolve_flags(post, FlagOutcome.UPHELD)
    audit.log(
        moderator, "post.hide", "post", post.id, post.thread.title,
        reason=reason, before={"state": PostState.PUBLISHED}, after={"state": PostState.HIDDEN},
    )  # fmt: skip
    _commit(events, recipients)


def restore(moderator, post, reason):
    """Bring a hidden post back, with a reason its author is told."""
    reason = clean_reason(reason)
    if post.state != PostState.HIDDEN:
        raise RuleViolation(_("Only a hidden post can be restored."), code="invalid_state")
    events = posts.release(post, notify=False)[0] + _close_open_item(
        moderator, post, ItemState.APPROVED, reason
    )
    recipients = [notifications.notice(post.author_id, "post_restored", reason, post=post)]
    recipients += resolve_flags(post, FlagOutcome.DECLINED)
    audit.log(
        moderator, "post.restore", "post", post.id, post.thread.title,
        reason=reason, before={"state": PostState.HIDDEN}, after={"state": PostState.PUBLISHED},
    )  # fmt: skip
    _commit(events, recipients)


def _thread_change(moderator, thread, action, before, after, reason):
    """Audit and announce a change to a thread's flags or place."""
    audit.log(
        moderator,
        action,
        "thread",
        thread.id,
        thread.title,
        reason=reason or None,
        before=before,
        after=after,
    )
    _commit([record(f"thread:{thread.id}", "thread.updated", {"thread_id": thread.id})])


def set_locked(moderator, thread, locked, reason=""):
    """Lock (no replies but from staff) or unlock a thread."""
    if thread.locked == locked:
        return
    thread.locked = locked
    action = "thread.lock" if locked else "thread.unlock"
    _thread_change(moderator, thread, action, {"locked": not locked}, {"locked": locked}, reason)


def set_pinned(moderator, thread, pinned, reason=""):
    """Pin a thread to the top of its lists, or unpin it."""
    if thread.pinned == pinned:
        return
    thread.pinned = pinned
    action = "thread.pin" if pinned else "thread.unpin"
    _thread_change(moderator, thread, action, {"pinned": not pinned}, {"pinned": pinned}, reason)


def move(moderator, thread, theme, reason=""):
    """File a thread under another theme."""
    if theme is None:
        raise RuleViolation(_("Choose a theme."), field="theme")
    if theme.id == thread.theme_id:
        raise RuleViolation(_("The thread is already in this theme."), field="theme")
    before = {"theme": thread.theme.slug}
    thread.theme = theme
    _thread_change(moderator, thread, "thread.move", before, {"theme": theme.slug}, reason)


def set_slow_mode(moderator, thread, seconds, reason=""):
    """Set the least time between two posts of one participant in the thread (0 turns slow mode off)."""
    if seconds not in SLOW_MODE_CHOICES:
        raise RuleViolation(_("Choose one of the options."), field="seconds")
    if seconds == thread.slow_mode_seconds:
        return
    before = {"slow_mode_seconds": thread.slow_mode_seconds}
    thread.slow_mode_seconds = seconds
    _thread_change(moderator, thread, "thread.slow_mode", before, {"slow_mode_seconds": seconds}, reason)
