"""The upgrade of docs/deploy.md: processes restarted one at a time behind nginx lose no request.

Two `make serve` behind the documented nginx; while a reader loads pages through nginx without pause
and holds a live connection, each process is stopped (SIGTERM, as systemctl restart does) and started
again on its port from the new release, one after the other: the next once nginx serves from the
restarted one again (the docs wait 3 s for it, nginx's fail_timeout being 2 s).
"""

import subprocess
import threading
from contextlib import ExitStack

import pytest
import requests
import socketio

from bench.server import free_port, wait_until_up
from tests.deploy.conftest import ROOT, prepare
from tests.deploy.processes import make_serve, wait_for
from tests.deploy.test_deploy_documented import documented_env, nginx, trusting

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.timeout(600)]


class Reader:
    """Loads a page through nginx again and again in a thread, keeping every status it got."""

    def __init__(self, front, cert):
        """Read `front`'s thread list, verifying TLS with `cert`."""
        self.front, self.session = front, trusting(requests.Session(), cert)
        self.statuses, self.stop = [], threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)

    def run(self):
        """Request until told to stop; a failed connection counts as status 0."""
        while not self.stop.is_set():
            try:
                self.statuses.append(self.session.get(f"{self.front}/threads", timeout=10).status_code)
            except requests.RequestException:
                self.statuses.append(0)


def served_again(log, offset, port):
    """Whether nginx's access log, past `offset`, has a page answered 200 by the process on `port`."""
    with open(log) as lines:
        lines.seek(offset)
        return any(" 200 " in line and line.rstrip().endswith(f"127.0.0.1:{port}") for line in lines)


def test_restarting_the_processes_one_at_a_time_loses_no_request(
    release, tmp_path, shared_postgres_database, own_redis
):
    env = documented_env(tmp_path, shared_postgres_database, own_redis.url)
    prepare(env)
    ports = [free_port(), free_port()]
    processes = [ExitStack() for _ in ports]
    # As the docs lay releases out: systemd starts `make serve` in releases/current, which starts itself.
    (tmp_path / "releases").mkdir()
    (tmp_path / "releases" / "current").symlink_to(release)
    current = tmp_path / "releases" / "current"
    migrated = subprocess.run(
        ["make", "--no-print-directory", "migrate", f"RELEASE={current}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert migrated.returncode == 0, migrated.stdout + migrated.stderr

    def start(n):
        """Start process n on its port from the release, as systemd does, and wait until it is ready."""
        serve = make_serve(env, tmp_path / f"serve{n}.log", port=ports[n], cwd=current)
        process, base, _ = processes[n].enter_context(serve)
        wait_until_up(f"{base}/healthz", process, seconds=180)

    with ExitStack() as stack:
        for n, stack_n in enumerate(processes):
            stack.enter_context(stack_n)
            start(n)
        front, cert = stack.enter_context(nginx(tmp_path / "nginx", [f"127.0.0.1:{p}" for p in ports]))
        log = tmp_path / "nginx" / "access.log"
        live = socketio.Client(reconnection_delay=0.2, http_session=trusting(requests.Session(), cert))
        connects = []
        live.on("connect", lambda: connects.append(1))
        live.connect(front, transports=["websocket"], wait_timeout=10)
        reader = Reader(front, cert)
        reader.thread.start()
        try:
            for n, port in enumerate(ports):
                seen = log.stat().st_size
                processes[n].close()  # systemctl restart: SIGTERM, every process gone, the port free
                start(n)
                # The docs' pause: the next process stops only once nginx serves from this one again.
                assert wait_for(lambda p=port, s=seen: served_again(log, s, p), 30)
        finally:
            reader.stop.set()
            reader.thread.join(timeout=15)
        assert set(reader.statuses) == {200}, [s for s in reader.statuses if s != 200]
        # The live connection's process went away: it reconnected through nginx to the other one.
        assert wait_for(lambda: live.connected and len(connects) >= 2, 15), connects
        live.disconnect()
