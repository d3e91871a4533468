"""Themes (categories), threads, posts and what hangs off them: revisions, endorsements, tags."""

from datetime import datetime
from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, validates

from forum.accounts.identity import WrittenIdentity
from forum.database import StateType, UTCDateTime, one_of, utcnow
from forum.extensions import db
from forum.multilingual import Texts, TextsType
from forum.states import PostState, ThreadState

if TYPE_CHECKING:
    from forum.accounts.models import User

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
    PostState.PUBLISHED: _l("Published"),
    PostState.PENDING: _l("Awaiting review"),
    PostState.HIDDEN: _l("Hidden by a moderator"),
    PostState.REJECTED: _l("Rejected by a moderator"),
    PostState.DELETED: _l("Deleted"),
}
# A post that participants' flags hid carries no moderator's reason until a moderator decides.
HIDDEN_BY_FLAGS = _l("Hidden after flags, awaiting a moderator")


def state_label(post):
    """The label of a post's state, naming who hid a hidden post: participants' flags or a moderator."""
    if post.state == PostState.HIDDEN and not post.state_reason:
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

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(db.String(80), unique=True)
    name: Mapped[Texts] = mapped_column(TextsType)
    description: Mapped[Texts] = mapped_column(TextsType, default=Texts())
    position: Mapped[int] = mapped_column(default=0)

    @validates("name", "description")
    def _texts(self, key, value):
        """Texts always, also when given a plain string (in the default language)."""
        return Texts.of(value)


class Tag(db.Model):
    """A free label on threads, lower-case."""

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(db.String(40), unique=True)


class Thread(db.Model):
    """A conversation: a title, a theme, a kind and its posts."""

    id: Mapped[int] = mapped_column(primary_key=True)
    theme_id: Mapped[int] = mapped_column(db.ForeignKey("theme.id"), index=True)
    author_id: Mapped[int] = mapped_column(db.ForeignKey("users.id"))
    title: Mapped[str] = mapped_column(db.String(TITLE_MAX))
    kind: Mapped[str] = mapped_column(db.String(20), default="discussion")
    attribution: Mapped[str] = mapped_column(db.String(10), default="record")
    # A thread whose first post is not published yet is visible only to its author and staff.
    state: Mapped[ThreadState] = mapped_column(StateType(ThreadState, 12), default=ThreadState.PUBLISHED)
    locked: Mapped[bool] = mapped_column(default=False)
    pinned: Mapped[bool] = mapped_column(default=False)
    # Slow mode: the least number of seconds between two posts of one participant; 0 is off.
    slow_mode_seconds: Mapped[int] = mapped_column(default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_activity_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    reply_count: Mapped[int] = mapped_column(default=0)
    first_post_id: Mapped[int | None] = mapped_column()
    last_post_id: Mapped[int | None] = mapped_column()
    # The opening post's language (ISO 639-1), so lists filter without a join; None when unknown.
    language: Mapped[str | None] = mapped_column(db.String(8), index=True)

    theme: Mapped["Theme"] = db.relationship("Theme")
    author: Mapped["User"] = db.relationship("User")
    tags: Mapped[list["Tag"]] = db.relationship("Tag", secondary=thread_tag, order_by="Tag.name")

    __table_args__ = (
        db.Index("ix_thread_activity", "state", "last_activity_at", "id"),
        one_of("state", ThreadState),
    )


class Post(WrittenIdentity, db.Model):
    """One message in a thread: Markdown source and its HTML, sanitized once on write.

    It keeps its author's stakeholder group and country as they were when it was written (WrittenIdentity).
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    thread_id: Mapped[int] = mapped_column(db.ForeignKey("thread.id", ondelete="CASCADE"))
    author_id: Mapped[int] = mapped_column(db.ForeignKey("users.id"), index=True)
    reply_to_id: Mapped[int | None] = mapped_column(db.ForeignKey("post.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(db.Text)
    body_html: Mapped[str] = mapped_column(db.Text)
    state: Mapped[PostState] = mapped_column(StateType(PostState, 12), default=PostState.PUBLISHED)
    state_reason: Mapped[str | None] = mapped_column(db.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    endorsement_count: Mapped[int] = mapped_column(default=0)
    # The language it is written in (ISO 639-1), chosen by the author or detected; None when unknown.
    language: Mapped[str | None] = mapped_column(db.String(8), index=True)

    thread: Mapped["Thread"] = db.relationship(
        "Thread", backref=db.backref("posts", lazy="dynamic", passive_deletes=True)
    )
    author: Mapped["User"] = db.relationship("User")
    reply_to: Mapped["Post | None"] = db.relationship("Post", remote_side=[id])

    __table_args__ = (
        db.Index("ix_post_thread_state_id", "thread_id", "state", "id"),
        one_of("state", PostState),
        # The dashboard counts the last two days' posts live (forum.insights.tally).
        db.Index("ix_post_created_at", "created_at"),
    )


class PostRevision(db.Model):
    """A post's earlier text, kept when its author or a moderator edits it."""

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(db.ForeignKey("post.id", ondelete="CASCADE"), index=True)
    editor_id: Mapped[int] = mapped_column(db.ForeignKey("users.id"))
    body: Mapped[str] = mapped_column(db.Text)
    body_html: Mapped[str] = mapped_column(db.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    editor: Mapped["User"] = db.relationship("User")


class Endorsement(db.Model):
    """A user's endorsement of a post: one per user and post."""

    post_id: Mapped[int] = mapped_column(db.ForeignKey("post.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(db.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ReadMark(db.Model):
    """How far a user has read a thread, for unread markers."""

    user_id: Mapped[int] = mapped_column(db.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    thread_id: Mapped[int] = mapped_column(db.ForeignKey("thread.id", ondelete="CASCADE"), primary_key=True)
    last_read_post_id: Mapped[int] = mapped_column(default=0)
