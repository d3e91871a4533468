"""Recording room events inside the writer's transaction, and reading them back for catch-up."""

from sqlalchemy import select, text, update

from forum.database import insert_ignoring_conflict
from forum.extensions import db
from forum.realtime.models import Event, RoomSequence


def record(room, name, data):
    """Add an event to `room` in the current transaction and return it; publish it after commit.

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
    event = Event(room=room, seq=seq, name=name, data=data)
    db.session.add(event)
    return event


LAST_SEQ = text("SELECT last_seq FROM room_sequence WHERE room = :room")


def last_seq(room):
    """The number of the room's latest event, 0 when it has none."""
    # Plain SQL: every thread page asks this, and it halves the cost of the ORM statement.
    return db.session.execute(LAST_SEQ, {"room": room}).scalar() or 0


def events_after(room, since, limit):
    """Up to `limit` events of `room` numbered above `since`, oldest first."""
    query = select(Event).where(Event.room == room, Event.seq > since).order_by(Event.seq).limit(limit)
    return db.session.scalars(query).all()
