"""The Socket.IO client managers: they close the sockets of ended sessions; production's slices broadcasts.

Ending a session (forum.realtime.publish.end_user_sockets) emits `session.ended` to the user's room and
closes the sockets of that room on its process; through the Redis queue every other process hears the
emit and closes its own. A socket still in its connect handler cannot be closed yet: it is closed as soon
as its connection completes, so that one checked against the session just before the end does not stay.

Slices: a broadcast queues a message for each reader's socket, and under gevent every socket's writer then
runs before anything that became ready after the broadcast began: a vote waiting for its database answer
waited behind a thousand writers (about 90 ms on two cores, bench/vote_storm.py), however few votes
came in. Yielding after each slice of readers lets such work go first, so a broadcast delays it by one
slice at most. Stored events are handed out by one publisher per process (forum.realtime.publish), one
after the other, so readers still receive them in order. The in-process manager of the embedded default
does not slice.
"""

import socketio

from forum.deployment import channel
from forum.security_log import security_event

SESSION_ENDED = "session.ended"
# The notice of stored events that every process hears (forum.realtime.publish): sent to a room no
# socket joins, so that it reaches the other processes' managers and no browser.
STORED = "forum.stored"

# Readers per slice: a vote needs several turns of the loop (its frame read, its handler, the database's
# answer, its acknowledgement), and each may wait for a slice. At 10 rather than 50, a slice's writers take
# well under a millisecond: vote_storm's p95 fell from 31-59 ms to 24-30 ms in seven runs of each, for the
# same CPU per vote (bench/README.md).
SLICE = 10


class EndsSessions:
    """Closing the sockets of a room on this process, including those still connecting."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.ended_while_connecting = set()

    def close_here(self, room, namespace="/"):
        """Disconnect this process's sockets in `room`; returns how many."""
        closed = 0
        for sid, _eio_sid in list(self.get_participants(namespace, room)):
            if self.is_pre_connected(sid, namespace):
                # Its connect handler is running: Server.disconnect would ignore it.
                self.ended_while_connecting.add(sid)
            else:
                self.server.disconnect(sid, namespace=namespace, ignore_queue=True)
            closed += 1
        return closed

    def connect(self, sid, namespace):
        """Register a connection, and close it at once when its session ended while it connected."""
        sid = super().connect(sid, namespace)
        if sid in self.ended_while_connecting:
            self.ended_while_connecting.discard(sid)
            self.server.disconnect(sid, namespace=namespace, ignore_queue=True)
        return sid

    def disconnect(self, sid, namespace, **kwargs):
        """Forget a socket that goes away (a refused connection never completes)."""
        self.ended_while_connecting.discard(sid)
        return super().disconnect(sid, namespace, **kwargs)

    def has_readers_here(self, room, namespace="/"):
        """Whether any socket of this process is in `room`."""
        return bool(self.rooms.get(namespace, {}).get(room))


class LocalManager(EndsSessions, socketio.Manager):
    """The in-process manager of the embedded default, one server process."""


class SlicedRedisManager(EndsSessions, socketio.RedisManager):
    """The Redis message queue manager, yielding to other greenlets after every SLICE readers."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Messages Redis did not take: python-socketio logs them and carries on, and a caller may want
        # to try again (forum.realtime.publish.publish).
        self.unsent = 0
        # Takes the notices of events that other processes stored (set by forum.realtime.publish).
        self.on_stored = None

    def _publish(self, data):
        """Hand a message to Redis, counting it when Redis does not take it (None after two attempts)."""
        taken = super()._publish(data)
        if taken is None:
            self.unsent += 1
        return taken

    def get_participants(self, namespace, room):
        """The room's participants (a copy, so that yielding is safe), pausing after each slice."""
        for count, participant in enumerate(super().get_participants(namespace, room), 1):
            yield participant
            if count % SLICE == 0:
                self.server.sleep(0)

    def _handle_emit(self, message):
        """Emit here what a process published; a session another process ended closes its sockets here.

        Another process's notice of stored events goes to this process's publisher, which renders them
        for the readers here; this process's own notice was handled before it was sent.
        """
        if message.get("event") == STORED:
            if message.get("host_id") != self.host_id and self.on_stored is not None:
                self.on_stored(message["data"][0])
            return
        super()._handle_emit(message)
        if message.get("event") == SESSION_ENDED and message.get("host_id") != self.host_id:
            data = message["data"][0]
            closed = self.close_here(message["room"], message.get("namespace") or "/")
            if closed:
                security_event(
                    "session.sockets_closed",
                    kind=data["kind"],
                    user_id=data["user_id"],
                    sockets_closed=closed,
                )


def client_manager(redis_url, deployment):
    """The manager for an app: sliced through Redis, on its deployment's channel, when it has a queue."""
    if not redis_url:
        return LocalManager()
    return SlicedRedisManager(redis_url, channel=channel(deployment, redis_url))
