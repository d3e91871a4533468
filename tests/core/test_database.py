"""Pooled connections are checked before use only after sitting idle (forum.database.ping_when_idle)."""

import time

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from forum.database import ping_when_idle

pytestmark = pytest.mark.postgres


@pytest.fixture
def pool(postgres_url):
    """make(seconds): one pooled connection to the real PostgreSQL server, checked after `seconds` idle."""
    engines = []

    def make(seconds):
        engine = create_engine(postgres_url, pool_size=1, max_overflow=0)
        ping_when_idle(engine, seconds)
        engines.append(engine)
        return engine

    yield make
    for engine in engines:
        engine.dispose()


def backend_of(engine):
    """The server process of the pool's connection."""
    with engine.connect() as conn:
        return conn.scalar(text("SELECT pg_backend_pid()"))


def kill(engine, pid):
    """End a server process from another connection, as a database restart would."""
    killer = create_engine(engine.url)
    with killer.connect() as conn:
        conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    killer.dispose()


def test_a_connection_idle_long_enough_is_checked_and_replaced(pool):
    engine = pool(0.3)
    first = backend_of(engine)
    kill(engine, first)
    time.sleep(0.4)
    with engine.connect() as conn:
        assert conn.scalar(text("SELECT pg_backend_pid()")) not in (None, first)


def test_a_connection_in_steady_use_is_not_checked(pool):
    engine = pool(60)
    first = backend_of(engine)
    kill(engine, first)
    # Back in the pool a moment ago: used without a check, so the lost connection shows once.
    with pytest.raises(OperationalError), engine.connect() as conn:
        conn.execute(text("SELECT 1"))
    # The error emptied the pool: the next use gets a new connection.
    with engine.connect() as conn:
        assert conn.scalar(text("SELECT pg_backend_pid()")) != first
