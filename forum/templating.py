"""Globals every template may use."""

from flask import request, url_for
from flask_login import current_user

from forum import languages
from forum.accounts.models import STATUS_LABELS
from forum.database import utcnow
from forum.notifications.models import NOTICE_KINDS, NOTIFICATION_KINDS
from forum.permissions import Permission
from forum.threads import access
from forum.threads.models import ATTRIBUTION_MODES, POST_STATES, THREAD_KINDS
from forum.threads.page import CSRF_SENTINEL, csrf_token, current_viewer, unread_notifications


def url_with(**changes):
    """The current page's URL with some query arguments changed, e.g. another page number."""
    args = {**request.view_args, **request.args.to_dict(), **changes}
    return url_for(request.endpoint, **args)


def show_author_for(thread, viewer=None):
    """Whether the viewer (default: the current user) may see who wrote posts in `thread`."""
    return access.shows_author(viewer if viewer is not None else current_user, thread)


def init_app(app):
    """Register the template globals."""
    languages.init_app(app)
    app.jinja_env.globals.update(
        Permission=Permission,
        status_labels=STATUS_LABELS,
        thread_kinds=THREAD_KINDS,
        attribution_modes=ATTRIBUTION_MODES,
        post_states=POST_STATES,
        notification_kinds=NOTIFICATION_KINDS,
        notice_kinds=NOTICE_KINDS,
        can_moderate=access.is_staff,
        csrf_sentinel=CSRF_SENTINEL,
        show_author_for=show_author_for,
        unread_notifications=unread_notifications,
        now=utcnow,
        url_with=url_with,
    )
    # Flask-WTF offers csrf_token() through a context processor; a later one takes precedence,
    # and current_user is the shared stand-in while a page for many readers renders.
    app.context_processor(lambda: {"csrf_token": csrf_token, "current_user": current_viewer()})
