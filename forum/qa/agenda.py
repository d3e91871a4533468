"""Agenda editing by the secretariat: a session's times (entered in Geneva time, stored in UTC), room,
chairs, invited speakers, linked themes and threads, Q&A moderation and speakers' list deadline.

One rule for chairs: a user chairs a session when they are assigned to it and their role carries the
chair permission (chair, moderator, admin). Assigning a participant therefore makes them a session chair.
"""

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, select

from forum import audit
from forum.accounts import services as accounts
from forum.accounts.models import find_by_email
from forum.database import SLUG, slug_taken
from forum.extensions import db
from forum.i18n import dialogue_zone
from forum.multilingual import cleaned
from forum.params import id_or_none
from forum.permissions import Permission, Role
from forum.policy import allowed
from forum.qa.models import MODERATION_MODES, AgendaSession, Question, SpeakerSlot
from forum.qa.services import room_of
from forum.realtime.publish import end_user_sockets, publish_events
from forum.realtime.store import record
from forum.rules import RuleViolation
from forum.threads.models import Theme, Thread

THREAD_REF = re.compile(r"(?:^|/)([0-9]+)/?$")
# Title and description: per language.
TITLE_MAX, DESCRIPTION_MAX, ROOM_MAX, SLUG_MAX = 200, 5000, 120, 80
audit.ACTION_LABELS.update(
    {
        "session.create": _l("Added a session to the programme"),
        "session.edit": _l("Edited a session of the programme"),
        "session.delete": _l("Deleted a session of the programme"),
    }
)


def dialogue_days():
    """(first, last) day of the Dialogue, in Geneva."""
    config = current_app.config
    return date.fromisoformat(config["DIALOGUE_START"]), date.fromisoformat(config["DIALOGUE_END"])


def chairs_of(session):
    """The users who chair the session under the one rule: assigned and holding the chair permission."""
    return [user for user in session.chairs if user.can(Permission.CHAIR)]


def _text(values, key, limit, message):
    """A trimmed one-line text field of 1 to `limit` characters."""
    value = " ".join((values.get(key) or "").split())
    if not value or len(value) > limit:
        raise RuleViolation(message, field=key)
    return value


def _slug(values, title, session):
    """The session's address: given, or made from the title (in the fallback language); unique."""
    slug = (values.get("slug") or "").strip().lower()
    if not slug:
        slug = re.sub(r"[^a-z0-9]+", "-", title.default_text.lower()).strip("-")[:SLUG_MAX].strip("-")
    if not SLUG.match(slug) or len(slug) > SLUG_MAX:
        raise RuleViolation(
            _("Use lower-case letters, digits and single dashes, e.g. opening-session."), field="slug"
        )
    if slug_taken(AgendaSession, slug, session.id):
        raise RuleViolation(_("Another session already uses this address."), field="slug")
    return slug


def _times(values):
    """(starts_at, ends_at) in UTC from a Geneva day, start and end; within the Dialogue, end after start."""
    day, starts, ends = values.get("day"), values.get("starts"), values.get("ends")
    if not isinstance(day, date):
        raise RuleViolation(_("Enter the day of the session."), field="day")
    first, last = dialogue_days()
    if not first <= day <= last:
        raise RuleViolation(
            _(
                "Sessions take place during the Dialogue, from %(first)s to %(last)s.",
                first=format_date(first, "long"),
                last=format_date(last, "long"),
            ),
            field="day",
        )
    if starts is None:
        raise RuleViolation(_("Enter the time the session starts."), field="starts")
    if ends is None:
        raise RuleViolation(_("Enter the time the session ends."), field="ends")
    if ends <= starts:
        raise RuleViolation(_("The session must end after it starts."), field="ends")
    local = dialogue_zone()
    start = datetime.combine(day, starts, tzinfo=local).astimezone(ZoneInfo("UTC"))
    end = datetime.combine(day, ends, tzinfo=local).astimezone(ZoneInfo("UTC"))
    return start, end


def _deadline(values, ends_at):
    """The speakers' list deadline in UTC (None: the session's end); never after the session ends."""
    value = values.get("speaker_deadline")
    if value is None:
        return None
    deadline = value.replace(tzinfo=dialogue_zone()).astimezone(ZoneInfo("UTC"))
    if deadline > ends_at:
        raise RuleViolation(_("The deadline must not be after the session ends."), field="speaker_deadline")
    return deadline


def _chairs(values):
    """The users named by email, one per line; each must be a verified account."""
    chairs = []
    for email in (values.get("chairs") or "").split():
        user = find_by_email(email)
        if user is None or not user.is_verified:
            raise RuleViolation(
                _("No verified account uses %(email)s.", email=email), field="chairs", code="unknown_chair"
            )
        if user not in chairs:
            chairs.append(user)
    return chairs


def _themes(values):
    """The linked themes, by id."""
    ids = set(values.get("themes") or [])
    themes = db.session.scalars(select(Theme).where(Theme.id.in_(ids))).all() if ids else []
    if len(themes) != len(ids):
        raise RuleViolation(_("Choose one of the options."), field="themes")
    return themes


