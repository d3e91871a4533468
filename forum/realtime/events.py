"""Socket.IO handlers: connection, subscribe and unsubscribe."""

from flask import current_app
from flask_babel import gettext as _
from flask_login import current_user
from flask_socketio import join_room, leave_room

from forum.extensions import socketio
from forum.realtime.rooms import may_join


def _error(code, message):
    """The structured error every handler answers with."""
    return {"ok": False, "error": code, "message": message}


@socketio.on("connect")
def on_connect(auth=None):
    """A browser connects: signed-in users always, anonymous readers only on a public site."""
    return current_user.is_authenticated or current_app.config["PUBLIC_READ"]


@socketio.on("subscribe")
def on_subscribe(payload=None):
    """Client asks to join a room; answers ok or a structured error."""
    room = payload.get("room") if isinstance(payload, dict) else None
    if not isinstance(room, str) or not room:
        return _error("bad_request", _("A room name is required."))
    if not may_join(room):
        return _error("forbidden", _("You may not follow this room."))
    join_room(room)
    return {"ok": True, "room": room}


@socketio.on("unsubscribe")
def on_unsubscribe(payload=None):
    """Client leaves a room it had joined."""
    room = payload.get("room") if isinstance(payload, dict) else None
    if not isinstance(room, str) or not room:
        return _error("bad_request", _("A room name is required."))
    leave_room(room)
    return {"ok": True, "room": room}
