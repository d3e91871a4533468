"""Links of a post and its controls, built from patterns made once per process.

A page of 20 posts needs some 200 links; `url_for` costs tens of microseconds each, so each link's
pattern is asked of `url_for` once, with a marker number that the URL then splits around, and a link
is the pattern's two halves around the post's id. Only integers ever go between them.
"""

from dataclasses import dataclass

from flask import current_app, request, url_for

MARKER = 2_000_000_017


@dataclass(frozen=True)
class Pattern:
    """A URL with one number in it: `head` + number + `tail`."""

    head: str
    tail: str

    def __call__(self, number):
        """The URL for this number (an int, so nothing but digits goes in)."""
        return f"{self.head}{int(number)}{self.tail}"


def _pattern(endpoint, name):
    """The pattern of `endpoint`'s URL around its argument `name`."""
    head, found, tail = url_for(endpoint, **{name: MARKER}).partition(str(MARKER))
    if not found:
        raise ValueError(f"{endpoint} does not put {name} in its URL")
    return Pattern(head, tail)


@dataclass(frozen=True)
class PostLinks:
    """Every link a post or its controls show, by the number they take."""

    post: Pattern
    revisions: Pattern
    profile: Pattern
    edit: Pattern
    delete: Pattern
    endorse: Pattern
    flag: Pattern
    moderate: Pattern
    reply: Pattern

    def answer(self, thread_id, post_id, quote=False):
        """The reply form of `thread_id` prepared to answer `post_id` (quoting it when asked)."""
        return f"{self.reply(thread_id)}?to={int(post_id)}" + ("&quote=1" if quote else "")


def links():
    """This process's post links for the current script root (made on first use)."""
    kept = current_app.extensions["forum_caches"].named("post_links", 16)
    return kept.get(request.script_root, _made)


def _made():
    """The links' patterns, asked of url_for once."""
    return PostLinks(
        post=_pattern("threads.post", "post_id"),
        revisions=_pattern("threads.revisions", "post_id"),
        profile=_pattern("accounts.profile", "user_id"),
        edit=_pattern("threads.edit_post", "post_id"),
        delete=_pattern("threads.delete_post", "post_id"),
        endorse=_pattern("threads.endorse", "post_id"),
        flag=_pattern("threads.flag", "post_id"),
        moderate=_pattern("moderation.post", "post_id"),
        reply=_pattern("threads.reply", "thread_id"),
    )
