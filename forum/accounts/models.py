"""The user account, its stakeholder identity and its verification status."""

import secrets
from datetime import datetime

from flask import session
from flask_babel import lazy_gettext as _l
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column

from forum.accounts import sessions
from forum.database import StateType, UTCDateTime, one_of, utcnow
from forum.extensions import db
from forum.permissions import ROLES, Permission, Role
from forum.states import AccountStatus

STAKEHOLDER_GROUPS = {
    "member_state": _l("Member State"),
    "sector_member": _l("ITU Sector Member"),
    "associate": _l("ITU Associate"),
    "academia": _l("Academia"),
    "civil_society": _l("Civil society"),
    "private_sector": _l("Private sector"),
    "technical_community": _l("Technical community"),
    "international_organisation": _l("International or regional organisation"),
    "un_entity": _l("UN system entity"),
}

STATUS_LABELS = {
    AccountStatus.PENDING: _l("Awaiting verification"),
    AccountStatus.VERIFIED: _l("Verified"),
    AccountStatus.REJECTED: _l("Registration rejected"),
}


def normalise_email(email):
    """Emails are compared and stored trimmed and lower-cased."""
    return (email or "").strip().lower()


def find_by_email(email):
    """The user with this email, whatever its case, or None."""
    return db.session.scalar(db.select(User).where(User.email == normalise_email(email)))


def parse_user_id(value):
    """(row id, session token) from an id that User.get_id made, or None when `value` is not one."""
    row_id, _sep, token = value.partition(":") if isinstance(value, str) else ("", "", "")
    return (int(row_id), token) if row_id.isascii() and row_id.isdigit() else None


def session_claim():
    """Who this request's session says it signed in as: (row id, session token, session row id), or None.

    The signed cookie proves that the site issued the claim, not that it still holds: the token may be
    stale and the account suspended since. Only a check against the users row, as load_user makes,
    or one inside a statement that acts for the user, settles it. An expired session claims nobody.
    """
    if "_user_id" not in session or sessions.expiry(session):
        return None
    claim = parse_user_id(session["_user_id"])
    return (*claim, session.get(sessions.SESSION_ID)) if claim else None


def new_session_token():
    """A random token; changing it signs the user out of every session."""
    return secrets.token_urlsafe(16)


class User(UserMixin, db.Model):
    """A registered delegate, stakeholder or staff member."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(db.String(254), unique=True)
    name: Mapped[str] = mapped_column(db.String(120))
    # The name used in @mentions, e.g. amara.okafor; made from the full name, editable.
    handle: Mapped[str] = mapped_column(db.String(40), unique=True)
    password_hash: Mapped[str] = mapped_column(db.String(255))
    role: Mapped[Role] = mapped_column(StateType(Role, 20), default=Role.PARTICIPANT)
    status: Mapped[AccountStatus] = mapped_column(
        StateType(AccountStatus, 20), default=AccountStatus.PENDING, index=True
    )
    status_reason: Mapped[str | None] = mapped_column(db.Text)
    status_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    status_changed_by_id: Mapped[int | None] = mapped_column(db.ForeignKey("users.id", ondelete="SET NULL"))
    stakeholder_group: Mapped[str] = mapped_column(db.String(40), index=True)
    country: Mapped[str | None] = mapped_column(db.String(2), index=True)
    organisation: Mapped[str] = mapped_column(db.String(200))
    job_title: Mapped[str | None] = mapped_column(db.String(200))
    locale: Mapped[str | None] = mapped_column(db.String(10))
    session_token: Mapped[str] = mapped_column(db.String(32), default=new_session_token)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # End dates of the active sanctions (history in moderation.Sanction); past dates mean none.
    silenced_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    suspended_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Mail (forum.mail): the address is proven by the confirmation link; activity mail is off,
    # immediate or daily (see DIGEST_MODES), and last_digest_at claims each daily digest.
    email_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    digest_mode: Mapped[str] = mapped_column(db.String(10), default="daily", server_default="daily")
    last_digest_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The version of the privacy notice the user last accepted (history in PrivacyConsent); a newer
    # PRIVACY_NOTICE_VERSION asks them again (forum.accounts.consent).
    privacy_version: Mapped[str | None] = mapped_column(db.String(40))
    # When the user deleted their account (forum.privacy.erasure): the row stays as a pseudonym.
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    status_changed_by: Mapped["User | None"] = db.relationship("User", remote_side=[id])

    __table_args__ = (one_of("role", Role), one_of("status", AccountStatus))

    # Set by load_user on the signed-in user: their role needs a second factor this session has not given
    # (forum.accounts.twofactor). Until it has, the role's staff rights are withheld.
    second_factor_missing = False

    def get_id(self):
        """Flask-Login id: the row id plus the session token, so a new token ends old sessions."""
        return f"{self.id}:{self.session_token}"

    def can(self, permission):
        """True when the user's role grants `permission` and no sanction withdraws it."""
        granted = ROLES.get(self.role, Permission(0))
        if self.second_factor_missing:
            granted &= ROLES[Role.PARTICIPANT]
        if self.is_silenced or self.is_suspended:
            granted &= Permission.READ
        return bool(granted & permission)

    @property
    def is_silenced(self):
        """May read but not post, flag or ask, until silenced_until."""
        return self.silenced_until is not None and self.silenced_until > utcnow()

    @property
    def is_suspended(self):
        """May not sign in until suspended_until."""
        return self.suspended_until is not None and self.suspended_until > utcnow()

    @property
    def is_verified(self):
        """Verified by the secretariat."""
        return self.status == AccountStatus.VERIFIED

    @property
    def group_label(self):
        """The stakeholder group's display name."""
        return STAKEHOLDER_GROUPS.get(self.stakeholder_group, self.stakeholder_group)

    def __repr__(self):
        return f"<User {self.id} {self.email}>"


class Invitation(db.Model):
    """A single-use link from the secretariat that lets someone register after the deadline."""

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(db.String(254), index=True)
    token_hash: Mapped[str] = mapped_column(db.String(64), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(db.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    user_id: Mapped[int | None] = mapped_column(db.ForeignKey("users.id", ondelete="SET NULL"))

    created_by: Mapped["User | None"] = db.relationship("User", foreign_keys=[created_by_id])
    user: Mapped["User | None"] = db.relationship("User", foreign_keys=[user_id])


class PrivacyConsent(db.Model):
    """One acceptance of a version of the privacy notice: at registration, or when a new version asked."""

    __tablename__ = "privacy_consent"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(db.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    version: Mapped[str] = mapped_column(db.String(40))
    context: Mapped[str] = mapped_column(db.String(20))
    given_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
