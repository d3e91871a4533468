"""Two-factor sign-in: TOTP codes, single-use recovery codes, remembered browsers, recent proof.

Staff roles (TWO_FACTOR_ROLES) need a second factor: until their session has given one, load_user marks
the user `second_factor_missing` and User.can grants them a participant's rights only, on pages and
socket events alike. Participants may turn it on. A code is accepted within one 30-second step of the
server's clock either way, once: the step of the last accepted code is stored, and only later ones pass.
"""

import hashlib
import hmac
import secrets
import time

import pyotp
import segno
from flask import current_app
from flask_babel import gettext as _
from markupsafe import Markup
from sqlalchemy import delete, func, select, update

from forum import throttle
from forum.accounts.security_models import (
    RecoveryCode,
    TotpCredential,
    WebAuthnChallenge,
    WebAuthnCredential,
)
from forum.database import utcnow
from forum.extensions import db
from forum.rules import RuleViolation, Throttled
from forum.security_log import security_event

ISSUER = "Dialogue Forum"
STEP_SECONDS = 30
RECOVERY_COUNT = 10
# Lower-case letters and digits that are hard to misread (no i, l, o, 0, 1).
ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
# Flask session keys: how this session gave its second factor, and when a code was last typed.
METHOD = "second_factor"
PROVEN_AT = "second_factor_at"


def clock():
    """Seconds since the epoch; tests replace it."""
    return time.time()


def required_for(user):
    """Whether the user's role needs a second factor before its staff rights work."""
    return user.role in current_app.config["TWO_FACTOR_ROLES"]


def credential(user):
    """The user's confirmed authenticator, or None."""
    query = select(TotpCredential).where(
        TotpCredential.user_id == user.id, TotpCredential.confirmed_at.is_not(None)
    )
    return db.session.scalar(query.order_by(TotpCredential.id.desc()).limit(1))


def enrolled(user):
    """Whether the user has turned two-factor sign-in on."""
    return credential(user) is not None


def enrolment(user):
    """The enrolment in progress (an unconfirmed secret), made now when there is none."""
    query = select(TotpCredential).where(
        TotpCredential.user_id == user.id, TotpCredential.confirmed_at.is_(None)
    )
    row = db.session.scalar(query.order_by(TotpCredential.id.desc()).limit(1))
    if row is None:
        row = TotpCredential(
            user_id=user.id, secret=pyotp.random_base32(), remember_token=secrets.token_urlsafe(16)
        )
        db.session.add(row)
        db.session.commit()
    return row


def provisioning_uri(user, secret):
    """The otpauth:// address an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=ISSUER)


def qr_svg(uri, title):
    """The QR code of `uri` as inline SVG drawn on the server, named `title` for screen readers."""
    svg = segno.make(uri, error="m").svg_inline(scale=4, title=title, svgclass="qr-code")
    return Markup(svg.replace("<svg ", '<svg role="img" ', 1))  # noqa: S704 - segno's own markup


def grouped(secret):
    """The secret in groups of four, for typing it by hand."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def _normalise(code):
    """A typed code without spaces and dashes, lower-cased."""
    return "".join((code or "").split()).replace("-", "").lower()


def _matching_step(secret, code, now):
    """The step (within one of now) whose TOTP code is `code`, or None."""
    if len(code) != 6 or not code.isascii() or not code.isdigit():
        return None
    totp, current = pyotp.TOTP(secret), int(now // STEP_SECONDS)
    for step in (current - 1, current, current + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def _hash(code):
    """What is stored of a recovery code."""
    return hashlib.sha256(_normalise(code).encode()).hexdigest()


def _new_recovery_codes(user):
    """Replace the user's recovery codes with RECOVERY_COUNT new ones; returns them (shown once)."""
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = []
    for _n in range(RECOVERY_COUNT):
        raw = "".join(secrets.choice(ALPHABET) for _i in range(10))
        codes.append(f"{raw[:5]}-{raw[5:]}")
        db.session.add(RecoveryCode(user_id=user.id, code_hash=_hash(raw)))
    return codes


def remaining_codes(user):
    """How many unused recovery codes the user has."""
    query = select(func.count()).where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))
    return db.session.scalar(query)


