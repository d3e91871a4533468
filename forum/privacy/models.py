"""The log of personal data requests: exports and deletions, for the secretariat."""

from forum.database import UTCDateTime, utcnow
from forum.extensions import db

REQUEST_KINDS = ("export", "erasure")


class DataRequest(db.Model):
    """One export or deletion a user asked for; after a deletion the user row is the pseudonym's."""

    __tablename__ = "data_request"

    id = db.Column(db.Integer, primary_key=True)
    user_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    kind = db.Column(db.String(10), nullable=False)
    created_at = db.Column(UTCDateTime, nullable=False, default=utcnow)
    # What the deletion kept or removed, for the secretariat (counts, never content).
    detail = db.Column(db.JSON)
    # The secretariat member who processed a request received by mail or letter; None: the user's own.
    handled_by_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="SET NULL"))

    user = db.relationship("User", foreign_keys=[user_id])
    handled_by = db.relationship("User", foreign_keys=[handled_by_id])
