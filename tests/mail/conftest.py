"""Mail fixtures: a real SMTP server on loopback (aiosmtpd) the app sends to, and helpers to read mail."""

import email
import re
import time
from email import policy
from urllib.parse import urlsplit

import pytest
from aiosmtpd.controller import Controller
from itsdangerous import TimestampSigner, URLSafeTimedSerializer

from bench.server import free_port
from forum.mail import sender

LINK = re.compile(r"https?://\S+")


class Inbox:
    """What the SMTP server received, parsed."""

    def __init__(self):
        self.messages = []
        self.port = None

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        """Keep each message the app sends."""
        self.messages.append(email.message_from_bytes(envelope.content, policy=policy.default))
        return "250 Message accepted"

    def to(self, address):
        """The messages sent to `address`."""
        return [m for m in self.messages if m["To"] == address]


@pytest.fixture
def smtp():
    """An SMTP server on a free loopback port, for the test only."""
    inbox = Inbox()
    inbox.port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=inbox.port)
    controller.start()
    yield inbox
    controller.stop()


@pytest.fixture
def config_overrides(smtp):
    """The app sends to the test's SMTP server."""
    return {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": smtp.port}


@pytest.fixture
def deliver(app, smtp):
    """Drain the outbox as the worker would; returns the messages received so far."""

    def run():
        sender.drain()
        return smtp.messages

    return run


def text_of(message):
    """The plain-text part of a multipart/alternative message."""
    return message.get_body(preferencelist=("plain",)).get_content()


def html_of(message):
    """The HTML part of a multipart/alternative message."""
    return message.get_body(preferencelist=("html",)).get_content()


def links(message):
    """The links of the plain-text part, as paths to request with the test client."""
    found = []
    for url in LINK.findall(text_of(message)):
        parts = urlsplit(url)
        found.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return found


def old_token(app, salt, payload, age_seconds):
    """A token of `salt` signed `age_seconds` ago, to test expiry without moving the clock."""

    class PastSigner(TimestampSigner):
        def get_timestamp(self):
            return int(time.time()) - age_seconds

    return URLSafeTimedSerializer(app.config["SECRET_KEY"], salt=salt, signer=PastSigner).dumps(payload)


@pytest.fixture
def confirmed(db):
    """Mark users' addresses confirmed and choose their activity mail: confirmed(user, mode="immediate")."""
    from forum.database import utcnow

    def mark(user, mode="daily"):
        user.email_confirmed_at = utcnow()
        user.digest_mode = mode
        db.session.commit()
        return user

    return mark
