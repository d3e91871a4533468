"""Recording room events inside the writer's transaction, and reading them back for catch-up."""

from dataclasses import dataclass

from flask import current_app
from sqlalchemy import delete, select, text, update

from forum.database import insert_ignoring_conflict
from forum.extensions import db
from forum.realtime.models import Event, RoomSequence


@dataclass(frozen=True)
class Stored:
    """What a recorded event holds, kept apart from its row, which the commit expires."""

    room: str
    seq: int
    name: str
    data: dict


def record(room, name, data):
    """Add an event to `room` in the current transaction; publish what it returns after commit.

    The sequence row stays locked until the transaction ends, so events of one room become
    visible in the order of their numbers and a client catching up never skips one.
    """
    insert_ignoring_conflict(RoomSequence, room=room, last_seq=0)
    seq = db.session.execute(
        update(RoomSequence)
        .where(RoomSequence.room == room)
        .values(last_seq=RoomSequence.last_seq + 1)
        .returning(RoomSequence.last_seq)
    ).scalar_one()
    db.session.add(Event(room=room, seq=seq, name=name, data=data))
    return Stored(room, seq, name, data)


LAST_SEQ = text("SELECT last_seq FROM room_sequence WHERE room = :room")
# How long a process trusts the number it last read for a room. Events this process publishes update it
# at once; another process's events show up within this time (pages carry the number they were built
# at, so a live client still catches up on everything after it).
SEQ_SECONDS = 0.5
# Rooms whose number a process keeps (the least recently asked go first): a process cache, bounded.
SEQ_ROOMS = 10_000


def _known():
    """This app's recently read room numbers (forum.caching): room -> number, for SEQ_SECONDS."""
    return current_app.extensions["forum_caches"].named("room_seqs", SEQ_ROOMS, SEQ_SECONDS)


def _read(room):
    """The room's number as the database has it, 0 when it has no event."""
    # Plain SQL: thread pages ask this on every view, and it halves the cost of the ORM statement.
    return db.session.execute(LAST_SEQ, {"room": room}).scalar() or 0


def last_seq(room, fresh=False):
    """The number of the room's latest event, 0 when it has none; read from the database when `fresh`.

    Catch-up asks fresh: another process's events may be newer than the number this one trusts.
    """
    if not fresh:
        return _known().get(room, lambda: _read(room))
    seq = _read(room)
    _known().put(room, seq)
    return seq


def remember(event):
    """A committed event of this process: pages built from now on are at least this recent."""
    known = _known().peek(event.room)
    if known is None or known < event.seq:
        _known().put(event.room, event.seq)


def events_after(room, since, limit):
    """Up to `limit` events of `room` numbered above `since`, oldest first."""
    query = select(Event).where(Event.room == room, Event.seq > since).order_by(Event.seq).limit(limit)
    return db.session.scalars(query).all()


def prune(before):
    """Delete the events recorded before `before`; returns how many. Room numbers go on from where they were.

    A client whose `since` is older than what is kept is answered `resync` (forum.realtime.events).
    """
    return db.session.execute(delete(Event).where(Event.created_at < before)).rowcount
