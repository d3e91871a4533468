"""Sending the outbox: claim a due row, send it over SMTP (or write an .eml file), record the outcome.

Any number of processes may drain at once: a row is claimed with a conditional UPDATE on its state
and attempt count, so exactly one of them sends it. A failure is logged with its reason and retried
with exponential backoff; after MAIL_MAX_ATTEMPTS the row stays `failed` for the secretariat.
"""

import logging
import os
import re
import smtplib
import ssl
import threading
from datetime import timedelta
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path

from flask import current_app
from sqlalchemy import event, or_, select, update
from sqlalchemy.orm import Session

from forum import logging_setup
from forum.database import utcnow
from forum.extensions import db, socketio
from forum.mail import digests
from forum.mail.compose import ENQUEUED, sender
from forum.mail.models import MailState, OutboxMessage

log = logging.getLogger(__name__)
# A row left `sending` this long (its process died mid-send) is taken up again.
STALE_CLAIM = timedelta(minutes=10)
# How often the worker looks for users whose daily digest is due.
DIGEST_CHECK = timedelta(minutes=10)
BATCH = 50
LINK = re.compile(r"https?://\S+")
_wake = threading.Event()


def build(row):
    """The whole MIME message of a row: plain text and HTML alternatives, no images, no tracking."""
    message = EmailMessage()
    message["From"] = sender(current_app.config)
    message["To"] = row.to_address
    message["Subject"] = row.subject
    message["Date"] = format_datetime(utcnow())
    message["Message-ID"] = make_msgid(idstring=f"outbox-{row.id}")
    message["Auto-Submitted"] = "auto-generated"
    if row.unsubscribe_url:
        # RFC 8058: mail clients offer a one-click unsubscribe that POSTs to the same signed link.
        message["List-Unsubscribe"] = f"<{row.unsubscribe_url}>"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message.set_content(row.text_body)
    message.add_alternative(row.html_body, subtype="html")
    # After the content: set_content() drops every Content-* header set before it.
    message["Content-Language"] = row.language
    return message


class Transport:
    """One SMTP connection for a batch, opened on first use; or .eml files when no server is set."""

    def __init__(self, config):
        self.config = config
        self.smtp = None

    def send(self, row, message):
        """Deliver one message; raises on failure."""
        if not self.config.get("MAIL_SERVER"):
            self._write(row, message)
            return
        if self.smtp is None:
            self.smtp = self._connect()
        self.smtp.send_message(message)

    def _connect(self):
        """Connect with a timeout, STARTTLS when asked, and sign in when credentials are set."""
        config = self.config
        smtp = smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=config["MAIL_TIMEOUT"])
        if config.get("MAIL_USE_TLS"):
            smtp.starttls(context=ssl.create_default_context())
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
        return smtp

    def _write(self, row, message):
        """No relay: the message as an .eml file only its owner reads; its links on a developer's console.

        Production writes files only when MAIL_OUTBOX_DIR is chosen (config.production_problem), and never
        prints a link: a reset link in a log is a password for whoever reads the log.
        """
        folder = Path(self.config["MAIL_OUTBOX_DIR"])
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        path = folder / f"{utcnow():%Y%m%dT%H%M%S}-{row.id}.eml"
        # Created 0600 from the start: chmod after writing would leave a moment when others could read it.
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "wb") as file:
            file.write(message.as_bytes())
        if self.config.get("MAIL_PRINT_LINKS"):
            links = "\n".join(f"  {link}" for link in dict.fromkeys(LINK.findall(row.text_body)))
            print(f"Mail to {row.to_address}: {row.subject} ({path})\n{links}", flush=True)
        else:
            log.info("mail %s written to %s", row.id, path)

    def close(self):
        """Say goodbye to the server, if one was opened."""
        if self.smtp is not None:
            try:
                self.smtp.quit()
            except (smtplib.SMTPException, OSError):
                self.smtp.close()
            self.smtp = None

    def drop(self):
        """Forget a connection that failed, so that the next row opens a new one."""
        if self.smtp is not None:
            self.smtp.close()
            self.smtp = None


