"""Stopping `make serve` (issue 25, item 6): a SIGTERM to make stops the server within 5 s, sockets open."""

import signal

import pytest
import requests
import socketio

from bench.server import wait_until_up
from tests.deploy.conftest import production_env
from tests.deploy.processes import alive, descendants, make_serve, port_free, wait_for

pytestmark = [pytest.mark.postgres, pytest.mark.redis]


def reader(base, transport):
    """An anonymous reader's Socket.IO connection over `transport`, as a thread page opens it."""
    client = socketio.Client(reconnection=False)
    client.connect(base, transports=[transport], wait_timeout=10)
    return client


@pytest.mark.timeout(600)
def test_sigterm_to_make_serve_stops_every_process_within_5_s_with_sockets_open(
    release, tmp_path, shared_postgres_database, own_redis
):
    env = production_env(tmp_path, shared_postgres_database, own_redis.url)
    with make_serve(env, tmp_path / "serve.log", f"RELEASE={release}") as (process, base, port):
        wait_until_up(f"{base}/healthz", process, seconds=180)
        readers = [reader(base, "websocket"), reader(base, "polling")]
        assert requests.get(f"{base}/livez", timeout=5).status_code == 200
        tree = descendants(process.pid) | {process.pid}
        # make, gunicorn's master and its worker: nothing in between that a signal could miss.
        assert len(tree) == 3, tree

        # A supervisor signals the process it started, make: not its group, not gunicorn.
        process.send_signal(signal.SIGTERM)

        # make is the test's child: poll() reaps it, so that it too counts as gone once it ended.
        gone = wait_for(
            lambda: process.poll() is not None and not any(alive(pid) for pid in tree) and port_free(port), 5
        )
        log = (tmp_path / "serve.log").read_text()
        assert gone, f"still running: {[pid for pid in tree if alive(pid)]}\n{log[-3000:]}"
        # The readers heard the close (their pages reconnect elsewhere), rather than a dropped line.
        assert wait_for(lambda: not any(client.connected for client in readers), 5)
        assert "closed 2 live connections" in log, log[-3000:]
