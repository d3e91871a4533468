"""Two server processes on one PostgreSQL and one Redis: a reader on one sees what is posted on the other."""

import time

import pytest
import requests

from tests.deploy.conftest import prepare, production_env, server, sign_in, thread_id

pytestmark = [pytest.mark.postgres, pytest.mark.redis]


def test_a_reply_through_one_process_reaches_readers_of_the_other(
    tmp_path, shared_postgres_database, own_redis
):
    env = production_env(tmp_path, shared_postgres_database, own_redis.url)
    prepare(env)
    thread = thread_id(shared_postgres_database)
    room = f"thread:{thread}"
    with server(env, tmp_path / "a.log") as base_a, server(env, tmp_path / "b.log") as base_b:
        reader = sign_in(base_a, "delegate.kenya@demo.dialogue.int")
        reader.connect()
        assert reader.subscribe(room)["ok"]
        writer = sign_in(base_b)
        assert writer.reply(thread, "Posted through process B").status_code == 302
        event = reader.wait_for(lambda name, payload: name == "post.created")
        assert event is not None, (tmp_path / "a.log").read_text()[-2000:]
        assert "Posted through process B" in event[1]["html"]
        # Presence crosses processes too: both readers are counted in Redis.
        writer.connect()
        writer.subscribe(room)
        assert reader.wait_for(lambda name, payload: name == "presence" and payload["count"] == 2)
        reader.close()
        writer.close()


def test_a_reader_who_drops_gets_exactly_the_missed_events(tmp_path, shared_postgres_database, own_redis):
    env = production_env(tmp_path, shared_postgres_database, own_redis.url)
    prepare(env)
    thread = thread_id(shared_postgres_database)
    room = f"thread:{thread}"
    with server(env, tmp_path / "a.log") as base_a, server(env, tmp_path / "b.log") as base_b:
        reader = sign_in(base_a, "delegate.kenya@demo.dialogue.int")
        reader.connect()
        last = reader.subscribe(room)["last"]
        writer = sign_in(base_b)
        writer.reply(thread, "Seen live")
        seen = reader.wait_for(lambda name, payload: name == "post.created")
        assert seen[1]["id"] == last + 1
        reader.close()
        for n in range(3):
            writer.reply(thread, f"Missed {n}")
        reader.events.clear()
        reader.connect()
        answer = reader.subscribe(room, since=last + 1)
        assert answer == {"ok": True, "room": room, "last": last + 4}
        assert reader.ids("post.created") == [last + 2, last + 3, last + 4]
        # Ahead of the server (its database was restored from a backup): reload instead of replaying.
        reader.events.clear()
        reader.subscribe(room, since=last + 1000)
        assert reader.wait_for(lambda name, payload: name == "resync", timeout=5) is not None
        reader.close()


def test_a_sign_out_through_one_process_closes_the_sockets_on_the_other(
    tmp_path, shared_postgres_database, own_redis
):
    """The end crosses the message queue: process B closes the socket itself, within a second."""
    env = production_env(tmp_path, shared_postgres_database, own_redis.url)
    prepare(env)
    with server(env, tmp_path / "a.log") as base_a, server(env, tmp_path / "b.log") as base_b:
        moderator = sign_in(base_a, "moderator@demo.dialogue.int")
        # This client ignores `session.ended`, as a hostile one would: only the server can close it.
        moderator.connect(base_b)
        assert moderator.subscribe("moderation")["ok"]
        assert moderator.sign_out().status_code == 302
        signed_out = time.monotonic()
        assert moderator.closed.wait(timeout=10), (tmp_path / "b.log").read_text()[-2000:]
        assert time.monotonic() - signed_out < 1.0
        assert moderator.wait_for(lambda name, payload: name == "session.ended", timeout=5)


def test_two_processes_start_side_by_side_without_an_error(tmp_path, shared_postgres_database, own_redis):
    """Two processes on one machine, as docs/deploy.md runs them, share nothing but the database and Redis.

    Gunicorn 27 opens a control socket at one path per user by default ($XDG_RUNTIME_DIR or
    ~/.gunicorn): each process took it from the one before, and two starting together logged an error.
    The server runs without it.
    """
    home = tmp_path / "home"
    home.mkdir()
    env = {**production_env(tmp_path, shared_postgres_database, own_redis.url), "HOME": str(home)}
    env.pop("XDG_RUNTIME_DIR", None)
    prepare(env)
    logs = (tmp_path / "a.log", tmp_path / "b.log")
    with server(env, logs[0]) as base_a, server(env, logs[1]) as base_b:
        for base in (base_a, base_b):
            assert requests.get(base + "/login", timeout=10).status_code == 200
        # The master opens it before its worker answers, so it would be there by now.
        assert list(home.rglob("*.ctl")) == []
    for log in logs:
        assert "[ERROR]" not in log.read_text(), log.read_text()[-2000:]
