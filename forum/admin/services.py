"""Secretariat rules: the registration list with its filters, and withdrawing a verification."""

from flask_babel import gettext as _
from sqlalchemy import or_, select

from forum.accounts.models import User
from forum.database import utcnow
from forum.extensions import db
from forum.mail import notices as mail_notices
from forum.moderation import audit
from forum.realtime.publish import end_user_sockets
from forum.rules import RuleViolation

PAGE_SIZE = 50


def registrations_query(status="pending", group="", country="", text=""):
    """Users filtered by status, stakeholder group, country and a name/email/organisation search."""
    query = select(User).order_by(User.created_at.desc(), User.id.desc())
    if status:
        query = query.where(User.status == status)
    if group:
        query = query.where(User.stakeholder_group == group)
    if country:
        query = query.where(User.country == country)
    if text:
        like = f"%{text.strip()}%"
        query = query.where(or_(User.name.ilike(like), User.email.ilike(like), User.organisation.ilike(like)))
    return query


def withdraw_verification(staff, user_id, reason):
    """Withdraw a verification: the account is rejected with a reason it is told (audited, mailed).

    Its open pages close, and reload with what an unverified account may do.
    """
    reason = (reason or "").strip()
    if not reason:
        raise RuleViolation(_("Give the participant a reason: they are told."), field="reason")
    user = db.session.get(User, user_id, with_for_update=True)
    if user is None:
        raise RuleViolation(_("This registration no longer exists."), code="not_found")
    if not user.is_verified:
        raise RuleViolation(_("This account is not verified."), code="handled")
    user.status, user.status_reason = "rejected", reason
    user.status_changed_at, user.status_changed_by = utcnow(), staff
    audit.log(
        staff,
        "user.unverify",
        "user",
        user.id,
        user.name,
        reason=reason,
        before={"status": "verified"},
        after={"status": "rejected"},
    )
    mail_notices.account_decided(user)
    db.session.commit()
    end_user_sockets(user.id, "verification_withdrawn")
    return user
