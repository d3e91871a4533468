"""The client's address in the access log behind nginx (issue 25, item 11), and only a proxy may say it.

Every request comes from a loopback address of its own (127.0.0.2), so that the log cannot show the
right address by chance: nginx itself connects to the app from 127.0.0.1.
"""

import http.client
import ssl
from contextlib import ExitStack
from urllib.parse import urlsplit

import pytest

from bench.server import gunicorn
from tests.deploy.conftest import prepare
from tests.deploy.processes import wait_for
from tests.deploy.test_deploy_documented import documented_env, nginx

pytestmark = [pytest.mark.postgres, pytest.mark.redis]
CLIENT = "127.0.0.2"


def get_from_client_address(base, path, cert=None, headers=None):
    """GET `path` from `base` over a connection from CLIENT's address; returns the status."""
    parts = urlsplit(base)
    if parts.scheme == "https":
        context = ssl.create_default_context(cafile=cert)
        conn = http.client.HTTPSConnection(
            parts.hostname, parts.port, source_address=(CLIENT, 0), context=context
        )
    else:
        conn = http.client.HTTPConnection(parts.hostname, parts.port, source_address=(CLIENT, 0))
    try:
        conn.request("GET", path, headers=headers or {})
        return conn.getresponse().status
    finally:
        conn.close()


def logged_address(log, marker):
    """The address the access log shows for the request whose line contains `marker` (None: not yet)."""
    lines = [line for line in log.read_text().splitlines() if marker in line]
    return lines[0].split(" ", 1)[0] if lines else None


def test_the_access_log_shows_the_client_behind_nginx_and_not_a_forged_one(
    tmp_path, shared_postgres_database, own_redis
):
    env = documented_env(tmp_path, shared_postgres_database, own_redis.url)
    prepare(env)
    log = tmp_path / "app.log"
    with ExitStack() as stack:
        # As make serve runs it: the access log on standard output.
        base = stack.enter_context(
            gunicorn("wsgi:app", env, log, workers=1, probe="/healthz", options=("--access-logfile", "-"))
        )
        front, cert = stack.enter_context(nginx(tmp_path / "nginx", [base.removeprefix("http://")]))

        # Through nginx: a page and a Socket.IO request show the client's address, not nginx's.
        assert get_from_client_address(front, "/threads?page-via-nginx", cert) == 200
        assert get_from_client_address(front, "/socket.io/?EIO=4&transport=polling&t=via-nginx", cert) == 200
        # Straight to the app port from an address that is no proxy: its forged header is not believed.
        forged = {"X-Forwarded-For": "203.0.113.9"}
        assert get_from_client_address(base, "/threads?page-direct", headers=forged) == 200

        for marker in ("page-via-nginx", "t=via-nginx", "page-direct"):
            assert wait_for(lambda m=marker: logged_address(log, m), 10), marker
            assert logged_address(log, marker) == CLIENT, log.read_text()[-2000:]
