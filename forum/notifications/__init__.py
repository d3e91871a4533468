"""Follows and in-app notifications."""

from flask import Blueprint

from forum.policy import protect

bp = Blueprint("notifications", __name__)
# Who may reach its pages, unless a view declares otherwise (forum.policy).
protect(bp, "signed_in")


@bp.record_once
def template_globals(state):
    """The names of notification and notice kinds, and the header's unread count, for every template."""
    state.app.jinja_env.globals.update(
        notification_kinds=models.NOTIFICATION_KINDS,
        notice_kinds=models.NOTICE_KINDS,
        unread_notifications=services.unread_in_header,
    )


from forum.notifications import models, routes, services  # noqa: E402,F401
