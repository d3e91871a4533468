"""The agenda, its sessions' live Q&A (questions and votes) and speakers' lists."""

from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, validates

from forum.accounts.identity import WrittenIdentity
from forum.database import StateType, UTCDateTime, one_of, utcnow
from forum.extensions import db
from forum.multilingual import Texts, TextsType

if TYPE_CHECKING:
    from forum.accounts.models import User
    from forum.threads.models import Theme, Thread

QUESTION_MAX = 300


class QaState(StrEnum):
    """A session's Q&A: closed (not yet, or paused), open to questions and votes, or archived after it."""

    CLOSED = "closed"
    OPEN = "open"
    ARCHIVED = "archived"


class QuestionState(StrEnum):
    """A question: published, or pending approval in a pre-moderated Q&A; then dismissed or merged."""

    PENDING = "pending"
    PUBLISHED = "published"
    DISMISSED = "dismissed"
    MERGED = "merged"


class SlotState(StrEnum):
    """A request to speak: requested, approved (in the list) or rejected, done once delivered."""

    REQUESTED = "requested"
    APPROVED = "approved"
    REJECTED = "rejected"
    DONE = "done"


# Questions still in play: a moderator may approve, dismiss, edit or merge them.
OPEN_QUESTION_STATES = (QuestionState.PENDING, QuestionState.PUBLISHED)
# Speaking slots in the list, delivered or still to come.
LISTED_SLOT_STATES = (SlotState.APPROVED, SlotState.DONE)

QA_STATES = {QaState.CLOSED: _l("Closed"), QaState.OPEN: _l("Open"), QaState.ARCHIVED: _l("Archived")}
MODERATION_MODES = {
    "post": _l("Post-moderated: questions appear at once"),
    "pre": _l("Pre-moderated: questions wait for approval"),
}
QUESTION_STATES = {
    QuestionState.PENDING: _l("Awaiting approval"),
    QuestionState.PUBLISHED: _l("Published"),
    QuestionState.DISMISSED: _l("Dismissed"),
    QuestionState.MERGED: _l("Merged into another question"),
}
SLOT_STATES = {
    SlotState.REQUESTED: _l("Requested"),
    SlotState.APPROVED: _l("Approved"),
    SlotState.REJECTED: _l("Rejected"),
    SlotState.DONE: _l("Delivered"),
}
# The six official languages of the United Nations, in which statements may be delivered.
STATEMENT_LANGUAGES = {
    "ar": _l("Arabic"),
    "zh": _l("Chinese"),
    "en": _l("English"),
    "fr": _l("French"),
    "ru": _l("Russian"),
    "es": _l("Spanish"),
}

