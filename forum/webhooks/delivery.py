"""Sending webhook deliveries: claim due rows, POST them signed, record the outcome, retry with backoff.

Several processes may deliver at once: a batch is claimed in one short transaction, with
SELECT … FOR UPDATE SKIP LOCKED on PostgreSQL (a second process passes over rows the first is
claiming) and an UPDATE that re-checks the state, so no row is sent twice. The schedule lives in
the rows (`next_attempt_at`), so retries survive restarts. Redirects are not followed: a receiver
that moved must be given its new URL.
"""

import http.client
import logging
import urllib.error
import urllib.request
from datetime import timedelta

from flask import current_app
from sqlalchemy import or_, select, update

from forum.database import utcnow
from forum.extensions import db
from forum.webhooks import signing
from forum.webhooks.models import DeliveryState, WebhookDelivery, WebhookEndpoint
from forum.webhooks.outbox import EVENTS

log = logging.getLogger(__name__)
# A row left `sending` this long (its process died mid-request) is taken up again.
STALE_CLAIM = timedelta(minutes=5)
USER_AGENT = "DialogueForum-Webhooks/1"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A 3xx answer is the receiver's answer, recorded as a failure, not a new address to call."""

    def redirect_request(self, *args, **kwargs):
        """Follow nothing."""
        return


_opener = urllib.request.build_opener(_NoRedirect)


def post(url, body, headers, timeout):
    """POST `body` to `url`; returns the HTTP status code, raises OSError when nothing answered."""
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310 - http(s) only
    try:
        with _opener.open(request, timeout=timeout) as response:
            return response.status
    except urllib.error.HTTPError as error:
        error.close()
        return error.code


def _due(now):
    """Rows to send now: pending and due (for an enabled endpoint), or claimed long ago by a dead process."""
    return (
        select(WebhookDelivery.id)
        .join(WebhookEndpoint)
        .where(
            WebhookEndpoint.enabled.is_(True),
            or_(
                (WebhookDelivery.state == DeliveryState.PENDING) & (WebhookDelivery.next_attempt_at <= now),
                (WebhookDelivery.state == DeliveryState.SENDING)
                & (WebhookDelivery.claimed_at <= now - STALE_CLAIM),
            ),
        )
    )


def claim(now, limit):
    """Take up to `limit` due rows for this process, in one transaction; returns their ids."""
    candidates = _due(now).order_by(WebhookDelivery.next_attempt_at, WebhookDelivery.id).limit(limit)
    if db.session.get_bind().dialect.name == "postgresql":
        candidates = candidates.with_for_update(of=WebhookDelivery, skip_locked=True)
    ids = db.session.scalars(candidates).all()
    if not ids:
        db.session.rollback()
        return []
    # The UPDATE asks again: on SQLite (no row locks) another process may have taken a row meanwhile.
    taken = db.session.scalars(
        update(WebhookDelivery)
        .where(WebhookDelivery.id.in_(ids), WebhookDelivery.id.in_(_due(now)))
        .values(state=DeliveryState.SENDING, attempts=WebhookDelivery.attempts + 1, claimed_at=now)
        .returning(WebhookDelivery.id)
        .execution_options(synchronize_session=False)
    ).all()
    db.session.commit()
    return sorted(taken)


def headers_for(row, timestamp):
    """The headers of one attempt: the event, its id and the signature over timestamp and body."""
    return {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": USER_AGENT,
        "Forum-Event": row.event,
        "Forum-Event-Id": row.event_id,
        "Forum-Delivery": str(row.id),
        signing.SIGNATURE_HEADER: signing.header(row.endpoint.secret, timestamp, row.body),
    }


def _attempt(row, now):
    """Send one claimed row and record what happened; returns True when it was delivered."""
    config = current_app.config
    kind = EVENTS.get(row.event)
    if kind is None or not kind.still_public(row.subject_id):
        row.state, row.last_error = DeliveryState.WITHDRAWN, None
        return False
    try:
        code = post(
            row.endpoint.url, row.body.encode(), headers_for(row, now.timestamp()), config["WEBHOOK_TIMEOUT"]
        )
        error = None if 200 <= code < 300 else f"HTTP {code}"
    # Refused, timed out, a name that does not resolve, a garbled answer: recorded on the row and retried.
    except (OSError, ValueError, http.client.HTTPException) as failure:
        code, error = None, f"{type(failure).__name__}: {failure}"[:500]
    row.response_code, row.last_error = code, error
    if error is None:
        row.state, row.delivered_at = DeliveryState.DELIVERED, now
        return True
    if row.attempts >= config["WEBHOOK_MAX_ATTEMPTS"]:
        row.state = DeliveryState.FAILED
        log.error("webhook delivery %s to %s failed for good: %s", row.id, row.endpoint.url, error)
    else:
        wait = config["WEBHOOK_RETRY_SECONDS"] * 2 ** (row.attempts - 1)
        row.state, row.next_attempt_at = DeliveryState.PENDING, now + timedelta(seconds=wait)
        log.warning(
            "webhook delivery %s failed (attempt %s), retry in %s s: %s", row.id, row.attempts, wait, error
        )
    return False


def deliver_due(now=None):
    """Send every due delivery this process can claim; returns (delivered, not delivered).

    `now` (the worker's clock) decides which rows are due and stamps the attempts; default: the time.
    """
    delivered = undelivered = 0
    limit = current_app.config["WEBHOOK_BATCH"]
    while True:
        ids = claim(now or utcnow(), limit)
        for row_id in ids:
            row = db.session.get(WebhookDelivery, row_id)
            if _attempt(row, now or utcnow()):
                delivered += 1
            else:
                undelivered += 1
            db.session.commit()
        if len(ids) < limit:
            return delivered, undelivered
