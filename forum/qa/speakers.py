"""The speakers' list: slot requests (high-level statements), decisions, order and the speaking timer."""

from datetime import timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from forum import audit
from forum.database import utcnow
from forum.extensions import db
from forum.policy import allowed
from forum.qa.models import LISTED_SLOT_STATES, STATEMENT_LANGUAGES, AgendaSession, SlotState, SpeakerSlot
from forum.qa.services import room_of
from forum.realtime.publish import publish_events
from forum.realtime.store import record
from forum.rules import RuleViolation
from forum.threads.refusals import silence_notice

MAX_MINUTES = 15
ON_BEHALF_MAX = 200
audit.ACTION_LABELS.update(
    {
        "speaker.approve": _l("Approved a speaking slot"),
        "speaker.reject": _l("Rejected a speaking slot"),
        "speaker.move": _l("Reordered the speakers' list"),
        "speaker.start": _l("Gave the floor to a speaker"),
        "speaker.stop": _l("Ended a speaker's time"),
    }
)


def deadline(session):
    """The last moment to request a slot: the configured deadline, else the session's end."""
    return session.speaker_deadline or session.ends_at


def request_slot(user, session, on_behalf_of, language, minutes):
    """A verified participant asks to speak, before the deadline, once per session."""
    if not allowed(user, "participate"):
        refusal = silence_notice(user) or _("Only verified participants may request a speaking slot.")
        raise RuleViolation(refusal, code="forbidden")
    if utcnow() > deadline(session):
        raise RuleViolation(
            _("The deadline for requesting a speaking slot has passed."), code="deadline_passed"
        )
    on_behalf_of = " ".join((on_behalf_of or "").split())
    if not on_behalf_of:
        raise RuleViolation(_("Name the delegation or organisation you speak for."), field="on_behalf_of")
    if len(on_behalf_of) > ON_BEHALF_MAX:
        raise RuleViolation(_("Use at most %(n)s characters.", n=ON_BEHALF_MAX), field="on_behalf_of")
    if language not in STATEMENT_LANGUAGES:
        raise RuleViolation(_("Choose one of the options."), field="language")
    if not isinstance(minutes, int) or not 1 <= minutes <= MAX_MINUTES:
        raise RuleViolation(_("Request between 1 and %(n)s minutes.", n=MAX_MINUTES), field="minutes")
    mine = select(SpeakerSlot.id).where(
        SpeakerSlot.session_id == session.id,
        SpeakerSlot.user_id == user.id,
        SpeakerSlot.state.in_((SlotState.REQUESTED, SlotState.APPROVED)),
    )
    if db.session.scalar(mine) is not None:
        raise RuleViolation(_("You already have a request in this session."), code="duplicate")
    slot = SpeakerSlot(
        session_id=session.id, user=user, on_behalf_of=on_behalf_of, language=language, minutes=minutes
    )
    db.session.add(slot)
    db.session.flush()
    event = _event(session, slot, "request")
    db.session.commit()
    publish_events([event])
    return slot


def _event(session, slot, action):
    """The list's change, recorded in the session's room for live pages (forum.qa.live renders it)."""
    return record(
        room_of(session), "speakers.updated", {"session_id": session.id, "slot_id": slot.id, "action": action}
    )


def _require(user, slot):
    """The slot's session, or a RuleViolation unless `user` runs its speakers' list."""
    session = db.session.get(AgendaSession, slot.session_id)
    if not allowed(user, "session.speakers", session):
        raise RuleViolation(_("Only the session's chairs and the secretariat may do this."), code="forbidden")
    return session


def _commit(user, action, slot, session, **changes):
    """Audit, record the list's change for live pages, commit, publish."""
    audit.log(user, f"speaker.{action}", "speaker_slot", slot.id, slot.on_behalf_of, **changes)
    event = _event(session, slot, action)
    db.session.commit()
    publish_events([event])
    return slot


