"""Secretariat rules and queries: registrations, withdrawn verifications, changes of verified identity."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select

from forum import audit
from forum.accounts.identity import CHANGE_STATES, REVIEWED_FIELDS, ChangeState, IdentityChange
from forum.accounts.models import User
from forum.database import utcnow
from forum.extensions import db
from forum.mail import notices as mail_notices
from forum.notifications import services as notifications
from forum.realtime.publish import end_user_sockets
from forum.rules import RuleViolation
from forum.security_log import security_event
from forum.states import AccountStatus

PAGE_SIZE = 50

audit.ACTION_LABELS.update(
    {
        "identity.accept": _l("Accepted a change of identity"),
        "identity.decline": _l("Declined a change of identity"),
    }
)


def _matching(query, text):
    """`query` kept to users whose name, email or organisation contains `text`."""
    like = f"%{text.strip()}%"
    return query.where(or_(User.name.ilike(like), User.email.ilike(like), User.organisation.ilike(like)))


def registrations_query(status=AccountStatus.PENDING, group="", country="", text=""):
    """Users filtered by status, stakeholder group, country and a name/email/organisation search."""
    query = select(User).order_by(User.created_at.desc(), User.id.desc())
    if status:
        query = query.where(User.status == status)
    if group:
        query = query.where(User.stakeholder_group == group)
    if country:
        query = query.where(User.country == country)
    return _matching(query, text) if text else query


def identity_changes_query(state=ChangeState.PENDING, group="", text=""):
    """Change requests, newest first, filtered by state, requested group and the participant's name/email."""
    query = (
        select(IdentityChange)
        .join(IdentityChange.user)
        .order_by(IdentityChange.created_at.desc(), IdentityChange.id.desc())
    )
    if state:
        query = query.where(IdentityChange.state == state)
    if group:
        query = query.where(IdentityChange.stakeholder_group == group)
    return _matching(query, text) if text else query


def pending_identity_changes():
    """How many change requests wait for the secretariat."""
    query = (
        select(func.count()).select_from(IdentityChange).where(IdentityChange.state == ChangeState.PENDING)
    )
    return db.session.scalar(query)


def decide_identity_change(staff, change_id, decision, reason=""):
    """Accept or decline a change of verified identity, once; the participant is told, with the reason.

    Accepting applies the requested group, country and organisation; declining leaves the verified
    identity as it is. A second decision is told who decided first.
    """
    reason = (reason or "").strip()
    if decision not in (ChangeState.ACCEPTED, ChangeState.DECLINED):
        raise RuleViolation(_("Unknown decision."))
    if decision == ChangeState.DECLINED and not reason:
        raise RuleViolation(_("Give the participant a reason for declining."), field="reason")
    # populate_existing: the page loaded the request before; under the lock, read what is stored now.
    change = db.session.get(IdentityChange, change_id, with_for_update=True, populate_existing=True)
    if change is None:
        raise RuleViolation(_("This request no longer exists."), code="not_found")
    if change.state != ChangeState.PENDING:
        by = change.decided_by.name if change.decided_by else change.user.name
        db.session.rollback()
        raise RuleViolation(
            _("Already handled: %(state)s by %(name)s.", state=CHANGE_STATES[change.state], name=by),
            code="handled",
        )
    if change.user_id == staff.id:
        db.session.rollback()
        raise RuleViolation(_("Another member of the secretariat must review your own request."), code="own")
    user = change.user
    before = {field: getattr(user, field) for field in REVIEWED_FIELDS}
    if decision == ChangeState.ACCEPTED:
        for field, value in change.requested().items():
            setattr(user, field, value)
    change.state = decision
    change.reason = reason or None
    change.decided_at = utcnow()
    change.decided_by = staff
    action = "identity.accept" if decision == ChangeState.ACCEPTED else "identity.decline"
    audit.log(
        staff, action, "user", user.id, user.name, reason=reason, before=before, after=change.requested()
    )
    mail_notices.identity_decided(change)
    recipient = notifications.notice(user.id, f"identity_{decision}", reason)
    db.session.commit()
    security_event(
        "identity.change_decided", staff_id=staff.id, user_id=user.id, change_id=change.id, decision=decision
    )
    notifications.publish([recipient])
    return change


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
    user.status, user.status_reason = AccountStatus.REJECTED, reason
    user.status_changed_at, user.status_changed_by = utcnow(), staff
    audit.log(
        staff,
        "user.unverify",
        "user",
        user.id,
        user.name,
        reason=reason,
        before={"status": AccountStatus.VERIFIED},
        after={"status": AccountStatus.REJECTED},
    )
    mail_notices.account_decided(user)
    db.session.commit()
    end_user_sockets(user.id, "verification_withdrawn")
    return user
