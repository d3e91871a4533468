"""Personal API tokens: kept as a hash, shown once, revocable by their owner and by the secretariat."""

from datetime import datetime
from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column

from forum.database import UTCDateTime, utcnow
from forum.extensions import db

if TYPE_CHECKING:
    from forum.accounts.models import User

SCOPES = {
    "read": _l("Read: what you may read on the site"),
    "write": _l("Write: read, and reply, ask, vote and flag as you"),
}
NAME_MAX = 80


class ApiToken(db.Model):
    """One token of one user: its SHA-256 digest (never the token), a name, a scope, its use and end."""

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(db.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(db.String(NAME_MAX))
    scope: Mapped[str] = mapped_column(db.String(5))
    # Hex SHA-256 of the whole token: the token is random enough that no slow hash is needed.
    digest: Mapped[str] = mapped_column(db.String(64), unique=True)
    # The token's first characters, so that its owner can tell it apart in the list.
    prefix: Mapped[str] = mapped_column(db.String(12))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_by_id: Mapped[int | None] = mapped_column(db.ForeignKey("users.id", ondelete="SET NULL"))

    user: Mapped["User"] = db.relationship("User", foreign_keys=[user_id])
    revoked_by: Mapped["User | None"] = db.relationship("User", foreign_keys=[revoked_by_id])
