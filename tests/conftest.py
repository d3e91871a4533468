"""Fixtures: the app on SQLite and on PostgreSQL, clients, users by role, sign-in helpers."""

import os
import time
import uuid
from contextlib import contextmanager, suppress
from urllib.parse import urlsplit, urlunsplit

import pytest
import redis
from flask.testing import FlaskClient
from jinja2 import BytecodeCache
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from config import TestConfig
from forum import create_app
from forum.accounts import services as accounts
from forum.extensions import db as _db
from forum.extensions import socketio
from tests.totp_codes import SECRET_ON_PAGE

IN_CI = os.environ.get("CI") == "true"
PG_ADMIN_URL = os.environ.get("TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
PASSWORD = "correct horse battery staple"


REDIS_SERVER = "redis://127.0.0.1:6379"
# Databases a test process may claim (the benchmarks' own defaults, 13 and 14, and 0 left out), and the
# key in database 0 that marks each one taken while a test process uses it.
CLAIMABLE = (15, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1)
CLAIM = "forum-tests:redis-db:{}"
CLAIM_SECONDS = 3 * 3600


def pytest_configure(config):
    """Each test process tests against a Redis database of its own (TEST_REDIS_URL).

    Tests that use Redis empty their database: processes sharing one would empty each other's, whether
    they are the workers of one run (`make test` runs two) or of two runs on one machine. Without a
    TEST_REDIS_URL given, each process claims a free database for itself; with one, the workers take it
    and the databases below it. PostgreSQL needs nothing: each process makes databases of its own.
    """
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    given = os.environ.get("TEST_REDIS_URL")
    if given:
        if worker:
            parts = urlsplit(given)
            database = int(parts.path.strip("/") or 0) - int(worker.removeprefix("gw"))
            os.environ["TEST_REDIS_URL"] = urlunsplit(parts._replace(path=f"/{database}"))
        return
    if worker is None and config.getoption("numprocesses", None):
        return  # the controller of an xdist run tests nothing: its workers claim theirs
    claimed = _claim_redis_database()
    os.environ["TEST_REDIS_URL"] = f"{REDIS_SERVER}/{claimed if claimed is not None else CLAIMABLE[0]}"
    config._forum_redis_claim = claimed


def pytest_unconfigure(config):
    """Give the claimed Redis database back."""
    claimed = getattr(config, "_forum_redis_claim", None)
    if claimed is not None:
        with suppress(redis.RedisError):
            redis.Redis.from_url(f"{REDIS_SERVER}/0").delete(CLAIM.format(claimed))


def _claim_redis_database():
    """The number of a database no other test process holds, now held by this one; None without Redis.

    A claim expires after CLAIM_SECONDS, so a run that was killed frees its database in the end.
    """
    client = redis.Redis.from_url(f"{REDIS_SERVER}/0")
    try:
        for database in CLAIMABLE:
            if client.set(CLAIM.format(database), os.getpid(), nx=True, ex=CLAIM_SECONDS):
                return database
    except redis.RedisError:
        return None  # the tests that need Redis say that it is not reachable
    finally:
        client.close()
    raise pytest.UsageError("every Redis database the tests may use is taken by other test runs")


def unavailable(what, error):
    """A missing real service fails the run in CI and skips the test elsewhere."""
    message = f"{what} is not reachable: {error}"
    if IN_CI:
        pytest.fail(message + " (CI requires it)")
    pytest.skip(message)


@contextmanager
def new_postgres_database(prefix):
    """A database of its own on the real PostgreSQL server, dropped afterwards; yields its URL."""
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except OperationalError as error:
        unavailable("PostgreSQL", error)
    yield make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def postgres_url():
    """A database created for this run on the real PostgreSQL server, dropped at the end."""
    with new_postgres_database("forum_test") as url:
        yield url


class IsolatedClient(FlaskClient):
    """Each request gets its own app context, as in production, although the test holds one open.

    Flask reuses an already pushed context of the same app, which would share `g` (and the signed-in
    user Flask-Login caches there) and the database session between requests.
    """

    def open(self, *args, **kwargs):
        """Run the request in a fresh app context."""
        with self.application.app_context():
            return super().open(*args, **kwargs)


class IsolatedSocket:
    """A Socket.IO test client whose every call runs in a fresh app context, like IsolatedClient."""

    def __init__(self, app, client, **kwargs):
        self._app = app
        with app.app_context():
            self._client = socketio.test_client(app, flask_test_client=client, **kwargs)

    def __getattr__(self, name):
        attribute = getattr(self._client, name)
        if not callable(attribute):
            return attribute

        def call(*args, **kwargs):
            """Forward the call inside a fresh app context."""
            with self._app.app_context():
                return attribute(*args, **kwargs)

        return call


class CompiledTemplates(BytecodeCache):
    """Templates compiled once for the whole run: every test builds its own app, hence its own Jinja
    environment, and compiled the same templates again (tests/accounts + tests/threads: 80 → 75 s).

    Kept by template and source checksum, so an edited template is compiled again.
    """

    def __init__(self):
        self.code = {}

    def load_bytecode(self, bucket):
        """Hand the bucket the code compiled earlier from the same source, if any."""
        bucket.code = self.code.get((bucket.key, bucket.checksum))

    def dump_bytecode(self, bucket):
        """Keep what was just compiled."""
        self.code[(bucket.key, bucket.checksum)] = bucket.code


TEMPLATES = CompiledTemplates()


def make_config(**overrides):
    """TestConfig with some settings changed."""
    return type("CustomTestConfig", (TestConfig,), overrides)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def backend(request):
    """Each test that uses the app runs once on SQLite and once on PostgreSQL."""
    return request.param


@pytest.fixture
def config_overrides():
    """Settings a test module changes, e.g. a past registration deadline."""
    return {}


@pytest.fixture
def app(request, backend, config_overrides):
    """The application with empty tables, its app context pushed for the test."""
    overrides = dict(config_overrides)
    if backend == "postgres":
        overrides["SQLALCHEMY_DATABASE_URI"] = request.getfixturevalue("postgres_url")
    application = create_app(make_config(**overrides))
    application.test_client_class = IsolatedClient
    application.jinja_env.bytecode_cache = TEMPLATES
    with application.app_context():
        _db.create_all()
        yield application
        _vote_counts_settled(application)
        _db.session.remove()
        if backend == "postgres":
            with _db.engine.begin() as conn:
                conn.execute(_emptied())
        else:
            _db.drop_all()
        _db.engine.dispose()


def _emptied():
    """One statement that empties every table and starts every id sequence again at 1.

    DELETE, children first, rather than TRUNCATE: on the few rows a test leaves, 3 ms against 250 ms
    (TRUNCATE makes new files for every table and index), after each of the PostgreSQL tests. The audit
    trail refuses DELETE (forum.audit), so it alone is truncated, when it holds rows.
    """
    tables = [table.name for table in reversed(_db.metadata.sorted_tables) if table.name != "audit_entry"]
    deletes = " ".join(f'DELETE FROM "{name}";' for name in tables)  # noqa: S608 - the models' names
    return text(
        "DO $$ DECLARE s record; BEGIN"  # noqa: S608 - the models' names
        " IF EXISTS (SELECT 1 FROM audit_entry) THEN TRUNCATE audit_entry; END IF;"
        f" {deletes}"
        " FOR s IN SELECT sequencename FROM pg_sequences"
        " WHERE schemaname = current_schema() AND last_value IS NOT NULL"
        " LOOP PERFORM setval(quote_ident(s.sequencename), 1, false); END LOOP; END $$"
    )


def _vote_counts_settled(application, seconds=5.0):
    """Wait for the Q&A's vote-count task to end: it must not query tables being dropped."""
    votes = application.extensions.get("qa_votes")
    deadline = time.monotonic() + seconds
    while votes is not None and votes.running and time.monotonic() < deadline:
        time.sleep(0.05)


@pytest.fixture
def db(app):
    """The database handle, bound to the test's app."""
    return _db


@pytest.fixture
def redis_client():
    """A client of the tests' Redis database (TEST_REDIS_URL, this worker's), emptied before and after."""
    client = redis.Redis.from_url(os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15"))
    try:
        client.flushdb()
    except redis.ConnectionError as error:
        unavailable("Redis", error)
    yield client
    client.flushdb()
    client.close()


@pytest.fixture
def client(app):
    """A test client."""
    return app.test_client()


@pytest.fixture
def socket_client(app):
    """Open a Socket.IO connection with a test client's cookies: socket_client(client, headers=...)."""
    return lambda client, **kwargs: IsolatedSocket(app, client, **kwargs)


@pytest.fixture
def runner(app):
    """A CLI runner."""
    return app.test_cli_runner()


@pytest.fixture
def make_user(app):
    """Create a user: make_user(role="moderator", status="pending", email=..., ...)."""
    counter = iter(range(1, 10_000))

    def factory(role="participant", status="verified", **fields):
        n = next(counter)
        data = {
            "email": f"user{n}@example.org",
            "name": f"Test User {n}",
            "password": PASSWORD,
            "stakeholder_group": "academia",
            "country": "CH",
            "organisation": "University of Geneva",
            **fields,
        }
        user = accounts.create_user(data, status=status, role=role)
        _db.session.commit()
        return user

    return factory


@pytest.fixture
def participant(make_user):
    """A verified participant."""
    return make_user(name="Pat Participant", email="participant@example.org")


@pytest.fixture
def pending_user(make_user):
    """A participant the secretariat has not verified yet."""
    return make_user(status="pending", name="Penny Pending", email="pending@example.org")


@pytest.fixture
def moderator(make_user):
    """A verified moderator."""
    return make_user(role="moderator", name="Mo Moderator", email="moderator@example.org")


@pytest.fixture
def admin(make_user):
    """A verified secretariat administrator."""
    return make_user(role="admin", name="Ada Admin", email="admin@example.org", stakeholder_group="un_entity")


def next_code(email):
    """The next TOTP code the server will accept for the account of `email` (codes are accepted once).

    The server takes the code of the step before, the step of and the step after its clock: the earliest
    of those after the last one it accepted.
    """
    import pyotp

    from forum.accounts import twofactor
    from forum.accounts.models import User
    from forum.accounts.security_models import TotpCredential

    row = _db.session.execute(
        select(TotpCredential.secret, TotpCredential.last_step)
        .join(User, User.id == TotpCredential.user_id)
        .where(User.email == email, TotpCredential.confirmed_at.is_not(None))
        .order_by(TotpCredential.id.desc())
    ).first()
    assert row is not None, f"{email} has no authenticator"
    now = int(twofactor.clock() // twofactor.STEP_SECONDS)
    step = max(now - 1, (row.last_step or 0) + 1)
    assert step <= now + 1, "every code of this minute is used: move twofactor.clock on"
    return pyotp.TOTP(row.secret).generate_otp(step)


def enrol(client, next_path="/"):
    """Turn two-factor sign-in on through the pages, as a user does; returns the recovery codes page."""
    import pyotp

    from forum.accounts import twofactor

    page = client.get("/account/two-factor")
    secret = SECRET_ON_PAGE.search(page.text)[1].replace(" ", "")
    code = pyotp.TOTP(secret).at(twofactor.clock())
    return client.post("/account/two-factor", data={"code": code, "next": next_path})


class Auth:
    """Sign a test client in and out."""

    def __init__(self, client):
        self.client = client

    def login(self, user_or_email, password=PASSWORD, remember=False):
        """Sign in through the real forms: the password, then the second factor when the account has one
        or (for staff) must set one up."""
        email = getattr(user_or_email, "email", user_or_email)
        response = self.client.post("/login", data={"email": email, "password": password})
        location = response.headers.get("Location", "") if response.status_code == 302 else ""
        if location.startswith("/login/code"):
            data = {"code": next_code(email), **({"remember": "y"} if remember else {})}
            return self.client.post("/login/code", data=data)
        if location.startswith("/account/two-factor"):
            enrol(self.client)
        return response

    def logout(self):
        """Sign out through the real form."""
        return self.client.post("/logout")


@pytest.fixture
def auth(client):
    """Sign-in helper for the default client."""
    return Auth(client)


@pytest.fixture
def make_theme(app):
    """Create a theme: make_theme(slug="ethics", name="Ethics")."""
    from forum.threads.models import Theme

    counter = iter(range(1, 10_000))

    def factory(**fields):
        n = next(counter)
        theme = Theme(
            **{"slug": f"theme-{n}", "name": f"Theme {n}", "description": "", "position": n, **fields}
        )
        _db.session.add(theme)
        _db.session.commit()
        return theme

    return factory


@pytest.fixture
def make_thread(make_user, make_theme):
    """Open a thread through the service: make_thread(author=..., theme=..., title=..., body=..., ...)."""
    from forum.threads import services

    def factory(author=None, theme=None, title="A thread about AI governance", body="First post.", **options):
        return services.create_thread(
            author or make_user(),
            theme or make_theme(),
            title,
            options.pop("kind", "discussion"),
            body,
            **options,
        )

    return factory


@pytest.fixture
def make_post(make_user):
    """Reply through the service: make_post(thread, author=..., body=...)."""
    from forum.threads import services

    def factory(thread, author=None, body="A reply.", reply_to=None):
        return services.reply(author or make_user(), thread, body, reply_to=reply_to)

    return factory