session_chair = db.Table(
    "session_chair",
    db.Column(
        "session_id", db.Integer, db.ForeignKey("agenda_session.id", ondelete="CASCADE"), primary_key=True
    ),
    db.Column("user_id", db.Integer, db.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
)
session_theme = db.Table(
    "session_theme",
    db.Column(
        "session_id", db.Integer, db.ForeignKey("agenda_session.id", ondelete="CASCADE"), primary_key=True
    ),
    db.Column("theme_id", db.Integer, db.ForeignKey("theme.id", ondelete="CASCADE"), primary_key=True),
)
session_thread = db.Table(
    "session_thread",
    db.Column(
        "session_id", db.Integer, db.ForeignKey("agenda_session.id", ondelete="CASCADE"), primary_key=True
    ),
    db.Column("thread_id", db.Integer, db.ForeignKey("thread.id", ondelete="CASCADE"), primary_key=True),
)


class AgendaSession(db.Model):
    """A session of the programme, stored in UTC, shown in Geneva time, with its Q&A and speakers; its title
    and description in the UN languages."""

    __tablename__ = "agenda_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(db.String(80), unique=True)
    title: Mapped[Texts] = mapped_column(TextsType)
    description: Mapped[Texts] = mapped_column(TextsType, default=Texts())
    room: Mapped[str] = mapped_column(db.String(120), default="")
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # Invited speakers and panellists, one per line: many are not registered users.
    speakers: Mapped[str] = mapped_column(db.Text, default="", server_default="")
    qa_state: Mapped[QaState] = mapped_column(
        StateType(QaState, 10), default=QaState.CLOSED, server_default=QaState.CLOSED.value
    )
    moderation_mode: Mapped[str] = mapped_column(db.String(4), default="post", server_default="post")
    # One question at a time: highlighting another moves the highlight (forum.qa.questions).
    highlighted_question_id: Mapped[int | None] = mapped_column()
    # Requests for a speaking slot are accepted until then; None: until the session ends.
    speaker_deadline: Mapped[datetime | None] = mapped_column(UTCDateTime)
    current_slot_id: Mapped[int | None] = mapped_column()

    chairs: Mapped[list["User"]] = db.relationship("User", secondary=session_chair, order_by="User.name")
    themes: Mapped[list["Theme"]] = db.relationship(
        "Theme", secondary=session_theme, order_by="Theme.position"
    )
    threads: Mapped[list["Thread"]] = db.relationship(
        "Thread", secondary=session_thread, order_by="Thread.id"
    )

    __table_args__ = (one_of("qa_state", QaState),)

    @validates("title", "description")
    def _texts(self, key, value):
        """Texts always, also when given a plain string (in the default language)."""
        return Texts.of(value)

    @property
    def speaker_names(self):
        """The invited speakers, one name per entry."""
        return [line.strip() for line in (self.speakers or "").splitlines() if line.strip()]


class Question(WrittenIdentity, db.Model):
    """A question asked in a session's Q&A: plain text, shown escaped.

    It keeps its author's stakeholder group and country as they were when it was asked (WrittenIdentity).
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(db.ForeignKey("agenda_session.id", ondelete="CASCADE"))
    author_id: Mapped[int] = mapped_column(db.ForeignKey("users.id"), index=True)
    body: Mapped[str] = mapped_column(db.String(QUESTION_MAX))
    anonymous: Mapped[bool] = mapped_column(default=False)
    state: Mapped[QuestionState] = mapped_column(
        StateType(QuestionState, 10), default=QuestionState.PUBLISHED
    )
    vote_count: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    edited_by_id: Mapped[int | None] = mapped_column(db.ForeignKey("users.id", ondelete="SET NULL"))
    merged_into_id: Mapped[int | None] = mapped_column(db.ForeignKey("question.id", ondelete="SET NULL"))
    # The language it is written in (ISO 639-1), chosen by the author or detected; None when unknown.
    language: Mapped[str | None] = mapped_column(db.String(8), index=True)

    session: Mapped["AgendaSession"] = db.relationship("AgendaSession")
    author: Mapped["User"] = db.relationship("User", foreign_keys=[author_id])

    __table_args__ = (
        db.Index("ix_question_session_state", "session_id", "state"),
        one_of("state", QuestionState),
    )


class QuestionVote(db.Model):
    """One user's upvote of one question; the primary key makes a second vote impossible."""

    __tablename__ = "question_vote"

    question_id: Mapped[int] = mapped_column(
        db.ForeignKey("question.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(db.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    # The dashboard counts the last two days' votes live (forum.insights.tally).
    __table_args__ = (db.Index("ix_question_vote_created_at", "created_at"),)


class SpeakerSlot(db.Model):
    """A request to speak in a session (a high-level statement), and its place in the list."""

    __tablename__ = "speaker_slot"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        db.ForeignKey("agenda_session.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(db.ForeignKey("users.id"))
    on_behalf_of: Mapped[str] = mapped_column(db.String(200))
    language: Mapped[str] = mapped_column(db.String(2))
    minutes: Mapped[int] = mapped_column()
    state: Mapped[SlotState] = mapped_column(StateType(SlotState, 10), default=SlotState.REQUESTED)
    reason: Mapped[str | None] = mapped_column(db.Text)
    position: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped["User"] = db.relationship("User")

    __table_args__ = (one_of("state", SlotState),)