def decide(user, slot, approve, reason=""):
    """Approve a request (it joins the end of the list) or reject it with a reason the requester sees."""
    session = _require(user, slot)
    if slot.state != SlotState.REQUESTED:
        raise RuleViolation(_("This request has already been decided."), code="invalid_state")
    if approve:
        last = db.session.scalar(
            select(func.max(SpeakerSlot.position)).where(
                SpeakerSlot.session_id == session.id,
                SpeakerSlot.state.in_(LISTED_SLOT_STATES),
            )
        )
        slot.state, slot.position = SlotState.APPROVED, (last or 0) + 1
        return _commit(user, "approve", slot, session)
    reason = (reason or "").strip()
    if not reason:
        raise RuleViolation(_("Give the requester a reason."), field="reason")
    slot.state, slot.reason = SlotState.REJECTED, reason
    return _commit(user, "reject", slot, session, reason=reason)


def approved(session):
    """The public list: approved and delivered statements, in order."""
    query = (
        select(SpeakerSlot)
        .where(SpeakerSlot.session_id == session.id, SpeakerSlot.state.in_(LISTED_SLOT_STATES))
        .order_by(SpeakerSlot.position, SpeakerSlot.id)
    )
    return db.session.scalars(query).all()


def requests(session):
    """Requests waiting for a decision, oldest first, and rejected ones, for the chair."""
    query = (
        select(SpeakerSlot)
        .where(
            SpeakerSlot.session_id == session.id,
            SpeakerSlot.state.in_((SlotState.REQUESTED, SlotState.REJECTED)),
        )
        .order_by(SpeakerSlot.state.desc(), SpeakerSlot.created_at)
    )
    return db.session.scalars(query).all()


def mine(user, session):
    """The user's own requests in the session, newest first."""
    if not user.is_authenticated:
        return []
    query = (
        select(SpeakerSlot)
        .where(SpeakerSlot.session_id == session.id, SpeakerSlot.user_id == user.id)
        .order_by(SpeakerSlot.created_at.desc())
    )
    return db.session.scalars(query).all()


def move(user, slot, direction):
    """Swap an approved slot with its neighbour above (direction "up") or below ("down")."""
    session = _require(user, slot)
    if slot.state != SlotState.APPROVED or direction not in ("up", "down"):
        raise RuleViolation(_("Only approved slots can be moved."), code="invalid_state")
    listed = [s for s in approved(session) if s.state == SlotState.APPROVED]
    index = listed.index(slot)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(listed):
        raise RuleViolation(_("This slot cannot move further."), code="invalid_state")
    neighbour = listed[other]
    slot.position, neighbour.position = neighbour.position, slot.position
    return _commit(user, "move", slot, session, after={"direction": direction})


def start(user, slot):
    """Give the floor to an approved speaker; their timer starts now."""
    session = _require(user, slot)
    if slot.state != SlotState.APPROVED:
        raise RuleViolation(_("Only approved speakers can be given the floor."), code="invalid_state")
    if session.current_slot_id is not None:
        raise RuleViolation(_("Another speaker has the floor. Stop their time first."), code="busy")
    slot.started_at = utcnow()
    session.current_slot_id = slot.id
    return _commit(user, "start", slot, session)


def stop(user, slot):
    """End the current speaker's time."""
    session = _require(user, slot)
    if session.current_slot_id != slot.id:
        raise RuleViolation(_("This speaker does not have the floor."), code="invalid_state")
    slot.ended_at = utcnow()
    slot.state = SlotState.DONE
    session.current_slot_id = None
    return _commit(user, "stop", slot, session)


def upcoming(session, limit=3):
    """The next approved speakers, in the list's order, leaving out the one who has the floor."""
    waiting = [
        s for s in approved(session) if s.state == SlotState.APPROVED and s.id != session.current_slot_id
    ]
    return waiting[:limit]


def time_left(ends_at):
    """'m:ss' until `ends_at`, '0:00' once it has passed: the timer as a page without script shows it."""
    seconds = max(0, int((ends_at - utcnow()).total_seconds()))
    return f"{seconds // 60}:{seconds % 60:02d}"


def current(session):
    """(the slot that has the floor, its end time) or (None, None)."""
    if session.current_slot_id is None:
        return None, None
    slot = db.session.get(SpeakerSlot, session.current_slot_id)
    if slot is None or slot.started_at is None:
        return None, None
    return slot, slot.started_at + timedelta(minutes=slot.minutes)


def floor(session):
    """Who has the floor, when and in how long their time ends, and who speaks next: what pages show."""
    slot, ends = current(session)
    return {
        "slot": slot,
        "slot_ends": ends,
        "slot_left": time_left(ends) if ends else None,
        "upcoming": upcoming(session),
    }
