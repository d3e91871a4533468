"""Webhook endpoints and their deliveries: the outbox of signed HTTP calls."""

from enum import StrEnum

from flask_babel import lazy_gettext as _l

from forum.database import StateType, UTCDateTime, one_of, utcnow
from forum.extensions import db


class DeliveryState(StrEnum):
    """A delivery: pending (again after a failed attempt), claimed while sending, then ended three ways."""

    PENDING = "pending"
    SENDING = "sending"
    DELIVERED = "delivered"
    FAILED = "failed"
    WITHDRAWN = "withdrawn"


DELIVERY_STATES = {
    DeliveryState.PENDING: _l("Waiting to be sent"),
    DeliveryState.SENDING: _l("Being sent"),
    DeliveryState.DELIVERED: _l("Delivered"),
    DeliveryState.FAILED: _l("Failed"),
    DeliveryState.WITHDRAWN: _l("Not sent: the content is no longer public"),
}
# Deliveries still on their way.
UNSENT_STATES = (DeliveryState.PENDING, DeliveryState.SENDING)


class WebhookEndpoint(db.Model):
    """A receiver's URL, its signing secret and the events it subscribes to."""

    __tablename__ = "webhook_endpoint"

    id = db.Column(db.Integer, primary_key=True)
    url = db.Column(db.String(500), nullable=False)
    description = db.Column(db.String(200), nullable=False, default="")
    # The receiver verifies signatures with it, so it is kept as given (shown once, then masked).
    secret = db.Column(db.String(200), nullable=False)
    events = db.Column(db.JSON, nullable=False, default=list)
    enabled = db.Column(db.Boolean, nullable=False, default=True)
    created_at = db.Column(UTCDateTime, nullable=False, default=utcnow)

    deliveries = db.relationship(
        "WebhookDelivery", back_populates="endpoint", cascade="all, delete-orphan", passive_deletes=True
    )

    @property
    def secret_hint(self):
        """The secret's last four characters, enough to tell two secrets apart."""
        return f"…{self.secret[-4:]}"


class WebhookDelivery(db.Model):
    """One event for one endpoint: its body, frozen when the event happened, and its delivery state."""

    __tablename__ = "webhook_delivery"

    id = db.Column(db.Integer, primary_key=True)
    endpoint_id = db.Column(
        db.Integer, db.ForeignKey("webhook_endpoint.id", ondelete="CASCADE"), nullable=False, index=True
    )
    # The event's id, the same for every endpoint and every redelivery: receivers deduplicate on it.
    event_id = db.Column(db.String(40), nullable=False)
    event = db.Column(db.String(40), nullable=False)
    # The row the event is about, asked again before each attempt whether it is still public.
    subject_id = db.Column(db.Integer, nullable=False)
    body = db.Column(db.Text, nullable=False)
    state = db.Column(StateType(DeliveryState, 10), nullable=False, default=DeliveryState.PENDING)
    attempts = db.Column(db.Integer, nullable=False, default=0)
    next_attempt_at = db.Column(UTCDateTime, nullable=False, default=utcnow)
    claimed_at = db.Column(UTCDateTime)
    response_code = db.Column(db.Integer)
    last_error = db.Column(db.String(500))
    created_at = db.Column(UTCDateTime, nullable=False, default=utcnow)
    delivered_at = db.Column(UTCDateTime)

    endpoint = db.relationship("WebhookEndpoint", back_populates="deliveries")

    __table_args__ = (
        db.Index("ix_webhook_delivery_state_due", "state", "next_attempt_at"),
        one_of("state", DeliveryState),
    )
