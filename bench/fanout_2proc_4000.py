"""fanout_2proc_4000: a reply posted on one of two server processes reaches 4,000 readers spread over both.

PostgreSQL (a fresh database, dropped afterwards) and the Redis message queue, as in production; two
separate gunicorn servers on two ports (one worker each), not one gunicorn with two workers, because a
Socket.IO client must stay on the process that holds its session (sticky sessions). The bare app is
served on two processes sharing the same Redis queue.
"""

import os
import tempfile
import time
from pathlib import Path

import redis

from bench.dataset import migrate, postgres_database
from bench.fanout import FULL, GOALS, SMOKE, WORKER_CONNECTIONS, prepare, result, run_pair, summary
from bench.posting import build_thread
from bench.server import WORKER_CLASS, server_env

NAME = "fanout_2proc_4000"
READERS = 4000
# A database of its own on the local Redis (the tests use 15, vote_storm 14). Pub/sub channels are
# server-wide, so another run's events may reach these servers; readers count only their round's token.
REDIS_URL = os.environ.get("BENCH_FANOUT_REDIS_URL", "redis://127.0.0.1:6379/13")


def forget_presence(thread_id, deployment):
    """Drop the reader count of the run's deployment for the room in Redis."""
    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.delete(f"forum:{deployment}:presence:thread:{thread_id}")
    finally:
        client.close()


def run(smoke=False):
    """Two forum processes on PostgreSQL and Redis, then two bare ones on Redis, the same readers each."""
    p = {**FULL, **(SMOKE if smoke else {"readers": READERS}), "processes": 2}
    started = time.perf_counter()
    prepare()
    with tempfile.TemporaryDirectory(prefix="forum-bench-") as tmp, postgres_database() as url:
        env = {**server_env(Path(tmp)), "DATABASE_URL": url, "REDIS_URL": REDIS_URL, "SECRET_KEY": "bench"}
        migrate(env)
        thread_id = build_thread(url, p["posts"])
        forget_presence(thread_id, env["FORUM_DEPLOYMENT"])
        bare_env = {**server_env(Path(tmp)), "BENCH_REDIS_URL": REDIS_URL}
        try:
            pairs = run_pair(tmp, [env, env], thread_id, [bare_env, bare_env], p)
        finally:
            forget_presence(thread_id, env["FORUM_DEPLOYMENT"])
    setup = {
        "server": f"two gunicorn servers, each --worker-class {WORKER_CLASS} --workers 1 "
        f"--worker-connections {WORKER_CONNECTIONS}; the reply is posted on the first",
        "database": "postgresql (a fresh database), Socket.IO message queue and rate limits on Redis",
        "redis": REDIS_URL,
        "readers": "anonymous raw websocket clients, the six languages in turn, alternately on each server",
        "poster": "a verified participant signed in through /login, POST /threads/<id>/reply with CSRF",
    }
    return result(NAME, pairs, p, GOALS, setup, smoke, started)


__all__ = ["run", "summary"]
