"""Socket.IO client managers that hand a large broadcast out in slices, letting other work run between.

A broadcast queues a message for each reader's socket, and under gevent every socket's writer then runs
before anything that became ready after the broadcast began: a vote waiting for its database answer
waited behind a thousand writers (about 90 ms on two cores, bench/vote_storm.py), however few votes
came in. Yielding after each slice of readers lets such work go first, so a broadcast delays it by one
slice at most. The readers still receive every message in order.
"""

import socketio

# Readers per slice: a slice's writers take a few milliseconds, about gevent's switch interval.
SLICE = 50


class _Sliced:
    """Yield to other greenlets after every SLICE participants of a room."""

    def get_participants(self, namespace, room):
        """The room's participants (a copy, so that yielding is safe), pausing after each slice."""
        for count, participant in enumerate(super().get_participants(namespace, room), 1):
            yield participant
            if count % SLICE == 0:
                self.server.sleep(0)


class SlicedManager(_Sliced, socketio.Manager):
    """The in-process manager (the embedded default)."""


class SlicedRedisManager(_Sliced, socketio.RedisManager):
    """The Redis message queue manager (production: several processes share the rooms)."""


def client_manager(redis_url):
    """The manager for an app: through Redis when it has a queue, else in this process."""
    if redis_url:
        return SlicedRedisManager(redis_url, channel="flask-socketio")
    return SlicedManager()
