"""Security events: one structured line each on the `forum.security` logger, never a secret in it.

Features call `security_event("login.failed", user_id=3, ip="…")`; the line is a JSON object with the
event's name and its fields. Field names that may hold secrets (passwords, tokens, links, cookies) are
refused outright, so that a careless caller fails in tests instead of writing one to a log. The lines go
through the process's one log configuration (forum.logging_setup), with the request's id.
"""

import json
import logging

log = logging.getLogger("forum.security")
FORBIDDEN = ("password", "token", "secret", "link", "cookie", "code")


def security_event(name, **fields):
    """Log one security event as a JSON line; raises ValueError for a field that may hold a secret."""
    for key in fields:
        if any(word in key.lower() for word in FORBIDDEN):
            raise ValueError(f"security events never carry {key!r}")
    event = {"event": name, **fields}
    line = json.dumps(event, default=str, ensure_ascii=False, sort_keys=True)
    # Under LOG_FORMAT=json (forum.logging_setup) the fields join the log line's own object.
    log.info(line, extra={"fields": event})
    return line
