"""Who calls the API: the user of a bearer token, never of a cookie; and what each token may do.

Under the API's prefix no session cookie is read or written, so a browser's session can never act
through the API (no CSRF there to check): a request carries `Authorization: Bearer <token>` or is a
visitor's. Each request is counted against the API's rate limit, per token or per address.
"""

from functools import wraps

from flask import g, request
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from flask_login import current_user

from forum import throttle
from forum.api import tokens
from forum.api.problems import fail

PREFIX = "/api/"


class TokenRequestSession(SecureCookieSession):
    """The empty session of an API request: whatever is put in it is never sent."""


class CookieSessionsOutsideApi(SecureCookieSessionInterface):
    """The site's signed cookie sessions, except under the API's prefix, where there are none."""

    def open_session(self, app, request):
        """An empty session for an API request, else the cookie's."""
        if request.path.startswith(PREFIX):
            return TokenRequestSession()
        return super().open_session(app, request)

    def save_session(self, app, session, response):
        """Nothing for an API request, else the cookie."""
        if isinstance(session, TokenRequestSession):
            return
        super().save_session(app, session, response)


def _bearer():
    """The token of the request's Authorization header, "" when it has none, None when it is not Bearer."""
    header = request.headers.get("Authorization")
    if header is None:
        return ""
    scheme, _, secret = header.strip().partition(" ")
    return secret.strip() if scheme.lower() == "bearer" and secret.strip() else None


def user_of_request(req):
    """Flask-Login's request loader: the user of a live bearer token under the API, else nobody.

    A suspended user's tokens work no more than their sessions (forum.accounts.routes.load_user).
    """
    if not req.path.startswith(PREFIX):
        return None
    secret = _bearer()
    token = tokens.live(secret) if secret else None
    if token is None or token.user.is_suspended:
        return None
    g.api_token = token
    return token.user


def check_request():
    """Refuse a credential that is not a live token (401), and a caller over the rate limit (429)."""
    # The guard's rule may not have needed the user (a public read): load them from the token now.
    current_user._get_current_object()
    token = g.get("api_token")
    if token is None and _bearer() != "":
        fail(401, "The token is missing, malformed, revoked or not valid.", "invalid_token",
             {"WWW-Authenticate": 'Bearer error="invalid_token"'})  # fmt: skip
    limit = "API_READ_LIMIT" if request.method in ("GET", "HEAD") else "API_WRITE_LIMIT"
    who = f"token:{token.id}" if token is not None else f"ip:{request.remote_addr}"
    wait = throttle.attempt(limit, who)
    if wait:
        fail(429, f"Too many requests. Try again in {wait} seconds.", "throttled", {"Retry-After": str(wait)})
    if token is not None:
        tokens.note_use(token)


def writes(view):
    """Declare a view that acts for the user: its token must carry the write scope (else 403)."""

    @wraps(view)
    def checked(*args, **kwargs):
        """Run the view for a token with the write scope."""
        token = g.get("api_token")
        if token is None or token.scope != "write":
            fail(403, "This token may only read: create one with the write scope.", "insufficient_scope")
        return view(*args, **kwargs)

    checked.api_scope = "write"
    return checked


def init_app(app, login_manager):
    """Cookie sessions outside the API only, and users from bearer tokens inside it."""
    app.session_interface = CookieSessionsOutsideApi()
    login_manager.request_loader(user_of_request)
    # A refused visitor gets 401 (rendered as a problem), not a redirect to the sign-in page.
    login_manager.blueprint_login_views["api"] = None
