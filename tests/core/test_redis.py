"""Production wiring on the real Redis: shared sign-in throttling and the Socket.IO message queue."""

import json
import os
import time

import pytest
import redis

from forum.accounts import signin
from forum.extensions import db
from forum.rules import RuleViolation, Throttled
from tests.conftest import make_config

pytestmark = pytest.mark.redis
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
def redis_url(redis_client):
    """The URL of the tests' Redis database, emptied before and after the test."""
    return REDIS_URL


@pytest.fixture
def config_overrides(redis_url):
    """Rate limits in Redis, as in production, for processes of one deployment."""
    return {"RATELIMIT_STORAGE_URI": redis_url, "DEPLOYMENT_NAME": "redis-test"}


def test_failed_sign_ins_are_counted_across_processes(app, participant, redis_url):
    from forum import create_app

    other_process = create_app(make_config(RATELIMIT_STORAGE_URI=redis_url, DEPLOYMENT_NAME="redis-test"))
    with other_process.app_context():
        db.create_all()  # its own empty database: the address is unknown there, and counted the same
    for _ in range(5):
        with app.test_request_context(), pytest.raises(RuleViolation, match="Incorrect"):
            signin.authenticate(participant.email, "wrong password", "198.51.100.7")
    with other_process.test_request_context(), pytest.raises(Throttled) as throttled:
        signin.authenticate(participant.email, "wrong password", "198.51.100.8")
    assert throttled.value.retry_after > 0


def test_events_travel_through_the_redis_message_queue(redis_url):
    from forum import create_app
    from forum.deployment import channel
    from forum.realtime.publish import publish

    app = create_app(make_config(REDIS_URL=redis_url))
    listener = redis.Redis.from_url(redis_url).pubsub(ignore_subscribe_messages=True)
    listener.subscribe(channel(app.config["DEPLOYMENT_NAME"], redis_url))
    with app.app_context():
        publish("registrations", "registrations.changed", {"pending": 3})
    deadline = time.monotonic() + 5
    message = None
    while message is None and time.monotonic() < deadline:
        message = listener.get_message(timeout=0.5)
    listener.close()
    assert message is not None, "nothing was published to Redis"
    body = json.loads(message["data"])
    assert body["event"] == "registrations.changed"
    assert body["data"] == [{"pending": 3, "room": "registrations"}]
    assert body["room"] == "registrations"


def test_presence_is_counted_across_processes(redis_url):
    from forum import create_app
    from forum.realtime import presence

    first, second = (create_app(make_config(REDIS_URL=redis_url)) for _ in range(2))
    with first.app_context():
        assert presence.join("thread:7", "sid-a") == 1
    with second.app_context():
        assert presence.join("thread:7", "sid-b") == 2
        assert presence.leave("thread:7", "sid-a") == 1
    with first.app_context():
        assert presence.leave("thread:7", "sid-b") == 0


def test_a_broadcast_through_redis_lets_other_work_run_between_slices(redis_url):
    from forum.realtime.managers import SLICE, LocalManager, SlicedRedisManager, client_manager

    assert isinstance(client_manager(None, "test"), LocalManager)  # the embedded default's, in process
    manager = client_manager(redis_url, "test")
    assert isinstance(manager, SlicedRedisManager)
    pauses = []
    manager.server = type("Server", (), {"sleep": staticmethod(pauses.append)})()
    for number in range(SLICE * 2 + 7):
        manager.basic_enter_room(f"sid{number}", "/", "session:1", eio_sid=f"eio{number}")
    readers = list(manager.get_participants("/", "session:1"))
    assert len(readers) == SLICE * 2 + 7 and len(set(readers)) == len(readers)
    assert pauses == [0, 0]  # after each full slice


def test_publish_says_whether_the_message_queue_took_the_message(redis_url):
    """python-socketio only logs a message Redis refused; publish() tells its caller, who may try again."""
    from bench.server import free_port
    from forum import create_app
    from forum.realtime.publish import publish

    with create_app(make_config(REDIS_URL=redis_url)).app_context():
        assert publish("session:1", "question.voted", {"counts": []}) is True
    with create_app(make_config(REDIS_URL=f"redis://127.0.0.1:{free_port()}/0")).app_context():
        assert publish("session:1", "question.voted", {"counts": []}) is False


def test_a_session_ended_on_another_process_closes_its_sockets_here(redis_url, caplog):
    """The `session.ended` emit of another process closes this one's sockets of the room, and is logged."""
    import logging

    import socketio

    from forum.realtime.managers import client_manager

    manager = client_manager(redis_url, "test")
    server = socketio.Server(client_manager=manager)
    sent = []
    server._send_packet = lambda eio_sid, packet: sent.append((eio_sid, packet.packet_type))
    server._send_eio_packet = lambda eio_sid, packet: sent.append((eio_sid, "event"))
    sids = [manager.connect(f"eio{n}", "/") for n in range(3)]
    for sid in sids[:2]:
        manager.enter_room(sid, "/", "user:5")
    message = {
        "method": "emit",
        "event": "session.ended",
        "data": [{"kind": "password_change", "user_id": 5, "room": "user:5"}],
        "namespace": "/",
        "room": "user:5",
        "host_id": "another process",
    }
    with caplog.at_level(logging.INFO, logger="forum.security"):
        manager._handle_emit(message)
    assert [manager.is_connected(sid, "/") for sid in sids] == [False, False, True]
    assert ("eio0", "event") in sent and ("eio0", socketio.packet.DISCONNECT) in sent
    [line] = [json.loads(r.message) for r in caplog.records if r.name == "forum.security"]
    assert line == {
        "event": "session.sockets_closed",
        "kind": "password_change",
        "user_id": 5,
        "sockets_closed": 2,
    }
    # Its own emits it has already handled where the session ended.
    manager.enter_room(sids[2], "/", "user:6")
    manager._handle_emit({**message, "room": "user:6", "host_id": manager.host_id})
    assert manager.is_connected(sids[2], "/")
