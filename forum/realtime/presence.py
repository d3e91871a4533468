"""Who is reading a room now: counted per socket, in process memory or, in production, in Redis."""

import logging
import threading

import redis
from flask import current_app

_lock = threading.Lock()
log = logging.getLogger(__name__)


def _local():
    """This app's in-process reader sets (the embedded default runs one process)."""
    return current_app.extensions.setdefault("forum_presence", {})


def _redis():
    """The Redis connection of the production configuration, or None on the embedded default."""
    url = current_app.config.get("REDIS_URL")
    if not url:
        return None
    client = current_app.extensions.get("forum_presence_redis")
    if client is None:
        # A blocking pool: in a crowd arriving at once, a subscription waits a moment for a connection,
        # where redis-py's default pool refuses the 101st in use (bench/fanout_2proc_4000.py: 137 of
        # 4,000 readers went uncounted, "presence store unreachable: Too many connections").
        pool = redis.BlockingConnectionPool.from_url(url, max_connections=100, timeout=5)
        client = current_app.extensions["forum_presence_redis"] = redis.Redis(connection_pool=pool)
    return client


def join(room, sid):
    """Count `sid` as reading `room`; returns how many read it now."""
    store = _redis()
    if store is not None:
        key = f"presence:{room}"
        pipe = store.pipeline()
        pipe.sadd(key, sid).expire(key, 6 * 3600).scard(key)
        return _execute(pipe)
    with _lock:
        readers = _local().setdefault(room, set())
        readers.add(sid)
        return len(readers)


def leave(room, sid):
    """Stop counting `sid` in `room`; returns how many still read it."""
    store = _redis()
    if store is not None:
        key = f"presence:{room}"
        pipe = store.pipeline()
        pipe.srem(key, sid).scard(key)
        return _execute(pipe)
    with _lock:
        rooms = _local()
        readers = rooms.get(room, set())
        readers.discard(sid)
        if not readers:
            rooms.pop(room, None)
        return len(readers)


def count(room):
    """How many read `room` now, or None while Redis is unreachable."""
    store = _redis()
    if store is None:
        return len(_local().get(room, ()))
    return _execute(store.pipeline().scard(f"presence:{room}"))


def _execute(pipe):
    """The count a Redis pipeline ends with, or None while Redis is unreachable (presence is a nicety)."""
    try:
        return pipe.execute()[-1]
    except redis.RedisError:
        log.warning("presence store unreachable", exc_info=True)
        return None
