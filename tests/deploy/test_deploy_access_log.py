"""The client's address in the access log behind nginx (issue 25, item 11), and only a proxy may say it;
in production every line of the process's log is one JSON object with the request's id (issue 19).

Every request comes from a loopback address of its own (127.0.0.2), so that the log cannot show the
right address by chance: nginx itself connects to the app from 127.0.0.1.
"""

import http.client
import json
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
SOCKET_IO = "/socket.io/?EIO=4&transport=polling"


def get_from_client_address(base, path, cert=None, headers=None):
    """GET `path` from `base` over a connection from CLIENT's address; returns (status, X-Request-ID)."""
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
        response = conn.getresponse()
        return response.status, response.getheader("X-Request-ID")
    finally:
        conn.close()


def access_line(log, marker):
    """The access log's object for the request whose query contains `marker` (None: not yet)."""
    for line in log.read_text().splitlines():
        entry = json.loads(line)
        if entry["logger"] == "gunicorn.access" and marker in entry["query"]:
            return entry
    return None


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
        ids = {
            "page-via-nginx": get_from_client_address(front, "/threads?page-via-nginx", cert),
            "t=via-nginx": get_from_client_address(
                front, "/socket.io/?EIO=4&transport=polling&t=via-nginx", cert
            ),
        }
        # Straight to the app port from an address that is no proxy: its forged headers are not believed.
        forged = {"X-Forwarded-For": "203.0.113.9", "X-Request-ID": "forged"}
        ids["page-direct"] = get_from_client_address(base, "/threads?page-direct", headers=forged)
        assert {status for status, _id in ids.values()} == {200}

        for marker, (_status, request_id) in ids.items():
            assert wait_for(lambda m=marker: access_line(log, m), 10), marker
            entry = access_line(log, marker)
            assert entry["remote_addr"] == CLIENT, log.read_text()[-2000:]
            if marker != "t=via-nginx":  # Socket.IO's requests never reach Flask, which names the id
                assert entry["request_id"] == request_id and request_id != "forged"
        # Every line the process wrote (gunicorn's, the app's) is one JSON object with a request id field.
        assert all("request_id" in json.loads(line) for line in log.read_text().splitlines())
