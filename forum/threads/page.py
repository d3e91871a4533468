"""Assembling a thread page: the posts are rendered once per thread state and language, then shared.

Every reader who is not staff and has no held post in the thread sees the same list of posts, so
it is rendered once per (thread, page, language, latest room event) and kept for a short time; a new
event changes the key. What differs per reader (their form token, which controls are theirs) is
added around it: the token by substitution, the controls by a small style sheet for this reader.
"""

import time
from collections import OrderedDict
from dataclasses import dataclass
from threading import Lock

from flask import current_app, g, render_template, request, session
from flask_babel import get_locale
from flask_login import AnonymousUserMixin, current_user
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup
from sqlalchemy import select

from forum.extensions import db
from forum.security import csp_nonce
from forum.threads import access, queries
from forum.threads.models import Post

# Shared markup carries these in place of the reader's CSRF token and the response's CSP nonce.
CSRF_SENTINEL = "__csrf_token__"
NONCE_SENTINEL = "__csp_nonce__"
CACHE_SIZE = 512
# Edits that publish no room event (an author renaming themselves) show up at most this late.
CACHE_SECONDS = 30


@dataclass(frozen=True)
class PostList:
    """Rendered posts of one page, with what the page needs to know about them."""

    html: str
    page: int
    pages: int
    post_ids: tuple


class _Cache:
    """A small least-recently-used cache with an age limit, one per process."""

    def __init__(self):
        self.entries = OrderedDict()
        self.lock = Lock()

    def get_or_make(self, key, make):
        """The fresh value for `key`, made (outside the lock) when missing or too old."""
        now = time.monotonic()
        with self.lock:
            found = self.entries.get(key)
            if found and now - found[0] < CACHE_SECONDS:
                self.entries.move_to_end(key)
                return found[1]
        value = make()
        with self.lock:
            self.entries[key] = (now, value)
            self.entries.move_to_end(key)
            while len(self.entries) > CACHE_SIZE:
                self.entries.popitem(last=False)
        return value


def _cache():
    """This app's post-list cache."""
    return current_app.extensions.setdefault("forum_post_lists", _Cache())


def _render_posts(viewer, thread, page):
    """The posts of `page` as `viewer` may see them."""
    posts, page, pages = queries.post_page(viewer, thread, page)
    html = render_template(
        "threads/_posts.html",
        posts=posts,
        thread=thread,
        page=page,
        pages=pages,
        staff=access.is_staff(viewer),
        show_author=access.shows_author(viewer, thread),
    )
    return PostList(html, page, pages, tuple(p.id for p in posts))


def _has_held_posts(viewer, thread):
    """True when the viewer has posts awaiting review in this thread (only they see those)."""
    if not viewer.is_authenticated:
        return False
    mine = (Post.thread_id == thread.id) & (Post.author_id == viewer.id)
    query = select(Post.id).where(mine, Post.state == "pending")
    return db.session.scalar(query.limit(1)) is not None


def post_list(viewer, thread, page, seq):
    """The rendered posts of `page` for `viewer`, shared with every reader who sees the same."""
    if access.is_staff(viewer) or _has_held_posts(viewer, thread):
        return _render_posts(viewer, thread, page)
    key = (thread.id, page, str(get_locale()), seq, thread.attribution, thread.locked)
    return _cache().get_or_make(key, lambda: _render_posts(AnonymousUserMixin(), thread, page))


def with_token(html):
    """Shared markup with this reader's CSRF token in its forms (kept as the sentinel in shared pages)."""
    return Markup(html.replace(CSRF_SENTINEL, csrf_token()))  # noqa: S704 - our own rendered template


def anonymous_page(key, render):
    """A whole page for anonymous readers, rendered once per key and personalised per response.

    `render` returns the page as `render_template` would; it runs with sentinels for the token and
    the nonce, which are replaced with this response's own.
    """

    def make():
        """Render with sentinels, leaving no sentinel nonce behind for the response headers."""
        g.sharing = True
        g.csp_nonce = NONCE_SENTINEL
        try:
            html, _status = render()
        finally:
            g.pop("csp_nonce", None)
            g.sharing = False
        return html

    html = _cache().get_or_make(("page", *key), make)
    return html.replace(NONCE_SENTINEL, csp_nonce()).replace(CSRF_SENTINEL, generate_csrf())


def shareable_request():
    """An anonymous GET with nothing personal waiting (no flashed message) may get a shared page."""
    return not current_user.is_authenticated and request.method == "GET" and "_flashes" not in session


def csrf_token():
    """The template's csrf_token(): the reader's token, or the sentinel while rendering shared markup."""
    return CSRF_SENTINEL if g.get("sharing") else generate_csrf()


def viewer_style(viewer, thread, endorsed):
    """CSS that reveals the controls that are this viewer's: endorse or withdraw, edit and delete."""
    if not viewer.is_authenticated:
        return ""
    me = f".by-{viewer.id}"
    rules = []
    if viewer.is_verified and access.can_post(viewer):
        rules.append(".endorse-add{display:inline-flex}")
        rules.append(f"{me} .endorse-add{{display:none}}")
        for post_id in sorted(endorsed):
            rules.append(f"#post-{post_id} .endorse-add{{display:none}}")
            rules.append(f"#post-{post_id} .endorse-remove{{display:inline-flex}}")
    if access.is_staff(viewer):
        rules.append(".owner-only{display:inline}")
    elif not thread.locked:
        rules.append(f"{me} .owner-only{{display:inline}}")
    return "".join(rules)
