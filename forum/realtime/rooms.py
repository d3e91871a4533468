"""Which rooms exist and who may join them; checked against the database on every subscribe."""

import re
from dataclasses import dataclass

from flask_login import current_user

from forum.params import DB_INT_MAX, id_or_none
from forum.policy import RULES, allowed

# ASCII digits, at most as many as the largest id has; _match checks the value.
ROOM = re.compile(
    rf"^(?:(?P<kind>[a-z]+):(?P<id>[0-9]{{1,{len(str(DB_INT_MAX))}}})|(?P<name>registrations|moderation))$"
)
# Rooms for a role, named without an id.
STAFF_ROOMS = {"registrations": "administer", "moderation": "moderate"}


@dataclass(frozen=True)
class Kind:
    """A kind of room named by a row: how to find the row, and the rules of who joins and who is staff."""

    find: object
    rule: str
    staff_rule: str | None
    announced: bool
    current: object


# Kinds of rooms by name ("thread", "session"): the features register theirs (`register_kind`).
KINDS = {}


def register_kind(name, find, rule, staff_rule=None, announced=False, current=None):
    """Rooms `name:<id>`: `find(id)` gives the row or None; joining takes policy `rule` (about the row,
    or about roles); `staff_rule` (about the row) also gives the staff copy, as moderators get it;
    `announced` rooms are told how many read them; `current(id)` gives the (event, data) pairs of
    state that is broadcast but not stored (vote counts), sent to each socket as it joins."""
    KINDS[name] = Kind(find, rule, staff_rule, announced, current)


def _match(room):
    """The room name's parts, or None for a name that is not a room (an id beyond any row's included)."""
    match = ROOM.match(room) if isinstance(room, str) else None
    if match is None or (match["id"] is not None and id_or_none(match["id"]) is None):
        return None
    if match["kind"] is not None and match["kind"] not in KINDS:
        return None
    return match


def check(room):
    """None when the current user may join `room`, else the error code: 'not_found' or 'forbidden'."""
    match = _match(room)
    if match is None:
        return "not_found"
    if match["name"]:
        return None if allowed(current_user, STAFF_ROOMS[match["name"]]) else "forbidden"
    kind = KINDS[match["kind"]]
    row = kind.find(int(match["id"]))
    if row is None:
        return "not_found"
    about = row if RULES[kind.rule].about is not None else None
    return None if allowed(current_user, kind.rule, about) else "forbidden"


def is_staff_reader(user, room):
    """Whether the kind's own staff rule (a session's chairs) gives `user` this room's staff copy."""
    match = _match(room)
    if match is None or match["kind"] is None or not user.is_authenticated:
        return False
    kind = KINDS[match["kind"]]
    if kind.staff_rule is None:
        return False
    row = kind.find(int(match["id"]))
    return row is not None and allowed(user, kind.staff_rule, row)


def current_state(room):
    """The unstored state a socket joining `room` is sent: [(event, data)], empty for most rooms.

    Without it a count broadcast between the page's render and the socket's join would be lost until
    the next one: the page would show a count older than the reader's own vote.
    """
    kind = _kind(room)
    if kind is None or KINDS[kind].current is None:
        return []
    return KINDS[kind].current(int(_match(room)["id"]))


def _kind(room):
    """The kind of a row's room ('thread', 'session'); None for a staff room or an internal sub-room."""
    match = _match(room)
    return match["kind"] if match else None


def is_presence_room(room):
    """Rooms whose readers are counted: the rooms of rows (threads, sessions), not internal sub-rooms."""
    return _kind(room) is not None


def announces_presence(room):
    """Rooms told how many read them ("N reading now"): threads, not sessions, whose readers are
    counted only to space their vote counts (forum.qa.votes.spacing)."""
    kind = _kind(room)
    return kind is not None and KINDS[kind].announced
