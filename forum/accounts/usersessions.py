"""Each sign-in's row: what the sessions page lists, and what revoking one ends.

The signed cookie carries the row's random id (sessions.SESSION_ID); load_user accepts the session only
while its row is open. The row notes the browser's User-Agent, the address, the place of sign-in (its
country per forum.ip_country, found once when the row is made, so that the page never looks it up), when
it signed in and when it was last used (written at most once a minute, with the cookie's own record of
use; the address is then the latest one, the place stays the sign-in's). Ending a row closes the sockets
opened with that session, on every process (forum.realtime.publish.end_session_sockets).
"""

import ipaddress
import re
import secrets
from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import and_, select, update

from forum import ip_country
from forum.accounts import sessions
from forum.accounts.models import User
from forum.accounts.security_models import UserSession
from forum.database import utcnow
from forum.extensions import db
from forum.i18n import country_name
from forum.realtime.publish import end_session_sockets
from forum.rules import RuleViolation
from forum.security_log import security_event

# (pattern, name) tried in order: Edge and Opera also say Chrome, Chrome also says Safari.
BROWSERS = (
    (r"Edg(?:e|A|iOS)?/", "Edge"),
    (r"OPR/|Opera", "Opera"),
    (r"Firefox/|FxiOS/", "Firefox"),
    (r"SamsungBrowser/", "Samsung Internet"),
    (r"Chrome/|CriOS/|Chromium/", "Chrome"),
    (r"Safari/", "Safari"),
)
SYSTEMS = (
    (r"Windows", "Windows"),
    (r"iPhone|iPad|iPod", "iOS"),
    (r"Android", "Android"),
    (r"Mac OS X|Macintosh", "macOS"),
    (r"CrOS", "ChromeOS"),
    (r"Linux", "Linux"),
)


# Private ranges (RFC 1918, IPv6 unique local): a sign-in from inside the organisation or this machine.
# Not ipaddress's is_private, which also counts the documentation ranges and other reserved blocks.
LOCAL_NETWORKS = tuple(
    ipaddress.ip_network(net) for net in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7")
)
# The place of a sign-in from a private, loopback or link-local address (UserSession.place).
LOCAL = "local"


def describe(user_agent):
    """'Firefox on Windows' from a User-Agent header; unknown parts are named as such."""
    text = user_agent or ""
    browser = next((name for pattern, name in BROWSERS if re.search(pattern, text)), None)
    system = next((name for pattern, name in SYSTEMS if re.search(pattern, text)), None)
    return _(
        "%(browser)s on %(system)s",
        browser=browser or _("Unknown browser"),
        system=system or _("an unknown system"),
    )


def locate(ip):
    """What UserSession.place keeps of an address: LOCAL, a country code (DB-IP), or None when unknown."""
    address = ip_country.parse(ip)
    if address is None:
        return None
    if address.is_loopback or address.is_link_local or any(address in net for net in LOCAL_NETWORKS):
        return LOCAL
    return ip_country.country_of(address)


def place_name(place):
    """A session's place of sign-in in the reader's language: the UN name of its country, or why none."""
    if place == LOCAL:
        return _("Local network")
    return country_name(place) if place else _("Unknown place")


def located(rows):
    """True when a row's place came from DB-IP's data: the page must then credit DB-IP (CC BY 4.0)."""
    return any(row.place not in (None, LOCAL) for row in rows)


def _new_country(user, place):
    """True when a staff account signs in from a country none of its kept sessions came from."""
    from forum.accounts import twofactor

    if not twofactor.required_for(user) or place in (None, LOCAL):
        return False
    places = set(db.session.scalars(select(UserSession.place).where(UserSession.user_id == user.id)))
    # The first country an account is seen in (or after the purge) has nothing to differ from.
    return bool(places - {None, LOCAL}) and place not in places


def open_session(user, ip, user_agent):
    """Record a new sign-in of `user`, with its place; returns the row's id for the cookie."""
    place = locate(ip)
    new_country = _new_country(user, place)
    row = UserSession(
        id=secrets.token_urlsafe(24),
        user_id=user.id,
        ip=(ip or "")[:45] or None,
        place=place,
        user_agent=(user_agent or "")[:300] or None,
    )
    db.session.add(row)
    db.session.commit()
    if new_country:
        security_event("login.new_country", user_id=user.id, role=user.role, country=place)
    return row.id


def open_user(user_id, session_id):
    """The user of a session whose row is open, in one statement; None otherwise."""
    if not isinstance(session_id, str):
        return None
    joined = and_(
        UserSession.user_id == User.id, UserSession.id == session_id, UserSession.ended_at.is_(None)
    )
    return db.session.scalar(select(User).join(UserSession, joined).where(User.id == user_id))


def seen(session_id, ip):
    """Note a use of the session (called at most once a minute per session)."""
    db.session.execute(
        update(UserSession)
        .where(UserSession.id == session_id, UserSession.ended_at.is_(None))
        .values(last_seen_at=utcnow(), ip=(ip or "")[:45] or None)
    )
    db.session.commit()


def active(user):
    """The user's open sessions within their idle and absolute limits, last used first."""
    config, now = current_app.config, utcnow()
    query = select(UserSession).where(
        UserSession.user_id == user.id,
        UserSession.ended_at.is_(None),
        UserSession.created_at > now - timedelta(hours=config["SESSION_MAX_HOURS"]),
        UserSession.last_seen_at > now - timedelta(minutes=config["SESSION_IDLE_MINUTES"]),
    )
    return db.session.scalars(query.order_by(UserSession.last_seen_at.desc())).all()


def _end(rows, reason):
    """Mark rows ended (the caller commits)."""
    now = utcnow()
    for row in rows:
        row.ended_at, row.end_reason = now, reason


def revoke(user, session_id):
    """End one of the user's own sessions; its next request and its sockets are signed out."""
    row = db.session.get(UserSession, session_id) if isinstance(session_id, str) else None
    if row is None or row.user_id != user.id or row.ended_at is not None:
        raise RuleViolation(_("There is no such session."), code="not_found")
    _end([row], "revoked")
    db.session.commit()
    security_event("session.revoked", user_id=user.id, ip=row.ip)
    end_session_sockets(row.id, user.id, "revoked")


def revoke_others(user, keep_id):
    """End every other session of the user, and forget the browsers remembered for the second factor."""
    from forum.accounts import twofactor

    rows = db.session.scalars(
        select(UserSession).where(
            UserSession.user_id == user.id, UserSession.ended_at.is_(None), UserSession.id != keep_id
        )
    ).all()
    _end(rows, "revoked")
    twofactor.forget_browsers(user)
    db.session.commit()
    security_event("session.revoked_others", user_id=user.id, sessions=len(rows))
    for row in rows:
        end_session_sockets(row.id, user.id, "revoked")
    return len(rows)


def end_all(user, reason):
    """Mark every open session of the user ended (the caller commits, having changed the token)."""
    db.session.execute(
        update(UserSession)
        .where(UserSession.user_id == user.id, UserSession.ended_at.is_(None))
        .values(ended_at=utcnow(), end_reason=reason[:20])
    )


def current_id(session):
    """This request's session row id, or None."""
    return session.get(sessions.SESSION_ID)
