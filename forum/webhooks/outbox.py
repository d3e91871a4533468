"""Webhook events: features register theirs, and `emit` adds their deliveries to the writer's transaction.

A delivery is a row committed (or rolled back) with the change it reports, so a receiver hears of
every committed change and of nothing that was undone. The body is frozen at that moment; before each
attempt the event's `still_public` check is asked again, so content hidden since is never sent.
"""

import json
import uuid
from dataclasses import dataclass
from datetime import UTC

from sqlalchemy import select

from forum.database import utcnow
from forum.extensions import db
from forum.webhooks.models import WebhookDelivery, WebhookEndpoint


@dataclass(frozen=True)
class EventKind:
    """A kind of event: its label for the secretariat, and whether its subject (by id) is still public."""

    name: str
    label: object
    still_public: object


# Event kinds by name ("post.created"), in the order the features register them.
EVENTS = {}


def register_event(name, label, still_public):
    """Offer event `name` to endpoints; `still_public(subject_id)` says whether it may still be sent."""
    EVENTS[name] = EventKind(name, label, still_public)


def body_of(event_id, name, created_at, data):
    """The JSON text every endpoint receives for one event."""
    envelope = {"id": event_id, "type": name, "created_at": timestamp(created_at), "data": data}
    return json.dumps(envelope, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def subscribers(name):
    """The enabled endpoints that subscribe to event `name`."""
    endpoints = db.session.scalars(select(WebhookEndpoint).where(WebhookEndpoint.enabled.is_(True)))
    return [endpoint for endpoint in endpoints if name in (endpoint.events or [])]


def emit(name, subject_id, data):
    """Add event `name` about row `subject_id` for each subscribed endpoint, in the current transaction.

    `data` must hold only what every reader may see (the caller applies attribution). Returns the rows.
    """
    if name not in EVENTS:
        raise ValueError(f"webhook event {name} is not registered")
    endpoints = subscribers(name)
    if not endpoints:
        return []
    now = utcnow()
    event_id = f"evt_{uuid.uuid4().hex}"
    body = body_of(event_id, name, now, data)
    rows = [
        WebhookDelivery(
            endpoint_id=endpoint.id, event_id=event_id, event=name, subject_id=subject_id, body=body
        )
        for endpoint in endpoints
    ]
    db.session.add_all(rows)
    return rows


def timestamp(value):
    """A UTC datetime as ISO 8601 text ending in Z; None stays None."""
    return (
        None if value is None else value.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
    )
