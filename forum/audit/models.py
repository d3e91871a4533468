"""The audit log's table: one row per staff action, written by forum.audit.log and never changed."""

from forum.database import UTCDateTime, utcnow
from forum.extensions import db


class AuditEntry(db.Model):
    """One staff action, append-only: who did what to what, why, and the values before and after."""

    __tablename__ = "audit_entry"

    id = db.Column(db.Integer, primary_key=True)
    actor_id = db.Column(db.Integer, db.ForeignKey("users.id"), index=True)
    action = db.Column(db.String(40), nullable=False, index=True)
    target_type = db.Column(db.String(20), nullable=False)
    target_id = db.Column(db.Integer)
    target_label = db.Column(db.String(200), nullable=False, default="")
    reason = db.Column(db.Text)
    before = db.Column(db.JSON)
    after = db.Column(db.JSON)
    created_at = db.Column(UTCDateTime, nullable=False, default=utcnow, index=True)

    actor = db.relationship("User")
