"""The agenda, its sessions' live Q&A (questions and votes) and speakers' lists."""

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import validates

from forum.accounts.identity import WrittenIdentity
from forum.database import UTCDateTime, utcnow
from forum.extensions import db
from forum.multilingual import Texts, TextsType

QUESTION_MAX = 300

QA_STATES = {"closed": _l("Closed"), "open": _l("Open"), "archived": _l("Archived")}
MODERATION_MODES = {
    "post": _l("Post-moderated: questions appear at once"),
    "pre": _l("Pre-moderated: questions wait for approval"),
}
QUESTION_STATES = {
    "pending": _l("Awaiting approval"),
    "published": _l("Published"),
    "dismissed": _l("Dismissed"),
    "merged": _l("Merged into another question"),
}
SLOT_STATES = {
    "requested": _l("Requested"),
    "approved": _l("Approved"),
    "rejected": _l("Rejected"),
    "done": _l("Delivered"),
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

    id = db.Column(db.Integer, primary_key=True)
    slug = db.Column(db.String(80), nullable=False, unique=True)
    title = db.Column(TextsType, nullable=False)
    description = db.Column(TextsType, nullable=False, default=Texts())
    room = db.Column(db.String(120), nullable=False, default="")
    starts_at = db.Column(UTCDateTime, nullable=False, index=True)
    ends_at = db.Column(UTCDateTime, nullable=False)
    # Invited speakers and panellists, one per line: many are not registered users.
    speakers = db.Column(db.Text, nullable=False, default="", server_default="")
    qa_state = db.Column(db.String(10), nullable=False, default="closed", server_default="closed")
    moderation_mode = db.Column(db.String(4), nullable=False, default="post", server_default="post")
    # One question at a time: highlighting another moves the highlight (forum.qa.questions).
    highlighted_question_id = db.Column(db.Integer)
    # Requests for a speaking slot are accepted until then; None: until the session ends.
    speaker_deadline = db.Column(UTCDateTime)
    current_slot_id = db.Column(db.Integer)

    chairs = db.relationship("User", secondary=session_chair, order_by="User.name")
    themes = db.relationship("Theme", secondary=session_theme, order_by="Theme.position")
    threads = db.relationship("Thread", secondary=session_thread, order_by="Thread.id")

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

    id = db.Column(db.Integer, primary_key=True)
    session_id = db.Column(db.Integer, db.ForeignKey("agenda_session.id", ondelete="CASCADE"), nullable=False)
    author_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=False, index=True)
    body = db.Column(db.String(QUESTION_MAX), nullable=False)
    anonymous = db.Column(db.Boolean, nullable=False, default=False)
    state = db.Column(db.String(10), nullable=False, default="published")
    vote_count = db.Column(db.Integer, nullable=False, default=0)
    created_at = db.Column(UTCDateTime, nullable=False, default=utcnow)
    answered_at = db.Column(UTCDateTime)
    edited_at = db.Column(UTCDateTime)
    edited_by_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="SET NULL"))
    merged_into_id = db.Column(db.Integer, db.ForeignKey("question.id", ondelete="SET NULL"))
    # The language it is written in (ISO 639-1), chosen by the author or detected; None when unknown.
    language = db.Column(db.String(8), index=True)

    session = db.relationship("AgendaSession")
    author = db.relationship("User", foreign_keys=[author_id])

    __table_args__ = (db.Index("ix_question_session_state", "session_id", "state"),)


class QuestionVote(db.Model):
    """One user's upvote of one question; the primary key makes a second vote impossible."""

    __tablename__ = "question_vote"

    question_id = db.Column(db.Integer, db.ForeignKey("question.id", ondelete="CASCADE"), primary_key=True)
    user_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    created_at = db.Column(UTCDateTime, nullable=False, default=utcnow)

    # The dashboard counts the last two days' votes live (forum.insights.tally).
    __table_args__ = (db.Index("ix_question_vote_created_at", "created_at"),)


class SpeakerSlot(db.Model):
    """A request to speak in a session (a high-level statement), and its place in the list."""

    __tablename__ = "speaker_slot"

    id = db.Column(db.Integer, primary_key=True)
    session_id = db.Column(
        db.Integer, db.ForeignKey("agenda_session.id", ondelete="CASCADE"), nullable=False, index=True
    )
    user_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=False)
    on_behalf_of = db.Column(db.String(200), nullable=False)
    language = db.Column(db.String(2), nullable=False)
    minutes = db.Column(db.Integer, nullable=False)
    state = db.Column(db.String(10), nullable=False, default="requested")
    reason = db.Column(db.Text)
    position = db.Column(db.Integer, nullable=False, default=0)
    created_at = db.Column(UTCDateTime, nullable=False, default=utcnow)
    started_at = db.Column(UTCDateTime)
    ended_at = db.Column(UTCDateTime)

    user = db.relationship("User")
