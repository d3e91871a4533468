"""Publishing to Socket.IO rooms; callers publish only after their transaction has committed."""

import logging

from forum.extensions import socketio

log = logging.getLogger(__name__)


def publish(room, event, data):
    """Emit `event` to everyone in `room`; a failed publish is logged, never raised into the caller."""
    payload = dict(data, room=room)
    try:
        socketio.emit(event, payload, to=room)
    except Exception:  # the database already holds the change; the live copy is best effort
        log.exception("publish of %s to %s failed", event, room)
