"""Account rules: registration, passwords, sign-in, verification, roles and invitations."""

import re
import unicodedata

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select
from zxcvbn.frequency_lists import FREQUENCY_LISTS

from forum import audit, countries, throttle
from forum.accounts import consent, invitations, signals, twofactor, usersessions
from forum.accounts.models import (
    STAKEHOLDER_GROUPS,
    STATUS_LABELS,
    User,
    find_by_email,
    new_session_token,
    normalise_email,
)
from forum.database import utcnow
from forum.extensions import db
from forum.i18n import local_deadline
from forum.permissions import ROLES, Role
from forum.realtime.publish import end_user_sockets, publish
from forum.rules import RuleViolation
from forum.security_log import security_event
from forum.states import AccountStatus

COMMON_PASSWORDS = frozenset(FREQUENCY_LISTS["passwords"])


def password_problem(password):
    """Why `password` is refused, or None when it is acceptable."""
    cfg = current_app.config
    if len(password) < cfg["PASSWORD_MIN_LENGTH"]:
        return _("Use at least %(n)s characters.", n=cfg["PASSWORD_MIN_LENGTH"])
    if len(password) > cfg["PASSWORD_MAX_LENGTH"]:
        return _("Use at most %(n)s characters.", n=cfg["PASSWORD_MAX_LENGTH"])
    if password.lower() in COMMON_PASSWORDS or len(set(password)) < 3:
        return _("This password is too common; choose one that is harder to guess.")
    return None


def password_hasher():
    """argon2id with the library's recommended cost, unless the config lowers it (tests only)."""
    costs = current_app.config.get("ARGON2_COSTS") or {}
    return PasswordHasher(**costs)


def hash_password(password):
    """An argon2id hash of `password`."""
    return password_hasher().hash(password)


def check_password(user, password):
    """True when `password` is the user's; upgrades an outdated hash on the way."""
    hasher = password_hasher()
    try:
        hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
    if hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hasher.hash(password)
        db.session.commit()
    return True


def registration_open():
    """True until the registration deadline (Geneva time) has passed."""
    return utcnow() <= local_deadline("REGISTRATION_DEADLINE")


def _handle_taken(handle, user=None):
    """True when another account already uses `handle`."""
    query = select(User.id).where(User.handle == handle)
    if user is not None and user.id is not None:
        query = query.where(User.id != user.id)
    return db.session.scalar(query) is not None


def unique_handle(name):
    """A free @handle made from a full name: "Amara Okafor" -> amara.okafor, then amara.okafor2…"""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    base = re.sub(r"[^a-z0-9]+", ".", ascii_name).strip(".")[:30] or "participant"
    base = base if len(base) >= 3 else f"{base}.user"
    candidate, n = base, 1
    while _handle_taken(candidate):
        n += 1
        candidate = f"{base}{n}"
    return candidate


def users_by_handle(handles):
    """{handle: user} for the handles that exist."""
    if not handles:
        return {}
    return {u.handle: u for u in db.session.scalars(select(User).where(User.handle.in_(handles)))}


def _check_identity(data):
    """Refuse an unknown group or country, or a Member State delegate without the State they represent."""
    if data["stakeholder_group"] not in STAKEHOLDER_GROUPS:
        raise RuleViolation(_("Choose a stakeholder group from the list."), field="stakeholder_group")
    country = data.get("country")
    if country and country not in countries.table():
        raise RuleViolation(_("Choose a country from the list."), field="country")
    if data["stakeholder_group"] == "member_state" and not country:
        raise RuleViolation(
            _("Member State delegates must give the country they represent."), field="country"
        )
    # A delegation represents a State (a Member or an observer State), never a territory.
    if data["stakeholder_group"] == "member_state" and not countries.is_state(country):
        raise RuleViolation(
            _("Member State delegates choose the State they represent from the list of States."),
            field="country",
        )


def create_user(data, *, status=AccountStatus.PENDING, role=Role.PARTICIPANT):
    """Create an account from validated form data; raises RuleViolation, stores nothing on failure."""
    email = normalise_email(data["email"])
    _check_identity(data)
    problem = password_problem(data["password"])
    if problem:
        raise RuleViolation(problem, field="password")
    if role not in ROLES:
        raise RuleViolation(_("Unknown role."), field="role")
    # Last, so that registration (which hides this refusal) answers every other mistake in the same way.
    if find_by_email(email):
        raise RuleViolation(
            _("An account with this email address already exists."), field="email", code="taken"
        )
    user = User(
        email=email,
        name=data["name"].strip(),
        handle=unique_handle(data["name"]),
        password_hash=hash_password(data["password"]),
        stakeholder_group=data["stakeholder_group"],
        country=data.get("country") or None,
        organisation=data["organisation"].strip(),
        job_title=(data.get("job_title") or "").strip() or None,
        locale=data.get("locale"),
        role=role,
        status=status,
        status_changed_at=utcnow() if status != AccountStatus.PENDING else None,
    )
    db.session.add(user)
    return user


def create_verified_user(data, role=Role.PARTICIPANT):
    """An account made by the secretariat (CLI or demo data): verified at once."""
    user = create_user(data, status=AccountStatus.VERIFIED, role=role)
    # The secretariat vouches for the address of an account it makes.
    user.email_confirmed_at = utcnow()
    db.session.commit()
    return user


