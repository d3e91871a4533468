"""Signing in: device-cookie throttling, equal work for known and unknown addresses, security events.

Failed attempts are counted where the OWASP device-cookie scheme says: a browser presenting a valid
device cookie for the account is counted against that cookie alone; every other attempt is counted
against the account's budget for unrecognised browsers and against the address it comes from. So
strangers guessing a participant's password lock out only strangers, never the participant's own
browser, and guessing stays throttled per account and per address.
"""

import hashlib
import hmac
import secrets
from contextlib import suppress

from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_babel import gettext as _

from forum import throttle
from forum.accounts import devices, restrictions
from forum.accounts.models import find_by_email, normalise_email
from forum.accounts.services import check_password, password_hasher
from forum.database import utcnow
from forum.extensions import db
from forum.i18n import geneva
from forum.rules import RuleViolation, Throttled
from forum.security_log import security_event


def _dummy_hash():
    """A hash of a random secret made with the configured costs, once per app.

    An unknown address is checked against it, so that it costs one argon2 verification like a known one
    and the answer's timing does not tell whether the address has an account.
    """
    costs = tuple(sorted((current_app.config.get("ARGON2_COSTS") or {}).items()))
    cache = current_app.extensions["forum_caches"].named("dummy_hash", 4)
    return cache.get(costs, lambda: password_hasher().hash(secrets.token_urlsafe(24)))


def _password_matches(user, password):
    """True when `password` is `user`'s; for no user, the same verification against the dummy hash."""
    if user is not None:
        return check_password(user, password)
    with suppress(VerificationError, InvalidHashError):
        password_hasher().verify(_dummy_hash(), password)
    return False


def _who(user, email):
    """How the security log names the account tried: its id, or for an unknown address a keyed hash.

    The typed address of an unknown account is personal data (often a typo of a real one); the keyed
    hash still shows the same address tried again and again, without revealing it.
    """
    if user is not None:
        return {"user_id": user.id}
    keyed = hmac.new(current_app.config["SECRET_KEY"].encode(), email.encode(), hashlib.sha256)
    return {"user_id": "unknown", "email_hash": keyed.hexdigest()[:16]}


def _wait(email, ip, nonce):
    """Seconds before this attempt may be made (0: now), and which limit holds it back."""
    if nonce:
        return throttle.retry_after("LOGIN_LIMIT_PER_DEVICE", nonce), "device"
    waits = (
        (throttle.retry_after("LOGIN_LIMIT_PER_ACCOUNT", email), "account"),
        (throttle.retry_after("LOGIN_LIMIT_PER_IP", ip), "address"),
    )
    return max(waits)


def _count_failure(email, ip, nonce):
    """Count a failed attempt against the device cookie, or the account's untrusted budget and the address."""
    if nonce:
        throttle.record("LOGIN_LIMIT_PER_DEVICE", nonce)
        return
    throttle.record("LOGIN_LIMIT_PER_ACCOUNT", email)
    throttle.record("LOGIN_LIMIT_PER_IP", ip)


def authenticate(email, password, ip, device=None):
    """The user for these credentials; raises Throttled or RuleViolation, counting failures.

    `device` is the device cookie the browser presented, if any.
    """
    email = normalise_email(email)
    user = find_by_email(email)
    nonce = devices.nonce_for(device, user)
    fields = {**_who(user, email), "ip": ip, "trusted_device": nonce is not None}
    wait, limit = _wait(email, ip, nonce)
    if wait:
        security_event("login.throttled", **fields, limit=limit, retry_after=wait)
        raise Throttled(_("Too many failed sign-in attempts. Try again in %(s)s seconds.", s=wait), wait)
    if not _password_matches(user, password):
        _count_failure(email, ip, nonce)
        security_event("login.failed", **fields)
        raise RuleViolation(_("Incorrect email address or password."), field="password")
    if user.is_suspended:
        security_event("login.refused", **fields, reason="suspended")
        raise RuleViolation(suspension_message(user), field="email", code="suspended")
    user.last_login_at = utcnow()
    db.session.commit()
    security_event("login.succeeded", **fields)
    return user


def suspension_message(user):
    """What a suspended user is told at sign-in: until when, and why."""
    return _(
        "Your account is suspended until %(date)s. Reason: %(reason)s",
        date=geneva(user.suspended_until),
        reason=restrictions.reason_of(user, "suspend") or "",
    )
