"""Counting attempts per key (an account, an address) in the rate-limit store, or in this process."""

import logging
import math
import threading
import time

from flask import current_app
from limits import parse
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

from forum.deployment import prefix

log = logging.getLogger(__name__)


def init_app(app):
    """Count attempts in RATELIMIT_STORAGE_URI: memory on the embedded default, Redis in production.

    In Redis the counts live under the deployment's prefix (forum.deployment), as every key does.
    """
    uri = app.config["RATELIMIT_STORAGE_URI"]
    options = {"key_prefix": prefix(app) + "limits"} if uri.startswith(("redis://", "rediss://")) else {}
    storage = storage_from_string(uri, **options)
    app.extensions["forum_throttle"] = MovingWindowRateLimiter(storage)
    app.extensions["forum_throttle_here"] = Buckets()


def _limiter():
    """This app's moving-window counter in the shared store."""
    return current_app.extensions["forum_throttle"]


class Buckets:
    """Token buckets in this process's memory: constant time per attempt, and no timer.

    A limit of N per period allows N at once, then one more each period/N. The limits package's memory
    store sweeps every key a hundred times a second, which took a third of a server's time in the vote
    storm (bench/vote_storm.py). Keys whose bucket has filled up again are dropped once there are many.
    """

    KEPT = 10_000

    def __init__(self, clock=time.monotonic):
        self.lock = threading.Lock()
        self.levels = {}
        self.clock = clock

    def take(self, item, key):
        """Take a token for `key` under `item` (a parsed limit): 0 when allowed, else seconds to wait."""
        size, rate, now = item.amount, item.amount / item.get_expiry(), self.clock()
        with self.lock:
            if len(self.levels) >= self.KEPT:
                self.levels = {k: v for k, v in self.levels.items() if v[0] + (now - v[1]) * v[2] < v[3]}
            tokens, then, _rate, _size = self.levels.get(key, (size, now, rate, size))
            tokens = min(size, tokens + (now - then) * rate)
            allowed = tokens >= 1
            self.levels[key] = (tokens - allowed, now, rate, size)
        return 0 if allowed else max(1, math.ceil((1 - tokens) / rate))


def _item(config_name):
    """The limit named by a config key, such as "5 per 15 minutes"."""
    return parse(current_app.config[config_name])


def _wait(allowed, config_name, keys):
    """0 when `allowed(item, ...)` says yes, else the seconds until the window lets `keys` in again.

    When the store is unreachable (Redis restarting) the limit is not enforced, and the log says so:
    signing in and posting matter more during a blip than counting attempts.
    """
    item = _item(config_name)
    try:
        if allowed(item, config_name, *keys):
            return 0
        reset_at = _limiter().get_window_stats(item, config_name, *keys).reset_time
    except Exception:  # the store's client raises its own connection errors
        log.warning("rate-limit store unreachable: %s not enforced", config_name, exc_info=True)
        return 0
    return max(1, math.ceil(reset_at - time.time()))


def retry_after(config_name, *keys):
    """Seconds until `keys` may try again under the limit `config_name`; 0 when allowed now."""
    return _wait(_limiter().test, config_name, keys)


def attempt(config_name, *keys):
    """Count an attempt that is itself the action: 0 when allowed, else seconds to wait.

    One round trip to the store instead of a test and a count.
    """
    return _wait(_limiter().hit, config_name, keys)


def attempt_here(config_name, *keys):
    """Count an attempt in this process only (a token bucket): 0 when allowed, else seconds to wait.

    For socket events: a socket stays on the process it connected to, and so, behind the proxy's sticky
    sessions, do a user's other sockets, so the process that would bear a flood counts it exactly. The
    shared store would cost a round trip on every event (a sixteenth of the server's time in the vote
    storm, bench/vote_storm.py).
    """
    return current_app.extensions["forum_throttle_here"].take(
        _item(config_name), f"{config_name}:{':'.join(keys)}"
    )


def record(config_name, *keys):
    """Count one attempt for `keys` under the limit `config_name` (not counted while the store is down)."""
    try:
        _limiter().hit(_item(config_name), config_name, *keys)
    except Exception:
        log.warning("rate-limit store unreachable: %s attempt not counted", config_name, exc_info=True)


def reset(config_name, *keys):
    """Forget the attempts counted for `keys`, e.g. after a successful sign-in."""
    try:
        _limiter().clear(_item(config_name), config_name, *keys)
    except Exception:
        log.warning("rate-limit store unreachable: %s not reset", config_name, exc_info=True)
