"""Consent to the privacy notice: recorded per version, asked again when the version changes."""

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from forum.accounts.models import PrivacyConsent
from forum.database import utcnow
from forum.extensions import db
from forum.rules import RuleViolation
from forum.security_log import security_event


def current_version():
    """The version of the privacy notice in force (PRIVACY_NOTICE_VERSION)."""
    return current_app.config["PRIVACY_NOTICE_VERSION"]


def due(user):
    """Whether a signed-in user has yet to accept the notice in force."""
    return user.is_authenticated and user.privacy_version != current_version()


def record(user, context, given=True):
    """Record the user's acceptance of the notice in force (the caller commits); refused when not given."""
    if not given:
        raise RuleViolation(_("Read and accept the privacy notice to register."), field="consent")
    version = current_version()
    db.session.add(PrivacyConsent(user_id=user.id, version=version, context=context, given_at=utcnow()))
    user.privacy_version = version


def accept(user):
    """A signed-in user accepts the notice in force, once per version."""
    if not due(user):
        return False
    record(user, "renewal")
    db.session.commit()
    security_event("privacy.consented", user_id=user.id, version=current_version())
    return True


def history(user):
    """The user's acceptances, oldest first."""
    query = select(PrivacyConsent).where(PrivacyConsent.user_id == user.id)
    return db.session.scalars(query.order_by(PrivacyConsent.given_at, PrivacyConsent.id)).all()
