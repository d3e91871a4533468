"""The JSON API (/api/v1) with its OpenAPI document, and the pages that manage personal API tokens."""

from flask import Blueprint

from forum.policy import protect

bp = Blueprint("api", __name__, url_prefix="/api/v1")
# Reading is for whoever may read the site; views that act declare "signed_in" and the write scope.
protect(bp, "read")
pages = Blueprint("api_tokens", __name__)
protect(pages, "signed_in")


@bp.record_once
def set_up(state):
    """Bearer tokens instead of cookies, no CSRF, problem details and ETags under the API."""
    from forum.api import auth, problems
    from forum.errors.handlers import register_renderer
    from forum.extensions import csrf, login_manager

    auth.init_app(state.app, login_manager)
    csrf.exempt(bp)
    register_renderer(auth.PREFIX, problems.render)


@bp.before_request
def _check():
    """The token, if any, must be live; the caller within the rate limit."""
    from forum.api import auth

    auth.check_request()


@bp.after_request
def _finish(response):
    """ETags on what a GET answers; every answer varies with the token."""
    from forum.api.io import conditional

    response.vary.add("Authorization")
    return conditional(response)


from forum.api import docs, reads, token_pages, writes  # noqa: E402,F401
