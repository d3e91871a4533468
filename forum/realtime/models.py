"""The event log behind live updates: a per-room sequence and the events themselves."""

from datetime import datetime

from sqlalchemy.orm import Mapped, mapped_column

from forum.database import UTCDateTime, utcnow
from forum.extensions import db


class RoomSequence(db.Model):
    """The last event number of a room; its row lock orders concurrent writers of one room."""

    __tablename__ = "room_sequence"

    room: Mapped[str] = mapped_column(db.String(64), primary_key=True)
    last_seq: Mapped[int] = mapped_column(default=0)


class Event(db.Model):
    """One change in a room, numbered 1, 2, 3… within the room, kept for catch-up."""

    __tablename__ = "room_event"

    room: Mapped[str] = mapped_column(db.String(64), primary_key=True)
    seq: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(db.String(40))
    data: Mapped[dict] = mapped_column(db.JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