def confirm_enrolment(user, code):
    """Turn two-factor sign-in on with the first code of the new secret; returns the recovery codes."""
    row = enrolment(user)
    step = _matching_step(row.secret, _normalise(code), clock())
    if step is None:
        raise RuleViolation(
            _("This code does not match. Check your device's clock and try again."), field="code"
        )
    db.session.execute(
        delete(TotpCredential).where(TotpCredential.user_id == user.id, TotpCredential.id != row.id)
    )
    row.confirmed_at, row.last_step = utcnow(), step
    codes = _new_recovery_codes(user)
    db.session.commit()
    security_event("two_factor.enabled", user_id=user.id)
    return codes


def _accept_totp(user, code):
    """Accept a TOTP code once: the stored last step moves forward in one statement (race-safe)."""
    row = credential(user)
    step = _matching_step(row.secret, code, clock()) if row else None
    if step is None:
        return False
    moved = db.session.execute(
        update(TotpCredential)
        .where(TotpCredential.id == row.id)
        .where((TotpCredential.last_step.is_(None)) | (TotpCredential.last_step < step))
        .values(last_step=step)
    )
    return moved.rowcount == 1


def _accept_recovery(user, code):
    """Use up one recovery code, once: marking it used is the check."""
    used = db.session.execute(
        update(RecoveryCode)
        .where(RecoveryCode.user_id == user.id, RecoveryCode.code_hash == _hash(code))
        .where(RecoveryCode.used_at.is_(None))
        .values(used_at=utcnow())
    )
    return used.rowcount == 1


def verify(user, code):
    """Check a second factor: 'totp' or 'recovery' when accepted; raises Throttled or RuleViolation.

    Failures are counted per account (TWO_FACTOR_LIMIT): a stolen password does not buy a million tries.
    """
    key = str(user.id)
    wait = throttle.retry_after("TWO_FACTOR_LIMIT", key)
    if wait:
        security_event("two_factor.throttled", user_id=user.id, retry_after=wait)
        raise Throttled(_("Too many wrong codes. Try again in %(s)s seconds.", s=wait), wait)
    code = _normalise(code)
    method = "totp" if _accept_totp(user, code) else "recovery" if _accept_recovery(user, code) else None
    if method is None:
        db.session.rollback()
        throttle.record("TWO_FACTOR_LIMIT", key)
        security_event("two_factor.failed", user_id=user.id)
        raise RuleViolation(
            _("This code is not valid. Try the current one, or a recovery code."), field="code"
        )
    db.session.commit()
    security_event("two_factor.verified", user_id=user.id, method=method)
    return method


def new_recovery_codes(user, code):
    """Replace the recovery codes after a valid second factor; returns the new ones."""
    verify(user, code)
    codes = _new_recovery_codes(user)
    db.session.commit()
    security_event("two_factor.recovery_renewed", user_id=user.id)
    return codes


def _remove_factors(user):
    """Delete the user's authenticator, recovery codes and security keys (in the caller's transaction)."""
    for model in (TotpCredential, RecoveryCode, WebAuthnCredential, WebAuthnChallenge):
        db.session.execute(delete(model).where(model.user_id == user.id))


def disable(user, password, code):
    """Turn two-factor sign-in off, with the password and a code; refused to roles that need it."""
    from forum.accounts.services import check_password

    if required_for(user):
        raise RuleViolation(
            _("Your role needs two-factor sign-in: it cannot be turned off."), code="required"
        )
    if not check_password(user, password):
        raise RuleViolation(_("The password is not correct."), field="password")
    verify(user, code)
    _remove_factors(user)
    db.session.commit()
    security_event("two_factor.disabled", user_id=user.id)


def reset(user):
    """Remove the user's second factors and end their sessions (a lost device; the CLI).

    Staff then set it up again at their next sign-in, as at their first.
    """
    from forum.accounts.services import end_all_sessions

    _remove_factors(user)
    end_all_sessions(user, "two_factor_reset")
    security_event("two_factor.reset", user_id=user.id)


def forget_browsers(user):
    """Make every remembered browser ask for a code again (in the caller's transaction)."""
    db.session.execute(
        update(TotpCredential)
        .where(TotpCredential.user_id == user.id)
        .values(remember_token=secrets.token_urlsafe(16))
    )


def recently_proven(session):
    """Whether this session's user gave a code or a key within TWO_FACTOR_FRESH_MINUTES."""
    proven = session.get(PROVEN_AT)
    fresh = current_app.config["TWO_FACTOR_FRESH_MINUTES"] * 60
    return isinstance(proven, int | float) and clock() - proven < fresh


def record_proof(session, method):
    """Note in the session how it gave its second factor, and when it was given (not for a cookie)."""
    session[METHOD] = method
    if method in ("totp", "recovery", "passkey"):
        session[PROVEN_AT] = int(clock())
