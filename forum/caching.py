"""Process caches: bounded, least recently used first out, optionally aged, and single-flight.

Single-flight: when several requests miss the same key at once, one makes the value and the others
wait for it instead of making it too (on a busy day a new reply changes a key that hundreds of
readers want in the same second). Under gevent the lock and events are cooperative.
"""

import time
from collections import OrderedDict
from threading import Event, Lock

# A waiter gives up on a slow maker after this long and makes the value itself.
WAIT_SECONDS = 5.0


class _Flight:
    """One value being made: the event its waiters wait on, then the value."""

    def __init__(self):
        self.done = Event()
        self.ok = False
        self.value = None


class SingleFlightCache:
    """At most `size` values, each kept `seconds` at most (None: until pushed out); one maker per key."""

    def __init__(self, size, seconds=None, clock=time.monotonic):
        self.size, self.seconds, self.clock = size, seconds, clock
        self.entries = OrderedDict()
        self.flights = {}
        self.lock = Lock()

    def _fresh(self, key):
        """The value kept for `key` if any and young enough (call with the lock held); else a miss marker."""
        found = self.entries.get(key)
        if found is None or (self.seconds is not None and self.clock() - found[0] >= self.seconds):
            return _MISS
        self.entries.move_to_end(key)
        return found[1]

    def get(self, key, make):
        """The value for `key`: kept, made by a request already making it, or made now by `make()`."""
        with self.lock:
            value = self._fresh(key)
            if value is not _MISS:
                return value
            flight = self.flights.get(key)
            leader = flight is None
            if leader:
                flight = self.flights[key] = _Flight()
        if not leader:
            if flight.done.wait(WAIT_SECONDS) and flight.ok:
                return flight.value
            return make()
        try:
            value = make()
            self.put(key, value)
            flight.value, flight.ok = value, True
            return value
        finally:
            with self.lock:
                self.flights.pop(key, None)
            flight.done.set()

    def peek(self, key):
        """The value kept for `key` if it is young enough, else None; nothing is made."""
        with self.lock:
            value = self._fresh(key)
        return None if value is _MISS else value

    def put(self, key, value):
        """Keep `value` for `key` from now on, pushing out the least recently used beyond the size."""
        with self.lock:
            self.entries[key] = (self.clock(), value)
            self.entries.move_to_end(key)
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)

    def clear(self):
        """Forget every value."""
        with self.lock:
            self.entries.clear()


_MISS = object()


class Caches:
    """The app's process caches by name, so that each is made once and all are bounded."""

    def __init__(self, clock=time.monotonic):
        self.caches = {}
        self.lock = Lock()
        # Tests set it before the first use of a cache to age its values without waiting.
        self.clock = clock

    def named(self, name, size, seconds=None):
        """The cache called `name`, made with this size and age limit on first use."""
        cache = self.caches.get(name)
        if cache is None:
            with self.lock:
                cache = self.caches.setdefault(name, SingleFlightCache(size, seconds, self.clock))
        return cache

    def clear(self):
        """Forget every value of every cache (tests, and after a change no key can see)."""
        for cache in list(self.caches.values()):
            cache.clear()


def init_app(app):
    """Give the app its registry of process caches."""
    app.extensions["forum_caches"] = Caches()
