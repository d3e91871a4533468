"""Tables of sign-in security: TOTP credentials, recovery codes, security keys, and sessions."""

from datetime import datetime

from sqlalchemy.orm import Mapped, mapped_column

from forum.database import UTCDateTime, utcnow
from forum.extensions import db


class TotpCredential(db.Model):
    """A user's authenticator app: its shared secret, once confirmed with a first code.

    An unconfirmed row is an enrolment in progress; confirming it replaces any earlier credential.
    `last_step` is the 30-second step of the last code accepted: a code is never accepted twice.
    `remember_token` is what remembered browsers' cookies carry; changing it forgets them all.
    """

    __tablename__ = "totp_credential"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(db.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    secret: Mapped[str] = mapped_column(db.String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_step: Mapped[int | None] = mapped_column(db.BigInteger)
    remember_token: Mapped[str] = mapped_column(db.String(32))


class RecoveryCode(db.Model):
    """A single-use recovery code, kept as its SHA-256 (the code itself is shown once, at creation)."""

    __tablename__ = "recovery_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(db.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(db.String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class UserSession(db.Model):
    """One signed-in session, keyed by a random id kept in its signed cookie.

    load_user accepts a session only while its row is open: revoking it (ended_at) signs it out at its
    next request and socket event. The browser, address and place of sign-in are shown to the user on
    the sessions page.
    """

    __tablename__ = "user_session"

    id: Mapped[str] = mapped_column(db.String(43), primary_key=True)
    user_id: Mapped[int] = mapped_column(db.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    ip: Mapped[str | None] = mapped_column(db.String(45))
    # Where the sign-in came from: an ISO 3166-1 alpha-2 code, "local", or NULL when unknown.
    place: Mapped[str | None] = mapped_column(db.String(8))
    user_agent: Mapped[str | None] = mapped_column(db.String(300))
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    end_reason: Mapped[str | None] = mapped_column(db.String(20))


class WebAuthnCredential(db.Model):
    """A security key or passkey registered as a second factor, under the name its owner gave it.

    `sign_count` is the authenticator's signature counter, when it keeps one (many passkeys send 0):
    a counter that goes backwards means a cloned key, and the sign-in is refused.
    """

    __tablename__ = "webauthn_credential"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(db.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    credential_id: Mapped[bytes] = mapped_column(db.LargeBinary(1023), unique=True)
    public_key: Mapped[bytes] = mapped_column(db.LargeBinary)
    sign_count: Mapped[int] = mapped_column(db.BigInteger, default=0)
    name: Mapped[str] = mapped_column(db.String(60))
    transports: Mapped[str | None] = mapped_column(db.String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class WebAuthnChallenge(db.Model):
    """A challenge handed to a browser for one user and purpose, kept as its SHA-256 until it is
    answered (once: answering deletes it) or WEBAUTHN_CHALLENGE_SECONDS pass."""

    __tablename__ = "webauthn_challenge"

    digest: Mapped[str] = mapped_column(db.String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(db.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[str] = mapped_column(db.String(10))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
