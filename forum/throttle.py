"""Counting attempts per key (an account, an address) in the rate-limit store."""

import logging
import math
import time

from flask import current_app
from limits import parse
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

log = logging.getLogger(__name__)


def init_app(app):
    """Count attempts in RATELIMIT_STORAGE_URI: memory on the embedded default, Redis in production."""
    storage = storage_from_string(app.config["RATELIMIT_STORAGE_URI"])
    app.extensions["forum_throttle"] = MovingWindowRateLimiter(storage)


def _limiter():
    """This app's moving-window counter."""
    return current_app.extensions["forum_throttle"]


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
    """Count an attempt that is itself the action (a socket event): 0 when allowed, else seconds to wait.

    One round trip to the store instead of a test and a count: it runs on every socket event.
    """
    return _wait(_limiter().hit, config_name, keys)


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
