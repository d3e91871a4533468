"""The event log behind live updates: a per-room sequence and the events themselves."""

from forum.database import UTCDateTime, utcnow
from forum.extensions import db


class RoomSequence(db.Model):
    """The last event number of a room; its row lock orders concurrent writers of one room."""

    __tablename__ = "room_sequence"

    room = db.Column(db.String(64), primary_key=True)
    last_seq = db.Column(db.Integer, nullable=False, default=0)


class Event(db.Model):
    """One change in a room, numbered 1, 2, 3… within the room, kept for catch-up."""

    __tablename__ = "room_event"

    room = db.Column(db.String(64), primary_key=True)
    seq = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(40), nullable=False)
    data = db.Column(db.JSON, nullable=False)
    created_at = db.Column(UTCDateTime, nullable=False, default=utcnow, index=True)
