"""Editing one's own profile: names and handles at once (audited, rate-limited), an identity by request.

A verified participant's stakeholder group, country and organisation are what the secretariat checked:
a change becomes an IdentityChange that the secretariat accepts or declines (forum.admin.services), and
the verified identity stays in force until then. Accounts awaiting verification edit freely, since the
secretariat verifies the whole registration; the secretariat's own members change theirs directly,
audited. Names and handles that pass for staff or an institution are refused to non-staff.
"""

import re
from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from limits import parse
from sqlalchemy import func, select

from forum import audit
from forum.accounts import names
from forum.accounts.identity import REVIEWED_FIELDS, ChangeState, IdentityChange
from forum.accounts.models import User
from forum.audit.models import AuditEntry
from forum.database import utcnow
from forum.extensions import db
from forum.i18n import geneva
from forum.permissions import ROLES, Permission
from forum.rules import RuleViolation
from forum.security_log import security_event

HANDLE = re.compile(r"^[a-z0-9][a-z0-9._-]{1,38}[a-z0-9]$")

audit.ACTION_LABELS.update(
    {
        "profile.rename": _l("Changed their own name or handle"),
        "identity.change": _l("Changed their own verified identity"),
    }
)


def is_staff(user):
    """Moderators and the secretariat: they may use the reserved names, as they speak for the Dialogue."""
    return bool(ROLES.get(user.role, Permission(0)) & Permission.MODERATE)


def reviews_identity(user):
    """True when a change of the user's group, country or organisation needs the secretariat's review."""
    return user.is_verified and not ROLES.get(user.role, Permission(0)) & Permission.ADMIN


def pending_change(user, lock=False):
    """The user's change request that waits for the secretariat, or None."""
    query = select(IdentityChange).where(
        IdentityChange.user_id == user.id, IdentityChange.state == ChangeState.PENDING
    )
    if lock:
        # A fresh read under the lock: the request may have been decided since this session loaded it.
        query = query.with_for_update().execution_options(populate_existing=True)
    return db.session.scalar(query.order_by(IdentityChange.id.desc()).limit(1))


def latest_change(user):
    """The user's most recent change request, whatever its state, or None."""
    query = select(IdentityChange).where(IdentityChange.user_id == user.id)
    return db.session.scalar(query.order_by(IdentityChange.id.desc()).limit(1))


def form_values(user):
    """What the profile editor shows: the account, with the identity a pending request asks for."""
    values = {field: getattr(user, field) for field in ("name", "handle", "job_title", *REVIEWED_FIELDS)}
    change = pending_change(user)
    return {**values, **change.requested()} if change else values


def name_history(user):
    """The user's own changes of name and handle, newest first, for staff pages."""
    query = select(AuditEntry).where(
        AuditEntry.target_type == "user",
        AuditEntry.target_id == user.id,
        AuditEntry.action == "profile.rename",
    )
    return db.session.scalars(query.order_by(AuditEntry.id.desc())).all()


def _check_rename_limit(user, field):
    """Refuse a change of name or handle beyond NAME_CHANGE_LIMIT (e.g. "2 per 30 days")."""
    limit = parse(current_app.config["NAME_CHANGE_LIMIT"])
    since = utcnow() - timedelta(seconds=limit.get_expiry())
    count, oldest = db.session.execute(
        select(func.count(), func.min(AuditEntry.created_at)).where(
            AuditEntry.actor_id == user.id,
            AuditEntry.action == "profile.rename",
            AuditEntry.created_at > since,
        )
    ).one()
    if count < limit.amount:
        return
    again = oldest + timedelta(seconds=limit.get_expiry())
    security_event("identity.rename_throttled", user_id=user.id, field=field, allowed_again=again)
    raise RuleViolation(
        ngettext(
            "You may change your name or handle %(num)s time in %(days)s days: you can change it again "
            "after %(date)s.",
            "You may change your name or handle %(num)s times in %(days)s days: you can change it again "
            "after %(date)s.",
            limit.amount,
            days=limit.get_expiry() // 86400,
            date=geneva(again),
        ),
        field=field,
    )


