"""Processes as an operator sees them: `make serve` started the documented way, its process tree, its port."""

import os
import signal
import socket
import subprocess
import time
from contextlib import ExitStack, contextmanager
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bench.server import free_port
from tests.conftest import PG_ADMIN_URL, new_postgres_database

ROOT = Path(__file__).resolve().parents[2]


def _stat(pid):
    """(parent pid, state letter) of a live process, or None when it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return int(fields[1]), fields[0]


def alive(pid):
    """Whether `pid` runs: a zombie (ended, not yet reaped by whoever adopted it) does not."""
    found = _stat(pid)
    return found is not None and found[1] != "Z"


def descendants(pid):
    """The live processes under `pid` (children, their children, …)."""
    parents = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            found = _stat(entry.name)
            if found is not None and found[1] != "Z":
                parents[int(entry.name)] = found[0]
    tree, frontier = set(), {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - tree
        tree |= frontier
    return tree


def port_free(port):
    """Whether nothing accepts connections on 127.0.0.1:`port`."""
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) != 0


def wait_for(condition, seconds):
    """Poll `condition` until it holds (True) or `seconds` pass (False)."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


@contextmanager
def make_serve(env, log_path, *arguments, port=None, cwd=ROOT):
    """`make serve` on `port` (else a free one), as a supervisor starts it; yields (process, base URL, port).

    Run in `cwd` (the checkout, or a release folder as systemd's WorkingDirectory). Stopped at the end as
    a supervisor stops it: SIGTERM to make, then whatever is left of its tree.
    """
    port = port or free_port()
    with open(log_path, "a") as log:
        process = subprocess.Popen(
            ["make", "--no-print-directory", "serve", "HOST=127.0.0.1", f"PORT={port}", *arguments],
            cwd=cwd,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            # A session of its own: signals meant for the test runner's group never reach it.
            start_new_session=True,
        )
        try:
            yield process, f"http://127.0.0.1:{port}", port
        finally:
            left = descendants(process.pid)
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
            process.wait(timeout=30)
            if not wait_for(lambda: not any(alive(pid) for pid in left), 15):
                for pid in left:
                    if alive(pid):
                        os.kill(pid, signal.SIGKILL)


class DemoTemplate:
    """A database on the machine's PostgreSQL that the operator's commands migrated and seeded, once per
    test process; each test's database is then a copy (CREATE DATABASE … TEMPLATE), made in a moment
    where the commands took two interpreters' start and the whole demo's inserts.

    Kept here, in a module imported once: pytest loads tests/deploy/conftest.py both as `conftest` and,
    for the tests that import from it, as `tests.deploy.conftest`, and the two would each hold a template.
    """

    name = None
    databases = ExitStack()

    @classmethod
    def copy_into(cls, database_url, build):
        """Make `database_url`'s database a copy of the template, which `build(url)` fills the first time."""
        if cls.name is None:
            url = cls.databases.enter_context(new_postgres_database("forum_template"))
            build(url)
            cls.name = make_url(url).database
        admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
        target = make_url(database_url).database
        try:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{target}" WITH (FORCE)'))
                conn.execute(text(f'CREATE DATABASE "{target}" TEMPLATE "{cls.name}"'))
        finally:
            admin.dispose()

    @classmethod
    def drop(cls):
        """Drop the template at the end of the run."""
        cls.databases.close()
        cls.name = None
