"""The review queue's decisions: claim, release, approve (after an optional edit), reject, in bulk.

A decision is taken with one conditional UPDATE on the item (still open, not claimed by someone
else): when two moderators act at once, the database lets exactly one through, and the other is
told who handled the item and how. The post changes, the audit row and the room events go in the
same transaction.
"""

from flask_babel import gettext as _
from sqlalchemy import or_, select, update

from forum import audit
from forum.database import utcnow
from forum.extensions import db
from forum.moderation import items
from forum.moderation.models import ITEM_STATES, REASON_MAX, Flag, FlagOutcome, ItemState, ReviewItem
from forum.notifications import services as notifications
from forum.policy import allowed
from forum.realtime.publish import publish_events
from forum.rules import RuleViolation
from forum.states import PostState
from forum.threads import services as posts


def _explain(item_id, moderator):
    """Why an item could not be taken: gone, handled (by whom, how) or claimed by someone else."""
    item = db.session.get(ReviewItem, item_id)
    if item is None:
        return RuleViolation(_("This item no longer exists."), code="not_found")
    if item.state != ItemState.OPEN:
        by = item.handled_by.name if item.handled_by else _("the system")
        return RuleViolation(
            _("Already handled: %(outcome)s by %(name)s.", outcome=ITEM_STATES[item.state], name=by),
            code="handled",
        )
    return RuleViolation(
        _("%(name)s has claimed this item.", name=item.claimed_by.name if item.claimed_by else "?"),
        code="claimed",
    )


def _free_for(moderator):
    """Items the moderator may act on: unclaimed, claimed by them, or any for the secretariat."""
    if allowed(moderator, "administer"):
        return True
    return or_(ReviewItem.claimed_by_id.is_(None), ReviewItem.claimed_by_id == moderator.id)


def _take(moderator, item_id, state, reason=None):
    """Close an open item for this moderator, or raise why not; returns the item."""
    result = db.session.execute(
        update(ReviewItem)
        .where(ReviewItem.id == item_id, ReviewItem.state == ItemState.OPEN, _free_for(moderator))
        .values(state=state, handled_by_id=moderator.id, handled_at=utcnow(), resolution_reason=reason)
    )
    if result.rowcount != 1:
        db.session.rollback()
        raise _explain(item_id, moderator)
    item = db.session.get(ReviewItem, item_id)
    db.session.refresh(item)
    return item


def claim(moderator, item_id):
    """Claim an open item so that other moderators leave it to you."""
    result = db.session.execute(
        update(ReviewItem)
        .where(
            ReviewItem.id == item_id, ReviewItem.state == ItemState.OPEN, ReviewItem.claimed_by_id.is_(None)
        )
        .values(claimed_by_id=moderator.id, claimed_at=utcnow())
    )
    if result.rowcount != 1:
        db.session.rollback()
        raise _explain(item_id, moderator)
    return _finish(moderator, "item.claim", item_id, "claimed")


def release(moderator, item_id):
    """Give up a claim (yours, or anyone's for the secretariat)."""
    mine = True if allowed(moderator, "administer") else ReviewItem.claimed_by_id == moderator.id
    result = db.session.execute(
        update(ReviewItem)
        .where(
            ReviewItem.id == item_id,
            ReviewItem.state == ItemState.OPEN,
            ReviewItem.claimed_by_id.is_not(None),
            mine,
        )
        .values(claimed_by_id=None, claimed_at=None)
    )
    if result.rowcount != 1:
        db.session.rollback()
        raise RuleViolation(_("You do not hold a claim on this item."), code="not_claimed")
    return _finish(moderator, "item.release", item_id, "released")


def _finish(moderator, action, item_id, change, events=(), recipients=()):
    """Audit, announce to the moderators, commit, then publish."""
    item = db.session.get(ReviewItem, item_id)
    audit.log(moderator, action, "post", item.post_id, item.post.thread.title, reason=item.resolution_reason)
    events = [*events, items.changed(item_id, change)]
    db.session.commit()
    publish_events(events)
    notifications.publish(list(recipients))
    return item


