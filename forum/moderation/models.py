"""What moderators work with: review items, flags, sanctions, staff notes, watched words, settings, audit."""

from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column

from forum.database import StateType, UTCDateTime, one_of, utcnow
from forum.extensions import db

if TYPE_CHECKING:
    from forum.accounts.models import User
    from forum.threads.models import Post

FLAG_REASONS = {
    "off_topic": _l("Off-topic"),
    "inappropriate": _l("Inappropriate"),
    "spam": _l("Spam"),
    "harassment": _l("Harassment"),
    "illegal": _l("Illegal content"),
    "other": _l("Something else"),
}

# Why a post is in the review queue; an item can have several.
HOLD_REASONS = {
    "unverified": _l("Author not verified yet"),
    "new_user": _l("One of a new account's first posts"),
    "watched_word": _l("Contains a watched word"),
    "links": _l("More links than a new account may post"),
    "flagged": _l("Flagged by participants"),
}


class ItemState(StrEnum):
    """A review item: open until a moderator approves or rejects the post."""

    OPEN = "open"
    APPROVED = "approved"
    REJECTED = "rejected"


class FlagOutcome(StrEnum):
    """What the moderators decided about a flagged post, told to the flagger."""

    UPHELD = "upheld"
    DECLINED = "declined"


ITEM_STATES = {
    ItemState.OPEN: _l("Open"),
    ItemState.APPROVED: _l("Approved"),
    ItemState.REJECTED: _l("Rejected"),
}

SANCTIONS = {
    "warn": _l("Warning"),
    "silence": _l("Silenced"),
    "suspend": _l("Suspended"),
}

WORD_ACTIONS = {
    "block": _l("Block the post"),
    "require_approval": _l("Hold the post for approval"),
    "flag": _l("Flag the post for review"),
}

WORD_MAX = 100
REASON_MAX = 1000


class ReviewItem(db.Model):
    """A post waiting for a moderator's decision: held before publication, or flagged after."""

    __tablename__ = "review_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(db.ForeignKey("post.id", ondelete="CASCADE"), index=True)
    # Comma-separated HOLD_REASONS codes.
    reasons: Mapped[str] = mapped_column(db.String(200))
    state: Mapped[ItemState] = mapped_column(StateType(ItemState, 12), default=ItemState.OPEN)
    claimed_by_id: Mapped[int | None] = mapped_column(db.ForeignKey("users.id", ondelete="SET NULL"))
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    handled_by_id: Mapped[int | None] = mapped_column(db.ForeignKey("users.id", ondelete="SET NULL"))
    handled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolution_reason: Mapped[str | None] = mapped_column(db.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    post: Mapped["Post"] = db.relationship("Post")
    claimed_by: Mapped["User | None"] = db.relationship("User", foreign_keys=[claimed_by_id])
    handled_by: Mapped["User | None"] = db.relationship("User", foreign_keys=[handled_by_id])

    __table_args__ = (
        # At most one open item per post: a second reason joins the open item.
        db.Index(
            "uq_review_item_open_post",
            "post_id",
            unique=True,
            sqlite_where=db.text(f"state = '{ItemState.OPEN}'"),
            postgresql_where=db.text(f"state = '{ItemState.OPEN}'"),
        ),
        db.Index("ix_review_item_state_id", "state", "id"),
        one_of("state", ItemState),
    )

    @property
    def reason_codes(self):
        """The hold reasons as a list of codes."""
        return [code for code in self.reasons.split(",") if code]


class Flag(db.Model):
    """A participant's report of a post: one per user and post."""

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(db.ForeignKey("post.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(db.ForeignKey("users.id", ondelete="CASCADE"))
    reason: Mapped[str] = mapped_column(db.String(20))
    note: Mapped[str | None] = mapped_column(db.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # What the moderators decided, told to the flagger; None until they have.
    outcome: Mapped[FlagOutcome | None] = mapped_column(StateType(FlagOutcome, 12))
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped["User"] = db.relationship("User")
    post: Mapped["Post"] = db.relationship("Post")

    __table_args__ = (
        db.UniqueConstraint("post_id", "user_id", name="uq_flag_post_user"),
        db.Index("ix_flag_user", "user_id"),
        one_of("outcome", FlagOutcome),
    )


class Sanction(db.Model):
    """A warning, or a silence or suspension until a date; the user row carries the active end dates."""

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(db.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(db.String(12))
    reason: Mapped[str] = mapped_column(db.Text)
    ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int | None] = mapped_column(db.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    lifted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    lifted_by_id: Mapped[int | None] = mapped_column(db.ForeignKey("users.id", ondelete="SET NULL"))

    user: Mapped["User"] = db.relationship("User", foreign_keys=[user_id])
    created_by: Mapped["User | None"] = db.relationship("User", foreign_keys=[created_by_id])
    lifted_by: Mapped["User | None"] = db.relationship("User", foreign_keys=[lifted_by_id])


class StaffNote(db.Model):
    """A note about a user that only staff read."""

    __tablename__ = "staff_note"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(db.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(db.ForeignKey("users.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(db.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    author: Mapped["User | None"] = db.relationship("User", foreign_keys=[author_id])


class WatchedWord(db.Model):
    """A word or phrase checked in every new or edited post, with what happens on a match."""

    __tablename__ = "watched_word"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Stored case-folded, so duplicates are caught whatever their case.
    word: Mapped[str] = mapped_column(db.String(WORD_MAX), unique=True)
    action: Mapped[str] = mapped_column(db.String(20))
    created_by_id: Mapped[int | None] = mapped_column(db.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Setting(db.Model):
    """A setting the secretariat changes at run time; the configuration gives the default."""

    key: Mapped[str] = mapped_column(db.String(40), primary_key=True)
    value: Mapped[int] = mapped_column()
