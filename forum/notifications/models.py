"""Follows and in-app notifications."""

from datetime import datetime
from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column

from forum.database import UTCDateTime, utcnow
from forum.extensions import db

if TYPE_CHECKING:
    from forum.accounts.models import User

NOTIFICATION_KINDS = {
    "mention": _l("mentioned you"),
    "reply": _l("replied to you"),
    "followed_thread": _l("posted in a thread you follow"),
    "followed_theme": _l("started a thread in a theme you follow"),
}

# Notices from the moderators and the secretariat: no actor shown, a message (the reason) instead.
NOTICE_KINDS = {
    "post_approved": _l("A moderator approved your post"),
    "post_rejected": _l("A moderator rejected your post"),
    "post_hidden": _l("A moderator hid your post"),
    "post_restored": _l("A moderator restored your post"),
    "flag_upheld": _l("Moderators acted on a post you flagged"),
    "flag_declined": _l("Moderators reviewed a post you flagged and left it as it was"),
    "warning": _l("A moderator sent you a warning"),
    "silenced": _l("You may not post until the date shown"),
    "sanction_lifted": _l("A moderator lifted your sanction"),
    "identity_accepted": _l("The secretariat accepted your change of identity"),
    "identity_declined": _l("The secretariat declined your change of identity"),
}


class Follow(db.Model):
    """A user follows a thread or a theme (exactly one of the two)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(db.ForeignKey("users.id", ondelete="CASCADE"))
    thread_id: Mapped[int | None] = mapped_column(db.ForeignKey("thread.id", ondelete="CASCADE"))
    theme_id: Mapped[int | None] = mapped_column(db.ForeignKey("theme.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (
        db.UniqueConstraint("user_id", "thread_id", name="uq_follow_user_thread"),
        db.UniqueConstraint("user_id", "theme_id", name="uq_follow_user_theme"),
        db.CheckConstraint("(thread_id IS NULL) <> (theme_id IS NULL)", name="one_target"),
        db.Index("ix_follow_thread", "thread_id"),
        db.Index("ix_follow_theme", "theme_id"),
    )


class Notification(db.Model):
    """Something a user should see: a mention, a reply, activity they follow."""

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(db.ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(db.String(20))
    # Moderation notices have no actor, and may concern no post; they carry a message.
    actor_id: Mapped[int | None] = mapped_column(db.ForeignKey("users.id", ondelete="CASCADE"))
    thread_id: Mapped[int | None] = mapped_column(db.ForeignKey("thread.id", ondelete="CASCADE"))
    post_id: Mapped[int | None] = mapped_column(db.ForeignKey("post.id", ondelete="CASCADE"))
    message: Mapped[str | None] = mapped_column(db.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    actor: Mapped["User | None"] = db.relationship("User", foreign_keys=[actor_id])
    # By name, not imported: notifications sit below the threads (docs/architecture.md).
    thread = db.relationship("Thread")
    post = db.relationship("Post")

    __table_args__ = (
        db.UniqueConstraint("user_id", "post_id", "kind", name="uq_notification_user_post_kind"),
        db.Index("ix_notification_user_unread", "user_id", "read_at", "id"),
    )
