"""The connection budget checked against a real PostgreSQL at start (issue 25, item 11)."""

import subprocess

import pytest

from bench.server import BIN
from forum.connections import SPARE
from tests.deploy.conftest import ROOT, production_env

pytestmark = [pytest.mark.postgres, pytest.mark.redis]


def max_connections(database_url):
    """The server's max_connections and reserved slots, as psql would show them."""
    from sqlalchemy import create_engine

    from forum.connections import server_limits

    engine = create_engine(database_url)
    try:
        return server_limits(engine)
    finally:
        engine.dispose()


def check(env, **settings):
    """`flask --app wsgi forum check-connections` with some settings; returns (exit code, output)."""
    done = subprocess.run(
        [str(BIN / "flask"), "--app", "wsgi", "forum", "check-connections"],
        cwd=ROOT,
        env={**env, **settings},
        capture_output=True,
        text=True,
        timeout=60,
    )
    return done.returncode, done.stdout + done.stderr


def test_the_check_passes_within_max_connections_and_refuses_beyond(
    tmp_path, shared_postgres_database, own_redis
):
    env = production_env(tmp_path, shared_postgres_database, own_redis.url)
    allowed, reserved = max_connections(shared_postgres_database)
    available = allowed - reserved
    # The most processes of 20 + 20 connections that fit, and one more.
    fitting = (available - SPARE) // 40
    assert fitting >= 1, "this PostgreSQL allows too few connections for one process"

    code, output = check(env, FORUM_PROCESSES=str(fitting))
    assert code == 0, output
    assert f"FORUM_PROCESSES={fitting} × 40" in output and f"PostgreSQL allows {available}" in output

    code, output = check(env, FORUM_PROCESSES=str(fitting + 1))
    assert code == 1
    assert "PostgreSQL connection budget exceeded" in output and f"max_connections={allowed}" in output

    # Behind PgBouncer the server's limit is not the app's: the operator may ask for a warning only.
    code, output = check(env, FORUM_PROCESSES=str(fitting + 1), DATABASE_CONNECTIONS_CHECK="warn")
    assert code == 0 and "Warning: PostgreSQL connection budget exceeded" in output

    # A smaller pool makes room for more processes.
    code, output = check(
        env, FORUM_PROCESSES=str(fitting + 1), DATABASE_POOL_SIZE="5", DATABASE_MAX_OVERFLOW="5"
    )
    assert code == 0, output


@pytest.mark.timeout(600)
def test_make_serve_refuses_to_start_past_the_budget(release, tmp_path, shared_postgres_database, own_redis):
    env = production_env(tmp_path, shared_postgres_database, own_redis.url)
    done = subprocess.run(
        ["make", "--no-print-directory", "serve", f"RELEASE={release}", "PORT=1"],
        cwd=ROOT,
        env={**env, "FORUM_PROCESSES": "1000"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode != 0
    assert "PostgreSQL connection budget exceeded" in done.stderr
    assert "FORUM_PROCESSES=1000 × 40" in done.stderr
