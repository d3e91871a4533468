"""Rendered posts, shared by audience: a post's markup is made once per version, audience and language.

A fragment is what every reader of one audience sees of a post: its header, text and counts, and
nothing of any reader (no token, no "is this mine?", no controls). The audiences:

- PUBLIC: visitors and participants. Published and deleted posts only; in a Chatham House thread it
  carries the author's stakeholder group and country and nothing else of them.
- STAFF: moderators and admins, who see every post with its author, state and reason.
- OWN: the author's own view of their post while it is held, hidden or rejected (its state and the
  moderators' reason); it is served to that author only.

The cache key holds every value the markup is made from, so a changed post, author or thread makes
a new key and no invalidation is needed; old keys age out of a bounded cache.
"""

from enum import StrEnum

from flask import current_app
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _

from forum.accounts.models import STAKEHOLDER_GROUPS
from forum.i18n import country_in, geneva_in
from forum.languages import named_in
from forum.policy import allowed
from forum.states import OWN_ONLY_STATES, PUBLIC_STATES
from forum.threads.links import links
from forum.threads.models import HIDDEN_BY_FLAGS, POST_STATES

# About 2 KB each: 20,000 fragments hold a busy day's readable posts in two languages (~50 MB a process).
FRAGMENTS = 20_000


class Audience(StrEnum):
    """Who a rendered post is for."""

    PUBLIC = "public"
    STAFF = "staff"
    OWN = "own"


def audience_of(viewer, post):
    """The audience whose fragment of `post` this viewer gets, or None when they may not see it."""
    if allowed(viewer, "moderate"):
        return Audience.STAFF
    if post.state in PUBLIC_STATES:
        return Audience.PUBLIC
    if post.state in OWN_ONLY_STATES and viewer.is_authenticated and viewer.id == post.author_id:
        return Audience.OWN
    return None


def _author_part(post, audience):
    """What the fragment shows of the author: all for staff and on the record, else group and country."""
    written = (post.written_group, post.written_country)
    if audience is Audience.STAFF or post.attribution == "record":
        return (*written, post.author_id, post.author_name, post.author_organisation, post.author_verified)
    return written


def key_of(post, audience, locale):
    """Everything the fragment of `post` (a PostRow) for `audience` in `locale` is made from."""
    private = (post.state_reason,) if audience is not Audience.PUBLIC else ()
    return (
        post.id,
        audience.value,
        locale,
        post.state,
        post.attribution,
        hash(post.body_html),
        post.edited_at,
        post.endorsement_count,
        post.language,
        post.reply_to_id,
        _author_part(post, audience),
        *private,
    )


def _cache():
    """This process's fragment cache."""
    return current_app.extensions["forum_caches"].named("post_fragments", FRAGMENTS)


class Words(dict):
    """The words every post shows in one language, and its way of writing times, countries and languages.

    A post's render asks them of this object, which knows its language, rather than of the request.
    """

    def __init__(self, locale, **words):
        super().__init__(**words)
        self.locale = locale
        self.counts = {}

    def when(self, value):
        """A UTC datetime as Geneva time with the zone named (i18n.geneva), in this language."""
        return geneva_in(self.locale, self["geneva"], value)

    def country(self, code):
        """A country's name in this language (asked in a request in this language)."""
        return country_in(self.locale, code)

    def language_name(self, code):
        """A language's name in this language."""
        return named_in(self.locale, code)

    def endorsements(self, count):
        """'3 endorsements' in this language (asked in a request in this language)."""
        if count not in self.counts:
            self.counts[count] = ngettext("%(num)s endorsement", "%(num)s endorsements", count)
        return self.counts[count]

    def __getattr__(self, name):
        """A word by name, for templates."""
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None


def words():
    """The words every post shows, in the active language: asked of the catalog once per language."""
    locale = str(get_locale())
    kept = current_app.extensions["forum_caches"].named("post_words", 16)
    return kept.get(locale, lambda: _words(locale))


def _words(locale):
    """The words of `locale` (the active language)."""
    return Words(
        locale,
        geneva=_("%(date)s, %(time)s Geneva time (UTC%(offset)s)"),
        participant=_("A participant"),
        verified=_("Verified"),
        edited=_("edited"),
        deleted=_("This post was deleted."),
        in_reply=_("In reply to an earlier post"),
        flags=_("Hidden after flags from participants, until a moderator reviews it."),
        states={state: str(label) for state, label in POST_STATES.items()},
        hidden_by_flags=str(HIDDEN_BY_FLAGS),
        groups={group: str(label) for group, label in STAKEHOLDER_GROUPS.items()},
        language=locale.split("_")[0],
    )


def render(posts, audience_for):
    """(list item's opening tag, fragment) of each PostRow, for the audience `audience_for(post)`."""
    module = []
    locale = str(get_locale())
    cache = _cache()

    def make(post, audience):
        """Render one post for its audience, from no request state but the language."""
        if not module:
            # One template module per call, its macro called for each post made (cheaper than a render each).
            template = current_app.jinja_env.get_template("threads/_post.html")
            module.append(template.make_module({"links": links(), "words": words()}))
        return module[0].opening(post), module[0].fragment(post, audience is Audience.STAFF)

    fragments = []
    for post in posts:
        audience = audience_for(post)
        made = lambda p=post, a=audience: make(p, a)  # noqa: E731
        fragments.append(cache.get(key_of(post, audience, locale), made))
    return fragments
