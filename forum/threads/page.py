"""Assembling a thread page: shared post fragments, and what belongs to the one reader beside them.

Each post's markup comes from `fragments` (one render per post version, audience and language).
What belongs to the reader — which controls they get on each post, their token, name and unread
count, whether they follow — is rendered for them around the fragments, never written into them.
An anonymous page holds nothing of any reader, so it is kept whole per thread state and language.
"""

from dataclasses import dataclass

from flask import current_app, g, request, session
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import AnonymousUserMixin
from markupsafe import Markup
from sqlalchemy import bindparam, text

from forum.extensions import db
from forum.threads import access, fragments, queries

# Kept pages and parts (the visitors' page, the public page of posts, the shared parts) live this long
# at most: changes that publish no room event (an author renaming themselves, a theme renamed) show up
# at most this late; every other change makes a new key at once.
PAGE_SECONDS = 10
# Pages of 50 threads in six languages: a few thousand keys on a busy day.
PAGES = 4096


@dataclass(frozen=True)
class Controls:
    """What one reader may do with one post: each decided by the rule of the action itself."""

    endorse: bool = False
    endorsed: bool = False
    reply: bool = False
    edit: bool = False
    flag: bool = False
    moderate: bool = False

    def __bool__(self):
        """True when there is a control to show."""
        return self.endorse or self.reply or self.edit or self.flag or self.moderate


class Facts:
    """What the rules of a post's actions ask of it (its state, whose it is, its thread), without the post.

    A page kept for every reader holds its posts as these facts and their fragments; each reader's
    controls then come from the same rules the actions apply, without loading the posts again.
    """

    __slots__ = ("state", "author_id", "thread")

    def __init__(self, state, author_id, thread):
        self.state, self.author_id, self.thread = state, author_id, thread


def controls_for(viewer, post, endorsed=False):
    """The controls `viewer` gets on `post` (a Post or its Facts): those its actions would accept now."""
    if not viewer.is_authenticated:
        return Controls(reply=post.state == "published" and not post.thread.locked)
    may_endorse = access.can_endorse(viewer, post)
    return Controls(
        endorse=may_endorse,
        endorsed=may_endorse and endorsed,
        reply=post.state == "published" and access.can_reply(viewer, post.thread),
        edit=access.can_edit_post(viewer, post),
        flag=access.can_flag(viewer, post),
        moderate=access.is_staff(viewer),
    )


@dataclass(frozen=True)
class SharedPost:
    """A post of a page as one audience sees it: its fragment, and whose it is for the server alone."""

    id: int
    author_id: int
    state: str
    language: str | None
    fragment: Markup


@dataclass(frozen=True)
class PostView:
    """One post of a page for one reader: the shared post and this reader's controls on it."""

    shared: SharedPost
    controls: Controls


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
    rows = db.session.execute(VIEWER_STATE, {**values, "own_only": list(access.OWN_ONLY_STATES)}).all()
    found = {what: value for what, value in rows if what}
    endorsed = frozenset(value for what, value in rows if what == 0)
    return ViewerState(bool(found[1]), bool(found[2]), found[3], found[4], endorsed)


def _shared_page(viewer, thread, number, language):
    """Page `number` of `thread` as `viewer`'s audience sees it, each post's fragment for that audience."""
    posts, number, pages = queries.post_page(viewer, thread, number, language)
    shown = fragments.render(posts, lambda post: fragments.audience_of(viewer, post))
    shared = tuple(
        SharedPost(post.id, post.author_id, post.state, post.language, fragment)
        for post, fragment in zip(posts, shown, strict=True)
    )
    return SharedPage(shared, number, pages)


def public_posts(thread, number, language, seq):
    """The page of posts every reader who is not staff sees (kept per thread state, page and language).

    The key holds the room's latest event, so a new, changed or hidden post makes a new key at once.
    """
    key = (thread.id, thread.attribution, number, language, seq, str(get_locale()))
    cache = current_app.extensions["forum_caches"].named("public_post_pages", PAGES, PAGE_SECONDS)
    return cache.get(key, lambda: _shared_page(AnonymousUserMixin(), thread, number, language))


