"""Assembling a thread page: shared post fragments, and what belongs to the one reader beside them.

Each post's markup comes from `fragments` (one render per post version, audience and language).
What belongs to the reader — which controls they get on each post, their token, name and unread
count, whether they follow — is rendered for them around the fragments, never written into them.
An anonymous page holds nothing of any reader, so it is kept whole per thread state and language.
"""

from dataclasses import dataclass

from flask import current_app
from flask_babel import get_locale
from flask_login import AnonymousUserMixin
from markupsafe import Markup
from sqlalchemy import bindparam, text

from forum.extensions import db
from forum.policy import allowed
from forum.states import OWN_ONLY_STATES
from forum.threads import controls, fragments, queries

# Kept pages and parts (the visitors' page, the public page of posts, the shared parts) live this long
# at most: changes that publish no room event (an author renaming themselves, a theme renamed) show up
# at most this late; every other change makes a new key at once.
PAGE_SECONDS = 30
# Pages of 50 threads in six languages: a few thousand keys on a busy day.
PAGES = 4096


@dataclass(frozen=True)
class SharedPost:
    """A post as one audience sees it: its item's opening tag, its fragment; whose it is, for the server."""

    id: int
    author_id: int
    state: str
    language: str | None
    opening: Markup
    fragment: Markup


@dataclass(frozen=True)
class PostView:
    """One post of a page for one reader: the shared post, this reader's controls on it and their markup."""

    shared: SharedPost
    controls: controls.Controls
    markup: Markup


_CLOSE = Markup("</li>\n")


@dataclass(frozen=True)
class ThreadView:
    """A page of a thread as one reader sees it."""

    posts: tuple
    page: int
    pages: int
    state: "ViewerState | None"

    @property
    def post_ids(self):
        """The ids of the posts shown."""
        return tuple(post.shared.id for post in self.posts)

    @property
    def markup(self):
        """The posts' list items: each shared post's item with the reader's controls at its end."""
        parts = []
        for post in self.posts:
            parts += (post.shared.opening, post.shared.fragment, post.markup, _CLOSE)
        # Every part is markup already (kept fragments, the reader's controls): joined, not re-escaped.
        return Markup("".join(parts))  # noqa: S704


@dataclass(frozen=True)
class SharedPage:
    """A page of posts as one audience sees it, in one language."""

    posts: tuple
    page: int
    pages: int


@dataclass(frozen=True)
class ViewerState:
    """What a signed-in reader's page depends on beyond the posts."""

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
      SELECT 1 FROM post WHERE thread_id = :thread AND author_id = :user AND state IN :own_only)
      THEN 1 ELSE 0 END
    UNION ALL SELECT 3, (SELECT COUNT(*) FROM notification WHERE user_id = :user AND read_at IS NULL)
    UNION ALL SELECT 4, COALESCE(
      (SELECT last_read_post_id FROM read_mark WHERE user_id = :user AND thread_id = :thread), 0)
    """
).bindparams(bindparam("posts", expanding=True), bindparam("own_only", expanding=True))


def viewer_state(user, thread_id, post_ids):
    """The reader's follow, held posts, unread count, read mark and endorsements among `post_ids`."""
    values = {"user": user.id, "thread": thread_id, "posts": list(post_ids) or [0]}
    rows = db.session.execute(VIEWER_STATE, {**values, "own_only": list(OWN_ONLY_STATES)}).all()
    found = {what: value for what, value in rows if what}
    endorsed = frozenset(value for what, value in rows if what == 0)
    return ViewerState(bool(found[1]), bool(found[2]), found[3], found[4], endorsed)


def _shared_page(rows, audience_for):
    """A page of posts from `rows`, each post's fragment for the audience `audience_for(row)` gives."""
    posts, number, pages = rows
    shown = fragments.render(posts, audience_for)
    shared = tuple(
        SharedPost(post.id, post.author_id, post.state, post.language, *made)
        for post, made in zip(posts, shown, strict=True)
    )
    return SharedPage(shared, number, pages)


def _own_page(viewer, thread, number, language):
    """Page `number` as `viewer` alone sees it (staff, or an author with held posts), read now."""
    rows = queries.post_page(viewer, thread, number, language)
    return _shared_page(rows, lambda post: fragments.audience_of(viewer, post))


class _Kept:
    """A public page's rows, with the page made of them in each language asked so far."""

    __slots__ = ("rows", "pages")

    def __init__(self, rows):
        self.rows, self.pages = rows, {}


def public_posts(thread, number, language, seq):
    """The page of posts every reader who is not staff sees, kept per thread state, page and language.

    The key holds the room's latest event, so a new, changed or hidden post makes a new key at once.
    The rows are read once for every language; each language's page of them is kept with them.
    """
    key = (thread.id, thread.attribution, number, language, seq)
    cache = current_app.extensions["forum_caches"].named("public_post_rows", PAGES, PAGE_SECONDS)
    kept = cache.get(key, lambda: _Kept(queries.post_page(AnonymousUserMixin(), thread, number, language)))
    locale = str(get_locale())
    made = kept.pages.get(locale)
    if made is None:
        made = kept.pages[locale] = _shared_page(kept.rows, lambda _post: fragments.Audience.PUBLIC)
    return made


def thread_view(viewer, thread, number, language, seq, token):
    """Page `number` of `thread` (only posts in `language` when given) for `viewer`, with their state.

    `token()` gives the reader's form token, asked only when one of their controls is a form.
    """
    if allowed(viewer, "moderate"):
        shared = _own_page(viewer, thread, number, language)
    else:
        shared = public_posts(thread, number, language, seq)
    state = None
    if viewer.is_authenticated:
        state = viewer_state(viewer, thread.id, [post.id for post in shared.posts])
        if state.held:
            # Their own held posts take places on their pages: a page of their own, and their state for it.
            shared = _own_page(viewer, thread, number, language)
            state = viewer_state(viewer, thread.id, [post.id for post in shared.posts])
    endorsed = state.endorsed if state is not None else frozenset()
    shown = controls.for_posts(viewer, thread, shared.posts, endorsed, token)
    views = tuple(PostView(post, *made) for post, made in zip(shared.posts, shown, strict=True))
    return ThreadView(views, shared.page, shared.pages, state)
