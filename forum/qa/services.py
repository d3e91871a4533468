"""Agenda queries, who runs a session, and the session's Q&A settings (open, closed, archived; moderation)."""

from itertools import groupby

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from forum import audit
from forum.database import utcnow
from forum.extensions import db
from forum.i18n import dialogue_zone
from forum.permissions import ROLES, Permission
from forum.policy import allowed
from forum.qa.models import MODERATION_MODES, QA_STATES, AgendaSession, QaState
from forum.realtime.publish import publish_events
from forum.realtime.store import record
from forum.rules import RuleViolation
from forum.states import AccountStatus

audit.ACTION_LABELS.update(
    {
        "qa.state": _l("Opened, closed or archived a session's Q&A"),
        "qa.mode": _l("Changed a session's Q&A moderation"),
        "qa.deadline": _l("Changed a session's speakers' list deadline"),
    }
)


def room_of(session):
    """The live room of a session (its Q&A, presenter screen and speakers' list)."""
    return f"session:{session.id}"


def by_slug(slug):
    """The session with this slug, or None."""
    return db.session.scalar(select(AgendaSession).where(AgendaSession.slug == slug))


def programme_by_day():
    """[(Geneva date, [sessions])] in time order."""
    zone = dialogue_zone()
    sessions = db.session.scalars(select(AgendaSession).order_by(AgendaSession.starts_at)).all()
    return [
        (day, list(items))
        for day, items in groupby(sessions, key=lambda s: s.starts_at.astimezone(zone).date())
    ]


def now_and_next():
    """(sessions running now, the next session to start or None)."""
    now = utcnow()
    running = db.session.scalars(
        select(AgendaSession).where(AgendaSession.starts_at <= now, AgendaSession.ends_at > now)
    ).all()
    upcoming = db.session.scalar(
        select(AgendaSession).where(AgendaSession.starts_at > now).order_by(AgendaSession.starts_at).limit(1)
    )
    return running, upcoming


_POSTING_ROLES = ", ".join(f"'{role}'" for role, granted in ROLES.items() if granted & Permission.POST)
# forum.policy's rule "participate" as a condition on the users row :user, for a statement that acts
# for a user without loading them first (a vote, forum.qa.ballot.cast). The row must carry the
# session's token :token and no running suspension, as accounts' load_user requires to sign the user
# in at all, and the session's row :login must not have been signed out (forum.accounts.usersessions);
# :now is the time.
# tests/qa/test_votes.py holds both forms to the same answers.
PARTICIPANT_ROW = (
    "EXISTS (SELECT 1 FROM users u WHERE u.id = :user AND u.session_token = :token"  # noqa: S608 - constants
    f" AND u.status = '{AccountStatus.VERIFIED}' AND u.role IN ({_POSTING_ROLES})"
    " AND (u.silenced_until IS NULL OR u.silenced_until <= :now)"
    " AND (u.suspended_until IS NULL OR u.suspended_until <= :now))"
    " AND NOT EXISTS (SELECT 1 FROM user_session us WHERE us.id = :login AND us.ended_at IS NOT NULL)"
)


def has_ended(session):
    """The session is over: its exports are open to every reader."""
    return session.ends_at <= utcnow() or session.qa_state == QaState.ARCHIVED


def _require_moderator(user, session):
    """A RuleViolation unless `user` runs this session's Q&A."""
    if not allowed(user, "session.moderate", session):
        raise RuleViolation(_("Only the session's chairs and moderators may do this."), code="forbidden")


def set_qa_state(user, session, state):
    """Open, close or archive the session's Q&A."""
    _require_moderator(user, session)
    if state not in QA_STATES:
        raise RuleViolation(_("Choose one of the options."), field="qa_state")
    if state == session.qa_state:
        return session
    before = session.qa_state
    session.qa_state = state
    audit.log(
        user,
        "qa.state",
        "session",
        session.id,
        session.title.default_text,
        before={"state": before},
        after={"state": state},
    )
    event = record(room_of(session), "session.updated", {"session_id": session.id})
    db.session.commit()
    publish_events([event])
    return session


def set_moderation_mode(user, session, mode):
    """Pre-moderated (questions wait for approval) or post-moderated."""
    _require_moderator(user, session)
    if mode not in MODERATION_MODES:
        raise RuleViolation(_("Choose one of the options."), field="moderation_mode")
    if mode == session.moderation_mode:
        return session
    audit.log(
        user, "qa.mode", "session", session.id, session.title.default_text,
        before={"mode": session.moderation_mode}, after={"mode": mode},
    )  # fmt: skip
    session.moderation_mode = mode
    event = record(room_of(session), "session.updated", {"session_id": session.id})
    db.session.commit()
    publish_events([event])
    return session


def set_speaker_deadline(user, session, deadline):
    """The last moment (UTC, or None: the session's end) to request a speaking slot."""
    if not allowed(user, "session.speakers", session):
        raise RuleViolation(_("Only the session's chairs and the secretariat may do this."), code="forbidden")
    before = session.speaker_deadline.isoformat() if session.speaker_deadline else None
    session.speaker_deadline = deadline
    after = deadline.isoformat() if deadline else None
    audit.log(
        user,
        "qa.deadline",
        "session",
        session.id,
        session.title.default_text,
        before={"deadline": before},
        after={"deadline": after},
    )
    db.session.commit()
    return session
