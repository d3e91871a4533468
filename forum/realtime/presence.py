"""Who is reading a room now: counted per socket, in process memory or, in production, in Redis.

In Redis a room's readers are a sorted set (`forum:<deployment>:presence:<room>`) of socket ids scored
by when their process last vouched for them. Each process renews its own sockets every
PRESENCE_HEARTBEAT_SECONDS; a socket not renewed for PRESENCE_STALE_SECONDS (its process crashed or
was killed, and never said it left) is dropped when the room is next counted. A plain set, renewed
as a whole by every join, kept such sockets for good on a busy thread (issue 25).
"""

import logging
import threading
import time

import redis
from flask import current_app

from forum.deployment import prefix
from forum.extensions import socketio

log = logging.getLogger(__name__)


class Presence:
    """One app's reader counts: its sockets by room, and the Redis store when there is one."""

    def __init__(self, client, stale, prefix, clock=time.time):
        """Counts in `client` (None: in process), sockets stale after `stale` s, keys under `prefix`."""
        self.client = client
        self.prefix = prefix
        self.stale = stale
        # Tests move it to age the sockets of a crashed process without waiting.
        self.clock = clock
        self.lock = threading.Lock()
        # This process's sockets by room: counted here on the embedded default, renewed in Redis else.
        self.mine = {}
        self.beating = False

    def _key(self, room):
        """The Redis key of a room's readers, under the deployment's prefix."""
        return f"{self.prefix}presence:{room}"

    def join(self, room, sid):
        """Count `sid` as reading `room`; returns how many read it now."""
        with self.lock:
            self.mine.setdefault(room, set()).add(sid)
            here = len(self.mine[room])
        if self.client is None:
            return here
        pipe = self.client.pipeline()
        pipe.zadd(self._key(room), {sid: self.clock()})
        return self._count(pipe, room)

    def leave(self, room, sid):
        """Stop counting `sid` in `room`; returns how many still read it."""
        with self.lock:
            readers = self.mine.get(room, set())
            readers.discard(sid)
            if not readers:
                self.mine.pop(room, None)
            here = len(readers)
        if self.client is None:
            return here
        pipe = self.client.pipeline()
        pipe.zrem(self._key(room), sid)
        return self._count(pipe, room)

    def count(self, room):
        """How many read `room` now, or None while Redis is unreachable."""
        if self.client is None:
            with self.lock:
                return len(self.mine.get(room, ()))
        return self._count(self.client.pipeline(), room)

    def _count(self, pipe, room):
        """Drop the room's sockets nobody renewed in time, keep the key while it is renewed, then count."""
        name = self._key(room)
        pipe.zremrangebyscore(name, "-inf", f"({self.clock() - self.stale}")
        # The heartbeats renew it; a room whose every process is gone disappears by itself.
        pipe.expire(name, int(self.stale * 2))
        pipe.zcard(name)
        return _execute(pipe)

    def beat(self):
        """Vouch again for every socket of this process (also puts them back after Redis lost them)."""
        if self.client is None:
            return
        with self.lock:
            rooms = {room: list(sids) for room, sids in self.mine.items()}
        now = self.clock()
        pipe = self.client.pipeline(transaction=False)
        for room, sids in rooms.items():
            name = self._key(room)
            pipe.zadd(name, dict.fromkeys(sids, now))
            pipe.expire(name, int(self.stale * 2))
        if rooms:
            _execute(pipe)


def _presence():
    """This app's Presence, made on first use."""
    found = current_app.extensions.get("forum_presence")
    if found is None:
        found = current_app.extensions["forum_presence"] = Presence(
            _redis(), current_app.config["PRESENCE_STALE_SECONDS"], prefix()
        )
    return found


def _redis():
    """The Redis connection of the production configuration, or None on the embedded default."""
    url = current_app.config.get("REDIS_URL")
    if not url:
        return None
    # A blocking pool: in a crowd arriving at once, a subscription waits a moment for a connection,
    # where redis-py's default pool refuses the 101st in use (bench/fanout_2proc_4000.py: 137 of
    # 4,000 readers went uncounted, "presence store unreachable: Too many connections").
    pool = redis.BlockingConnectionPool.from_url(url, max_connections=100, timeout=5)
    return redis.Redis(connection_pool=pool)


def _heartbeat(app, presence):
    """Renew this process's sockets every PRESENCE_HEARTBEAT_SECONDS while the process runs."""
    while True:
        socketio.sleep(app.config["PRESENCE_HEARTBEAT_SECONDS"])
        presence.beat()


def join(room, sid):
    """Count `sid` as reading `room`; returns how many read it now (None while Redis is unreachable)."""
    presence = _presence()
    if (
        presence.client is not None
        and not presence.beating
        and current_app.config["PRESENCE_HEARTBEAT_SECONDS"]
    ):
        presence.beating = True
        socketio.start_background_task(_heartbeat, current_app._get_current_object(), presence)
    return presence.join(room, sid)


def leave(room, sid):
    """Stop counting `sid` in `room`; returns how many still read it."""
    return _presence().leave(room, sid)


def count(room):
    """How many read `room` now, or None while Redis is unreachable."""
    return _presence().count(room)


def beat():
    """Renew this process's sockets in Redis now (the heartbeat's work)."""
    _presence().beat()


def _execute(pipe):
    """The count a Redis pipeline ends with, or None while Redis is unreachable (presence is a nicety)."""
    try:
        return pipe.execute()[-1]
    except redis.RedisError:
        log.warning("presence store unreachable", exc_info=True)
        return None
