"""Production deployments for real: gunicorn servers on PostgreSQL and Redis, and the services themselves.

The fault tests start throwaway services of their own (a redis-server, a PostgreSQL cluster from
initdb) on free ports, so that stopping them never disturbs the machine's shared servers.
"""

import fcntl
import os
import shutil
import subprocess
import tempfile
import time
import uuid
from contextlib import contextmanager, suppress
from pathlib import Path

import pytest
import redis
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bench.server import BIN, free_port, gunicorn
from forum.demo import DEMO_PASSWORD
from tests.conftest import PG_ADMIN_URL, new_postgres_database, unavailable
from tests.deploy.clients import ForumClient
from tests.deploy.processes import DemoTemplate

ROOT = Path(__file__).resolve().parents[2]
PG_BIN = Path("/usr/lib/postgresql/15/bin")
THREAD = "National AI compute sharing for universities"

pytestmark = [pytest.mark.postgres, pytest.mark.redis]


class RedisServer:
    """A redis-server of the test's own on a free port, which the test may stop and start again."""

    def __init__(self, workdir):
        self.port = free_port()
        self.workdir = workdir
        self.process = None
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        """Start (again) on the same port and wait until it answers."""
        if shutil.which("redis-server") is None:
            unavailable("redis-server", "not installed")
        command = [
            "redis-server",
            "--port",
            str(self.port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
        ]
        self.process = subprocess.Popen(
            command, cwd=self.workdir, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT
        )
        client = redis.Redis.from_url(self.url)
        for _ in range(100):
            try:
                client.ping()
                return
            except redis.ConnectionError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self):
        """Stop it at once."""
        self.process.terminate()
        self.process.wait(timeout=10)

    def kill(self):
        """Kill it (SIGKILL): no goodbye to its clients, as when its machine dies."""
        self.process.kill()
        self.process.wait(timeout=10)


@pytest.fixture
def own_redis(tmp_path):
    """A throwaway Redis."""
    server = RedisServer(tmp_path)
    server.start()
    yield server
    if server.process.poll() is None:
        server.stop()


