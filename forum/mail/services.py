"""Mail rules: address confirmation, password reset, activity preferences, and the outbox for staff."""

import time

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from forum import audit, throttle
from forum.accounts import services as accounts
from forum.accounts import signals as account_signals
from forum.accounts.models import find_by_email, normalise_email
from forum.database import utcnow
from forum.extensions import db, socketio
from forum.mail import compose, tokens
from forum.mail.models import DIGEST_MODES, UNSENT_STATES, MailState, OutboxMessage
from forum.rules import RuleViolation, Throttled

audit.ACTION_LABELS.update({"mail.retry": _l("Retried a mail")})
STAFF_LIST_SIZE = 100


def send_confirmation(user):
    """Queue the address confirmation link in the current transaction."""
    return compose.enqueue(
        user,
        "confirm",
        "confirm",
        _l("Confirm your email address for the Dialogue Forum"),
        token=tokens.confirmation_token(user),
    )


account_signals.registered.connect(send_confirmation)


def confirm_address(token):
    """Mark the address of the link's user confirmed (once); raises tokens.LinkProblem."""
    user = tokens.confirmed_user(token)
    if user.email_confirmed_at is None:
        user.email_confirmed_at = utcnow()
        db.session.commit()
    return user


def resend_confirmation(user):
    """Send a new confirmation link to a signed-in user whose address is not confirmed yet."""
    if user.email_confirmed_at is not None:
        raise RuleViolation(_("Your email address is already confirmed."), code="confirmed")
    wait = throttle.attempt("CONFIRM_LIMIT_PER_USER", str(user.id))
    if wait:
        raise Throttled(_("Too many confirmation mails. Try again in %(s)s seconds.", s=wait), wait)
    send_confirmation(user)
    db.session.commit()


def request_reset(email, ip):
    """Mail a reset link when the address has an account; the caller answers the same either way.

    Throttled per address (whether or not it exists, so the limit reveals nothing) and per IP. The answer
    comes no sooner than RESET_ANSWER_SECONDS after the request: writing the mail takes time that an
    unknown address would otherwise save, and the difference (35 against 22 ms) would tell them apart.
    """
    started = time.monotonic()
    try:
        _reset_mail(normalise_email(email), ip)
    finally:
        socketio.sleep(max(0.0, current_app.config["RESET_ANSWER_SECONDS"] - (time.monotonic() - started)))


def _reset_mail(email, ip):
    """Count the request, then queue the reset link for the address's account, if it has one."""
    wait = max(
        throttle.retry_after("RESET_LIMIT_PER_ADDRESS", email),
        throttle.retry_after("RESET_LIMIT_PER_IP", ip),
    )
    if wait:
        raise Throttled(_("Too many requests. Try again in %(s)s seconds.", s=wait), wait)
    throttle.record("RESET_LIMIT_PER_ADDRESS", email)
    throttle.record("RESET_LIMIT_PER_IP", ip)
    user = find_by_email(email)
    if user is None:
        return
    compose.enqueue(
        user,
        "reset",
        "reset",
        _l("Choose a new password for the Dialogue Forum"),
        token=tokens.reset_token(user),
    )
    db.session.commit()


def check_reset_link(token):
    """The user a reset link is for, or tokens.LinkProblem (tampered, expired, used)."""
    return tokens.reset_user(token)


def reset_password(token, new_password):
    """Set a new password from a reset link; the link then stops working and every session ends.

    Receiving the link proves the address, so an unconfirmed one becomes confirmed.
    """
    user = tokens.reset_user(token)
    problem = accounts.password_problem(new_password)
    if problem:
        raise RuleViolation(problem, field="new_password")
    user.password_hash = accounts.hash_password(new_password)
    if user.email_confirmed_at is None:
        user.email_confirmed_at = utcnow()
    accounts.end_all_sessions(user, "password_reset")
    return user


def set_digest_mode(user, mode):
    """Choose how activity mail arrives: off, immediate or daily."""
    if mode not in DIGEST_MODES:
        raise RuleViolation(_("Choose one of the options."), field="digest_mode")
    user.digest_mode = mode
    db.session.commit()


def unsubscribe(token):
    """Turn activity mail off for the link's user, without sign-in; raises tokens.LinkProblem."""
    user, _mailing = tokens.unsubscribe_target(token)
    user.digest_mode = "off"
    db.session.commit()
    return user


def waiting_and_failed():
    """What the secretariat watches: mail that failed for good, and mail not sent yet, oldest first."""
    query = select(OutboxMessage).order_by(OutboxMessage.created_at, OutboxMessage.id)
    failed = db.session.scalars(
        query.where(OutboxMessage.state == MailState.FAILED).limit(STAFF_LIST_SIZE)
    ).all()
    waiting = db.session.scalars(
        query.where(OutboxMessage.state.in_(UNSENT_STATES)).limit(STAFF_LIST_SIZE)
    ).all()
    return failed, waiting


def retry(staff, row_id):
    """Send a failed (or waiting) mail again now, with a fresh set of attempts; audited."""
    result = db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == row_id, OutboxMessage.state.in_((MailState.FAILED, MailState.PENDING)))
        .values(state=MailState.PENDING, attempts=0, next_attempt_at=utcnow())
    )
    if result.rowcount != 1:
        db.session.rollback()
        raise RuleViolation(_("This mail is already sent or being sent."), code="handled")
    row = db.session.get(OutboxMessage, row_id)
    audit.log(staff, "mail.retry", "mail", row.id, f"{row.to_address}: {row.subject}")
    db.session.info[compose.ENQUEUED] = True
    db.session.commit()
    return row
