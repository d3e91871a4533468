"""This deployment's name: the prefix of every Redis key and of the Socket.IO channel, and its owner.

Redis pub/sub ignores database numbers, so a restore drill or a staging site pointed at production's
Redis heard production's live feed and spoke into it (issue 25). Each deployment has a name
(FORUM_DEPLOYMENT, required in production); its keys live under `forum:<name>:` and its channel is
`forum:<name>:db<n>:socket.io`. At start a process records in Redis which database owns the name
(`forum:<name>:owner`, kept while any process of the deployment runs, gone OWNER_SECONDS after the
last one stops), and a process of the same name on another database refuses to start.
"""

import hashlib
import json
import logging
import re

import redis
from flask import current_app
from sqlalchemy import text
from sqlalchemy.engine import make_url

from forum.extensions import db, socketio

log = logging.getLogger(__name__)
NAME = re.compile(r"[a-z0-9][a-z0-9_.-]{0,62}")
# How long the owner record outlives the last process that renewed it; processes renew it every
# DEPLOYMENT_HEARTBEAT_SECONDS (10 by default), so a deployment that stopped frees its name soon.
OWNER_SECONDS = 30


class DeploymentConflict(RuntimeError):
    """Another database's deployment uses this name on this Redis."""


def name_problem(name):
    """Why `name` cannot name a deployment, or None when it can."""
    if not name:
        return "FORUM_DEPLOYMENT is empty."
    if not NAME.fullmatch(name):
        return (
            f"FORUM_DEPLOYMENT={name!r} is not a deployment name: use 1 to 63 lower-case letters, digits, "
            "'.', '_' or '-', starting with a letter or digit (e.g. 'dialogue-prod')."
        )
    return None


def derived_name(database_uri):
    """The name of a deployment that was given none (embedded default, tests): one per database."""
    return "local-" + hashlib.sha256(str(database_uri).encode()).hexdigest()[:10]


def prefix(app=None):
    """The prefix of every Redis key of this deployment, e.g. `forum:dialogue-prod:`."""
    return f"forum:{(app or current_app).config['DEPLOYMENT_NAME']}:"


def key(*parts):
    """A Redis key of this deployment, e.g. key("presence", "thread:3")."""
    return prefix() + ":".join(str(part) for part in parts)


def channel(name, redis_url):
    """The Socket.IO channel of deployment `name` on `redis_url`: its database number included.

    Keys of two Redis databases never meet, but their channels do: the number keeps two deployments
    on two databases of one server apart, whatever their names.
    """
    database = redis.connection.parse_url(redis_url).get("db", 0)
    return f"forum:{name}:db{database}:socket.io"


def database_identity(session, database_uri):
    """(id, label) of the database `session` talks to: the same however its URL spells the server.

    PostgreSQL: the cluster's system identifier (kept by a failover replica, new for a cluster made by
    a restore) and the database's oid (new for a database made by a restore next to the original).
    """
    url = make_url(database_uri)
    label = f"{url.database} on {url.host or 'localhost'}:{url.port or 5432}"
    if url.get_backend_name() != "postgresql":
        return f"{url.get_backend_name()}:{url.database or 'memory'}", f"{url.database or 'memory'}"
    row = session.execute(
        text(
            "SELECT system_identifier, (SELECT oid FROM pg_database WHERE datname = current_database())"
            " FROM pg_control_system()"
        )
    ).one()
    return f"postgresql:{row[0]}:{row[1]}", label


def _owner_key(app):
    """The key that says which database owns the app's deployment name."""
    return prefix(app) + "owner"


