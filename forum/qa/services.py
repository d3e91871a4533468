"""Agenda queries."""

from itertools import groupby
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import select

from forum.database import utcnow
from forum.extensions import db
from forum.qa.models import AgendaSession


def programme_by_day():
    """[(Geneva date, [sessions])] in time order."""
    zone = ZoneInfo(current_app.config["TIMEZONE"])
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
