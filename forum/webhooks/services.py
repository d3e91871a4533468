"""The secretariat's rules for webhook endpoints: create, change, rotate the secret, delete, redeliver.

Each change is a security event (forum.security_log): an endpoint receives the forum's content.
"""

from urllib.parse import urlsplit

from flask_babel import gettext as _
from sqlalchemy import func, select

from forum.extensions import db
from forum.rules import RuleViolation
from forum.security_log import security_event
from forum.webhooks import signing
from forum.webhooks.models import UNSENT_STATES, WebhookDelivery, WebhookEndpoint
from forum.webhooks.outbox import EVENTS

URL_MAX = 500
SECRET_MIN = 24
SECRET_MAX = 200
LOG_SIZE = 50


def _clean_url(url):
    """An absolute http(s) URL with a host, or a RuleViolation beside the URL field."""
    url = (url or "").strip()
    try:
        parts = urlsplit(url)
        scheme, host = parts.scheme, parts.hostname
    except ValueError:  # an unclosed IPv6 bracket, say
        scheme = host = None
    printable = url.isprintable() and not any(character.isspace() for character in url)
    if scheme not in ("http", "https") or not host or not printable or len(url) > URL_MAX:
        raise RuleViolation(_("Give an address starting with https:// (or http://)."), field="url")
    return url


def _clean_events(events):
    """The chosen events, known ones only, in the registry's order; at least one."""
    chosen = [name for name in EVENTS if name in set(events or ())]
    if not chosen:
        raise RuleViolation(_("Choose at least one event."), field="events")
    return chosen


def _clean_secret(secret):
    """The secret the secretariat typed, or a new one when left empty."""
    secret = (secret or "").strip()
    if not secret:
        return signing.new_secret()
    if not SECRET_MIN <= len(secret) <= SECRET_MAX:
        message = _(
            "A secret has %(min)s to %(max)s characters; leave it empty to have one made.",
            min=SECRET_MIN,
            max=SECRET_MAX,
        )
        raise RuleViolation(message, field="secret")
    return secret


def create(actor, url, events, description="", secret=""):
    """Add an endpoint; returns it with its secret, which the page shows this once."""
    endpoint = WebhookEndpoint(
        url=_clean_url(url),
        events=_clean_events(events),
        description=(description or "").strip()[:200],
        secret=_clean_secret(secret),
        enabled=True,
    )
    db.session.add(endpoint)
    db.session.commit()
    security_event("webhook.created", actor=actor.id, endpoint=endpoint.id, url=endpoint.url)
    return endpoint


def update(actor, endpoint, url, events, description, enabled):
    """Change an endpoint's address, events, description and whether it receives anything."""
    endpoint.url = _clean_url(url)
    endpoint.events = _clean_events(events)
    endpoint.description = (description or "").strip()[:200]
    endpoint.enabled = bool(enabled)
    db.session.commit()
    security_event(
        "webhook.changed", actor=actor.id, endpoint=endpoint.id, url=endpoint.url, enabled=endpoint.enabled
    )
    return endpoint


def rotate_secret(actor, endpoint):
    """Give the endpoint a new secret (shown once); the old one stops signing at once."""
    endpoint.secret = signing.new_secret()
    db.session.commit()
    security_event("webhook.secret_rotated", actor=actor.id, endpoint=endpoint.id)
    return endpoint.secret


def delete(actor, endpoint):
    """Remove an endpoint and its delivery log."""
    security_event("webhook.deleted", actor=actor.id, endpoint=endpoint.id, url=endpoint.url)
    db.session.delete(endpoint)
    db.session.commit()


def redeliver(actor, endpoint, delivery_id):
    """Queue a delivery's event again for its endpoint, as a new row (the log keeps the old one)."""
    old = db.session.get(WebhookDelivery, delivery_id)
    if old is None or old.endpoint_id != endpoint.id:
        raise RuleViolation(_("There is no such delivery."), code="not_found")
    if old.state in UNSENT_STATES:
        raise RuleViolation(_("This delivery is still being sent."), code="invalid_state")
    again = WebhookDelivery(
        endpoint_id=endpoint.id,
        event_id=old.event_id,
        event=old.event,
        subject_id=old.subject_id,
        body=old.body,
    )
    db.session.add(again)
    db.session.commit()
    security_event("webhook.redelivered", actor=actor.id, endpoint=endpoint.id, delivery=old.id)
    return again


def endpoints():
    """Every endpoint with its counts of deliveries by state: [(endpoint, {state: n})]."""
    rows = db.session.execute(
        select(WebhookDelivery.endpoint_id, WebhookDelivery.state, func.count()).group_by(
            WebhookDelivery.endpoint_id, WebhookDelivery.state
        )
    ).all()
    counts = {}
    for endpoint_id, state, count in rows:
        counts.setdefault(endpoint_id, {})[state] = count
    listed = db.session.scalars(select(WebhookEndpoint).order_by(WebhookEndpoint.id)).all()
    return [(endpoint, counts.get(endpoint.id, {})) for endpoint in listed]


def delivery_log(endpoint, limit=LOG_SIZE):
    """The endpoint's latest deliveries, newest first."""
    query = (
        select(WebhookDelivery)
        .where(WebhookDelivery.endpoint_id == endpoint.id)
        .order_by(WebhookDelivery.id.desc())
        .limit(limit)
    )
    return db.session.scalars(query).all()
