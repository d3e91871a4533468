"""Personal API tokens: kept as a hash, shown once, revocable by their owner and by the secretariat."""

from flask_babel import lazy_gettext as _l

from forum.database import UTCDateTime, utcnow
from forum.extensions import db

SCOPES = {
    "read": _l("Read: what you may read on the site"),
    "write": _l("Write: read, and reply, ask, vote and flag as you"),
}
NAME_MAX = 80


class ApiToken(db.Model):
    """One token of one user: its SHA-256 digest (never the token), a name, a scope, its use and end."""

    __tablename__ = "api_token"

    id = db.Column(db.Integer, primary_key=True)
    user_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True)
    name = db.Column(db.String(NAME_MAX), nullable=False)
    scope = db.Column(db.String(5), nullable=False)
    # Hex SHA-256 of the whole token: the token is random enough that no slow hash is needed.
    digest = db.Column(db.String(64), nullable=False, unique=True)
    # The token's first characters, so that its owner can tell it apart in the list.
    prefix = db.Column(db.String(12), nullable=False)
    created_at = db.Column(UTCDateTime, nullable=False, default=utcnow)
    last_used_at = db.Column(UTCDateTime)
    revoked_at = db.Column(UTCDateTime)
    revoked_by_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="SET NULL"))

    user = db.relationship("User", foreign_keys=[user_id])
    revoked_by = db.relationship("User", foreign_keys=[revoked_by_id])