def _due(now):
    """Ids and attempt counts of rows to send now: pending and due, or claimed long ago by a dead process."""
    query = select(OutboxMessage.id, OutboxMessage.state, OutboxMessage.attempts).where(
        or_(
            (OutboxMessage.state == MailState.PENDING) & (OutboxMessage.next_attempt_at <= now),
            (OutboxMessage.state == MailState.SENDING) & (OutboxMessage.claimed_at <= now - STALE_CLAIM),
        )
    )
    return db.session.execute(query.order_by(OutboxMessage.next_attempt_at).limit(BATCH)).all()


def _claim(row_id, state, attempts, now):
    """Take a row for this process: true only for the one process whose UPDATE matched."""
    result = db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == row_id, OutboxMessage.state == state, OutboxMessage.attempts == attempts)
        .values(state=MailState.SENDING, attempts=attempts + 1, claimed_at=now)
    )
    db.session.commit()
    return result.rowcount == 1


def _record_failure(row, error):
    """Log the reason; schedule the next attempt with backoff, or give up after the last one."""
    config = current_app.config
    row.last_error = f"{type(error).__name__}: {error}"[:1000]
    if row.attempts >= config["MAIL_MAX_ATTEMPTS"]:
        row.state = MailState.FAILED
        log.error("mail %s to %s failed for good: %s", row.id, row.to_address, row.last_error)
    else:
        row.state = MailState.PENDING
        wait = config["MAIL_RETRY_SECONDS"] * 2 ** (row.attempts - 1)
        row.next_attempt_at = utcnow() + timedelta(seconds=wait)
        log.warning(
            "mail %s to %s failed (attempt %s), retry in %s s: %s",
            row.id, row.to_address, row.attempts, wait, row.last_error,
        )  # fmt: skip


def drain(now=None):
    """Send every due row this process can claim; returns (sent, failed attempts)."""
    sent = failed = 0
    transport = Transport(current_app.config)
    try:
        while True:
            due = _due(now or utcnow())
            claimed = [row_id for row_id, state, n in due if _claim(row_id, state, n, now or utcnow())]
            if not due:
                break
            for row_id in claimed:
                row = db.session.get(OutboxMessage, row_id)
                try:
                    transport.send(row, build(row))
                # Any failure (refused, timeout, a malformed header) is recorded on the row and retried.
                except Exception as error:
                    transport.drop()
                    _record_failure(row, error)
                    failed += 1
                else:
                    row.state, row.sent_at, row.last_error = MailState.SENT, utcnow(), None
                    sent += 1
                db.session.commit()
            if len(due) < BATCH:
                break
    finally:
        transport.close()
    return sent, failed


def wake():
    """Tell this process's worker that mail is waiting."""
    _wake.set()


@event.listens_for(Session, "after_commit")
def _after_commit(session):
    """A committed transaction that wrote mail wakes the worker; a rolled-back one sends nothing."""
    if session.info.pop(ENQUEUED, False):
        wake()


@event.listens_for(Session, "after_rollback")
def _after_rollback(session):
    """Mail of a rolled-back transaction is gone with it."""
    session.info.pop(ENQUEUED, None)


def _work(app):
    """The worker: drain the outbox when woken (or every MAIL_POLL_SECONDS), and send due digests."""
    digests_checked = None
    while True:
        _wake.wait(timeout=app.config["MAIL_POLL_SECONDS"])
        _wake.clear()
        with logging_setup.job_id(), app.app_context():
            try:
                if app.config["MAIL_WORKER_DIGESTS"] and (
                    digests_checked is None or utcnow() - digests_checked > DIGEST_CHECK
                ):
                    digests_checked = utcnow()
                    digests.send_due()
                drain()
            except Exception:  # the worker must outlive a database blip; the next round tries again
                log.exception("mail worker round failed")
            finally:
                db.session.remove()


def init_app(app):
    """Start the worker in a server process at its first request (never in the CLI or the tests)."""
    if not app.config["MAIL_WORKER"]:
        return

    @app.before_request
    def _start_worker():
        """Once per process: the sending greenlet (a thread under the threading server)."""
        if not app.extensions.get("forum_mail_worker"):
            app.extensions["forum_mail_worker"] = socketio.start_background_task(_work, app)
            wake()