def register(data, invitation_token=None, ip=None):
    """Self-registration: open until the deadline, or at any time with a valid invitation.

    The confirmation mail is queued in the same transaction as the account. An address that already has
    an account gets the same answer, after the same work, and its owner a mail instead (nothing tells the
    visitor whether the address is registered); returns the new user, or None for such an address.
    """
    invitation = invitations.find(invitation_token) if invitation_token else None
    if invitation_token and invitation is None:
        raise RuleViolation(_("This invitation link is invalid, expired or already used."), code="invitation")
    if invitation is None and not registration_open():
        raise RuleViolation(_("Registration is closed."), code="closed")
    if invitation and normalise_email(data["email"]) != invitation.email:
        raise RuleViolation(_("Use the email address the invitation was made for."), field="email")
    if not data.get("consent"):
        raise RuleViolation(_("Read and accept the privacy notice to register."), field="consent")
    try:
        user = create_user(data, status=AccountStatus.VERIFIED if invitation else AccountStatus.PENDING)
    except RuleViolation as error:
        if error.code != "taken":
            raise
        _registered_again(find_by_email(data["email"]), data["password"], ip)
        return None
    if invitation:
        invitation.used_at = utcnow()
        invitation.user = user
    db.session.flush()
    consent.record(user, "registration")
    signals.registered.send(user)
    db.session.commit()
    if user.status == AccountStatus.PENDING:
        publish("registrations", "registrations.changed", {"pending": pending_count()})
    return user


def _registered_again(owner, password, ip):
    """Someone registered with `owner`'s address: the owner is told by mail (a few times a day at most).

    The password is hashed as a new account's would be, so that the answer takes as long.
    """
    hash_password(password)
    notify = not throttle.attempt("REGISTER_NOTICE_LIMIT_PER_ADDRESS", owner.email)
    if notify:
        signals.registered_again.send(owner)
        db.session.commit()
    security_event("register.existing_address", user_id=owner.id, ip=ip, notified=notify)


def end_all_sessions(user, kind):
    """Sign the user out everywhere by changing the token their sessions carry; their sockets close.

    `kind` says why, for the security log: sign_out, password_change or password_reset.
    """
    user.session_token = new_session_token()
    usersessions.end_all(user, kind)
    if kind in ("password_change", "password_reset"):
        # Browsers remembered for the second factor were remembered under the old password.
        twofactor.forget_browsers(user)
    db.session.commit()
    end_user_sockets(user.id, kind)


def change_password(user, current, new):
    """Replace the password after checking the current one; other sessions end."""
    if not check_password(user, current):
        raise RuleViolation(_("The current password is not correct."), field="current_password")
    problem = password_problem(new)
    if problem:
        raise RuleViolation(problem, field="new_password")
    user.password_hash = hash_password(new)
    end_all_sessions(user, "password_change")


def set_locale(user, locale):
    """Remember the language a signed-in user chose."""
    user.locale = locale
    db.session.commit()


def has_accounts():
    """True once any account exists."""
    return db.session.scalar(select(User.id).limit(1)) is not None


def pending_count():
    """How many registrations wait for the secretariat."""
    return db.session.scalar(
        select(func.count()).select_from(User).where(User.status == AccountStatus.PENDING)
    )


def decide_registration(staff, user_id, decision, reason=""):
    """Verify or reject a registration, once; a second decision is told who decided first.

    The applicant is mailed the decision in the same transaction.
    """
    reason = (reason or "").strip()
    if decision not in (AccountStatus.VERIFIED, AccountStatus.REJECTED):
        raise RuleViolation(_("Unknown decision."))
    if decision == AccountStatus.REJECTED and not reason:
        raise RuleViolation(_("Give the applicant a reason for the rejection."), field="reason")
    user = db.session.get(User, user_id, with_for_update=True)
    if user is None:
        raise RuleViolation(_("This registration no longer exists."), code="not_found")
    if user.status == decision or (
        user.status != AccountStatus.PENDING and decision == AccountStatus.REJECTED
    ):
        by = user.status_changed_by.name if user.status_changed_by else _("the system")
        raise RuleViolation(
            _("Already handled: %(status)s by %(name)s.", status=STATUS_LABELS[user.status], name=by),
            code="handled",
        )
    before = {"status": user.status}
    user.status = decision
    user.status_reason = reason or None
    user.status_changed_at = utcnow()
    user.status_changed_by = staff
    action = "user.verify" if decision == AccountStatus.VERIFIED else "user.reject"
    audit.log(
        staff, action, "user", user.id, user.name, reason=reason, before=before, after={"status": decision}
    )
    signals.registration_decided.send(user)
    db.session.commit()
    publish("registrations", "registrations.changed", {"pending": pending_count()})
    return user


def set_role(staff, user, role):
    """Grant a role; the last admin cannot give theirs away."""
    lost = grant_role(staff, user, role)
    db.session.commit()
    if lost:
        # Staff rooms were joined with the old rights: the user's pages reconnect with the new ones.
        end_user_sockets(user.id, "role_change")


def grant_role(staff, user, role):
    """Change a user's role in the current transaction, audited; returns the rights it takes away."""
    if role not in ROLES:
        raise RuleViolation(_("Unknown role."), field="role")
    if user.role == Role.ADMIN and role != Role.ADMIN:
        admins = db.session.scalar(select(func.count()).select_from(User).where(User.role == Role.ADMIN))
        if admins <= 1:
            raise RuleViolation(_("The last administrator cannot lose the role."), field="role")
    audit.log(
        staff, "user.role", "user", user.id, user.name, before={"role": user.role}, after={"role": role}
    )
    lost = ROLES[user.role] & ~ROLES[role]
    user.role = role
    return lost
