"""Globals every template may use."""

from flask import request, url_for

from forum.accounts.models import STATUS_LABELS
from forum.database import utcnow
from forum.permissions import Permission
from forum.threads.models import ATTRIBUTION_MODES, THREAD_KINDS


def url_with(**changes):
    """The current page's URL with some query arguments changed, e.g. another page number."""
    args = {**request.view_args, **request.args.to_dict(), **changes}
    return url_for(request.endpoint, **args)


def init_app(app):
    """Register the template globals."""
    app.jinja_env.globals.update(
        Permission=Permission,
        status_labels=STATUS_LABELS,
        thread_kinds=THREAD_KINDS,
        attribution_modes=ATTRIBUTION_MODES,
        now=utcnow,
        url_with=url_with,
    )