def _clean_handle(user, handle):
    """The handle lower-cased, or a RuleViolation when it is malformed or taken."""
    from forum.accounts.services import _handle_taken  # see update_profile

    handle = (handle or user.handle).strip().lower()
    if not HANDLE.match(handle):
        raise RuleViolation(
            _("Use 3 to 40 lower-case letters, digits, dots, dashes or underscores."), field="handle"
        )
    if _handle_taken(handle, user):
        raise RuleViolation(_("This handle is taken."), field="handle")
    return handle


def update_profile(user, data):
    """Save the user's own profile; returns the IdentityChange that now waits for review, or None.

    Everything is checked before anything is written: a refusal stores nothing.
    """
    # Imported here, not at the top: accounts.services loads the moderation package, which loads threads,
    # which needs accounts.services complete, so services must not start loading from this module.
    from forum.accounts.services import _check_identity

    _check_identity(data)
    # Two saves at once by one user wait for each other: one request, and renames counted one by one.
    db.session.execute(select(User.id).where(User.id == user.id).with_for_update())
    wanted = {
        "stakeholder_group": data["stakeholder_group"],
        "country": data.get("country") or None,
        "organisation": data["organisation"].strip(),
    }
    renamed = {
        field: value
        for field, value in (
            ("name", data["name"].strip()),
            ("handle", _clean_handle(user, data.get("handle"))),
        )
        if getattr(user, field) != value
    }
    if not is_staff(user):
        for field, value in renamed.items():
            names.refuse_impersonation(value, field, user=user)
    if renamed:
        _check_rename_limit(user, next(iter(renamed)))
    events = []
    if renamed:
        _rename(user, renamed, events)
    user.job_title = (data.get("job_title") or "").strip() or None
    change = None
    if reviews_identity(user):
        change = _request(user, wanted, events)
    else:
        _apply(user, wanted, events)
    db.session.commit()
    for name, fields in events:
        security_event(name, **fields)
    return change


def _rename(user, renamed, events):
    """Change the name and/or handle, with the audit entry that staff see and the rate limit counts."""
    before = {field: getattr(user, field) for field in renamed}
    label = renamed.get("name", user.name)
    audit.log(user, "profile.rename", "user", user.id, label, before=before, after=renamed)
    for field, value in renamed.items():
        setattr(user, field, value)
    events.append(("identity.renamed", {"user_id": user.id, "before": before, "after": renamed}))


def _apply(user, wanted, events):
    """Change an identity nobody needs to review: not verified yet, or the secretariat's own."""
    before = {field: getattr(user, field) for field in REVIEWED_FIELDS}
    before, after = audit.changes(before, wanted)
    if not after:
        return
    if user.is_verified:
        audit.log(user, "identity.change", "user", user.id, user.name, before=before, after=after)
    for field, value in after.items():
        setattr(user, field, value)
    events.append(("identity.changed", {"user_id": user.id, "before": before, "after": after}))


def _request(user, wanted, events):
    """Ask the secretariat for `wanted`: a new request, or the pending one updated, or withdrawn when
    `wanted` is the verified identity again. Returns the pending request, or None."""
    current = {field: getattr(user, field) for field in REVIEWED_FIELDS}
    change = pending_change(user, lock=True)
    if wanted == current:
        if change is not None:
            _withdraw(change, events)
        return None
    if change is not None and change.requested() == wanted:
        return change
    if change is None:
        change = IdentityChange(
            user=user,
            previous_group=current["stakeholder_group"],
            previous_country=current["country"],
            previous_organisation=current["organisation"],
        )
        db.session.add(change)
    for field, value in wanted.items():
        setattr(change, field, value)
    change.created_at = utcnow()
    db.session.flush()
    _before, after = audit.changes(current, wanted)
    events.append(("identity.change_requested", {"user_id": user.id, "change_id": change.id, "after": after}))
    return change


def _withdraw(change, events):
    """Mark a pending request withdrawn by its author."""
    change.state = ChangeState.WITHDRAWN
    change.decided_at = utcnow()
    events.append(("identity.change_withdrawn", {"user_id": change.user_id, "change_id": change.id}))


def withdraw_change(user):
    """The user withdraws their pending request; the verified identity stays as it is."""
    change = pending_change(user, lock=True)
    if change is None:
        db.session.rollback()
        raise RuleViolation(
            _("You have no change of identity waiting for the secretariat."), code="not_found"
        )
    events = []
    _withdraw(change, events)
    db.session.commit()
    for name, fields in events:
        security_event(name, **fields)
    return change
