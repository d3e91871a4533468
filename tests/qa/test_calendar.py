"""The programme as iCalendar: parsed with the library, the right instants on both sides of summer time."""

from datetime import UTC, datetime

import pytest
from icalendar import Calendar

from forum.extensions import db
from forum.qa.models import AgendaSession
from tests.conftest import Auth


@pytest.fixture
def backend():
    """SQLite: the feed is built in Python, the same on both databases."""
    return "sqlite"


@pytest.fixture
def config_overrides():
    """Memory is enough here (the Q&A conftest's file is for the vote broadcaster)."""
    return {}


# Geneva clock times around the changes of 2026: summer time starts on 29 March, ends on 25 October.
SESSIONS = {
    "before-spring": ("2026-03-28 10:00", datetime(2026, 3, 28, 9, 0, tzinfo=UTC)),
    "after-spring": ("2026-03-30 10:00", datetime(2026, 3, 30, 8, 0, tzinfo=UTC)),
    "before-autumn": ("2026-10-24 10:00", datetime(2026, 10, 24, 8, 0, tzinfo=UTC)),
    "after-autumn": ("2026-10-26 10:00", datetime(2026, 10, 26, 9, 0, tzinfo=UTC)),
}


@pytest.fixture
def sessions(app):
    """Four ninety-minute sessions, each starting at 10:00 Geneva time."""
    from datetime import timedelta

    for slug, (_geneva, start) in SESSIONS.items():
        db.session.add(
            AgendaSession(
                slug=slug, title=f"Session {slug}", room="Palexpo, Room 2", starts_at=start,
                ends_at=start + timedelta(minutes=90), speakers="Ada Lovelace\nAlan Turing",
            )
        )  # fmt: skip
    db.session.commit()


def events(body):
    """The VEVENTs of an iCalendar text, by UID."""
    calendar = Calendar.from_ical(body)
    return calendar, {str(event["uid"]): event for event in calendar.walk("VEVENT")}


def test_the_programme_feed_places_every_session_at_the_right_instant_across_summer_time(client, sessions):
    answer = client.get("/programme.ics")
    assert answer.status_code == 200
    assert answer.mimetype == "text/calendar"
    assert answer.headers.get("Set-Cookie") is None
    calendar, found = events(answer.data)
    assert str(calendar["x-wr-timezone"]) == "Europe/Zurich"
    assert [str(zone["tzid"]) for zone in calendar.walk("VTIMEZONE")] == ["Europe/Zurich"]
    assert len(found) == 4
    for event in found.values():
        slug = str(event["url"]).rsplit("/", 1)[1]
        start = event.decoded("dtstart")
        # Written in Geneva time at 10:00, and the same instant as the stored UTC time.
        assert (start.hour, start.minute) == (10, 0)
        assert start.astimezone(UTC) == SESSIONS[slug][1]
        assert (event.decoded("dtend") - start).total_seconds() == 90 * 60
        assert str(event["location"]) == "Palexpo, Room 2"
        assert "Ada Lovelace, Alan Turing" in str(event["description"])


def test_a_session_has_its_own_file_linked_from_its_page(client, sessions):
    answer = client.get("/programme/after-autumn.ics")
    assert answer.status_code == 200
    assert 'filename="after-autumn.ics"' in answer.headers["Content-Disposition"]
    _calendar, found = events(answer.data)
    (event,) = found.values()
    assert event.decoded("dtstart").astimezone(UTC) == datetime(2026, 10, 26, 9, 0, tzinfo=UTC)
    assert 'href="/programme/after-autumn.ics"' in client.get("/programme/after-autumn").text
    assert 'href="/programme.ics"' in client.get("/programme").text
    assert client.get("/programme/no-such-session.ics").status_code == 404


def test_a_members_only_site_keeps_its_calendar_for_members(app, client, sessions, participant):
    app.config["PUBLIC_READ"] = False
    assert client.get("/programme.ics").status_code in (302, 401)
    Auth(client).login(participant)
    assert client.get("/programme.ics").status_code == 200
