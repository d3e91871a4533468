"""Changing one's email address: the new address is confirmed before it takes effect, the old one is told.

The link mailed to the new address carries the account, its current address and the new one, so it
works once (the address it moves from changes) and not after another change; it lasts 24 hours.
"""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from forum import throttle
from forum.accounts.models import find_by_email, normalise_email
from forum.accounts.services import check_password
from forum.database import utcnow
from forum.extensions import db
from forum.mail import compose, tokens
from forum.rules import RuleViolation, Throttled
from forum.security_log import security_event


def request_change(user, new_email, password):
    """Mail a confirmation link to the new address and a notice to the current one; raises RuleViolation."""
    new_email = normalise_email(new_email)
    if not check_password(user, password):
        raise RuleViolation(_("The password is not correct."), field="password")
    if new_email == user.email:
        raise RuleViolation(_("This is already your email address."), field="email")
    wait = throttle.attempt("CONFIRM_LIMIT_PER_USER", str(user.id))
    if wait:
        raise Throttled(_("Too many confirmation mails. Try again in %(s)s seconds.", s=wait), wait)
    if find_by_email(new_email):
        raise RuleViolation(_("An account with this email address already exists."), field="email")
    link = compose.enqueue(
        user,
        "email_change",
        "email_change",
        _l("Confirm your new email address for the Dialogue Forum"),
        token=tokens.email_change_token(user, new_email),
    )
    link.to_address = new_email
    compose.enqueue(
        user,
        "email_change_notice",
        "email_change_notice",
        _l("A change of your email address"),
        new=new_email,
    )
    db.session.commit()
    security_event("email.change_requested", user_id=user.id)


def confirm_change(token):
    """Move the account to the address the link confirms; raises tokens.LinkProblem."""
    user, new_email = tokens.email_change(token)
    if find_by_email(new_email):
        raise tokens.LinkProblem("used")
    user.email, user.email_confirmed_at = new_email, utcnow()
    db.session.commit()
    security_event("email.changed", user_id=user.id)
    return user
