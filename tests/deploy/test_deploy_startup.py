"""Several server processes start at once on an empty database: one migrates, the others wait, all serve."""

import os
import signal
import subprocess
from contextlib import ExitStack, contextmanager

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, text

from bench.server import BIN, free_port, wait_until_up
from forum import create_app
from forum.extensions import db
from tests.conftest import make_config
from tests.deploy.conftest import ROOT, production_env

pytestmark = pytest.mark.postgres
PROCESSES = 3


def schema_problems(database_url):
    """What the migrated database lacks or has beyond the models (empty when complete), and its versions."""
    create_app(make_config())  # imports every model into db.metadata
    engine = create_engine(database_url)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), db.metadata)
        versions = conn.scalars(text("SELECT version_num FROM alembic_version")).all()
    engine.dispose()
    return diff, versions


def test_upgrades_started_together_on_an_empty_database_all_succeed(tmp_path, shared_postgres_database):
    """Three `flask db upgrade` at once: each exits 0 and the schema is the models' one, at one version."""
    env = production_env(tmp_path, shared_postgres_database, "")
    command = [str(BIN / "flask"), "--app", "wsgi", "db", "upgrade"]
    upgrades = [
        subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        for _ in range(PROCESSES)
    ]
    outputs = [process.communicate(timeout=120)[0] for process in upgrades]
    assert [process.returncode for process in upgrades] == [0] * PROCESSES, "\n".join(outputs)
    diff, versions = schema_problems(shared_postgres_database)
    assert diff == []
    assert len(versions) == 1


@contextmanager
def make_serve(env, log_path):
    """`make serve` on a free port, as a supervisor starts it; yields its base URL once it answers."""
    port = free_port()
    with open(log_path, "w") as log:
        # A session of its own: make's children (the upgrade, then gunicorn) stop with it.
        process = subprocess.Popen(
            ["make", "--no-print-directory", "serve", "HOST=127.0.0.1", f"PORT={port}"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            yield process, f"http://127.0.0.1:{port}"
        finally:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=30)


@pytest.mark.redis
def test_make_serve_processes_started_together_on_an_empty_database_all_serve(
    tmp_path, shared_postgres_database, own_redis
):
    """Three `make serve` at once, as supervisors start them at boot: all answer, the schema is complete."""
    env = production_env(tmp_path, shared_postgres_database, own_redis.url)
    with ExitStack() as stack:
        servers = [stack.enter_context(make_serve(env, tmp_path / f"serve{n}.log")) for n in range(PROCESSES)]
        for n, (process, base) in enumerate(servers):
            try:
                wait_until_up(f"{base}/healthz", process, seconds=180)
            except RuntimeError as error:
                pytest.fail(f"{error}\n{(tmp_path / f'serve{n}.log').read_text()[-3000:]}")
    diff, versions = schema_problems(shared_postgres_database)
    assert diff == []
    assert len(versions) == 1
