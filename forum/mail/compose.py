"""Writing a mail into the outbox: rendered in the recipient's language, with absolute links."""

import ipaddress
from contextlib import contextmanager
from datetime import timedelta
from email.utils import formataddr
from urllib.parse import urlsplit

from flask import current_app, has_request_context, render_template, url_for
from flask_babel import force_locale
from markupsafe import Markup
from sqlalchemy import select

from forum.database import utcnow
from forum.extensions import db
from forum.mail import tokens
from forum.mail.models import MailState, OutboxMessage

# Set on the session when a mail joins the transaction; the sender wakes its worker after the commit.
ENQUEUED = "forum_mail_enqueued"
EXCERPT_LENGTH = 400


@contextmanager
def link_context():
    """Where url_for(..., _external=True) gives public links.

    With SERVER_NAME they always use it (a forged Host header never reaches a mail); without it,
    the current request's address, or MAIL_BASE_URL outside a request (the CLI, the worker).
    """
    config = current_app.config
    if config.get("SERVER_NAME"):
        base = f"{config.get('PREFERRED_URL_SCHEME') or 'http'}://{config['SERVER_NAME']}"
    elif has_request_context():
        yield
        return
    else:
        base = config["MAIL_BASE_URL"]
    with current_app.test_request_context("/", base_url=base):
        yield


def sender(config):
    """The From address: MAIL_DEFAULT_SENDER, else no-reply at the site's own host name.

    The host is SERVER_NAME's, else MAIL_BASE_URL's when it is a domain name; an address at
    "localhost" or at an IP address is one that relays and recipients' servers refuse or distrust.
    """
    if config.get("MAIL_DEFAULT_SENDER"):
        return config["MAIL_DEFAULT_SENDER"]
    host = (config.get("SERVER_NAME") or "").rsplit(":", 1)[0]
    if not host:
        host = urlsplit(config.get("MAIL_BASE_URL") or "").hostname or ""
    if not _is_domain(host):
        host = "localhost"
    return formataddr(("Dialogue Forum", f"no-reply@{host}"))


def _is_domain(host):
    """A dotted name that is not an IP address: something mail can be sent from."""
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return "." in host
    return False


def language_of(user):
    """The recipient's language, else the site's default."""
    config = current_app.config
    return user.locale if user.locale in config["LANGUAGES"] else config["BABEL_DEFAULT_LOCALE"]


def excerpt(post):
    """A post as plain text (tags stripped), cut to a readable length."""
    # body_html was sanitized on write; Markup is used here only to strip its tags.
    text = Markup(post.body_html or "").striptags()  # noqa: S704
    return text if len(text) <= EXCERPT_LENGTH else text[: EXCERPT_LENGTH - 1].rstrip() + "…"


def render(user, template, subject, *, essential=True, **context):
    """Render templates/mail/<template>.txt and .html for `user`; returns the outbox row's fields.

    `subject` is a lazy string, so it is translated here, in the recipient's language.
    """
    language = language_of(user)
    with link_context(), force_locale(language):
        unsubscribe = None
        if not essential:
            unsubscribe = url_for("mail.unsubscribe", token=tokens.unsubscribe_token(user), _external=True)
        context = {
            "recipient": user,
            "site_url": url_for("main.index", _external=True),
            "preferences_url": url_for("accounts.profile", user_id=user.id, _external=True) + "#mail",
            "unsubscribe_url": unsubscribe,
            **context,
        }
        return {
            "language": language,
            "subject": str(subject),
            "text_body": render_template(f"mail/{template}.txt", **context),
            "html_body": render_template(f"mail/{template}.html", **context),
            "unsubscribe_url": unsubscribe,
        }


def _waiting(user, coalesce_key):
    """True when a mail with this key still waits for the user: the new event joins it."""
    query = select(OutboxMessage.id).where(
        OutboxMessage.user_id == user.id,
        OutboxMessage.coalesce_key == coalesce_key,
        OutboxMessage.state == MailState.PENDING,
        OutboxMessage.attempts == 0,
    )
    return db.session.scalar(query.limit(1)) is not None


def enqueue(user, kind, template, subject, *, essential=True, coalesce_key=None, delay=0, **context):
    """Add a mail for `user` to the current transaction (the caller commits it with its action).

    Returns the row, or None when a waiting mail with the same `coalesce_key` already covers it.
    """
    if coalesce_key and _waiting(user, coalesce_key):
        return None
    fields = render(user, template, subject, essential=essential, **context)
    row = OutboxMessage(
        user_id=user.id,
        to_address=user.email,
        kind=kind,
        essential=essential,
        coalesce_key=coalesce_key,
        next_attempt_at=utcnow() + timedelta(seconds=delay),
        **fields,
    )
    db.session.add(row)
    db.session.info[ENQUEUED] = True
    return row
