"""Security events: one structured line each on the `forum.security` logger, never a secret in it.

Features call `security_event("login.failed", user_id=3, ip="…")`; the line is a JSON object with the
event's name and its fields. Field names that may hold secrets (passwords, tokens, links, cookies) are
refused outright, so that a careless caller fails in tests instead of writing one to a log.
"""

import json
import logging
import sys

log = logging.getLogger("forum.security")
FORBIDDEN = ("password", "token", "secret", "link", "cookie", "code")


def security_event(name, **fields):
    """Log one security event as a JSON line; raises ValueError for a field that may hold a secret."""
    for key in fields:
        if any(word in key.lower() for word in FORBIDDEN):
            raise ValueError(f"security events never carry {key!r}")
    line = json.dumps({"event": name, **fields}, default=str, ensure_ascii=False, sort_keys=True)
    log.info(line)
    return line


def init_app(app):
    """Make the events reach the process's standard error, one line each, unless logging is set up already.

    Python drops INFO lines when nothing is configured; gunicorn and `make run` keep standard error.
    """
    if log.handlers or logging.getLogger().handlers:
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(message)s"))
    log.addHandler(handler)
    log.setLevel(logging.INFO)
