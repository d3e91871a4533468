"""The home page, and the health check a load balancer asks."""

import logging

import redis
from flask import current_app, jsonify, render_template, request
from flask_login import current_user
from sqlalchemy import select, text

from forum.extensions import db, login_manager
from forum.i18n import local_deadline
from forum.main import bp
from forum.qa.services import now_and_next
from forum.threads.models import Theme
from forum.threads.queries import thread_list, unread_counts

# Pages an anonymous visitor reaches on a members-only site: signing in, registering, assets, health.
# Pages a signed-out visitor needs on a members-only site: signing in or up, and the links mail carries.
OPEN_ENDPOINTS = {
    "accounts.login",
    "accounts.register",
    "accounts.set_language",
    "static",
    "main.health",
    "mail.forgot_password",
    "mail.reset_password",
    "mail.confirm",
    "mail.unsubscribe",
}
log = logging.getLogger(__name__)


@bp.before_app_request
def members_only_site():
    """On a members-only site (PUBLIC_READ off), anonymous visitors are sent to sign in."""
    if current_app.config["PUBLIC_READ"] or request.endpoint in OPEN_ENDPOINTS or request.endpoint is None:
        return None
    if current_user.is_authenticated:
        return None
    return login_manager.unauthorized()


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


@bp.route("/healthz")
def health():
    """Whether the database and (when configured) Redis answer: 200 or 503, with no details."""
    checks = {"database": _database_answers()}
    if current_app.config.get("REDIS_URL"):
        checks["redis"] = _redis_answers(current_app.config["REDIS_URL"])
    healthy = all(checks.values())
    body = {name: "ok" if fine else "unavailable" for name, fine in checks.items()}
    response = jsonify(status="ok" if healthy else "unavailable", **body)
    response.headers["Cache-Control"] = "no-store"
    return response, 200 if healthy else 503


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
