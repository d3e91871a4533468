"""Security events: one JSON line each, and no field that may hold a secret."""

import json
import logging
import subprocess
import sys

import pytest

from forum.security_log import security_event


def test_an_event_is_one_json_line_on_the_security_logger(caplog):
    """The line names the event and carries its fields."""
    with caplog.at_level(logging.INFO, logger="forum.security"):
        security_event("login.failed", user_id=3, ip="192.0.2.1")
    (record,) = [r for r in caplog.records if r.name == "forum.security"]
    assert json.loads(record.getMessage()) == {"event": "login.failed", "user_id": 3, "ip": "192.0.2.1"}
    assert "\n" not in record.getMessage()


@pytest.mark.parametrize("field", ["password", "csrf_token", "reset_link", "session_cookie", "totp_code"])
def test_a_field_that_may_hold_a_secret_is_refused(field, caplog):
    """A caller that passes a password or a token fails instead of logging it."""
    with caplog.at_level(logging.INFO, logger="forum.security"), pytest.raises(ValueError):
        security_event("login.failed", **{field: "hunter2"})
    assert "hunter2" not in caplog.text


def test_a_server_process_writes_the_events_to_standard_error():
    """With no logging set up (as under gunicorn), an event still reaches standard error as one JSON line."""
    script = (
        "from config import TestConfig; from forum import create_app;"
        "create_app(type('Server', (TestConfig,), {'LOG_LEVEL': 'INFO'}));"
        "from forum.security_log import security_event; security_event('probe.event', user_id=7)"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True
    )
    line = next(line for line in done.stderr.splitlines() if "forum.security" in line)
    assert json.loads(line.split("forum.security ", 1)[1]) == {"event": "probe.event", "user_id": 7}