class PostgresCluster:
    """A PostgreSQL cluster of the test's own (initdb) on a free port, run as the postgres user."""

    def __init__(self, workdir):
        self.port = free_port()
        self.data = workdir / "pgdata"
        self.socket_dir = workdir / "pgsocket"
        self.url = f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/forum"

    def _as_postgres(self, *command):
        """Run a PostgreSQL tool as the postgres user (initdb refuses root)."""
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        subprocess.run([*prefix, *command], check=True, capture_output=True, timeout=60)

    def create(self):
        """initdb, start, and create the database."""
        if not (PG_BIN / "initdb").exists():
            unavailable("PostgreSQL server binaries", f"{PG_BIN} is missing")
        for folder in (self.data, self.socket_dir):
            folder.mkdir()
            if os.geteuid() == 0:
                shutil.chown(folder, "postgres")
        self._as_postgres(str(PG_BIN / "initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust")
        self.start()
        self._as_postgres(
            str(PG_BIN / "createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "forum"
        )

    def start(self):
        """Start the server and wait until it accepts connections."""
        options = f"-p {self.port} -k {self.socket_dir} -c listen_addresses=127.0.0.1"
        # The server's output goes to its log file: an inherited pipe would keep pg_ctl's caller waiting.
        log = str(self.socket_dir / "server.log")
        self._as_postgres(
            str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-l", log, "-o", options, "-w", "start"
        )

    def stop(self):
        """Stop the server, dropping its connections."""
        self._as_postgres(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")


@pytest.fixture
def own_postgres():
    """A throwaway PostgreSQL cluster with a `forum` database."""
    # Not under pytest's tmp_path: the postgres user cannot enter root's private folders.
    workdir = Path(tempfile.mkdtemp(prefix="forum-pg-"))
    workdir.chmod(0o755)
    cluster = PostgresCluster(workdir)
    cluster.create()
    yield cluster
    with suppress(subprocess.CalledProcessError):
        cluster.stop()
    shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture(scope="session")
def release(tmp_path_factory, worker_id):
    """A release built once per run the documented way (`make release`), shared by the test processes.

    Starting a release writes nothing into it (tests/deploy/test_deploy_release.py), so the processes
    of one run may all start it; the first to need it builds it while the others wait.
    """
    # pytest-xdist gives each process a folder under the run's own; without it the folder is the run's.
    run_folder = tmp_path_factory.getbasetemp()
    run_folder = run_folder.parent if worker_id != "master" else run_folder
    folder = run_folder / "release" / "forum"
    with open(run_folder / "release.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (folder / "release.json").exists():
            built = subprocess.run(
                ["make", "--no-print-directory", "release", f"RELEASE={folder}"],
                cwd=ROOT,
                capture_output=True,
                text=True,
                timeout=600,
            )
            assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    return folder


@pytest.fixture
def shared_postgres_database():
    """A database of its own on the machine's PostgreSQL, dropped afterwards."""
    with new_postgres_database("forum_deploy") as url:
        yield url


def production_env(tmp_path, database_url, redis_url, deployment=None):
    """The environment of a production server: a deployment of its own, mail written to files."""
    dropped = ("DATABASE_URL", "REDIS_URL", "MAIL_SERVER", "FORUM_DEPLOYMENT", "MAIL_OUTBOX_DIR")
    env = {key: value for key, value in os.environ.items() if key not in dropped}
    return {
        **env,
        "FORUM_ENV": "production",
        "FORUM_DEPLOYMENT": deployment or "deploy-test-" + uuid.uuid4().hex[:10],
        "SECRET_KEY": "deploy-test-" + uuid.uuid4().hex,
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "MAIL_OUTBOX_DIR": str(tmp_path / "outbox"),
        "FORUM_INSTANCE_PATH": str(tmp_path),
        "PYTHONUNBUFFERED": "1",
    }


def migrate_and_seed(env):
    """Migrate the database and load the demo data, as an operator would."""
    flask = [str(BIN / "flask"), "--app", "wsgi"]
    for command in (["db", "upgrade"], ["forum", "seed-demo"]):
        done = subprocess.run(
            [*flask, *command], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
        )
        assert done.returncode == 0, done.stdout + done.stderr


@pytest.fixture(scope="session", autouse=True)
def _drop_demo_template():
    """The template lives as long as the test process."""
    yield
    DemoTemplate.drop()


def on_shared_server(database_url):
    """Whether the database is on the machine's PostgreSQL (not a throwaway cluster of the test's own)."""
    url, admin = make_url(database_url), make_url(PG_ADMIN_URL)
    return (url.host, url.port or 5432) == (admin.host, admin.port or 5432)


def prepare(env):
    """The database migrated and loaded with the demo data, as an operator would: a copy of the template
    those commands built on the machine's server, or the commands themselves on another server."""
    if not on_shared_server(env["DATABASE_URL"]):
        migrate_and_seed(env)
        return

    def build(url):
        """Run the operator's commands on the template's database."""
        with tempfile.TemporaryDirectory(prefix="forum-template-") as workdir:
            migrate_and_seed(production_env(Path(workdir), url, os.environ["TEST_REDIS_URL"]))

    DemoTemplate.copy_into(env["DATABASE_URL"], build)


@contextmanager
def server(env, log_path):
    """A production server process (gunicorn, one gevent worker); yields its base URL."""
    with gunicorn("wsgi:app", env, log_path, workers=1, probe="/healthz") as base:
        yield base


def thread_id(database_url):
    """The id of the demo thread the tests write in."""
    engine = create_engine(database_url)
    with engine.connect() as conn:
        found = conn.scalar(text("SELECT id FROM thread WHERE title = :t"), {"t": THREAD})
    engine.dispose()
    return found


def sign_in(base, email="researcher@demo.dialogue.int"):
    """A demo participant signed in on the server at `base`."""
    client = ForumClient(base)
    client.sign_in(email, DEMO_PASSWORD)
    return client
