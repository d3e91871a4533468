"""The outbox: every mail is a row written in the transaction of the action that causes it."""

from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column

from forum.database import StateType, UTCDateTime, one_of, utcnow
from forum.extensions import db

if TYPE_CHECKING:
    from forum.accounts.models import User

DIGEST_MODES = {
    "immediate": _l("Immediately: one mail per mention, reply or new activity"),
    "daily": _l("Daily: one digest a day of what happened"),
    "off": _l("Off: no activity mail (account notices still arrive)"),
}


class MailState(StrEnum):
    """An outbox row: pending (again after a failed attempt), claimed while sending, then sent or failed."""

    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"


MAIL_STATES = {
    MailState.PENDING: _l("Waiting to be sent"),
    MailState.SENDING: _l("Being sent"),
    MailState.SENT: _l("Sent"),
    MailState.FAILED: _l("Failed"),
}
# Rows still on their way, and rows a process will send no more.
UNSENT_STATES = (MailState.PENDING, MailState.SENDING)
DONE_STATES = (MailState.SENT, MailState.FAILED)


class OutboxMessage(db.Model):
    """One rendered mail and its delivery state; a process claims it before sending it."""

    __tablename__ = "mail_outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(db.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    to_address: Mapped[str] = mapped_column(db.String(254))
    kind: Mapped[str] = mapped_column(db.String(30))
    # Essential mails (account, moderation) carry no unsubscribe link; the others do.
    essential: Mapped[bool] = mapped_column(default=True)
    language: Mapped[str] = mapped_column(db.String(10))
    subject: Mapped[str] = mapped_column(db.String(300))
    text_body: Mapped[str] = mapped_column(db.Text)
    html_body: Mapped[str] = mapped_column(db.Text)
    unsubscribe_url: Mapped[str | None] = mapped_column(db.String(500))
    # Activity mails about one thread wait in one row while it is still pending (see compose.enqueue).
    coalesce_key: Mapped[str | None] = mapped_column(db.String(60))
    state: Mapped[MailState] = mapped_column(StateType(MailState, 10), default=MailState.PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(db.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped["User | None"] = db.relationship("User")

    __table_args__ = (
        db.Index("ix_mail_outbox_state_due", "state", "next_attempt_at"),
        one_of("state", MailState),
    )
