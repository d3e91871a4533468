"""The log of personal data requests: exports and deletions, for the secretariat."""

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy.orm import Mapped, mapped_column

from forum.database import UTCDateTime, utcnow
from forum.extensions import db

if TYPE_CHECKING:
    from forum.accounts.models import User

REQUEST_KINDS = ("export", "erasure")


class DataRequest(db.Model):
    """One export or deletion a user asked for; after a deletion the user row is the pseudonym's."""

    __tablename__ = "data_request"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(db.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    kind: Mapped[str] = mapped_column(db.String(10))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # What the deletion kept or removed, for the secretariat (counts, never content).
    detail: Mapped[dict | None] = mapped_column(db.JSON)
    # The secretariat member who processed a request received by mail or letter; None: the user's own.
    handled_by_id: Mapped[int | None] = mapped_column(db.ForeignKey("users.id", ondelete="SET NULL"))

    user: Mapped["User | None"] = db.relationship("User", foreign_keys=[user_id])
    handled_by: Mapped["User | None"] = db.relationship("User", foreign_keys=[handled_by_id])
