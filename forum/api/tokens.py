"""Personal API tokens: created (and shown) once, found by their digest, revoked by owner or secretariat."""

import hashlib
import secrets
from datetime import timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select, update
from sqlalchemy.orm import joinedload

from forum import audit
from forum.api.models import NAME_MAX, SCOPES, ApiToken
from forum.database import utcnow
from forum.extensions import db
from forum.policy import allowed
from forum.rules import RuleViolation
from forum.security_log import security_event

# Every token starts so, which lets secret scanners and people recognise one.
MARK = "dfa_"
# A token's last use is written at most this often: not on every request.
USE_NOTED_EVERY = timedelta(minutes=5)
audit.ACTION_LABELS.update({"api_token.revoke": _l("Revoked a user's API token")})


def digest_of(secret):
    """The hex SHA-256 under which a token is kept."""
    return hashlib.sha256(secret.encode()).hexdigest()


def create(user, name, scope):
    """A new token for `user`: (its row, the token itself), which is shown once and stored nowhere.

    Staff whose session has not given its second factor hold a participant's rights only: the token
    would carry their full rights, so they must give it first.
    """
    if getattr(user, "second_factor_missing", False):
        raise RuleViolation(_("Give your second factor before creating a token."), code="forbidden")
    name = " ".join((name or "").split())
    if not name:
        raise RuleViolation(_("Name the token."), field="name")
    if len(name) > NAME_MAX:
        raise RuleViolation(_("Use at most %(n)s characters.", n=NAME_MAX), field="name")
    if scope not in SCOPES:
        raise RuleViolation(_("Choose one of the options."), field="scope")
    secret = MARK + secrets.token_urlsafe(32)
    token = ApiToken(user_id=user.id, name=name, scope=scope, digest=digest_of(secret), prefix=secret[:10])
    db.session.add(token)
    db.session.commit()
    security_event("api.token_created", user_id=user.id, api_key_id=token.id, scope=scope)
    return token, secret


def revoke(actor, token):
    """End a token: its owner's, or any for the secretariat (audited). Revoking twice changes nothing."""
    own = token.user_id == actor.id
    if not own and not allowed(actor, "administer"):
        raise RuleViolation(_("You may not revoke this token."), code="forbidden")
    if token.revoked_at is not None:
        return token
    token.revoked_at, token.revoked_by_id = utcnow(), actor.id
    if not own:
        audit.log(actor, "api_token.revoke", "api_token", token.id, token.name)
    db.session.commit()
    security_event("api.token_revoked", user_id=token.user_id, api_key_id=token.id, by=actor.id)
    return token


def of_user(user):
    """The user's tokens, newest first, revoked ones included."""
    query = select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id.desc())
    return db.session.scalars(query).all()


def every():
    """Every user's tokens with their owners, newest first, for the secretariat."""
    query = select(ApiToken).options(joinedload(ApiToken.user)).order_by(ApiToken.id.desc())
    return db.session.scalars(query).all()


def live(secret):
    """The unrevoked token `secret` names, or None."""
    if not secret.startswith(MARK) or len(secret) > 100:
        return None
    query = (
        select(ApiToken)
        .options(joinedload(ApiToken.user))
        .where(ApiToken.digest == digest_of(secret), ApiToken.revoked_at.is_(None))
    )
    return db.session.scalar(query)


def note_use(token):
    """Record that the token was used now, unless that was recorded a moment ago."""
    now = utcnow()
    if token.last_used_at is not None and now - token.last_used_at < USE_NOTED_EVERY:
        return
    db.session.execute(
        update(ApiToken)
        .where(
            ApiToken.id == token.id,
            or_(ApiToken.last_used_at.is_(None), ApiToken.last_used_at < now - USE_NOTED_EVERY),
        )
        .values(last_used_at=now)
    )
    db.session.commit()
