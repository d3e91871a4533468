"""The home page."""

from flask import current_app, render_template, request
from flask_login import current_user
from sqlalchemy import select

from forum.accounts.services import registration_open
from forum.extensions import db, login_manager
from forum.i18n import local_deadline
from forum.main import bp
from forum.qa.services import now_and_next
from forum.threads.models import Theme
from forum.threads.queries import thread_list, unread_counts

# Pages an anonymous visitor reaches on a members-only site: signing in, registering, assets.
OPEN_ENDPOINTS = {"accounts.login", "accounts.register", "accounts.set_language", "static"}


@bp.before_app_request
def members_only_site():
    """On a members-only site (PUBLIC_READ off), anonymous visitors are sent to sign in."""
    if current_app.config["PUBLIC_READ"] or current_user.is_authenticated:
        return None
    if request.endpoint in OPEN_ENDPOINTS or request.endpoint is None:
        return None
    return login_manager.unauthorized()


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
        registration_open=registration_open(),
        registration_deadline=local_deadline("REGISTRATION_DEADLINE"),
        hub_deadline=local_deadline("HUB_DEADLINE"),
    )
