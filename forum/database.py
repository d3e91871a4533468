"""Database helpers: UTC times, SQLite pragmas, idle connection checks, requests in autocommit,
conflict-free inserts, addresses."""

import re
import time
import weakref
from datetime import UTC, datetime
from functools import wraps

from flask import current_app, g, has_request_context, request
from flask_sqlalchemy.session import Session as FlaskSession
from sqlalchemy import CheckConstraint, event, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.types import DateTime, String, TypeDecorator


def _session():
    """The app's database session (forum.extensions builds its SQLAlchemy on this module's Session)."""
    return current_app.extensions["sqlalchemy"].session


def utcnow():
    """The current time, timezone-aware in UTC."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """Stores naive UTC on every backend and hands back aware UTC datetimes."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        """Normalise an aware datetime to naive UTC before it is stored."""
        if value is not None and value.tzinfo is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)
        return value

    def process_result_value(self, value, dialect):
        """Mark a stored naive datetime as UTC."""
        return value.replace(tzinfo=UTC) if value is not None else None


class StateType(TypeDecorator):
    """A StrEnum stored as its value in a VARCHAR: rows load as members of the enum.

    Anything equal to a value binds (a member or its string); what a column may hold is the database's
    CHECK constraint (`one_of`), so that a query asking for an unknown state simply finds nothing.
    """

    impl = String
    cache_ok = True

    def __init__(self, enum, length):
        super().__init__(length)
        self.enum = enum

    def process_bind_param(self, value, dialect):
        """The plain string, whatever the driver makes of str subclasses."""
        return None if value is None else str(value)

    def process_result_value(self, value, dialect):
        """The enum's member for a stored value."""
        return None if value is None else self.enum(value)


def one_of(column, enum):
    """A CHECK constraint named after `column` (ck_<table>_<column>): it holds one of `enum`'s values."""
    values = ", ".join(f"'{member.value}'" for member in enum)
    return CheckConstraint(f"{column} IN ({values})", name=column)


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record):
    """WAL and a busy timeout let the web process and the CLI share the SQLite file."""
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()


def ping_when_idle(engine, seconds):
    """Check a pooled connection before use when it has been idle for `seconds` or more.

    A restarted or failed-over database server is then picked up without restarting the app, as with
    SQLAlchemy's pool_pre_ping, but a connection in steady use is not checked before every request and
    socket event: that check was one round trip of the five a vote cost (bench/vote_storm.py). A server
    lost while its connections are busy fails those requests once, and the error empties the pool.
    """

    @event.listens_for(engine, "checkin")
    def _idle_since(dbapi_connection, record):
        """Note when the connection went back to the pool."""
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _ping(dbapi_connection, record, proxy):
        """Ping a connection that waited long enough; a dead one is replaced by the pool."""
        idle_since = record.info.get("idle_since")
        if idle_since is None or time.monotonic() - idle_since < seconds:
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except engine.dialect.loaded_dbapi.Error as error:
            raise DisconnectionError("the database connection was lost while idle") from error


def autocommitted(function):
    """Run `function` with each of its statements committing by itself (no BEGIN and COMMIT round trips).

    Only for work whose every write is one statement that must stand alone, such as a vote: a read
    then a write would no longer see one snapshot, and a failure after a write would not undo it.
    It must wrap the first use of the database in the app context (a socket event has its own).
    """

    @wraps(function)
    def wrapped(*args, **kwargs):
        """Put the session's connection in autocommit, then run the function."""
        _session().connection(execution_options={"isolation_level": "AUTOCOMMIT"})
        return function(*args, **kwargs)

    return wrapped


def autocommit_request(view):
    """Mark a view whose statements each stand alone: its whole request runs in autocommit.

    A page read on every visit saves the BEGIN and ROLLBACK round trips around its reads (a fifth of
    a thread page's CPU on PostgreSQL, bench/README.md). PostgreSQL's default isolation gives each
    statement its own snapshot either way; only views whose every write is one statement that may
    commit alone qualify, as for `autocommitted`.
    """
    view.autocommit_request = True
    return view


def autocommit_marked_views(app):
    """Run a marked view's request on the autocommit engine, from its first statement on."""

    @app.before_request
    def _autocommit():
        """Note, before anything of the request uses the database, that its view is marked."""
        if getattr(app.view_functions.get(request.endpoint), "autocommit_request", False):
            g.autocommit_request = True


# Each engine's twin in autocommit: the same pool, compiled-statement cache and event listeners.
_AUTOCOMMIT = weakref.WeakKeyDictionary()


class Session(FlaskSession):
    """Flask-SQLAlchemy's session; in a request marked `autocommit_request`, bound in autocommit.

    Binding the whole request, rather than its first connection, keeps statements after a commit (the
    read mark's, then the notifications') in autocommit too.
    """

    def get_bind(self, *args, **kwargs):
        """The engine for a statement: its autocommit twin in a marked request."""
        engine = super().get_bind(*args, **kwargs)
        if not (has_request_context() and g.get("autocommit_request")) or not isinstance(engine, Engine):
            return engine
        twin = _AUTOCOMMIT.get(engine)
        if twin is None:
            twin = _AUTOCOMMIT[engine] = engine.execution_options(isolation_level="AUTOCOMMIT")
        return twin


def insert_ignoring_conflict(model, from_select=None, **values):
    """INSERT a row, or the rows of from_select=(columns, SELECT), skipping those a unique key refuses.

    Returns how many rows were inserted (for one row: 1 when inserted, 0 when it existed).
    """
    from sqlalchemy import literal_column
    from sqlalchemy.dialects.postgresql import insert as pg_insert
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    session = _session()
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    # RETURNING counts reliably on both drivers, where rowcount of INSERT … ON CONFLICT may be -1.
    statement = insert(model)
    statement = statement.from_select(*from_select) if from_select else statement.values(**values)
    statement = statement.on_conflict_do_nothing().returning(literal_column("1"))
    return len(session.execute(statement).all())


# A page address (a theme's, a session's): lower-case words of letters and digits joined by single dashes.
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def slug_taken(model, slug, own_id=None):
    """Whether another row of `model` (not the one with `own_id`) already uses this address."""
    clash = select(model.id).where(model.slug == slug)
    if own_id is not None:
        clash = clash.where(model.id != own_id)
    return _session().scalar(clash) is not None
