"""Assembling a thread page: the posts are rendered once per thread state and language, then shared.

Every reader who is not staff and has no held post in the thread sees the same list of posts, so
it is rendered once per (thread, page, UI language, content-language filter, latest room event) and
kept for a short time; a new
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
from markupsafe import Markup, escape
from sqlalchemy import bindparam, select, text

from forum.extensions import db
from forum.i18n import number
from forum.permissions import ROLES, Permission
from forum.security import csp_nonce
from forum.threads import access, queries
from forum.threads.models import Post

# Shared markup carries these in place of what belongs to one reader or one response.
CSRF_SENTINEL = "__csrf_token__"
NONCE_SENTINEL = "__csp_nonce__"
NAME_SENTINEL = "__viewer_name__"
UNREAD_SENTINEL = "__unread_count__"
STYLE_SENTINEL = "__viewer_style__"
# An id no account has (the ids are a database sequence), written where the reader's id goes.
ID_SENTINEL = 987654321987
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


def _render_posts(viewer, thread, page, language=None):
    """The posts of `page` as `viewer` may see them, only those in `language` when one is given."""
    posts, page, pages = queries.post_page(viewer, thread, page, language)
    html = render_template(
        "threads/_posts.html",
        posts=posts,
        thread=thread,
        page=page,
        pages=pages,
        staff=access.is_staff(viewer),
        show_author=access.shows_author(viewer, thread),
        language=language,
    )
    return PostList(html, page, pages, tuple(p.id for p in posts))


def _has_held_posts(viewer, thread):
    """True when the viewer has posts out of public sight in this thread (only they see those)."""
    if not viewer.is_authenticated:
        return False
    mine = (Post.thread_id == thread.id) & (Post.author_id == viewer.id)
    query = select(Post.id).where(mine, Post.state.in_(access.OWN_ONLY_STATES))
    return db.session.scalar(query.limit(1)) is not None


def post_list(viewer, thread, page, seq, language=None):
    """The rendered posts of `page` (in `language` only, if given) for `viewer`, shared with like readers."""
    if access.is_staff(viewer) or _has_held_posts(viewer, thread):
        return _render_posts(viewer, thread, page, language)
    key = (thread.id, page, str(get_locale()), language, seq, thread.attribution, thread.locked)
    return _cache().get_or_make(key, lambda: _render_posts(AnonymousUserMixin(), thread, page, language))


def with_token(html):
    """Shared markup with this reader's CSRF token in its forms (kept as the sentinel in shared pages)."""
    return Markup(html.replace(CSRF_SENTINEL, csrf_token()))  # noqa: S704 - our own rendered template


class SharedViewer:
    """Stands in for a signed-in reader while a page for every reader like them is rendered.

    It answers only what such a page may ask; anything else fails loudly instead of leaking.
    """

    is_authenticated = True
    is_anonymous = False
    is_active = True
    is_silenced = False
    id = ID_SENTINEL
    name = NAME_SENTINEL

    def __init__(self, user):
        self.role, self.status, self.is_verified = user.role, user.status, user.is_verified

    def can(self, permission):
        """The reader's role's permissions (part of the cache key)."""
        return bool(ROLES.get(self.role, Permission(0)) & permission)


def shared_page(key, render, viewer=None):
    """A whole page rendered once per key, with sentinels where the reader's own things go.

    `render` returns (html, facts) and runs with `current_user` replaced by a SharedViewer when a
    signed-in `viewer` is given; returns (html with this response's nonce and token, facts).
    """

    def make():
        """Render with sentinels, leaving no sentinel nonce behind for the response headers."""
        g.sharing = True
        g.shared_viewer = SharedViewer(viewer) if viewer is not None else None
        g.csp_nonce = NONCE_SENTINEL
        try:
            return render()
        finally:
            g.pop("csp_nonce", None)
            g.sharing = False
            g.shared_viewer = None

    html, facts = _cache().get_or_make(("page", *key), make)
    return html.replace(NONCE_SENTINEL, csp_nonce()).replace(CSRF_SENTINEL, generate_csrf()), facts


