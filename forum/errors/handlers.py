"""Error handlers: a styled page for each HTTP error, a plain 500 that reveals nothing."""

import logging

from flask import render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException, ServiceUnavailable

from forum.errors import bp
from forum.extensions import db, login_manager

log = logging.getLogger(__name__)
# URL prefix -> the function that renders that part of the site's errors (the API's problem details):
# packages register theirs at start-up, so that this one imports none of them.
RENDERERS = {}


def register_renderer(prefix, render):
    """Render the errors of requests under `prefix` with `render(error)`; None for an unexpected one."""
    RENDERERS[prefix] = render


def _renderer():
    """The renderer registered for this request's path, or None for the site's pages."""
    return next((render for prefix, render in RENDERERS.items() if request.path.startswith(prefix)), None)


@bp.app_errorhandler(HTTPException)
def http_error(error):
    """Any HTTP error as a styled page with the same status (or as its part of the site renders it)."""
    if (render := _renderer()) is not None:
        return render(error)
    response = error.get_response()
    if response.status_code in (301, 302, 303, 307, 308):
        return response
    # A description given to abort() explains this refusal; the class's own is Werkzeug's English default.
    reason = error.description if error.description != type(error).description else None
    page = render_template("errors/error.html", code=error.code, error=error, reason=reason)
    return page, error.code, {k: v for k, v in response.headers.items() if k == "Retry-After"}


@bp.app_errorhandler(CSRFError)
def csrf_error(error):
    """An expired or missing form token: explain, and let the user try again."""
    if (render := _renderer()) is not None:
        return render(error)
    return render_template("errors/error.html", code=400, error=error, csrf=True), 400


@bp.app_errorhandler(OperationalError)
def database_unavailable(error):
    """The database is unreachable: a 503 the user can retry, not a trace, for visitors and users alike."""
    db.session.rollback()
    log.error("database unavailable during %s %s: %s", request.method, request.path, error.orig)
    # The page must not load the signed-in user (that needs the database): it is the visitors' page.
    # Only this request sees them as a visitor; their session stays as it is.
    login_manager._update_request_context_with_user()
    if (render := _renderer()) is not None:
        return render(ServiceUnavailable(retry_after=30))
    return render_template("errors/error.html", code=503, error=None), 503, {"Retry-After": "30"}


@bp.app_errorhandler(Exception)
def unexpected_error(error):
    """An unexpected failure: logged in full, shown as a plain 500."""
    db.session.rollback()
    log.exception("unhandled error on %s %s", request.method, request.path)
    if (render := _renderer()) is not None:
        return render(None)
    return render_template("errors/error.html", code=500, error=None), 500
