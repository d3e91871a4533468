"""Signed links: address confirmation, password reset and unsubscribe, each with its own salt.

A token names the user and the fact it vouches for (the address, the current password, the list),
so it stops working when that fact changes: a confirmation when the address changes, a reset link
once the password changes (which the reset itself does, so the link works once).
"""

import hashlib
from dataclasses import dataclass

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from forum.accounts.models import User
from forum.extensions import db

CONFIRM_MAX_AGE = 7 * 24 * 3600
RESET_MAX_AGE = 3600
EMAIL_CHANGE_MAX_AGE = 24 * 3600


@dataclass
class LinkProblem(Exception):
    """Why a link cannot be used: 'invalid' (tampered, unknown), 'expired' or 'used'."""

    reason: str

    @property
    def status(self):
        """400 for a link that was never valid, 410 for one that was and no longer is."""
        return 400 if self.reason == "invalid" else 410


def _serializer(salt):
    """The serializer of one purpose, keyed with the app's secret."""
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=salt)


def _load(salt, token, max_age=None):
    """The payload of a token, or LinkProblem('expired' or 'invalid')."""
    try:
        data = _serializer(salt).loads(token, max_age=max_age)
    except SignatureExpired as error:
        raise LinkProblem("expired") from error
    except BadSignature as error:
        raise LinkProblem("invalid") from error
    user = db.session.get(User, data.get("u")) if isinstance(data, dict) else None
    if user is None:
        raise LinkProblem("invalid")
    return user, data


def password_fingerprint(user):
    """A short digest of the current password hash: any password change alters it."""
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:20]


def confirmation_token(user):
    """A link token confirming the user's current address."""
    return _serializer("mail-confirm").dumps({"u": user.id, "e": user.email})


def confirmed_user(token):
    """The user whose address the token confirms; LinkProblem when it is bad, expired or outdated."""
    user, data = _load("mail-confirm", token, CONFIRM_MAX_AGE)
    if data.get("e") != user.email:
        raise LinkProblem("used")
    return user


def reset_token(user):
    """A link token that lets the user choose a new password once, within an hour."""
    return _serializer("password-reset").dumps({"u": user.id, "p": password_fingerprint(user)})


def reset_user(token, max_age=RESET_MAX_AGE):
    """The user a reset token is for; LinkProblem when it is bad, expired or already used."""
    user, data = _load("password-reset", token, max_age)
    if data.get("p") != password_fingerprint(user):
        raise LinkProblem("used")
    return user


def unsubscribe_token(user, mailing="activity"):
    """A link token that turns off a mailing list for the user; it never expires."""
    return _serializer("unsubscribe").dumps({"u": user.id, "l": mailing})


def unsubscribe_target(token):
    """(user, mailing) for an unsubscribe token; LinkProblem('invalid') when tampered."""
    user, data = _load("unsubscribe", token)
    return user, data.get("l")


def email_change_token(user, new_email):
    """A link token, mailed to the new address, that moves the account there from its current one."""
    return _serializer("email-change").dumps({"u": user.id, "o": user.email, "e": new_email})


def email_change(token):
    """(user, new address) of a change link; LinkProblem when it is bad, expired or already used."""
    user, data = _load("email-change", token, EMAIL_CHANGE_MAX_AGE)
    if data.get("o") != user.email or not isinstance(data.get("e"), str):
        raise LinkProblem("used")
    return user, data["e"]
