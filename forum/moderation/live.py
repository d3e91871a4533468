"""How queue events look to moderators: the new count and the item as the queue page shows it."""

from flask import render_template

from forum.extensions import db
from forum.moderation import items, listing
from forum.moderation.models import FLAG_REASONS, HOLD_REASONS, ITEM_STATES, ItemState, ReviewItem
from forum.realtime.publish import renders


@renders("queue.changed")
def queue_event(event, audience):
    """Moderators get the open count and the item's markup; nobody else gets anything."""
    if audience != "staff":
        return None
    item = db.session.get(ReviewItem, event.data["item_id"])
    html = ""
    if item is not None and item.state == ItemState.OPEN:
        html = render_template(
            "moderation/_item.html",
            item=item,
            context=listing.context([item]),
            hold_reasons=HOLD_REASONS,
            flag_reasons=FLAG_REASONS,
            item_states=ITEM_STATES,
        )
    return {
        "item_id": event.data["item_id"],
        "action": event.data["action"],
        "open": items.open_count(),
        "html": html,
    }
