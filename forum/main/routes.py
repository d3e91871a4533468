"""The home page, the brand's colours, and the health checks: liveness for the supervisor, readiness for
the load balancer."""

import logging

import redis
from flask import abort, current_app, jsonify, render_template
from flask_login import current_user
from sqlalchemy import select, text

from forum.extensions import db
from forum.i18n import local_deadline
from forum.main import bp
from forum.policy import requires
from forum.qa.services import now_and_next
from forum.threads.models import Theme
from forum.threads.queries import thread_list, unread_counts

log = logging.getLogger(__name__)


def _database_answers():
    """True when the database answers a trivial query."""
    try:
        db.session.execute(text("SELECT 1"))
        return True
    except Exception:  # the driver's own errors; the log keeps them, the answer does not
        db.session.rollback()
        log.warning("health check: database unreachable", exc_info=True)
        return False


def _redis_answers(url):
    """True when Redis answers a ping within a second."""
    client = current_app.extensions.get("forum_health_redis")
    if client is None:
        client = redis.Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1)
        current_app.extensions["forum_health_redis"] = client
    try:
        return bool(client.ping())
    except redis.RedisError:
        log.warning("health check: Redis unreachable", exc_info=True)
        return False


@bp.route("/brand.css")
@requires("anyone")
def brand_stylesheet():
    """The deployment's own colours (forum.branding), kept a year: their address changes with them."""
    stylesheet = current_app.extensions["forum_brand"].stylesheet
    if not stylesheet:
        abort(404)
    response = current_app.response_class(stylesheet, mimetype="text/css")
    response.cache_control.public = True
    response.cache_control.max_age = 365 * 24 * 3600
    response.cache_control.immutable = True
    return response


@bp.route("/livez")
@requires("anyone")
def alive():
    """Liveness: the process answers. Nothing else is asked: a supervisor restarts a process that does not."""
    response = jsonify(status="ok")
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/healthz")
@bp.route("/readyz")
@requires("anyone")
def health():
    """Readiness: 200 while the database answers (Redis down only degrades it), else 503; no details."""
    checks = {"database": _database_answers()}
    if current_app.config.get("REDIS_URL"):
        checks["redis"] = _redis_answers(current_app.config["REDIS_URL"])
    # Without the database nothing can be served; without Redis pages, posts and votes still work
    # (live updates stay on each process until it is back), so the process stays in rotation.
    ready = checks["database"]
    status = "ok" if all(checks.values()) else "degraded" if ready else "unavailable"
    body = {name: "ok" if fine else "unavailable" for name, fine in checks.items()}
    response = jsonify(status=status, **body)
    response.headers["Cache-Control"] = "no-store"
    return response, 200 if ready else 503


@bp.route("/")
def index():
    """The Dialogue at a glance: key dates, themes, latest threads, what is on now."""
    running, upcoming = now_and_next()
    pinned, threads, _cursor = thread_list(current_user)
    return render_template(
        "main/index.html",
        themes=db.session.scalars(select(Theme).order_by(Theme.position)).all(),
        pinned=pinned,
        threads=threads[:10],
        next_cursor=None,
        unread=unread_counts(current_user, pinned + threads[:10]),
        running=running,
        upcoming=upcoming,
        registration_deadline=local_deadline("REGISTRATION_DEADLINE"),
        hub_deadline=local_deadline("HUB_DEADLINE"),
    )
