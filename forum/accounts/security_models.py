"""Tables of sign-in security: TOTP credentials, recovery codes, security keys, and sessions."""

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
    next request and socket event. The browser, address and place of sign-in are shown to the user on
    the sessions page.
    """

    __tablename__ = "user_session"

    id = db.Column(db.String(43), primary_key=True)
    user_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True)
    created_at = db.Column(UTCDateTime, nullable=False, default=utcnow)
    last_seen_at = db.Column(UTCDateTime, nullable=False, default=utcnow)
    ip = db.Column(db.String(45))
    # Where the sign-in came from: an ISO 3166-1 alpha-2 code, "local", or NULL when unknown.
    place = db.Column(db.String(8))
    user_agent = db.Column(db.String(300))
    ended_at = db.Column(UTCDateTime)
    end_reason = db.Column(db.String(20))


class WebAuthnCredential(db.Model):
    """A security key or passkey registered as a second factor, under the name its owner gave it.

    `sign_count` is the authenticator's signature counter, when it keeps one (many passkeys send 0):
    a counter that goes backwards means a cloned key, and the sign-in is refused.
    """

    __tablename__ = "webauthn_credential"

    id = db.Column(db.Integer, primary_key=True)
    user_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True)
    credential_id = db.Column(db.LargeBinary(1023), nullable=False, unique=True)
    public_key = db.Column(db.LargeBinary, nullable=False)
    sign_count = db.Column(db.BigInteger, nullable=False, default=0)
    name = db.Column(db.String(60), nullable=False)
    transports = db.Column(db.String(100))
    created_at = db.Column(UTCDateTime, nullable=False, default=utcnow)
    last_used_at = db.Column(UTCDateTime)


class WebAuthnChallenge(db.Model):
    """A challenge handed to a browser for one user and purpose, kept as its SHA-256 until it is
    answered (once: answering deletes it) or WEBAUTHN_CHALLENGE_SECONDS pass."""

    __tablename__ = "webauthn_challenge"

    digest = db.Column(db.String(64), primary_key=True)
    user_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True)
    purpose = db.Column(db.String(10), nullable=False)
    created_at = db.Column(UTCDateTime, nullable=False, default=utcnow)
