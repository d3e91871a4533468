"""Agenda sessions of the Dialogue."""

from forum.database import UTCDateTime
from forum.extensions import db


class AgendaSession(db.Model):
    """A session of the programme, stored in UTC, shown in Geneva time."""

    __tablename__ = "agenda_session"

    id = db.Column(db.Integer, primary_key=True)
    slug = db.Column(db.String(80), nullable=False, unique=True)
    title = db.Column(db.String(200), nullable=False)
    description = db.Column(db.Text, nullable=False, default="")
    room = db.Column(db.String(120), nullable=False, default="")
    starts_at = db.Column(UTCDateTime, nullable=False, index=True)
    ends_at = db.Column(UTCDateTime, nullable=False)
