"""Retention: sent mail and the records of sign-in addresses are kept only as long as configured.

`flask --app wsgi forum purge` (for a daily timer) deletes mail sent or given up more than
RETENTION_MAIL_DAYS ago, with the .eml files of the file outbox, and session rows (browser, address,
place of sign-in, times) last used more than RETENTION_SESSION_DAYS ago. Mail still waiting is never purged.
The place (a country) says much less than the address, but it is kept no longer: it is the address's
country at sign-in, and a record of where someone was goes with the record of their session.
"""

from datetime import timedelta

from flask import current_app
from sqlalchemy import delete, select

from forum.accounts.security_models import UserSession
from forum.database import utcnow
from forum.extensions import db
from forum.mail.models import DONE_STATES, OutboxMessage
from forum.privacy import outbox_files
from forum.security_log import security_event


def purge(now=None):
    """Delete what is past its retention; returns {"mail": n, "sessions": n}."""
    now = now or utcnow()
    config = current_app.config
    mail_before = now - timedelta(days=config["RETENTION_MAIL_DAYS"])
    old_mail = select(OutboxMessage.id).where(
        OutboxMessage.state.in_(DONE_STATES), OutboxMessage.created_at < mail_before
    )
    mail_ids = db.session.scalars(old_mail).all()
    db.session.execute(delete(OutboxMessage).where(OutboxMessage.id.in_(mail_ids)))
    sessions_before = now - timedelta(days=config["RETENTION_SESSION_DAYS"])
    sessions = db.session.execute(delete(UserSession).where(UserSession.last_seen_at < sessions_before))
    db.session.commit()
    outbox_files.remove(mail_ids)
    counts = {"mail": len(mail_ids), "sessions": sessions.rowcount}
    security_event("retention.purged", **counts)
    return counts
