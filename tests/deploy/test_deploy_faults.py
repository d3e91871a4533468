"""Faults: Redis goes away and comes back; PostgreSQL restarts. Nothing is lost, the app recovers alone."""

import time

import pytest
import requests
from sqlalchemy import create_engine, text

from tests.deploy.conftest import prepare, production_env, server, sign_in, thread_id

pytestmark = [pytest.mark.postgres, pytest.mark.redis]


def stored(database_url, body):
    """How many posts with this body the database holds."""
    engine = create_engine(database_url)
    with engine.connect() as conn:
        found = conn.scalar(text("SELECT count(*) FROM post WHERE body = :body"), {"body": body})
    engine.dispose()
    return found


def test_redis_down_posting_works_and_live_updates_come_back(tmp_path, shared_postgres_database, own_redis):
    env = production_env(tmp_path, shared_postgres_database, own_redis.url)
    prepare(env)
    thread = thread_id(shared_postgres_database)
    room = f"thread:{thread}"
    log_b = tmp_path / "b.log"
    with server(env, tmp_path / "a.log") as base_a, server(env, log_b) as base_b:
        reader = sign_in(base_a, "delegate.kenya@demo.dialogue.int")
        reader.connect()
        last = reader.subscribe(room)["last"]
        writer = sign_in(base_b)

        own_redis.stop()
        response = writer.reply(thread, "Posted while Redis is down")
        assert response.status_code == 302
        assert stored(shared_postgres_database, "Posted while Redis is down") == 1
        # Still ready: the load balancer keeps the process, which serves through the blip.
        health = writer.get("/healthz")
        assert (health.status_code, health.json()["status"]) == (200, "degraded")
        assert "Cannot publish to redis" in log_b.read_text()
        # Readers of the writer's own process still hear it; those of the other process cannot.
        assert reader.wait_for(lambda name, payload: name == "post.created", timeout=1) is None

        own_redis.start()
        # The listeners reconnect with a growing delay: post until a live copy crosses again.
        deadline = time.monotonic() + 60
        live = None
        while live is None and time.monotonic() < deadline:
            writer.reply(thread, "After Redis came back")
            live = reader.wait_for(lambda name, payload: name == "post.created", timeout=2)
        assert live is not None, log_b.read_text()[-3000:]
        assert writer.get("/healthz").status_code == 200

        # The reader reconnects with the last event it saw and gets every one it missed, in order.
        reader.close()
        reader.events.clear()
        reader.connect()
        answer = reader.subscribe(room, since=last)
        assert reader.ids("post.created") == list(range(last + 1, answer["last"] + 1))
        first = next(payload for name, payload in reader.events if name == "post.created")
        assert "Posted while Redis is down" in first["html"]
        reader.close()


def test_postgresql_restart_gives_a_503_then_recovers(tmp_path, own_postgres, own_redis):
    env = production_env(tmp_path, own_postgres.url, own_redis.url)
    prepare(env)
    thread = thread_id(own_postgres.url)
    with server(env, tmp_path / "server.log") as base:
        assert requests.get(f"{base}/threads/{thread}", timeout=10).status_code == 200
        user = sign_in(base)
        own_postgres.stop()
        # The thread list asks the database on every request (a thread page may come from the page cache).
        down = requests.get(f"{base}/threads", timeout=10)
        # A signed-in user gets the same page: loading them needs the database too.
        for response in (down, user.get("/threads"), user.get("/notifications")):
            assert response.status_code == 503
            assert response.headers["Retry-After"] == "30"
            assert "Traceback" not in response.text and "psycopg" not in response.text
        assert requests.get(f"{base}/healthz", timeout=10).json() == {
            "status": "unavailable",
            "database": "unavailable",
            "redis": "ok",
        }
        own_postgres.start()
        # The failed requests emptied the pool, and idle connections are checked before use: the first
        # request after the restart succeeds.
        assert requests.get(f"{base}/threads", timeout=10).status_code == 200
        assert requests.get(f"{base}/threads/{thread}", timeout=10).status_code == 200
        assert requests.get(f"{base}/healthz", timeout=10).status_code == 200
        # The outage did not sign anyone out.
        assert user.get("/notifications").status_code == 200
