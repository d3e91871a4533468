"""Sanctions (warn, silence, suspend) and staff notes on users.

A silence or suspension is an end date on the user row, so every permission check sees it
without another query, and it ends by itself when the date passes. A suspension also changes the
user's session token (their sessions end) and closes their open sockets.
"""

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from forum import audit
from forum.accounts import restrictions
from forum.accounts.models import new_session_token
from forum.database import utcnow
from forum.extensions import db
from forum.i18n import geneva
from forum.mail import notices as mail_notices
from forum.moderation.models import SANCTIONS, Sanction, StaffNote
from forum.moderation.queue import clean_reason
from forum.notifications import services as notifications
from forum.policy import allowed
from forum.realtime.publish import end_user_sockets, publish
from forum.rules import RuleViolation

NOTE_MAX = 2000


def _check_target(moderator, user):
    """Nobody sanctions themselves; only the secretariat sanctions staff."""
    if user.id == moderator.id:
        raise RuleViolation(_("You cannot sanction yourself."), code="forbidden")
    if allowed(user, "moderate") and not allowed(moderator, "administer"):
        raise RuleViolation(_("Only the secretariat can sanction a staff member."), code="forbidden")


def _until(ends_at):
    """A sanction's end date, which must lie in the future."""
    if ends_at is None:
        raise RuleViolation(_("Give the date the sanction ends."), field="ends_at")
    if ends_at <= utcnow():
        raise RuleViolation(_("The end date must be in the future."), field="ends_at")
    return ends_at


def sanction(moderator, user, kind, reason, ends_at=None):
    """Warn, silence or suspend a user with a reason they are told (on the site and by mail)."""
    if kind not in SANCTIONS:
        raise RuleViolation(_("Choose one of the options."), field="kind")
    _check_target(moderator, user)
    reason = clean_reason(reason)
    ends_at = _until(ends_at) if kind != "warn" else None
    row = Sanction(user_id=user.id, kind=kind, reason=reason, ends_at=ends_at, created_by_id=moderator.id)
    db.session.add(row)
    before = {"silenced_until": _iso(user.silenced_until), "suspended_until": _iso(user.suspended_until)}
    if kind == "silence":
        user.silenced_until = ends_at
    elif kind == "suspend":
        user.suspended_until = ends_at
        user.session_token = new_session_token()
    after = {"silenced_until": _iso(user.silenced_until), "suspended_until": _iso(user.suspended_until)}
    if kind != "suspend":
        kind_notice = "warning" if kind == "warn" else "silenced"
        notifications.notice(user.id, kind_notice, _notice_text(reason, ends_at, user))
    mail_notices.sanctioned(user, kind, reason, ends_at)
    audit.log(
        moderator, f"user.{kind}", "user", user.id, user.name, reason=reason, before=before, after=after
    )
    db.session.commit()
    notifications.publish([user.id] if kind != "suspend" else [])
    _tell_sockets(user, kind, reason, ends_at)
    return row


def _iso(moment):
    """A datetime for the audit record."""
    return moment.isoformat() if moment is not None else None


def _notice_text(reason, ends_at, user):
    """The notice's message, stored in the user's language: the reason and the end date, Geneva time."""
    if ends_at is None:
        return reason
    with force_locale(user.locale or "en"):
        return _("%(reason)s (until %(date)s)", reason=reason, date=geneva(ends_at))


def _tell_sockets(user, kind, reason, ends_at):
    """Open pages of the user hear of a silence; a suspension closes their sockets, here and elsewhere."""
    if kind == "silence":
        publish(f"user:{user.id}", "account.silenced", {"until": ends_at.isoformat(), "reason": reason})
    elif kind == "suspend":
        end_user_sockets(user.id, "suspension")


def lift(moderator, sanction_id):
    """End a silence or suspension before its date."""
    row = db.session.get(Sanction, sanction_id)
    if row is None or row.kind == "warn":
        raise RuleViolation(_("This sanction no longer exists."), code="not_found")
    if row.lifted_at is not None or row.ends_at <= utcnow():
        raise RuleViolation(_("This sanction has already ended."), code="handled")
    user = row.user
    row.lifted_at, row.lifted_by_id = utcnow(), moderator.id
    column = "silenced_until" if row.kind == "silence" else "suspended_until"
    before = {column: _iso(getattr(user, column))}
    if getattr(user, column) == row.ends_at:
        setattr(user, column, None)
    notifications.notice(user.id, "sanction_lifted")
    audit.log(
        moderator,
        "user.lift",
        "user",
        user.id,
        user.name,
        before=before,
        after={column: _iso(getattr(user, column))},
    )
    db.session.commit()
    notifications.publish([user.id])
    return row


def history(user):
    """The user's sanctions, newest first."""
    query = select(Sanction).where(Sanction.user_id == user.id).order_by(Sanction.id.desc())
    return db.session.scalars(query).all()


def suspension_of(user):
    """The active suspension that keeps the user out, for the sign-in page."""
    query = select(Sanction).where(
        Sanction.user_id == user.id, Sanction.kind == "suspend", Sanction.lifted_at.is_(None)
    )
    return db.session.scalars(query.order_by(Sanction.id.desc()).limit(1)).first()


def silence_of(user):
    """The silence that keeps `user` from posting: the newest one not lifted that ends when theirs does."""
    query = select(Sanction).where(
        Sanction.user_id == user.id,
        Sanction.kind == "silence",
        Sanction.lifted_at.is_(None),
        Sanction.ends_at == user.silenced_until,
    )
    return db.session.scalars(query.order_by(Sanction.id.desc()).limit(1)).first()


@restrictions.reason_finder
def _reason(user, kind):
    """The reason given for the user's current silence or suspension (told at sign-in and when posting)."""
    found = suspension_of(user) if kind == "suspend" else silence_of(user)
    return found.reason if found is not None else None


def add_note(moderator, user, body):
    """Write a note about a user that only staff read."""
    body = (body or "").strip()
    if not body:
        raise RuleViolation(_("Write the note first."), field="body")
    if len(body) > NOTE_MAX:
        raise RuleViolation(_("Notes are limited to %(n)s characters.", n=NOTE_MAX), field="body")
    note = StaffNote(user_id=user.id, author_id=moderator.id, body=body)
    db.session.add(note)
    audit.log(moderator, "user.note", "user", user.id, user.name, after={"note": body})
    db.session.commit()
    return note


def notes(user):
    """Staff notes about the user, newest first."""
    query = select(StaffNote).where(StaffNote.user_id == user.id).order_by(StaffNote.id.desc())
    return db.session.scalars(query).all()