def _threads(values):
    """The linked threads, by number or address, one per line."""
    threads = []
    for line in (values.get("threads") or "").split():
        match = THREAD_REF.search(line)
        thread_id = id_or_none(match[1]) if match else None
        thread = db.session.get(Thread, thread_id) if thread_id else None
        if thread is None:
            raise RuleViolation(_("There is no thread %(ref)s.", ref=line), field="threads")
        if thread not in threads:
            threads.append(thread)
    return threads


def _fields(session):
    """A session's agenda fields, for the audit log."""
    deadline = session.speaker_deadline
    return {
        "title": dict(session.title),
        "slug": session.slug,
        "description": dict(session.description),
        "room": session.room,
        "starts_at": session.starts_at.isoformat() if session.starts_at else None,
        "ends_at": session.ends_at.isoformat() if session.ends_at else None,
        "chairs": sorted(user.id for user in session.chairs),
        "speakers": session.speakers,
        "themes": sorted(theme.id for theme in session.themes),
        "threads": sorted(thread.id for thread in session.threads),
        "moderation_mode": session.moderation_mode,
        "speaker_deadline": deadline.isoformat() if deadline else None,
    }


def save(admin, session, values):
    """Create (session None) or change a session from the agenda form's values; returns the session."""
    if not allowed(admin, "administer"):
        raise RuleViolation(_("Only the secretariat may edit the programme."), code="forbidden")
    creating = session is None
    session = session or AgendaSession()
    title = cleaned(
        values.get("title"),
        "title",
        TITLE_MAX,
        _("Give the session a title in at least one of the six languages."),
    )
    description = cleaned(values.get("description"), "description", DESCRIPTION_MAX, multiline=True)
    slug = _slug(values, title, session)
    room = _text(values, "room", ROOM_MAX, _("Name the room, e.g. Palexpo, Room A (up to 120 characters)."))
    starts_at, ends_at = _times(values)
    deadline = _deadline(values, ends_at)
    chairs, themes, threads = _chairs(values), _themes(values), _threads(values)
    mode = values.get("moderation_mode")
    if mode not in MODERATION_MODES:
        raise RuleViolation(_("Choose one of the options."), field="moderation_mode")
    before = None if creating else _fields(session)
    old_chairs = {user.id for user in chairs_of(session)} if not creating else set()
    session.title, session.slug, session.room, session.moderation_mode = title, slug, room, mode
    session.description = description
    session.speakers = "\n".join(
        line.strip() for line in (values.get("speakers") or "").splitlines() if line.strip()
    )
    session.starts_at, session.ends_at, session.speaker_deadline = starts_at, ends_at, deadline
    session.chairs, session.themes, session.threads = chairs, themes, threads
    for user in chairs:
        _make_chair(admin, user)
    if creating:
        db.session.add(session)
    db.session.flush()
    action = "session.create" if creating else "session.edit"
    audit.log(admin, action, "session", session.id, title.default_text, before=before, after=_fields(session))
    events = [] if creating else [record(room_of(session), "session.updated", {"session_id": session.id})]
    db.session.commit()
    publish_events(events)
    # Sockets of chairs who came or went rejoin the session's room with their new audience.
    for user_id in old_chairs ^ {user.id for user in chairs}:
        end_user_sockets(user_id, "chair_change")
    return session


def _make_chair(admin, user):
    """Give an assigned participant the chair role, so that the assignment takes effect (audited)."""
    if user.role == Role.PARTICIPANT:
        accounts.grant_role(admin, user, Role.CHAIR)


def has_record(session):
    """Whether questions or speaking requests were made in the session: then it cannot be deleted."""
    asked = exists().where(Question.session_id == session.id)
    requested = exists().where(SpeakerSlot.session_id == session.id)
    return bool(db.session.scalar(select(asked | requested)))


def delete(admin, session):
    """Delete a session that nobody asked or requested to speak in; otherwise refuse, keeping the record."""
    if not allowed(admin, "administer"):
        raise RuleViolation(_("Only the secretariat may edit the programme."), code="forbidden")
    if has_record(session):
        raise RuleViolation(
            _(
                "Questions or speaking requests were made in this session, so it stays on the record. "
                "Archive its Q&A and say in its title or description that it is cancelled."
            ),
            code="has_record",
        )
    chair_ids = [user.id for user in chairs_of(session)]
    audit.log(
        admin, "session.delete", "session", session.id, session.title.default_text, before=_fields(session)
    )
    db.session.delete(session)
    db.session.commit()
    for user_id in chair_ids:
        end_user_sockets(user_id, "chair_change")


def form_values(session):
    """The agenda form's initial values for an existing session, in Geneva time."""
    local = dialogue_zone()
    starts, ends = session.starts_at.astimezone(local), session.ends_at.astimezone(local)
    deadline = session.speaker_deadline
    return {
        "title": session.title,
        "slug": session.slug,
        "description": session.description,
        "room": session.room,
        "day": starts.date(),
        "starts": starts.time().replace(tzinfo=None),
        "ends": ends.time().replace(tzinfo=None) if ends.date() == starts.date() else None,
        "chairs": "\n".join(user.email for user in chairs_of(session)),
        "speakers": session.speakers,
        "themes": [theme.id for theme in session.themes],
        "threads": "\n".join(str(thread.id) for thread in session.threads),
        "moderation_mode": session.moderation_mode,
        "speaker_deadline": deadline.astimezone(local).replace(tzinfo=None) if deadline else None,
    }
