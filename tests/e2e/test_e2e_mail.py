"""Forgot password in Chromium: the link arrives by SMTP (aiosmtpd), a new password, then sign in with it."""

import email
import re
import subprocess
import time
from email import policy

import pytest
from aiosmtpd.controller import Controller
from playwright.sync_api import expect

from bench.common import ROOT
from bench.server import BIN, free_port, gunicorn, server_env
from tests.e2e.conftest import sign_in

pytestmark = pytest.mark.e2e

EMAIL = "delegate@e2e.example.org"
OLD_PASSWORD = "forgotten passphrase"
NEW_PASSWORD = "remembered passphrase now"


class Inbox:
    """Messages the server sent, parsed."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        """Keep each message."""
        self.messages.append(email.message_from_bytes(envelope.content, policy=policy.default))
        return "250 Message accepted"

    def wait_for(self, address, seconds=20):
        """The first message to `address`, waiting for the server's background sender."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            for message in self.messages:
                if message["To"] == address:
                    return message
            time.sleep(0.2)
        raise AssertionError(f"no mail to {address} within {seconds} s")


@pytest.fixture(scope="module")
def inbox():
    """An SMTP server on a free loopback port for this module's server."""
    handler = Inbox()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    handler.port = port
    yield handler
    controller.stop()


@pytest.fixture(scope="module")
def live_server(tmp_path_factory, inbox):
    """The production server stack on the embedded default, sending mail to the test's SMTP server."""
    instance = tmp_path_factory.mktemp("mail-instance")
    env = {**server_env(instance), "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": str(inbox.port)}
    flask = [str(BIN / "flask"), "--app", "wsgi"]
    subprocess.run([*flask, "db", "upgrade"], cwd=ROOT, env=env, check=True, capture_output=True)
    subprocess.run(
        [*flask, "forum", "create-user", EMAIL, "--name", "Dana Delegate"],
        cwd=ROOT, env=env, check=True, capture_output=True, input=OLD_PASSWORD + "\n", text=True,
    )  # fmt: skip
    with gunicorn("wsgi:app", env, instance / "server.log", workers=1, probe="/login") as base_url:
        yield base_url


def test_forgot_password_then_sign_in_with_the_new_one(new_page, inbox):
    page = new_page()
    page.goto("/login")
    page.get_by_role("link", name="Forgot your password?").click()
    page.get_by_label("Email address").fill(EMAIL)
    page.get_by_role("button", name="Send me a link").click()
    expect(page.get_by_role("heading", name="Check your mail")).to_be_visible()

    message = inbox.wait_for(EMAIL)
    text = message.get_body(preferencelist=("plain",)).get_content()
    link = re.search(r"https?://\S+/reset-password/\S+", text).group(0)
    page.goto(link)
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Repeat the new password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Save the new password").click()
    expect(page.get_by_text("Your password is changed. Sign in with it.")).to_be_visible()

    sign_in(page, EMAIL, NEW_PASSWORD)
