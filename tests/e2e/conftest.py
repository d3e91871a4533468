"""End-to-end fixtures: a real server process (gunicorn + gevent) and Debian's Chromium via Playwright."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.conftest import unavailable

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
CHROMIUM = "/usr/bin/chromium"
# Flags for a sandboxed, offline machine: no background traffic to Google's services.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ADMIN_EMAIL = "secretariat@e2e.example.org"
ADMIN_PASSWORD = "e2e secretariat passphrase"


def free_port():
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(url, process, seconds=30):
    """Poll `url` until it answers, failing early if the server process died."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 - loopback URL we built
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"server at {url} did not answer within {seconds} s")


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    """The production server stack on the embedded default, on a free port, with one admin account."""
    instance = tmp_path_factory.mktemp("instance")
    env = {
        **os.environ,
        "FORUM_INSTANCE_PATH": str(instance),
        "REGISTRATION_DEADLINE": "2099-06-25T23:59:59",
        "PYTHONUNBUFFERED": "1",
    }
    for name in ("DATABASE_URL", "REDIS_URL", "FORUM_ENV"):
        env.pop(name, None)
    flask = [str(BIN / "flask"), "--app", "wsgi"]
    subprocess.run([*flask, "db", "upgrade"], cwd=ROOT, env=env, check=True, capture_output=True)
    subprocess.run([*flask, "forum", "seed-demo"], cwd=ROOT, env=env, check=True, capture_output=True)
    subprocess.run(
        [*flask, "forum", "create-user", ADMIN_EMAIL, "--role", "admin", "--name", "Sam Secretariat"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        input=ADMIN_PASSWORD + "\n",
        text=True,
    )
    port = free_port()
    log = (instance / "server.log").open("w")
    server = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "--worker-class",
            "gevent",
            "--workers",
            "1",
            "--bind",
            f"127.0.0.1:{port}",
            "wsgi:app",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base_url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base_url + "/login", server)
        yield base_url
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, headless, driven by Playwright."""
    if not Path(CHROMIUM).exists():
        unavailable("Chromium", f"{CHROMIUM} is missing (run `make browser`)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


class PageProblems:
    """Console errors and failed requests a page produced (CSP violations show up here)."""

    def __init__(self):
        self.messages = []

    def watch(self, page):
        """Record the page's errors."""
        page.on("console", lambda msg: msg.type == "error" and self.messages.append(msg.text))
        page.on("pageerror", lambda error: self.messages.append(str(error)))
        return page


@pytest.fixture
def new_page(browser, live_server):
    """Open a page in a fresh browser context (its own cookies: a separate person)."""
    contexts = []
    problems = PageProblems()

    def factory():
        context = browser.new_context(base_url=live_server, locale="en-GB", timezone_id="Europe/Zurich")
        context.set_default_timeout(10_000)
        contexts.append(context)
        return problems.watch(context.new_page())

    yield factory
    for context in contexts:
        context.close()
    assert problems.messages == [], problems.messages


def sign_in(page, email, password):
    """Sign in through the form, by its labels."""
    page.goto("/login")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
