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
from markupsafe import Markup
from sqlalchemy import bindparam, text

from forum.extensions import db
from forum.threads import access, fragments, queries

# Anonymous pages whose thread saw no event are kept this long: changes that publish no event (an
# author renaming themselves, a theme renamed) show up at most this late to visitors.
PAGE_SECONDS = 10
PAGES = 512


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


def controls_for(viewer, post, endorsed=False):
    """The controls `viewer` gets on `post`: those whose action would accept them now."""
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
class PostView:
    """One post of a page: its shared fragment and this reader's controls."""

    id: int
    state: str
    language: str | None
    fragment: Markup
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
        return tuple(post.id for post in self.posts)


@dataclass(frozen=True)
class ViewerState:
    """What a signed-in reader's page depends on beyond the posts."""

    following: bool
    unread: int
    read_up_to: int
    endorsed: frozenset


# Plain SQL in one round trip, once per signed-in page view: rows of (what, value).
VIEWER_STATE = text(
    """
    SELECT 0, post_id FROM endorsement WHERE user_id = :user AND post_id IN :posts
    UNION ALL SELECT 1, CASE WHEN EXISTS (
      SELECT 1 FROM follow WHERE user_id = :user AND thread_id = :thread) THEN 1 ELSE 0 END
    UNION ALL SELECT 2, (SELECT COUNT(*) FROM notification WHERE user_id = :user AND read_at IS NULL)
    UNION ALL SELECT 3, COALESCE(
      (SELECT last_read_post_id FROM read_mark WHERE user_id = :user AND thread_id = :thread), 0)
    """
).bindparams(bindparam("posts", expanding=True))


def viewer_state(user, thread_id, post_ids):
    """The reader's follow, unread count, read mark and endorsements among `post_ids`."""
    rows = db.session.execute(
        VIEWER_STATE, {"user": user.id, "thread": thread_id, "posts": list(post_ids)}
    ).all()
    values = {what: value for what, value in rows if what}
    endorsed = frozenset(value for what, value in rows if what == 0)
    return ViewerState(bool(values[1]), values[2], values[3], endorsed)


def thread_view(viewer, thread, number, language=None, state_of=None):
    """Page `number` of `thread` (only posts in `language` when given) for `viewer`.

    `state_of(post_ids)`, for a signed-in reader, gives their ViewerState for the posts shown.
    """
    posts, number, pages = queries.post_page(viewer, thread, number, language)
    state = state_of([post.id for post in posts]) if state_of else None
    shared = fragments.render(posts, lambda post: fragments.audience_of(viewer, post))
    endorsed = state.endorsed if state is not None else frozenset()
    views = tuple(
        PostView(post.id, post.state, post.language, shown, controls_for(viewer, post, post.id in endorsed))
        for post, shown in zip(posts, shared, strict=True)
    )
    return ThreadView(views, number, pages, state)


class _Stand:
    """A post as the controls of a live copy see it: its state, whose it is, its thread."""

    def __init__(self, state, author_id, thread):
        self.state, self.author_id, self.thread = state, author_id, thread


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
            controls = controls_for(viewer, _Stand(state, author_id, thread))
            if controls:
                found.append((state, whose, controls))
    return found


def control_labels():
    """The controls' words in the active language, asked of the catalog once per language and process."""
    made = current_app.extensions.setdefault("forum_control_labels", {})
    locale = str(get_locale())
    if locale not in made:
        made[locale] = {
            "endorse": _("Endorse"),
            "withdraw": _("Withdraw my endorsement"),
            "reply": _("Reply"),
            "quote": _("Quote"),
            "edit": _("Edit"),
            "delete": _("Delete"),
            "flag": _("Flag"),
            "moderate": _("Moderate"),
        }
    return made[locale]


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
