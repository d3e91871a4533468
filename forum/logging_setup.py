"""Logging, configured once for the process: readable lines in development, one JSON object per line in
production (LOG_FORMAT), every line with the id of the request, socket event or background job it belongs to.

`configure(fmt)` installs one handler on the root logger (standard error); the application's loggers,
the security events (forum.security_log) and gunicorn's error and access logs (gunicorn.conf.py) all go
through it. A request's id is the X-Request-ID its trusted proxy sent (forum.proxies drops the header
from anyone else), else a new one; the response carries it back. A socket event gets an id of its own
when it first logs; background work (worker jobs, the publisher's batches) runs under `job_id()`.
"""

import contextvars
import json
import logging
import re
import sys
import uuid
from contextlib import contextmanager
from datetime import UTC, datetime

from flask import has_request_context, request

HEADER = "X-Request-ID"
# What an id taken from a proxy may look like: nginx's $request_id is 32 hex digits.
PROXY_ID = re.compile(r"[A-Za-z0-9._-]{1,128}")
TEXT_FORMAT = "%(asctime)s %(levelname)s [%(request_id)s] %(name)s %(message)s"
_job = contextvars.ContextVar("forum_job_id", default=None)


def new_id():
    """A fresh id: 32 hex digits, like nginx's $request_id."""
    return uuid.uuid4().hex


def current_id():
    """The id of the job, request or socket event under way ("-" outside of them)."""
    job = _job.get()
    if job is not None:
        return job
    if not has_request_context():
        return "-"
    found = getattr(request, "request_id", None)
    if found is None:
        # A socket event (each has a request context of its own) or a request logging before its hook ran.
        found = request.request_id = new_id()
    return found


@contextmanager
def job_id(value=None):
    """Run background work under an id (`value`, e.g. the id of the request that handed it over, or new)."""
    token = _job.set(value or new_id())
    try:
        yield _job.get()
    finally:
        _job.reset(token)


class RequestIdFilter(logging.Filter):
    """Stamp every record with the current id."""

    def filter(self, record):
        """Add `request_id` to the record, keeping one set by the caller."""
        if not hasattr(record, "request_id"):
            record.request_id = current_id()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, request id, and the message or the record's `fields`."""

    def format(self, record):
        """The record as one line of JSON; a traceback goes in `exception`, escaped onto the line."""
        line = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "request_id": getattr(record, "request_id", None) or current_id(),
        }
        fields = getattr(record, "fields", None)
        if isinstance(fields, dict):
            line.update({key: value for key, value in fields.items() if key not in line})
        else:
            line["message"] = record.getMessage()
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, default=str, ensure_ascii=False)


class _StandardError(logging.StreamHandler):
    """A handler writing to whatever sys.stderr is when a line is written (test runners replace it)."""

    def __init__(self):
        super().__init__(sys.stderr)

    @property
    def stream(self):
        """The current standard error."""
        return sys.stderr

    @stream.setter
    def stream(self, value):
        """Ignored: the stream is always the current standard error."""


def formatter(fmt):
    """The formatter of LOG_FORMAT `fmt` ("json" or "text")."""
    return JsonFormatter() if fmt == "json" else logging.Formatter(TEXT_FORMAT)


def dress(handler, fmt):
    """Give `handler` (ours, or one of gunicorn's) the format and the request id."""
    handler.setFormatter(formatter(fmt))
    if not any(isinstance(f, RequestIdFilter) for f in handler.filters):
        handler.addFilter(RequestIdFilter())
    return handler


def configure(fmt="text", level="INFO"):
    """Install the process's one log handler on the root logger (again: replaced, never doubled)."""
    root = logging.getLogger()
    for handler in [h for h in root.handlers if isinstance(h, _StandardError)]:
        root.removeHandler(handler)
    root.addHandler(dress(_StandardError(), fmt))
    root.setLevel(level)
    # Alembic announces each of its plugins at INFO whenever the app starts: seven lines of noise.
    logging.getLogger("alembic.runtime.plugins").setLevel(max(logging.WARNING, root.level))


def init_app(app):
    """Configure logging from LOG_FORMAT and LOG_LEVEL; give each request its id, echoed in the response."""
    configure(app.config["LOG_FORMAT"], app.config["LOG_LEVEL"])
    # Only a proxy's header is believed: without proxies (TRUSTED_PROXIES=0) nothing removes a client's.
    from_proxy = str(app.config.get("TRUSTED_PROXIES", "0")).strip() not in ("", "0")

    @app.before_request
    def _request_id():
        """Take the proxy's id for this request, else make one."""
        given = request.headers.get(HEADER, "") if from_proxy else ""
        request.request_id = given if PROXY_ID.fullmatch(given) else new_id()

    @app.after_request
    def _echo_request_id(response):
        """Tell the client (and the proxy's log) the id this request was logged under."""
        response.headers[HEADER] = current_id()
        return response
