"""Review items: raised when a post is held or flagged, announced to the moderators' room."""

from sqlalchemy import func, select, update

from forum.database import insert_ignoring_conflict, utcnow
from forum.extensions import db
from forum.moderation.models import ItemState, ReviewItem
from forum.realtime.store import record
from forum.threads import gate

ROOM = "moderation"


def open_count():
    """How many items wait in the queue."""
    query = select(func.count()).select_from(ReviewItem).where(ReviewItem.state == ItemState.OPEN)
    return db.session.scalar(query)


def changed(item_id, action):
    """Record, in the current transaction, that an item changed; moderators' pages hear it after commit."""
    return record(ROOM, "queue.changed", {"item_id": item_id, "action": action})


@gate.provide("review")
def raise_item(post, reasons):
    """Put `post` in the queue for `reasons`, joining its open item if it has one; returns the room event."""
    inserted = insert_ignoring_conflict(
        ReviewItem, post_id=post.id, reasons=",".join(reasons), state=ItemState.OPEN, created_at=utcnow()
    )
    item = db.session.scalar(
        select(ReviewItem).where(ReviewItem.post_id == post.id, ReviewItem.state == ItemState.OPEN)
    )
    if not inserted:
        merged = ",".join(dict.fromkeys([*item.reason_codes, *reasons]))
        if merged != item.reasons:
            db.session.execute(update(ReviewItem).where(ReviewItem.id == item.id).values(reasons=merged))
            db.session.refresh(item, ["reasons"])
    return changed(item.id, "raised")
