"""What happens to a new or edited post before it is shown: watched words, and the hold rule.

One function decides, for every writer (thread, reply, edit): the post is refused (a blocked
word), held for review, or published, possibly with a review item raised behind it (a flagged word).
"""

import re
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import func, select

from forum import audit
from forum.extensions import db
from forum.moderation import settings as moderation_settings
from forum.moderation.models import WORD_ACTIONS, WORD_MAX, WatchedWord
from forum.policy import allowed
from forum.rules import RuleViolation
from forum.states import PostState
from forum.threads import gate
from forum.threads.models import Post

# Links in sanitized HTML that lead off the site (mentions are relative links).
OUTBOUND_LINK = re.compile(r'<a [^>]*href="(?:https?|mailto):', re.IGNORECASE)


@dataclass(frozen=True)
class Screening:
    """The verdict on a post: its state, why it is held, and why it goes to review while published."""

    state: str
    hold_reasons: tuple = ()
    review_reasons: tuple = ()


def _word_pattern(word):
    """A case-insensitive, Unicode-aware pattern matching `word` as a whole word or phrase."""
    # The word is escaped: a watched word is text, never a regular expression.
    return re.compile(r"(?<!\w)" + re.escape(word) + r"(?!\w)", re.IGNORECASE)


def matches(text):
    """{action: [words]} of the watched words found in `text`."""
    found = {}
    folded = text.casefold()
    for word, action in db.session.execute(select(WatchedWord.word, WatchedWord.action)):
        if _word_pattern(word).search(folded):
            found.setdefault(action, []).append(word)
    return found


def _published_posts(author):
    """How many of the author's posts are published."""
    query = (
        select(func.count())
        .select_from(Post)
        .where(Post.author_id == author.id, Post.state == PostState.PUBLISHED)
    )
    return db.session.scalar(query)


@gate.provide("screen")
def screen(author, body, html, *, editing=False, field="body"):
    """The verdict on a post by `author`; raises RuleViolation when a blocked word is in it.

    Staff posts are only checked for blocked words. An edit is never held back (its post is
    already out); what would hold a new post sends the edited one to the review queue instead.
    """
    found = matches(body)
    if "block" in found:
        raise RuleViolation(
            _(
                "Your post contains words that are not allowed here: %(words)s. Rephrase it and post again.",
                words=", ".join(found["block"]),
            ),
            field=field,
        )

    if allowed(author, "moderate"):
        return Screening(PostState.PUBLISHED)
    hold = []
    if not author.is_verified:
        hold.append("unverified")
    if "require_approval" in found:
        hold.append("watched_word")
    review = ["watched_word"] if "flag" in found and "watched_word" not in hold else []
    published = None
    if not editing and author.is_verified:
        published = _published_posts(author)
        if published < moderation_settings.get("hold_first_posts"):
            hold.append("new_user")
    if len(OUTBOUND_LINK.findall(html)) > moderation_settings.get("new_user_max_links"):
        published = _published_posts(author) if published is None else published
        if published < moderation_settings.get("new_user_posts"):
            hold.append("links")
    if editing:
        # The author's verification was settled when the post came out; the words and links were not.
        again = [reason for reason in hold if reason != "unverified"]
        return Screening(PostState.PUBLISHED, review_reasons=tuple(dict.fromkeys(review + again)))
    return Screening(PostState.PENDING if hold else PostState.PUBLISHED, tuple(hold), tuple(review))


def clean_word(word):
    """A watched word as stored: trimmed, inner spaces collapsed, case-folded; RuleViolation when unusable."""
    word = " ".join((word or "").split()).casefold()
    if not word:
        raise RuleViolation(_("Enter a word or phrase."), field="word")
    if len(word) > WORD_MAX:
        raise RuleViolation(_("Watched words are limited to %(n)s characters.", n=WORD_MAX), field="word")
    return word


def add_word(admin, word, action):
    """Add a watched word with its action; a duplicate (whatever its case) is refused."""
    word = clean_word(word)
    if action not in WORD_ACTIONS:
        raise RuleViolation(_("Choose one of the options."), field="action")
    if db.session.scalar(select(WatchedWord.id).where(WatchedWord.word == word)) is not None:
        raise RuleViolation(_("“%(word)s” is already watched.", word=word), field="word")
    entry = WatchedWord(word=word, action=action, created_by_id=admin.id)
    db.session.add(entry)
    db.session.flush()
    audit.log(admin, "word.add", "word", entry.id, word, after={"word": word, "action": action})
    db.session.commit()
    return entry


def remove_word(admin, word_id):
    """Stop watching a word."""
    entry = db.session.get(WatchedWord, word_id)
    if entry is None:
        raise RuleViolation(_("This watched word no longer exists."), code="not_found")
    audit.log(
        admin,
        "word.remove",
        "word",
        entry.id,
        entry.word,
        before={"word": entry.word, "action": entry.action},
    )
    db.session.delete(entry)
    db.session.commit()


def words():
    """Every watched word, alphabetically."""
    return db.session.scalars(select(WatchedWord).order_by(WatchedWord.word)).all()
