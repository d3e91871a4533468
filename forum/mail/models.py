"""The outbox: every mail is a row written in the transaction of the action that causes it."""

from flask_babel import lazy_gettext as _l

from forum.database import UTCDateTime, utcnow
from forum.extensions import db

DIGEST_MODES = {
    "immediate": _l("Immediately: one mail per mention, reply or new activity"),
    "daily": _l("Daily: one digest a day of what happened"),
    "off": _l("Off: no activity mail (account notices still arrive)"),
}

MAIL_STATES = {
    "pending": _l("Waiting to be sent"),
    "sending": _l("Being sent"),
    "sent": _l("Sent"),
    "failed": _l("Failed"),
}


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
    state = db.Column(db.String(10), nullable=False, default="pending")
    attempts = db.Column(db.Integer, nullable=False, default=0)
    next_attempt_at = db.Column(UTCDateTime, nullable=False, default=utcnow)
    claimed_at = db.Column(UTCDateTime)
    last_error = db.Column(db.Text)
    created_at = db.Column(UTCDateTime, nullable=False, default=utcnow)
    sent_at = db.Column(UTCDateTime)

    user = db.relationship("User")

    __table_args__ = (db.Index("ix_mail_outbox_state_due", "state", "next_attempt_at"),)
