"""Socket.IO handlers: connection, subscribe with catch-up, unsubscribe, presence.

Browsers send `subscribe {room, since}` and `unsubscribe {room}`; the server answers each with
{ok: true, ...} or a structured error {ok: false, error, message}, and sends room events to members.
"""

import logging
from functools import wraps

from flask import current_app, request
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from flask_socketio import emit, join_room, leave_room, rooms

from forum import params, throttle
from forum.extensions import db, socketio
from forum.policy import allowed, socket_requires
from forum.realtime import presence, store
from forum.realtime import rooms as room_rules
from forum.realtime.claims import session_claim
from forum.realtime.publish import audience_of, publish, replay_to_current_socket, session_room, subroom
from forum.security_log import security_event

REPLAY_LIMIT = 200
log = logging.getLogger(__name__)


def error_reply(code, message):
    """The structured error every handler answers with."""
    return {"ok": False, "error": code, "message": message}


def limited(handler):
    """The boundary of every client event: refuse a user's (or an anonymous socket's) events beyond
    SOCKET_EVENT_LIMIT (counted per process), and payloads holding text the database cannot store.

    A user is known by the id the session claims, without loading their row: a vote needs none
    (forum.qa.questions.claimed_vote), and a stale claim still names whose events these are.
    """

    @wraps(handler)
    def wrapped(*args):
        """Count the event, check its payload, then handle it."""
        claim = session_claim()
        key = f"user:{claim[0]}" if claim else f"sid:{request.sid}"
        if throttle.attempt_here("SOCKET_EVENT_LIMIT", key):
            return error_reply("throttled", _("Too many requests. Wait a moment and try again."))
        if params.first_unstorable(args) is not None:
            security_event(
                "socket.refused",
                reason="unstorable",
                socket_event=request.event["message"],
                user_id=claim and claim[0],
            )
            return error_reply(
                "bad_request",
                _("The message contains a character that is not allowed (NUL or a lone surrogate)."),
            )
        return handler(*args)

    return wrapped


# A room with more readers than this hears its count at most once per PRESENCE_SECONDS. Announcing
# every arrival to everyone costs one message per reader: N²/2 for a crowd of N arriving (measured
# with bench/fanout.py: 2,000 readers subscribing took 74 s and 2 million messages on one process).
PRESENCE_EXACT_UP_TO = 50
PRESENCE_SECONDS = 1.0


def _presence(room, count):
    """Tell a thread's readers how many read it, when the count is known (not while Redis is unreachable).

    A small room hears each change at once; a large one hears its latest count a second later at most.
    """
    if count is None or not room_rules.announces_presence(room):
        return
    due = current_app.extensions.setdefault("forum_presence_due", {})
    if room in due:
        # The announcement already due will carry the latest count.
        due[room] = count
    elif count > PRESENCE_EXACT_UP_TO:
        due[room] = count
        socketio.start_background_task(_announce_later, current_app._get_current_object(), room)
    if count <= PRESENCE_EXACT_UP_TO:
        publish(room, "presence", {"count": count})


def _announce_later(app, room):
    """Announce the room's latest count once PRESENCE_SECONDS have gathered the changes."""
    socketio.sleep(PRESENCE_SECONDS)
    with app.app_context():
        publish(room, "presence", {"count": app.extensions["forum_presence_due"].pop(room)})


@socketio.on("connect")
@socket_requires("read", handler_checks=True)
def on_connect(auth=None):
    """A browser connects: users (joining their own room) always, anonymous readers on a public site."""
    claim = session_claim()
    # The user's room, and the room of this signed-in session (closed when the session is signed out).
    own_rooms = [f"user:{claim[0]}", session_room(claim[2])] if claim else []
    for room in own_rooms:
        # Joined before the session is checked: an end committed after the check is published after
        # this join, so it closes this socket too (forum.realtime.managers); one committed before fails it.
        join_room(room)
    if current_user.is_authenticated:
        return True
    for room in own_rooms:
        leave_room(room)
    return allowed(current_user, "read")


@socketio.on("disconnect")
@socket_requires("anyone")
def on_disconnect(reason=None):
    """The socket is gone: it no longer counts as reading its rooms."""
    for room in rooms():
        if room_rules.is_presence_room(room):
            _presence(room, presence.leave(room, request.sid))


def _room_and_since(payload):
    """(room, since) from a subscribe payload; since is None when absent; raises ValueError when malformed."""
    if not isinstance(payload, dict) or not isinstance(payload.get("room"), str) or not payload["room"]:
        raise ValueError
    since = payload.get("since")
    if since is not None and (not isinstance(since, int) or isinstance(since, bool) or since < 0):
        raise ValueError
    return payload["room"], since


@socketio.on("subscribe")
@limited
@socket_requires("anyone")  # each room has its rule (forum.realtime.rooms)
def on_subscribe(payload=None):
    """Client joins a room; with `since`, the events it missed are sent first, or `resync` when too many
    or some of them are no longer kept."""
    try:
        room, since = _room_and_since(payload)
    except ValueError:
        return error_reply(
            "bad_request", _("Send {room, since} with a room name and a non-negative event number.")
        )
    refusal = room_rules.check(room)
    if refusal == "not_found":
        return error_reply("not_found", _("There is no such room."))
    if refusal:
        log.warning(
            "socket %s of user %s refused room %s", request.sid, getattr(current_user, "id", None), room
        )
        return error_reply("forbidden", _("You may not follow this room."))
    join_room(room)
    join_room(subroom(room, audience_of(current_user, room), str(get_locale())))
    last = store.last_seq(room, fresh=True)
    if since is not None and since < last:
        missed = store.events_after(room, since, REPLAY_LIMIT + 1)
        # Too many to replay, or the first one missed is pruned already (forum.realtime.store.prune).
        if len(missed) > REPLAY_LIMIT or not missed or missed[0].seq != since + 1:
            emit("resync", {"room": room})
        else:
            replay_to_current_socket(room, missed, emit)
    elif since is not None and since > last:
        emit("resync", {"room": room})
    for event, data in room_rules.current_state(room):
        emit(event, dict(data, room=room))
    if room_rules.is_presence_room(room):
        _presence(room, presence.join(room, request.sid))
    return {"ok": True, "room": room, "last": last}


@socketio.on("unsubscribe")
@limited
@socket_requires("anyone")
def on_unsubscribe(payload=None):
    """Client leaves a room it had joined."""
    try:
        room, _since = _room_and_since(payload)
    except ValueError:
        return error_reply("bad_request", _("Send {room} with a room name."))
    if room not in rooms():
        return error_reply("not_subscribed", _("You do not follow this room."))
    for name in [r for r in rooms() if r == room or r.startswith(room + "|")]:
        leave_room(name)
    if room_rules.is_presence_room(room):
        _presence(room, presence.leave(room, request.sid))
    return {"ok": True, "room": room}


@socketio.on("*")
@socket_requires("anyone")
def on_unknown(event, payload=None):
    """An event the server does not know: answered with an error, never silently dropped."""
    return error_reply("unknown_event", _("Unknown event."))


@socketio.on_error_default
def on_failure(error):
    """A handler failed: its transaction is rolled back, the client gets an error, the log the details.

    Rolled back first: the reply's translation loads the user, which a failed transaction refuses, and
    the handler then failed too, leaving the client without an answer.
    """
    db.session.rollback()
    log.exception("socket event %s failed", request.event["message"])
    return error_reply("server_error", _("Something went wrong on our side."))
