"""Publishing to Socket.IO rooms; callers publish only after their transaction has committed.

Stored events leave the request through the process's publisher (forum.realtime.publisher): the reply
answers before anything is rendered. The publisher tells the other processes which events were stored
(one small notice through the message queue), and every process renders each event once per audience
and language that has readers there, and sends it to that sub-room alone. So every reader gets the
page's own markup in their language, with the attribution rules of their audience, and nothing is
rendered for a language or an audience that nobody on the process reads in.
"""

import logging
from contextlib import nullcontext

from flask import current_app, has_request_context
from flask_babel import force_locale
from flask_login import current_user

from forum.extensions import socketio
from forum.policy import allowed
from forum.realtime import rooms, store
from forum.realtime.managers import SESSION_ENDED, STORED, SlicedRedisManager
from forum.realtime.publisher import Publisher
from forum.security_log import security_event

log = logging.getLogger(__name__)
AUDIENCES = ("public", "staff")
RENDERERS = {}
TELLERS = {}


def renders(event_name):
    """Register the function that turns a stored `event_name` event into what an audience receives."""

    def register(function):
        RENDERERS[event_name] = function
        return function

    return register


def tells(event_name):
    """Register the function that names the one user who must also hear of a stored `event_name` event.

    It returns (user id, event name, data) or None; that user's sockets alone receive it, so a page can
    learn what is the reader's own (their post) without any shared payload saying whose it is.
    """

    def register(function):
        TELLERS[event_name] = function
        return function

    return register


def audience_of(user, room):
    """'staff' for moderators and admins, and for a session's chairs in its room; else 'public'."""
    # Staff see who wrote Chatham House posts; in a session, pending questions and who asked.
    if allowed(user, "moderate"):
        return "staff"
    return "staff" if rooms.is_staff_reader(user, room) else "public"


def subroom(room, audience, locale):
    """The internal room of one audience and language within `room`."""
    return f"{room}|{audience}|{locale}"


def payload(event, audience):
    """What `audience` receives of a stored event, in the active language; None when it must not."""
    render = RENDERERS.get(event.name)
    data = render(event, audience) if render else dict(event.data)
    if data is None:
        return None
    return {**data, "room": event.room, "id": event.seq}


def rendering_context():
    """A request context for rendering when there is none (CLI, background work): links need one."""
    return nullcontext() if has_request_context() else current_app.test_request_context()


def _emit(name, data, room, here=False):
    """Emit, to this process's readers alone when `here`, logging instead of raising: the database
    already holds the change.

    False when the message queue did not take it (Redis unreachable): the readers of this process
    received it, those of other processes did not.
    """
    manager = socketio.server.manager
    unsent = getattr(manager, "unsent", 0)  # the in-process manager of the embedded default has no queue
    try:
        socketio.emit(name, data, to=room, ignore_queue=here)
    except Exception:  # the live feed is a best-effort copy that clients repair from the database
        log.exception("publish of %s to %s failed", name, room)
        return False
    return getattr(manager, "unsent", 0) == unsent


def publish_events(events):
    """Hand committed events to this process's publisher, which sends them after the request answers."""
    for event in events:
        store.remember(event)
    if events:
        current_app.extensions["forum_publisher"].submit(("stored", events))


def _handle(batch):
    """The publisher's work: this process's events are told to the others, then everyone's delivered here."""
    kind, items = batch
    if kind == "stored":
        notices = [_notice(event) for event in items]
        if _has_queue():
            _emit(STORED, notices, STORED)
    else:
        notices = items
    with rendering_context():
        for notice in notices:
            _deliver_here(notice)


def _notice(event):
    """What every process needs of a stored event: its fields and the one user to tell, if any."""
    told = TELLERS[event.name](event) if event.name in TELLERS else None
    return {"room": event.room, "seq": event.seq, "name": event.name, "data": event.data, "told": told}


def _deliver_here(notice):
    """Render an event for each audience and language that has readers on this process, and send it there.

    Rendering costs more than anything else in publishing; sub-rooms with no reader here are skipped.
    """
    manager = socketio.server.manager
    event = store.Stored(notice["room"], notice["seq"], notice["name"], notice["data"])
    if event.name not in RENDERERS:
        if manager.has_readers_here(event.room):
            _emit(event.name, payload(event, "public"), event.room, here=True)
    else:
        for audience in AUDIENCES:
            for locale in current_app.config["LANGUAGES"]:
                room = subroom(event.room, audience, locale)
                if manager.has_readers_here(room):
                    with force_locale(locale):
                        data = payload(event, audience)
                    _emit(*_or_skip(event, data), room, here=True)
    if notice["told"] is not None:
        user_id, name, data = notice["told"]
        if manager.has_readers_here(f"user:{user_id}"):
            _emit(name, {**data, "room": event.room}, f"user:{user_id}", here=True)


def _or_skip(event, data):
    """The event, or for readers who may not see it a bare `skip` with its number.

    Readers take a gap in a room's numbers for lost copies and ask for them again: a held post or a
    pending question must not look like one to the thousands who may not see it.
    """
    if data is None:
        return "skip", {"room": event.room, "id": event.seq}
    return event.name, data


def publish(room, event, data):
    """Emit an event that is not stored (a count, presence) to everyone in `room`; False when not sent.

    Another greenlet's message refused meanwhile also makes it False: a caller that tries again sends
    once more what was delivered.
    """
    return _emit(event, dict(data, room=room), room)


def end_user_sockets(user_id, kind):
    """Close a user's sockets on every process, after their session ended or their rights shrank.

    Call it after the commit that ends the session. `kind` names the end in the security log and in
    the `session.ended` event, on which pages reload, rejoining only what the user may now see. Other
    processes close their sockets on hearing that event through the message queue
    (forum.realtime.managers); this one closes its own at once.
    """
    _end_sockets(f"user:{user_id}", user_id, kind)


def replay_to_current_socket(room, events, emit):
    """Send stored events of `room` to the socket being handled, rendered for its user there."""
    audience = audience_of(current_user, room)
    for event in events:
        emit(*_or_skip(event, payload(event, audience)))


def session_room(session_id):
    """The room of the sockets opened with one signed-in session."""
    return f"login:{session_id}"


def end_session_sockets(session_id, user_id, kind):
    """Close the sockets of one revoked session on every process, as end_user_sockets does for a user's."""
    _end_sockets(session_room(session_id), user_id, kind)


def _end_sockets(room, user_id, kind):
    """Tell the sockets of `room` their session ended, close this process's, and log it."""
    publish(room, SESSION_ENDED, {"kind": kind, "user_id": user_id})
    closed = socketio.server.manager.close_here(room)
    security_event("session.ended", kind=kind, user_id=user_id, sockets_closed=closed)


def init_app(app):
    """Give the app its publisher, and the message queue's notices of other processes' events to it."""
    publisher = Publisher(app, _handle)
    app.extensions["forum_publisher"] = publisher
    if _has_queue():
        socketio.server.manager.on_stored = lambda notices: publisher.submit(("notices", notices))


def _has_queue():
    """Whether this app's processes share a message queue (production), not one in-process manager."""
    return isinstance(socketio.server.manager, SlicedRedisManager)