def resolve_flags(post, outcome):
    """Tell everyone who flagged `post` and has not heard yet what came of it (a FlagOutcome)."""
    flags = db.session.scalars(select(Flag).where(Flag.post_id == post.id, Flag.outcome.is_(None))).all()
    for flag in flags:
        flag.outcome, flag.resolved_at = outcome, utcnow()
        notifications.notice(flag.user_id, f"flag_{outcome}", post=post)
    return [flag.user_id for flag in flags]


def approve(moderator, item_id, body=None):
    """Approve an item: a held post is published, a flagged one stays (or comes back); flaggers hear."""
    item = _take(moderator, item_id, ItemState.APPROVED)
    post = item.post
    before = {"state": post.state, "body": post.body}
    events, recipients = [], []
    if body is not None and posts.revise(moderator, post, body) is not None:
        events += posts.post_changed(post)
    if post.state == PostState.PENDING:
        published, recipients = posts.release(post)
        events += published
        recipients.append(notifications.notice(post.author_id, "post_approved", post=post))
    elif post.state == PostState.HIDDEN:
        events += posts.release(post, notify=False)[0]
        recipients.append(notifications.notice(post.author_id, "post_restored", post=post))
    recipients += resolve_flags(post, FlagOutcome.DECLINED)
    after = {"state": post.state, "body": post.body}
    audit.log(moderator, "post.approve", "post", post.id, post.thread.title, before=before, after=after)
    events.append(items.changed(item.id, ItemState.APPROVED))
    db.session.commit()
    publish_events(events)
    notifications.publish(recipients)
    return item


def clean_reason(reason, field="reason"):
    """A required reason, trimmed, or a RuleViolation."""
    reason = (reason or "").strip()
    if not reason:
        raise RuleViolation(_("Give a reason: the author is told."), field=field)
    if len(reason) > REASON_MAX:
        raise RuleViolation(_("Reasons are limited to %(n)s characters.", n=REASON_MAX), field=field)
    return reason


def reject(moderator, item_id, reason):
    """Reject an item with a reason the author is told: a held post is refused, a published one hidden,
    one that flags hid stays hidden (the flags are upheld); audited as what happened to the post."""
    reason = clean_reason(reason)
    item = _take(moderator, item_id, ItemState.REJECTED, reason)
    post = item.post
    before = _seen(post)
    if post.state == PostState.PENDING:
        action, events = "post.reject", posts.withdraw(post, PostState.REJECTED, reason)
        recipients = [notifications.notice(post.author_id, "post_rejected", reason, post=post)]
    elif post.state == PostState.PUBLISHED:
        action, events = "post.hide", posts.withdraw(post, PostState.HIDDEN, reason)
        recipients = [notifications.notice(post.author_id, "post_hidden", reason, post=post)]
    elif post.state == PostState.HIDDEN:
        post.state_reason = reason
        action, events = "flags.uphold", []
        recipients = [notifications.notice(post.author_id, "post_hidden", reason, post=post)]
    else:
        # Deleted or rejected meanwhile: only the item closes, and its author has nothing to hear.
        action, events, recipients = "item.reject", [], []
    recipients += resolve_flags(post, FlagOutcome.UPHELD)
    after = _seen(post)
    changes = {"before": before, "after": after} if after != before else {}
    audit.log(moderator, action, "post", post.id, post.thread.title, reason=reason, **changes)
    events.append(items.changed(item.id, ItemState.REJECTED))
    db.session.commit()
    publish_events(events)
    notifications.publish(recipients)
    return item


def _seen(post):
    """A post's state for the audit log, with who hid a hidden post: participants' flags or a moderator."""
    if post.state != PostState.HIDDEN:
        return {"state": post.state}
    return {"state": PostState.HIDDEN, "hidden_by": "moderator" if post.state_reason else "flags"}


def bulk(moderator, item_ids, action, reason=""):
    """Approve or reject several items, each on its own; returns [(item id, None or the refusal)]."""
    if action == "reject":
        clean_reason(reason)
    elif action != "approve":
        raise RuleViolation(_("Choose one of the options."), field="action")
    if not item_ids:
        raise RuleViolation(_("Select at least one item."), field="items")
    results = []
    for item_id in item_ids:
        try:
            if action == "approve":
                approve(moderator, item_id)
            else:
                reject(moderator, item_id, reason)
        except RuleViolation as refusal:
            results.append((item_id, refusal))
        else:
            results.append((item_id, None))
    return results
