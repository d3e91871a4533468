"""Cache-Control and Vary: a shared cache may keep anonymous pages briefly, and nothing of a signed-in reader.

An anonymous GET that carried no session cookie and wrote none was rendered from the URL, the language
cookie and Accept-Language alone, so it is the same for every visitor asking the same: it is marked
`public, max-age=0, s-maxage=N`. A proxy (the nginx micro-cache of docs/deploy.md) then answers the crowd
for N seconds while browsers still ask again on every visit (max-age=0), and a reader with JavaScript
catches up on what those seconds missed through the live `since` protocol. Everything else is
`private, no-store`: signed-in pages hold a reader's name, tokens and unread counts.
"""

from flask import current_app, request, session
from flask_login import current_user

# Answers that are the same for every anonymous visitor: pages, the permalink's redirect, not found.
SHAREABLE_STATUSES = {200, 301, 302, 404, 410}
PRIVATE = "private, no-store"


def shareable(response):
    """True when this response may be kept by a shared cache for every anonymous visitor."""
    return (
        request.method in ("GET", "HEAD")
        and response.status_code in SHAREABLE_STATUSES
        and current_app.config["SESSION_COOKIE_NAME"] not in request.cookies
        and not session.modified
        and "Set-Cookie" not in response.headers
        and not current_user.is_authenticated
    )


def init_app(app):
    """Mark every dynamic response as shareable or private, and name what it varies with."""

    @app.after_request
    def _cache_headers(response):
        """Vary on what picks the language and the reader; Cache-Control as the module says."""
        if request.endpoint == "static":
            return response
        response.vary.update(("Cookie", "Accept-Language"))
        if "Cache-Control" not in response.headers:
            seconds = app.config["ANONYMOUS_CACHE_SECONDS"]
            public = f"public, max-age=0, s-maxage={seconds}"
            response.headers["Cache-Control"] = public if shareable(response) else PRIVATE
        return response
