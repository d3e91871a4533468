"""Demo data of moderation: a few watched words, and a post flagged by a participant."""

from sqlalchemy import select

from forum.accounts.models import find_by_email
from forum.extensions import db
from forum.moderation import flags, screening
from forum.moderation.models import Flag, WatchedWord
from forum.states import PostState
from forum.threads.models import Post

WORDS = (("guaranteed returns", "require_approval"), ("miracle cure", "flag"), ("casino bonus", "block"))
# (flagger, a phrase of the flagged post, reason, note)
FLAG = ("ngo@demo.dialogue.int", "compute", "off_topic", "")


def seed_moderation():
    """Create the missing watched words and the demo flag; returns how many records were made."""
    admin = find_by_email("secretariat@demo.dialogue.int")
    made = 0
    for word, action in WORDS:
        if db.session.scalar(select(WatchedWord.id).where(WatchedWord.word == word)) is None:
            screening.add_word(admin, word, action)
            made += 1
    flagger_email, phrase, reason, note = FLAG
    flagger = find_by_email(flagger_email)
    post = db.session.scalar(
        select(Post)
        .where(Post.body.contains(phrase), Post.author_id != flagger.id, Post.state == PostState.PUBLISHED)
        .order_by(Post.id.desc())
        .limit(1)
    )
    already = db.session.scalar(select(Flag.id).where(Flag.user_id == flagger.id).limit(1))
    if post is not None and already is None:
        flags.flag_post(flagger, post, reason, note)
        made += 1
    return made