def thread_view(viewer, thread, number, language, seq):
    """Page `number` of `thread` (only posts in `language` when given) for `viewer`, with their state."""
    if access.is_staff(viewer):
        shared = _shared_page(viewer, thread, number, language)
    else:
        shared = public_posts(thread, number, language, seq)
    state = None
    if viewer.is_authenticated:
        state = viewer_state(viewer, thread.id, [post.id for post in shared.posts])
        if state.held:
            # Their own held posts take places on their pages: a page of their own, and their state for it.
            shared = _shared_page(viewer, thread, number, language)
            state = viewer_state(viewer, thread.id, [post.id for post in shared.posts])
    endorsed = state.endorsed if state is not None else frozenset()
    views = tuple(
        PostView(post, controls_for(viewer, Facts(post.state, post.author_id, thread), post.id in endorsed))
        for post in shared.posts
    )
    return ThreadView(views, shared.page, shared.pages, state)


def live_controls(viewer, thread):
    """(state, whose, controls) for the posts that may reach this reader live, for thread.js to copy.

    `whose` is "own" or "other"; only states the reader receives live are listed.
    """
    if not viewer.is_authenticated:
        return []
    states = ("published", "pending", "hidden", "rejected") if access.is_staff(viewer) else ("published",)
    other = -1  # no account has this id
    found = []
    for state in states:
        for whose, author_id in (("own", viewer.id), ("other", other)):
            controls = controls_for(viewer, Facts(state, author_id, thread))
            if controls:
                found.append((state, whose, controls))
    return found


def control_labels():
    """The controls' words in the active language, asked of the catalog once per language and process."""
    kept = current_app.extensions["forum_caches"].named("control_labels", 16)
    return kept.get(str(get_locale()), _control_labels)


def _control_labels():
    """The controls' words in the active language."""
    return {
        "endorse": _("Endorse"),
        "withdraw": _("Withdraw my endorsement"),
        "reply": _("Reply"),
        "quote": _("Quote"),
        "edit": _("Edit"),
        "delete": _("Delete"),
        "flag": _("Flag"),
        "moderate": _("Moderate"),
    }


def shared_markup(template, key, context):
    """Markup every reader of the page shares, from `template` and `context()` alone, kept per key and locale.

    `context` is a function, called only when the markup is made: a kept part costs its key and nothing more.

    The template sees no request user, and asking for a form token fails while it renders: what is kept
    here cannot hold anything of one reader. `key` must hold everything the markup is made from that a
    room event does not announce; the rest shows up within PAGE_SECONDS.
    """

    def make():
        """Render for every reader."""
        g.shared_render = True
        try:
            # Our own template's output, with user text escaped by it.
            return Markup(current_app.jinja_env.get_template(template).render(context()))  # noqa: S704
        finally:
            g.shared_render = False

    cache = current_app.extensions["forum_caches"].named("shared_markup", PAGES * 2, PAGE_SECONDS)
    return cache.get((template, str(get_locale()), *key), make)


def cacheable_request():
    """An anonymous GET with nothing personal waiting (no flashed message) may get a kept page."""
    return request.method == "GET" and "_flashes" not in session


def public_page(key, render):
    """The anonymous page for `key`, rendered once (by one request at a time) and kept a short while.

    The render runs with `g.shared_render` set: asking for a reader's form token then fails, and so
    does a render that wrote to the visitor's session, so a page kept for every visitor can never hold
    one visitor's token or anything else of theirs.
    """

    def make():
        """Render for every visitor."""
        g.shared_render = True
        written = session.modified
        try:
            html = render()
        finally:
            g.shared_render = False
        if session.modified and not written:
            raise RuntimeError("a page shared by every visitor wrote to one visitor's session")
        return html

    cache = current_app.extensions["forum_caches"].named("public_thread_pages", PAGES, PAGE_SECONDS)
    return cache.get(("thread", str(get_locale()), *key), make)
