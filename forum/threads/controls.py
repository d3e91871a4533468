"""One reader's controls on the posts of a page: decided by each action's own rule, made from patterns.

What a reader may do with a post depends on the post only through its state, whether it is theirs and
whether they endorsed it, so each action's rule is asked once per such kind of post on a page.

The markup of one kind of controls is rendered once per process, language and thread from
_controls.html, with marker values in place of the post's number and the reader's form token, and
split around them, as links.py does with URLs: a post's controls are those parts around its number
and the reader's escaped token. The parts hold no user text (only our markup, links and the
controls' translated words), and only an integer or the escaped token goes between them.
"""

from dataclasses import dataclass

from flask import current_app, request
from flask_babel import get_locale
from flask_babel import gettext as _
from markupsafe import Markup, escape

from forum.policy import allowed
from forum.states import LIVE_STATES, PostState
from forum.threads.links import MARKER, links

# Stands for the reader's token while a pattern is rendered: no URL, word or number holds this character.
TOKEN_MARKER = "\x1etoken\x1e"  # noqa: S105 - a marker, not a secret


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
    """What the rules of a post's actions ask of it (its state, whose it is, its thread), without the post."""

    __slots__ = ("state", "author_id", "thread")

    def __init__(self, state, author_id, thread):
        self.state, self.author_id, self.thread = state, author_id, thread


def controls_for(viewer, post, endorsed=False):
    """The controls `viewer` gets on `post` (a Post or its Facts): those its actions would accept now."""
    if not viewer.is_authenticated:
        return Controls(reply=post.state == PostState.PUBLISHED and not post.thread.locked)
    may_endorse = allowed(viewer, "post.endorse", post)
    return Controls(
        endorse=may_endorse,
        endorsed=may_endorse and endorsed,
        reply=post.state == PostState.PUBLISHED and allowed(viewer, "thread.reply", post.thread),
        edit=allowed(viewer, "post.edit", post),
        flag=allowed(viewer, "post.flag", post),
        moderate=allowed(viewer, "moderate"),
    )


class Pattern:
    """One kind of controls' markup in parts, with what goes between them: the post's number or the token."""

    __slots__ = ("parts", "holes")

    def __init__(self, markup):
        pieces = str(markup).replace(str(MARKER), "\x1epost\x1e").split("\x1e")
        self.parts = tuple(pieces[0::2])
        self.holes = tuple(pieces[1::2])
        if set(self.holes) - {"post", "token"}:
            raise ValueError("a control's markup holds a marker it should not")

    def __call__(self, post_id, token):
        """The controls of post `post_id` for the reader whose form token `token()` gives."""
        number = str(int(post_id))
        values = [number if hole == "post" else str(escape(token())) for hole in self.holes]
        pieces = [None] * (len(self.parts) + len(values))
        pieces[0::2], pieces[1::2] = self.parts, values
        # Our own template's markup, with an integer and an escaped token between its parts.
        return Markup("".join(pieces))  # noqa: S704


def pattern(controls, thread_id):
    """The pattern of `controls` in the active language for posts of thread `thread_id`."""
    key = (str(get_locale()), request.script_root, thread_id, controls)
    kept = current_app.extensions["forum_caches"].named("control_patterns", 4096)
    return kept.get(key, lambda: _pattern(controls, thread_id))


def _pattern(controls, thread_id):
    """Render `controls` once with the markers and split it."""
    macro = current_app.jinja_env.get_template("threads/_controls.html").module.controls
    return Pattern(macro(MARKER, thread_id, controls, links(), labels(), TOKEN_MARKER))


def for_posts(viewer, thread, posts, endorsed, token):
    """(controls, their markup) for each of `posts` (with id, state and author_id); `token()` gives theirs."""
    viewer_id = getattr(viewer, "id", None)
    decided = {}
    shown = []
    for post in posts:
        kind = (post.state, post.author_id == viewer_id, post.id in endorsed)
        if kind not in decided:
            can = controls_for(viewer, Facts(post.state, post.author_id, thread), kind[2])
            decided[kind] = (can, pattern(can, thread.id) if can else None)
        can, made = decided[kind]
        shown.append((can, made(post.id, token) if made else Markup()))
    return shown


def live(viewer, thread, token):
    """(state, whose, markup with the marker number) for the posts that may reach this reader live.

    `whose` is "own" or "other"; only states the reader receives live are listed; thread.js copies
    the one for a new post and puts the post's number where the marker number is.
    """
    if not viewer.is_authenticated:
        return []
    states = LIVE_STATES if allowed(viewer, "moderate") else (PostState.PUBLISHED,)
    other = -1  # no account has this id
    found = []
    for state in states:
        for whose, author_id in (("own", viewer.id), ("other", other)):
            can = controls_for(viewer, Facts(state, author_id, thread))
            if can:
                found.append((state, whose, pattern(can, thread.id)(MARKER, token)))
    return found


def labels():
    """The controls' words in the active language, asked of the catalog once per language and process."""
    kept = current_app.extensions["forum_caches"].named("control_labels", 16)
    return kept.get(str(get_locale()), _labels)


def _labels():
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
