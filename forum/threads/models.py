"""Themes (categories), threads, posts and what hangs off them: revisions, endorsements, tags."""

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import validates

from forum.accounts.identity import WrittenIdentity
from forum.database import UTCDateTime, utcnow
from forum.extensions import db
from forum.multilingual import Texts, TextsType

THREAD_KINDS = {
    "discussion": _l("Discussion"),
    "best_practice": _l("Best practice"),
    "lesson_learned": _l("Lesson learned"),
    "question": _l("Question"),
}

ATTRIBUTION_MODES = {
    "record": _l("On the record"),
    "chatham": _l("Chatham House"),
}

POST_STATES = {
    "published": _l("Published"),
    "pending": _l("Awaiting review"),
    "hidden": _l("Hidden by a moderator"),
    "rejected": _l("Rejected by a moderator"),
    "deleted": _l("Deleted"),
}
# A post that participants' flags hid carries no moderator's reason until a moderator decides.
HIDDEN_BY_FLAGS = _l("Hidden after flags, awaiting a moderator")


def state_label(post):
    """The label of a post's state, naming who hid a hidden post: participants' flags or a moderator."""
    if post.state == "hidden" and not post.state_reason:
        return HIDDEN_BY_FLAGS
    return POST_STATES[post.state]


TITLE_MAX = 200
BODY_MAX = 20_000

thread_tag = db.Table(
    "thread_tag",
    db.Column("thread_id", db.Integer, db.ForeignKey("thread.id", ondelete="CASCADE"), primary_key=True),
    db.Column("tag_id", db.Integer, db.ForeignKey("tag.id", ondelete="CASCADE"), primary_key=True),
)


class Theme(db.Model):
    """A theme of the Dialogue, under which threads are filed; named and described in the UN languages."""

    id = db.Column(db.Integer, primary_key=True)
    slug = db.Column(db.String(80), nullable=False, unique=True)
    name = db.Column(TextsType, nullable=False)
    description = db.Column(TextsType, nullable=False, default=Texts())
    position = db.Column(db.Integer, nullable=False, default=0)

    @validates("name", "description")
    def _texts(self, key, value):
        """Texts always, also when given a plain string (in the default language)."""
        return Texts.of(value)


class Tag(db.Model):
    """A free label on threads, lower-case."""

    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(40), nullable=False, unique=True)


class Thread(db.Model):
    """A conversation: a title, a theme, a kind and its posts."""

    id = db.Column(db.Integer, primary_key=True)
    theme_id = db.Column(db.Integer, db.ForeignKey("theme.id"), nullable=False, index=True)
    author_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=False)
    title = db.Column(db.String(TITLE_MAX), nullable=False)
    kind = db.Column(db.String(20), nullable=False, default="discussion")
    attribution = db.Column(db.String(10), nullable=False, default="record")
    # A thread whose first post is not published yet is visible only to its author and staff.
    state = db.Column(db.String(12), nullable=False, default="published")
    locked = db.Column(db.Boolean, nullable=False, default=False)
    pinned = db.Column(db.Boolean, nullable=False, default=False)
    # Slow mode: the least number of seconds between two posts of one participant; 0 is off.
    slow_mode_seconds = db.Column(db.Integer, nullable=False, default=0, server_default="0")
    created_at = db.Column(UTCDateTime, nullable=False, default=utcnow)
    last_activity_at = db.Column(UTCDateTime, nullable=False, default=utcnow)
    reply_count = db.Column(db.Integer, nullable=False, default=0)
    first_post_id = db.Column(db.Integer)
    last_post_id = db.Column(db.Integer)
    # The opening post's language (ISO 639-1), so lists filter without a join; None when unknown.
    language = db.Column(db.String(8), index=True)

    theme = db.relationship("Theme")
    author = db.relationship("User")
    tags = db.relationship("Tag", secondary=thread_tag, order_by="Tag.name")

    __table_args__ = (db.Index("ix_thread_activity", "state", "last_activity_at", "id"),)


class Post(WrittenIdentity, db.Model):
    """One message in a thread: Markdown source and its HTML, sanitized once on write.

    It keeps its author's stakeholder group and country as they were when it was written (WrittenIdentity).
    """

    id = db.Column(db.Integer, primary_key=True)
    thread_id = db.Column(db.Integer, db.ForeignKey("thread.id", ondelete="CASCADE"), nullable=False)
    author_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=False, index=True)
    reply_to_id = db.Column(db.Integer, db.ForeignKey("post.id", ondelete="SET NULL"))
    body = db.Column(db.Text, nullable=False)
    body_html = db.Column(db.Text, nullable=False)
    state = db.Column(db.String(12), nullable=False, default="published")
    state_reason = db.Column(db.Text)
    created_at = db.Column(UTCDateTime, nullable=False, default=utcnow)
    edited_at = db.Column(UTCDateTime)
    endorsement_count = db.Column(db.Integer, nullable=False, default=0)
    # The language it is written in (ISO 639-1), chosen by the author or detected; None when unknown.
    language = db.Column(db.String(8), index=True)

    thread = db.relationship("Thread", backref=db.backref("posts", lazy="dynamic", passive_deletes=True))
    author = db.relationship("User")
    reply_to = db.relationship("Post", remote_side=[id])

    __table_args__ = (
        db.Index("ix_post_thread_state_id", "thread_id", "state", "id"),
        # The dashboard counts the last two days' posts live (forum.insights.tally).
        db.Index("ix_post_created_at", "created_at"),
    )


class PostRevision(db.Model):
    """A post's earlier text, kept when its author or a moderator edits it."""

    id = db.Column(db.Integer, primary_key=True)
    post_id = db.Column(db.Integer, db.ForeignKey("post.id", ondelete="CASCADE"), nullable=False, index=True)
    editor_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=False)
    body = db.Column(db.Text, nullable=False)
    body_html = db.Column(db.Text, nullable=False)
    created_at = db.Column(UTCDateTime, nullable=False, default=utcnow)

    editor = db.relationship("User")


class Endorsement(db.Model):
    """A user's endorsement of a post: one per user and post."""

    post_id = db.Column(db.Integer, db.ForeignKey("post.id", ondelete="CASCADE"), primary_key=True)
    user_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    created_at = db.Column(UTCDateTime, nullable=False, default=utcnow)


class ReadMark(db.Model):
    """How far a user has read a thread, for unread markers."""

    user_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    thread_id = db.Column(db.Integer, db.ForeignKey("thread.id", ondelete="CASCADE"), primary_key=True)
    last_read_post_id = db.Column(db.Integer, nullable=False, default=0)
