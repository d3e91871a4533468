"""The programme as iCalendar (RFC 5545): the whole programme, or one session, for calendar apps.

Times are written in the Dialogue's time zone (TIMEZONE, Europe/Zurich for Geneva) with its VTIMEZONE,
so an app shows Geneva time and converts it rightly on either side of a change to or from summer time.
"""

from flask import current_app
from flask_babel import gettext as _
from icalendar import Calendar, Event
from sqlalchemy import select

from forum.database import utcnow
from forum.extensions import db
from forum.i18n import dialogue_zone
from forum.qa.models import AgendaSession
from forum.urls import public_base, public_url

MEDIA_TYPE = "text/calendar; charset=utf-8"


def _event(session, host, stamp):
    """One session as a VEVENT: a stable UID, its Geneva times, room, description and page."""
    zone = dialogue_zone()
    event = Event()
    event.add("uid", f"session-{session.id}@{host}")
    event.add("dtstamp", stamp)
    event.add("dtstart", session.starts_at.astimezone(zone))
    event.add("dtend", session.ends_at.astimezone(zone))
    event.add("summary", str(session.title))
    if session.room:
        event.add("location", session.room)
    description = str(session.description).strip()  # in the reader's language (forum.multilingual)
    details = [description] if description else []
    if session.speaker_names:
        details.append(_("Speakers: %(names)s", names=", ".join(session.speaker_names)))
    if details:
        event.add("description", "\n\n".join(details))
    event.add("url", public_url("qa.session_page", slug=session.slug))
    return event


def feed(sessions, name):
    """The iCalendar text of `sessions` under the calendar name `name`."""
    calendar = Calendar()
    calendar.add("prodid", "-//Dialogue Forum//Programme//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", current_app.config["TIMEZONE"])
    host = public_base()[1].split(":")[0] or "dialogue-forum"
    stamp = utcnow().replace(microsecond=0)
    for session in sessions:
        calendar.add_component(_event(session, host, stamp))
    # The VTIMEZONE of every TZID used: apps without the zone database still place the times rightly.
    calendar.add_missing_timezones()
    return calendar.to_ical()


def programme_feed():
    """Every session of the programme."""
    sessions = db.session.scalars(select(AgendaSession).order_by(AgendaSession.starts_at)).all()
    return feed(sessions, _("Global Dialogue on AI Governance: programme"))


def session_feed(session):
    """One session."""
    return feed([session], str(session.title))
