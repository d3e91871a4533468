"""The Socket.IO client manager of production: hands a large broadcast out in slices.

A broadcast queues a message for each reader's socket, and under gevent every socket's writer then runs
before anything that became ready after the broadcast began: a vote waiting for its database answer
waited behind a thousand writers (about 90 ms on two cores, bench/vote_storm.py), however few votes
came in. Yielding after each slice of readers lets such work go first, so a broadcast delays it by one
slice at most.

Only through the Redis queue: there, one listener per process hands out the messages one after the
other, so readers still receive them in order. The in-process manager of the embedded default emits
from whichever greenlet publishes, and two sliced broadcasts could interleave; it is left as it is.
"""

import socketio

# Readers per slice: a vote needs several turns of the loop (its frame read, its handler, the database's
# answer, its acknowledgement), and each may wait for a slice. At 10 rather than 50, a slice's writers take
# well under a millisecond: vote_storm's p95 fell from 31-59 ms to 24-30 ms in seven runs of each, for the
# same CPU per vote (bench/README.md).
SLICE = 10


class SlicedRedisManager(socketio.RedisManager):
    """The Redis message queue manager, yielding to other greenlets after every SLICE readers."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Messages Redis did not take: python-socketio logs them and carries on, and a caller may want
        # to try again (forum.realtime.publish.publish).
        self.unsent = 0

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


def client_manager(redis_url):
    """The manager for an app: sliced through Redis when it has a queue, else None (in process)."""
    return SlicedRedisManager(redis_url, channel="flask-socketio") if redis_url else None
