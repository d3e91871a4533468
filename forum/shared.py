"""Markup rendered once for many readers, and the guard that keeps any one reader's values out of it.

While shared markup renders, `g.shared_render` is set: asking for a reader's form token then fails
(forum.templating.csrf_token), and so does a page render that writes to the visitor's session. The
templates rendered here see only the context they are given, never the request's user. A key holds
the language, the site's origin, the script root and everything else the markup is made from; markup
whose key cannot hold everything (a name that changes without notice) is kept `seconds` at most.
"""

from flask import current_app, g, request, session
from flask_babel import get_locale
from jinja2.runtime import Macro
from markupsafe import Markup

# Kept markup of every kind, per process: parts of pages in six languages for a few thousand pages.
SIZE = 8192


class Parts(dict):
    """Named pieces of shared markup, readable as attributes from templates."""

    def __getattr__(self, name):
        """A piece by name."""
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None


def _guarded(render):
    """`render()` with the guard raised; fails when it wrote to the visitor's session."""
    g.shared_render = True
    written = session.modified
    try:
        made = render()
    finally:
        g.shared_render = False
    if session.modified and not written:
        raise RuntimeError("markup shared by many readers wrote to one reader's session")
    return made


def public_origin():
    """Scheme and host of the site's absolute addresses: SERVER_NAME's when set, else the request's.

    Part of every key: markup holding an absolute address (a shared link's picture) made for one
    Host header is never served to a request that came with another.
    """
    config = current_app.config
    if config.get("SERVER_NAME"):
        return f"{config.get('PREFERRED_URL_SCHEME') or 'http'}://{config['SERVER_NAME']}"
    return request.host_url.rstrip("/")


def _kept(name, key, make, seconds):
    """The value for `key` (with the language, origin and script root) in the cache `name`, made once."""
    cache = current_app.extensions["forum_caches"].named(f"{name}-{seconds}", SIZE, seconds)
    return cache.get((str(get_locale()), public_origin(), request.script_root, *key), lambda: _guarded(make))


def markup(template, key, context, seconds=None):
    """`template` rendered with `context()` alone (called only when it is rendered), kept per key."""

    def make():
        """Render for every reader."""
        # Our own template's output, with user text escaped by it.
        return Markup(current_app.jinja_env.get_template(template).render(context()))  # noqa: S704

    return _kept("shared_markup", (template, *key), make, seconds)


def parts(template, key, context, seconds=None):
    """Every macro of `template` (none takes an argument) called with `context()`: Parts by macro name."""

    def make():
        """Call each macro once."""
        module = current_app.jinja_env.get_template(template).make_module(context())
        return Parts((name, value()) for name, value in vars(module).items() if isinstance(value, Macro))

    return _kept("shared_parts", (template, *key), make, seconds)


def cacheable_request():
    """An anonymous GET with nothing personal waiting (no flashed message) may get a kept page."""
    return request.method == "GET" and "_flashes" not in session


def page(key, render, seconds):
    """A whole anonymous page for `key`, rendered by one request at a time and kept `seconds`."""
    return _kept("shared_pages", key, render, seconds)
