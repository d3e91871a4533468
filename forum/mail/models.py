"""The outbox: every mail is a row written in the transaction of the action that causes it."""

from enum import StrEnum

from flask_babel import lazy_gettext as _l

from forum.database import StateType, UTCDateTime, one_of, utcnow
from forum.extensions import db

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

    id = db.Column(db.Integer, primary_key=True)
    user_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    to_address = db.Column(db.String(254), nullable=False)
    kind = db.Column(db.String(30), nullable=False)
    # Essential mails (account, moderation) carry no unsubscribe link; the others do.
    essential = db.Column(db.Boolean, nullable=False, default=True)
    language = db.Column(db.String(10), nullable=False)
    subject = db.Column(db.String(300), nullable=False)
    text_body = db.Column(db.Text, nullable=False)
    html_body = db.Column(db.Text, nullable=False)
    unsubscribe_url = db.Column(db.String(500))
    # Activity mails about one thread wait in one row while it is still pending (see compose.enqueue).
    coalesce_key = db.Column(db.String(60))
    state = db.Column(StateType(MailState, 10), nullable=False, default=MailState.PENDING)
    attempts = db.Column(db.Integer, nullable=False, default=0)
    next_attempt_at = db.Column(UTCDateTime, nullable=False, default=utcnow)
    claimed_at = db.Column(UTCDateTime)
    last_error = db.Column(db.Text)
    created_at = db.Column(UTCDateTime, nullable=False, default=utcnow)
    sent_at = db.Column(UTCDateTime)

    user = db.relationship("User")

    __table_args__ = (
        db.Index("ix_mail_outbox_state_due", "state", "next_attempt_at"),
        one_of("state", MailState),
    )
