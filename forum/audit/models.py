"""The audit log's table: one row per staff action, written by forum.audit.log and never changed."""

from datetime import datetime

from sqlalchemy.orm import Mapped, mapped_column

from forum.database import UTCDateTime, utcnow
from forum.extensions import db


class AuditEntry(db.Model):
    """One staff action, append-only: who did what to what, why, and the values before and after."""

    __tablename__ = "audit_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int | None] = mapped_column(db.ForeignKey("users.id"), index=True)
    action: Mapped[str] = mapped_column(db.String(40), index=True)
    target_type: Mapped[str] = mapped_column(db.String(20))
    target_id: Mapped[int | None] = mapped_column()
    target_label: Mapped[str] = mapped_column(db.String(200), default="")
    reason: Mapped[str | None] = mapped_column(db.Text)
    before: Mapped[dict | None] = mapped_column(db.JSON)
    after: Mapped[dict | None] = mapped_column(db.JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)

    # By name, not imported: the audit log sits below the accounts (docs/architecture.md).
    actor = db.relationship("User")
