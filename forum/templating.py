"""Globals every template may use."""

from flask import current_app, g, request, url_for
from flask_babel import get_locale
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from forum import branding, languages, multilingual, shared
from forum.database import utcnow
from forum.i18n import LANGUAGE_NAMES
from forum.policy import allowed

# The switcher lists the languages in the UN's order (by their English names), each in its own script.
UN_ORDER = ("ar", "zh", "en", "fr", "ru", "es")
# Open Graph wants a language and a territory; these are the ones messaging apps know best.
SHARE_LOCALES = {"ar": "ar_AR", "zh": "zh_CN", "en": "en_GB", "fr": "fr_FR", "ru": "ru_RU", "es": "es_ES"}


def url_with(**changes):
    """The current page's URL with some query arguments changed, e.g. another page number."""
    args = {**request.view_args, **request.args.to_dict(), **changes}
    return url_for(request.endpoint, **args)


def show_author_for(thread, viewer=None):
    """Whether the viewer (default: the current user) may see who wrote posts in `thread`."""
    return allowed(viewer if viewer is not None else current_user, "thread.authors", thread)


def csrf_token():
    """The reader's form token; asking for it while rendering a page kept for every visitor is a bug."""
    if g.get("shared_render"):
        raise RuntimeError("a page shared by every visitor asked for one reader's form token")
    # A page asks for it once per form; it is the same token in all of them.
    token = g.get("reader_csrf_token")
    if token is None:
        token = g.reader_csrf_token = generate_csrf()
    return token


def public_url(endpoint, **values):
    """An absolute address for links shared outside the site (forum.shared.public_origin)."""
    return shared.public_origin() + url_for(endpoint, **values)


def page_url():
    """The current page's absolute address, without its query."""
    return shared.public_origin() + request.script_root + request.path


def site_frame():
    """The frame's parts for the reader's language and role, rendered once for all such readers."""
    user = current_user._get_current_object()
    moderator, admin = allowed(user, "moderate"), allowed(user, "administer")
    locale = str(get_locale())
    offered = current_app.config["LANGUAGES"]
    context = {
        "moderator": moderator,
        "admin": admin,
        "locale": locale,
        "language_names": {code: LANGUAGE_NAMES[code] for code in UN_ORDER if code in offered},
        "share_locale": SHARE_LOCALES.get(locale, locale),
    }
    return shared.parts("site/_frame.html", (moderator, admin), lambda: context)


def init_app(app):
    """Register the template globals."""
    languages.init_app(app)
    multilingual.init_app(app)
    branding.init_app(app)
    app.jinja_env.globals.update(
        show_author_for=show_author_for,
        site_frame=site_frame,
        public_url=public_url,
        page_url=page_url,
        now=utcnow,
        url_with=url_with,
    )
    # Flask-WTF offers csrf_token() as a global and through a context processor; a later one takes precedence.
    app.jinja_env.globals["csrf_token"] = csrf_token
    app.context_processor(lambda: {"csrf_token": csrf_token})
