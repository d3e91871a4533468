"""Which rooms exist and who may join them; checked against the database on every subscribe."""

import re

from flask_login import current_user

from forum.extensions import db
from forum.params import DB_INT_MAX, id_or_none
from forum.policy import allowed

# ASCII digits, at most as many as the largest id has; _match checks the value.
ROOM = re.compile(
    rf"^(?:(?P<kind>thread|session):(?P<id>[0-9]{{1,{len(str(DB_INT_MAX))}}})|(?P<name>registrations|moderation))$"
)
# Rooms for a role, named without an id.
STAFF_ROOMS = {"registrations": "administer", "moderation": "moderate"}


def _match(room):
    """The room name's parts, or None for a name that is not a room (an id beyond any row's included)."""
    match = ROOM.match(room) if isinstance(room, str) else None
    if match is None or (match["id"] is not None and id_or_none(match["id"]) is None):
        return None
    return match


def check(room):
    """None when the current user may join `room`, else the error code: 'not_found' or 'forbidden'."""
    match = _match(room)
    if match is None:
        return "not_found"
    if match["name"]:
        allowed_here = allowed(current_user, STAFF_ROOMS[match["name"]])
        return None if allowed_here else "forbidden"
    from forum.threads.models import Thread

    if match["kind"] == "session":
        from forum.qa.models import AgendaSession

        if db.session.get(AgendaSession, int(match["id"])) is None:
            return "not_found"
        # A session's Q&A is for every reader of the site; staff and its chairs get the staff sub-room.
        return None if allowed(current_user, "read") else "forbidden"

    thread = db.session.get(Thread, int(match["id"]))
    if thread is None:
        return "not_found"
    return None if allowed(current_user, "thread.view", thread) else "forbidden"


def chairs_session_of(user, room):
    """Whether `user` chairs the session whose room this is: they get its staff copy, like moderators."""
    match = _match(room)
    if match is None or match["kind"] != "session" or not user.is_authenticated:
        return False
    from forum.qa.models import AgendaSession

    session = db.session.get(AgendaSession, int(match["id"]))
    return session is not None and allowed(user, "session.chair", session)


def _kind(room):
    """'thread' or 'session' for such a room; None for a staff room or an internal sub-room."""
    match = _match(room)
    return match["kind"] if match else None


def is_presence_room(room):
    """Rooms whose readers are counted: threads and sessions, not their internal sub-rooms."""
    return _kind(room) in ("thread", "session")


def announces_presence(room):
    """Rooms told how many read them ("N reading now"): threads.

    A session's readers are counted only to space its vote counts (forum.qa.votes.spacing).
    """
    return _kind(room) == "thread"