def personalise(html, user, unread, style):
    """A shared signed-in page with this reader's id, name, unread count and style sheet."""
    return (
        html.replace(str(ID_SENTINEL), str(user.id))
        .replace(NAME_SENTINEL, str(escape(user.name)))
        .replace(UNREAD_SENTINEL, number(unread))
        .replace(STYLE_SENTINEL, style)
    )


def shareable_request():
    """A GET with nothing personal waiting (no flashed message) may get a shared page."""
    return request.method == "GET" and "_flashes" not in session


def shareable_member(user):
    """Verified non-staff readers who may post share one page per role; only their own things differ."""
    return user.is_authenticated and user.is_verified and not access.is_staff(user) and not user.is_silenced


@dataclass(frozen=True)
class ViewerState:
    """What a signed-in reader's own copy of a thread page depends on."""

    following: bool
    held: bool
    unread: int
    read_up_to: int
    endorsed: frozenset


# Plain SQL in one round trip, once per signed-in page view: rows of (what, value).
VIEWER_STATE = text(
    """
    SELECT 0, post_id FROM endorsement WHERE user_id = :user AND post_id IN :posts
    UNION ALL SELECT 1, CASE WHEN EXISTS (
      SELECT 1 FROM follow WHERE user_id = :user AND thread_id = :thread) THEN 1 ELSE 0 END
    UNION ALL SELECT 2, CASE WHEN EXISTS (
      SELECT 1 FROM post WHERE thread_id = :thread AND author_id = :user
        AND state IN ('pending', 'hidden', 'rejected'))
      THEN 1 ELSE 0 END
    UNION ALL SELECT 3, (SELECT COUNT(*) FROM notification WHERE user_id = :user AND read_at IS NULL)
    UNION ALL SELECT 4, COALESCE(
      (SELECT last_read_post_id FROM read_mark WHERE user_id = :user AND thread_id = :thread), 0)
    """
).bindparams(bindparam("posts", expanding=True))


def viewer_state(user, thread_id, post_ids):
    """The reader's follow, held posts, unread count, read mark and endorsements among `post_ids`."""
    rows = db.session.execute(
        VIEWER_STATE, {"user": user.id, "thread": thread_id, "posts": list(post_ids)}
    ).all()
    values = {what: value for what, value in rows if what}
    endorsed = frozenset(value for what, value in rows if what == 0)
    return ViewerState(bool(values[1]), bool(values[2]), values[3], values[4], endorsed)


def current_viewer():
    """The user templates see: the shared stand-in while a shared page renders, else the real one."""
    return g.get("shared_viewer") or current_user


def csrf_token():
    """The template's csrf_token(): the reader's token, or the sentinel while rendering shared markup."""
    return CSRF_SENTINEL if g.get("sharing") else generate_csrf()


def unread_notifications():
    """The header's unread count: the reader's, or the sentinel while rendering a shared page."""
    from forum.notifications.services import unread_count

    if g.get("shared_viewer"):
        return UNREAD_SENTINEL
    return unread_count(current_user) if current_user.is_authenticated else 0


def viewer_style(viewer, author_id, locked, endorsed, following):
    """CSS that reveals the controls that are this viewer's: follow, endorse or withdraw, edit and delete."""
    if not viewer.is_authenticated:
        return ""
    me = f".by-{viewer.id}"
    rules = [".follow-remove{display:inline}" if following else ".follow-add{display:inline}"]
    if viewer.id == author_id or access.is_staff(viewer):
        rules.append(".thread-author-only{display:inline}")
    if viewer.is_verified and access.can_post(viewer):
        rules.append(".endorse-add{display:inline-flex}")
        rules.append(f"{me} .endorse-add{{display:none}}")
        rules.append(f".flag-add{{display:inline}}{me} .flag-add{{display:none}}")
        for post_id in sorted(endorsed):
            rules.append(f"#post-{post_id} .endorse-add{{display:none}}")
            rules.append(f"#post-{post_id} .endorse-remove{{display:inline-flex}}")
    if access.is_staff(viewer):
        rules.append(".owner-only{display:inline}")
    elif not locked:
        rules.append(f"{me} .owner-only{{display:inline}}")
    return "".join(rules)