def claim(app, client, identity):
    """Record that `identity` (id, label) owns the app's name, or raise DeploymentConflict.

    Renews the record when it is the same database's; one of another database is a conflict until it
    expires (OWNER_SECONDS after the last process of that deployment stopped renewing it).
    """
    owner_key = _owner_key(app)
    mine = json.dumps({"id": identity[0], "database": identity[1]})
    if client.set(owner_key, mine, nx=True, ex=OWNER_SECONDS):
        return
    found = client.get(owner_key)
    owner = json.loads(found) if found else {"id": identity[0]}
    if owner["id"] != identity[0]:
        name = app.config["DEPLOYMENT_NAME"]
        raise DeploymentConflict(
            f"FORUM_DEPLOYMENT={name!r} is in use on this Redis by another database "
            f"({owner.get('database', 'unknown')}); this process uses {identity[1]}. Two deployments "
            "sharing a name hear each other's live events: give this one a name of its own "
            f"(e.g. FORUM_DEPLOYMENT={name}-restore). The name is freed {OWNER_SECONDS} s after the "
            "other deployment's last process stops."
        )
    # Written again rather than only renewed: a record that expired since the SET would stay gone.
    client.set(owner_key, mine, ex=OWNER_SECONDS)


def check(app):
    """At start: claim the name when Redis and the database answer; log and go on when one does not.

    A process must be able to start while Redis blips (it serves without it); its heartbeat claims the
    name once Redis answers. A conflict is raised: the process refuses to start.
    """
    client = _client(app)
    try:
        with app.app_context():
            identity = database_identity(db.session, app.config["SQLALCHEMY_DATABASE_URI"])
            db.session.remove()
        app.extensions["forum_deployment_identity"] = identity
        claim(app, client, identity)
    except DeploymentConflict:
        raise
    except Exception:  # the database's or Redis's own errors: the heartbeat tries again
        log.warning("deployment name %s not checked at start", app.config["DEPLOYMENT_NAME"], exc_info=True)


def _client(app):
    """A Redis client for the owner record, failing fast: it runs at start and in the heartbeat."""
    client = app.extensions.get("forum_deployment_redis")
    if client is None:
        client = redis.Redis.from_url(app.config["REDIS_URL"], socket_timeout=2, socket_connect_timeout=2)
        app.extensions["forum_deployment_redis"] = client
    return client


def renew(app):
    """One beat: claim the name again (or for the first time, when Redis was down at start)."""
    try:
        identity = app.extensions.get("forum_deployment_identity")
        if identity is None:
            with app.app_context():
                identity = database_identity(db.session, app.config["SQLALCHEMY_DATABASE_URI"])
                db.session.remove()
            app.extensions["forum_deployment_identity"] = identity
        claim(app, _client(app), identity)
    except DeploymentConflict as conflict:
        # Too late to refuse to start: say so loudly, every beat, until an operator acts.
        log.error("%s", conflict)
    except Exception:  # Redis or the database blipping: the next beat tries again
        log.warning("deployment name %s not renewed", app.config["DEPLOYMENT_NAME"], exc_info=True)


def heartbeat(app):
    """Renew the owner record every DEPLOYMENT_HEARTBEAT_SECONDS for as long as the process runs."""
    while True:
        socketio.sleep(app.config["DEPLOYMENT_HEARTBEAT_SECONDS"])
        renew(app)


def init_app(app):
    """Name the deployment (derived when not given outside production), check its owner, keep it."""
    name = app.config.get("DEPLOYMENT_NAME") or derived_name(app.config["SQLALCHEMY_DATABASE_URI"])
    problem = name_problem(name)
    if problem:
        raise RuntimeError(problem)
    app.config["DEPLOYMENT_NAME"] = name
    if not app.config.get("REDIS_URL"):
        return
    check(app)
    if not app.config.get("DEPLOYMENT_HEARTBEAT_SECONDS"):
        return

    @app.before_request
    def _start_heartbeat():
        """Once per server process (never in the CLI): the greenlet that renews the owner record."""
        if not app.extensions.get("forum_deployment_heartbeat"):
            app.extensions["forum_deployment_heartbeat"] = socketio.start_background_task(heartbeat, app)
