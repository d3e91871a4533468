"""Presence after a crash: a process's sockets stop counting once it no longer renews them (issue 25)."""

import os

import pytest

from config import Config
from forum import create_app
from forum.realtime import presence
from tests.conftest import make_config

pytestmark = pytest.mark.redis
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
ROOM = "thread:7"


class Clock:
    """A clock the test moves."""

    def __init__(self):
        """Start at an arbitrary second."""
        self.now = 1_000_000.0

    def __call__(self):
        """The time the test has set."""
        return self.now


@pytest.fixture
def processes(redis_client):
    """Two server processes of one deployment on one clock: (first, second, clock)."""
    clock = Clock()
    apps = [create_app(make_config(REDIS_URL=REDIS_URL, DEPLOYMENT_NAME="presence-test")) for _ in range(2)]
    for app in apps:
        with app.app_context():
            presence._presence().clock = clock
    return apps[0], apps[1], clock


def in_app(app, function, *args):
    """Call a presence function as a request of `app` would."""
    with app.app_context():
        return function(*args)


def test_the_sockets_of_a_crashed_process_stop_counting(processes, redis_client):
    crashed, alive, clock = processes
    stale = crashed.config["PRESENCE_STALE_SECONDS"]
    assert in_app(crashed, presence.join, ROOM, "sid-crashed") == 1
    assert in_app(alive, presence.join, ROOM, "sid-alive") == 2
    # The first process dies without a goodbye; the second renews its socket on each heartbeat.
    for _ in range(4):
        clock.now += Config.PRESENCE_HEARTBEAT_SECONDS  # production's (the tests' own beat is off)
        in_app(alive, presence.beat)
    assert clock.now - 1_000_000 > stale
    assert in_app(alive, presence.count, ROOM) == 1
    assert redis_client.zrange(f"forum:presence-test:presence:{ROOM}", 0, -1) == [b"sid-alive"]


def test_a_socket_counts_until_it_is_stale_and_the_room_key_expires_by_itself(processes, redis_client):
    first, _second, clock = processes
    stale = first.config["PRESENCE_STALE_SECONDS"]
    in_app(first, presence.join, ROOM, "sid-a")
    clock.now += stale
    assert in_app(first, presence.count, ROOM) == 1
    clock.now += 1
    assert in_app(first, presence.count, ROOM) == 0
    # Joins no longer keep the key for hours: it lives twice the stale time after its last renewal.
    in_app(first, presence.join, ROOM, "sid-b")
    assert 0 < redis_client.ttl(f"forum:presence-test:presence:{ROOM}") <= 2 * stale


def test_a_heartbeat_puts_the_sockets_back_after_redis_lost_them(processes, redis_client):
    first, second, _clock = processes
    in_app(first, presence.join, ROOM, "sid-a")
    in_app(second, presence.join, "session:3", "sid-b")
    redis_client.flushdb()  # Redis restarted without persistence
    assert in_app(first, presence.count, ROOM) == 0
    for app in (first, second):
        in_app(app, presence.beat)
    assert in_app(first, presence.count, ROOM) == 1
    assert in_app(first, presence.count, "session:3") == 1
    # A socket that left is not put back.
    in_app(first, presence.leave, ROOM, "sid-a")
    in_app(first, presence.beat)
    assert in_app(second, presence.count, ROOM) == 0
