"""Webhook endpoints and their deliveries: the outbox of signed HTTP calls."""

from datetime import datetime
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column

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

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(db.String(500))
    description: Mapped[str] = mapped_column(db.String(200), default="")
    # The receiver verifies signatures with it, so it is kept as given (shown once, then masked).
    secret: Mapped[str] = mapped_column(db.String(200))
    events: Mapped[list] = mapped_column(db.JSON, default=list)
    enabled: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    deliveries: Mapped[list["WebhookDelivery"]] = db.relationship(
        "WebhookDelivery", back_populates="endpoint", cascade="all, delete-orphan", passive_deletes=True
    )

    @property
    def secret_hint(self):
        """The secret's last four characters, enough to tell two secrets apart."""
        return f"…{self.secret[-4:]}"


class WebhookDelivery(db.Model):
    """One event for one endpoint: its body, frozen when the event happened, and its delivery state."""

    __tablename__ = "webhook_delivery"

    id: Mapped[int] = mapped_column(primary_key=True)
    endpoint_id: Mapped[int] = mapped_column(
        db.ForeignKey("webhook_endpoint.id", ondelete="CASCADE"), index=True
    )
    # The event's id, the same for every endpoint and every redelivery: receivers deduplicate on it.
    event_id: Mapped[str] = mapped_column(db.String(40))
    event: Mapped[str] = mapped_column(db.String(40))
    # The row the event is about, asked again before each attempt whether it is still public.
    subject_id: Mapped[int] = mapped_column()
    body: Mapped[str] = mapped_column(db.Text)
    state: Mapped[DeliveryState] = mapped_column(StateType(DeliveryState, 10), default=DeliveryState.PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    response_code: Mapped[int | None] = mapped_column()
    last_error: Mapped[str | None] = mapped_column(db.String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    endpoint: Mapped["WebhookEndpoint"] = db.relationship("WebhookEndpoint", back_populates="deliveries")

    __table_args__ = (
        db.Index("ix_webhook_delivery_state_due", "state", "next_attempt_at"),
        one_of("state", DeliveryState),
    )
