"""The database driver cooperates with gevent: slow queries of one process do not block each other."""

import subprocess
import sys

import pytest

from tests.conftest import PG_ADMIN_URL

pytestmark = pytest.mark.postgres

# Run in a child process: monkey-patching must come first, and must not touch the test process.
SCRIPT = """
from gevent import monkey; monkey.patch_all()
import sys, time, gevent
from sqlalchemy import create_engine, text
engine = create_engine(sys.argv[1], pool_size=10)
def slow():
    with engine.connect() as conn:
        conn.execute(text("SELECT pg_sleep(0.5)"))
with engine.connect() as conn:
    conn.execute(text("SELECT 1"))
start = time.monotonic()
gevent.joinall([gevent.spawn(slow) for _ in range(10)])
print(round(time.monotonic() - start, 3))
"""


def test_ten_half_second_queries_take_about_half_a_second():
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, PG_ADMIN_URL], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    elapsed = float(done.stdout.strip())
    # Serialised, they would take 5 s; cooperating, a little over 0.5 s.
    assert elapsed < 1.5, elapsed
