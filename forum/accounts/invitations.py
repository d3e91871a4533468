"""Invitations: single-use links from the secretariat that open registration after the deadline."""

import hashlib
import secrets
from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import select

from forum import audit
from forum.accounts.models import Invitation, find_by_email, normalise_email
from forum.database import utcnow
from forum.extensions import db
from forum.rules import RuleViolation

INVITATION_DAYS = 14


def _token_hash(token):
    """Invitation tokens are stored hashed, like passwords, so a database leak reveals no link."""
    return hashlib.sha256(token.encode()).hexdigest()


def create(staff, email):
    """A single-use registration link for `email`, valid for two weeks; returns (invitation, token)."""
    email = normalise_email(email)
    if find_by_email(email):
        raise RuleViolation(_("An account with this email address already exists."), field="email")
    token = secrets.token_urlsafe(24)
    invitation = Invitation(
        email=email,
        token_hash=_token_hash(token),
        created_by=staff,
        expires_at=utcnow() + timedelta(days=INVITATION_DAYS),
    )
    db.session.add(invitation)
    db.session.flush()
    audit.log(staff, "invitation.create", "invitation", invitation.id, email)
    db.session.commit()
    return invitation, token


def find(token):
    """The unused, unexpired invitation for `token`, or None."""
    invitation = db.session.scalar(select(Invitation).where(Invitation.token_hash == _token_hash(token)))
    if invitation is None or invitation.used_at or invitation.expires_at < utcnow():
        return None
    return invitation
