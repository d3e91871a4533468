"""Key takeaways of a theme, and what each one cites: posts, Q&A questions and Hub entries, by id."""

from datetime import datetime
from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Mapped, mapped_column

from forum.accounts.models import User
from forum.database import StateType, UTCDateTime, one_of, utcnow
from forum.extensions import db
from forum.qa.models import session_chair, session_theme
from forum.states import TakeawayState

if TYPE_CHECKING:
    from forum.qa.models import AgendaSession
    from forum.threads.models import Theme

TAKEAWAY_KINDS = {
    "best_practice": _l("Best practices"),
    "lesson_learned": _l("Lessons learned"),
    "open_question": _l("Open questions"),
}
TAKEAWAY_STATES = {
    TakeawayState.DRAFT: _l("Draft"),
    TakeawayState.REVIEW: _l("In review"),
    TakeawayState.PUBLISHED: _l("Published"),
}
CITATION_KINDS = {
    "post": _l("Post"),
    "question": _l("Q&A question"),
    "contribution": _l("Hub entry"),
}

TITLE_MAX = 200
BODY_MAX = 5000
CITATIONS_MAX = 30


class Takeaway(db.Model):
    """A key takeaway of a theme (or of one of its sessions), from draft through review to published."""

    __tablename__ = "takeaway"

    id: Mapped[int] = mapped_column(primary_key=True)
    theme_id: Mapped[int] = mapped_column(db.ForeignKey("theme.id", ondelete="CASCADE"))
    session_id: Mapped[int | None] = mapped_column(db.ForeignKey("agenda_session.id", ondelete="SET NULL"))
    author_id: Mapped[int] = mapped_column(db.ForeignKey("users.id"))
    kind: Mapped[str] = mapped_column(db.String(20))
    title: Mapped[str] = mapped_column(db.String(TITLE_MAX))
    # Staff-written Markdown and its HTML, sanitized once on write; `language` is the one it is written in.
    body: Mapped[str] = mapped_column(db.Text)
    body_html: Mapped[str] = mapped_column(db.Text)
    language: Mapped[str] = mapped_column(db.String(8))
    state: Mapped[TakeawayState] = mapped_column(StateType(TakeawayState, 10), default=TakeawayState.DRAFT)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    theme: Mapped["Theme"] = db.relationship("Theme")
    session: Mapped["AgendaSession | None"] = db.relationship("AgendaSession")
    author: Mapped["User"] = db.relationship("User")
    citations: Mapped[list["Citation"]] = db.relationship(
        "Citation",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="Citation.position",
    )

    __table_args__ = (
        db.Index("ix_takeaway_theme_state", "theme_id", "state"),
        one_of("state", TakeawayState),
    )

    @property
    def chairs(self):
        """Who chairs what it is drawn from: its session, else any session of its theme (forum.policy)."""
        query = select(User).join(session_chair, session_chair.c.user_id == User.id)
        if self.session_id is not None:
            query = query.where(session_chair.c.session_id == self.session_id)
        else:
            query = query.join(session_theme, session_theme.c.session_id == session_chair.c.session_id).where(
                session_theme.c.theme_id == self.theme_id
            )
        return db.session.scalars(query.distinct()).all()


class Citation(db.Model):
    """A takeaway's reference to a post, question or Hub entry: its kind and id, read afresh at every render.

    No foreign key: a cited item that is deleted leaves its citation, shown as no longer available.
    """

    __tablename__ = "takeaway_citation"

    takeaway_id: Mapped[int] = mapped_column(
        db.ForeignKey("takeaway.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(db.String(12), primary_key=True)
    target_id: Mapped[int] = mapped_column(primary_key=True)
    position: Mapped[int] = mapped_column(default=0)

    @property
    def key(self):
        """ "kind:id", as forms and exports write it."""
        return f"{self.kind}:{self.target_id}"
