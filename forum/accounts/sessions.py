"""Session lifetime: an idle timeout and an absolute lifetime, kept in the signed session cookie.

The cookie carries when the session signed in and when it was last used; the signature keeps both
honest. A session past either limit is signed out at its next request (forum.accounts.routes), and
neither the user loader nor a socket's session claim accepts it meanwhile.
"""

import time
from datetime import UTC, datetime, timedelta

from flask import current_app

SIGNED_IN = "signed_in_at"
SEEN = "seen_at"
# The last use is written back at most this often (seconds): each write sends the session cookie again.
SEEN_RESOLUTION = 60
# The id of the session's row in user_session (forum.accounts.usersessions).
SESSION_ID = "_sid"
IDENTITY = ("_user_id", "_fresh", "_id", SIGNED_IN, SEEN, SESSION_ID)


def clock():
    """Seconds since the epoch; tests replace it."""
    return int(time.time())


def start(session):
    """Date a session that has just signed in."""
    now = clock()
    session[SIGNED_IN] = now
    session[SEEN] = now


def _limits():
    """(idle, absolute) limits in seconds, from the configuration."""
    config = current_app.config
    return config["SESSION_IDLE_MINUTES"] * 60, config["SESSION_MAX_HOURS"] * 3600


def expiry(session):
    """Why a signed-in session has ended: 'idle', 'lifetime' or 'undated' (made before sessions were
    dated, so its age is unknown); None while it holds.
    """
    signed_in, seen = session.get(SIGNED_IN), session.get(SEEN)
    if not isinstance(signed_in, int) or not isinstance(seen, int):
        return "undated"
    idle, lifetime = _limits()
    now = clock()
    if now - signed_in >= lifetime:
        return "lifetime"
    if now - seen >= idle:
        return "idle"
    return None


def touch(session):
    """Record a use of the session; returns when it was used before (epoch seconds)."""
    before, now = session[SEEN], clock()
    if now - before >= SEEN_RESOLUTION:
        session[SEEN] = now
    return before


def forget(session):
    """Remove the signed-in identity from the session, keeping the rest (language, CSRF token)."""
    for key in IDENTITY:
        session.pop(key, None)


def _moment(seconds):
    """An aware UTC datetime from epoch seconds."""
    return datetime.fromtimestamp(seconds, UTC)


def age(session, seen_before):
    """What a user is shown of their own session: when it signed in and was used before, and its limits."""
    idle, lifetime = _limits()
    signed_in = session[SIGNED_IN]
    return {
        "signed_in": _moment(signed_in),
        "seen_before": _moment(seen_before),
        "ends_at": _moment(signed_in + lifetime),
        "idle": timedelta(seconds=idle),
    }
