"""Tables of sign-in security: TOTP credentials, recovery codes and the sessions each sign-in opens."""

from forum.database import UTCDateTime, utcnow
from forum.extensions import db


class TotpCredential(db.Model):
    """A user's authenticator app: its shared secret, once confirmed with a first code.

    An unconfirmed row is an enrolment in progress; confirming it replaces any earlier credential.
    `last_step` is the 30-second step of the last code accepted: a code is never accepted twice.
    `remember_token` is what remembered browsers' cookies carry; changing it forgets them all.
    """

    __tablename__ = "totp_credential"

    id = db.Column(db.Integer, primary_key=True)
    user_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True)
    secret = db.Column(db.String(64), nullable=False)
    created_at = db.Column(UTCDateTime, nullable=False, default=utcnow)
    confirmed_at = db.Column(UTCDateTime)
    last_step = db.Column(db.BigInteger)
    remember_token = db.Column(db.String(32), nullable=False)


class RecoveryCode(db.Model):
    """A single-use recovery code, kept as its SHA-256 (the code itself is shown once, at creation)."""

    __tablename__ = "recovery_code"

    id = db.Column(db.Integer, primary_key=True)
    user_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True)
    code_hash = db.Column(db.String(64), nullable=False)
    created_at = db.Column(UTCDateTime, nullable=False, default=utcnow)
    used_at = db.Column(UTCDateTime)


class UserSession(db.Model):
    """One signed-in session, keyed by a random id kept in its signed cookie.

    load_user accepts a session only while its row is open: revoking it (ended_at) signs it out at its
    next request and socket event. The browser and address are shown to the user on the sessions page.
    """

    __tablename__ = "user_session"

    id = db.Column(db.String(43), primary_key=True)
    user_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True)
    created_at = db.Column(UTCDateTime, nullable=False, default=utcnow)
    last_seen_at = db.Column(UTCDateTime, nullable=False, default=utcnow)
    ip = db.Column(db.String(45))
    user_agent = db.Column(db.String(300))
    ended_at = db.Column(UTCDateTime)
    end_reason = db.Column(db.String(20))
