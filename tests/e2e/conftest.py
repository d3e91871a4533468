"""End-to-end fixtures: a real server process (gunicorn + gevent) and Debian's Chromium via Playwright."""

import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import expect

from bench.common import ROOT
from bench.server import BIN, gunicorn, server_env
from tests.conftest import unavailable
from tests.totp_codes import code_for, secret_from_page

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


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    """The production server stack on the embedded default, on a free port, with demo data and an admin."""
    instance = tmp_path_factory.mktemp("instance")
    env = {
        **server_env(instance),
        "REGISTRATION_DEADLINE": "2099-06-25T23:59:59",
        "HUB_DEADLINE": "2099-06-19T23:59:59",
    }
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
    with gunicorn("wsgi:app", env, instance / "server.log", workers=1, probe="/login") as base_url:
        yield base_url


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


# A form sent back with its errors beside the fields answers 422 by design; Chromium logs that as an error.
FORM_ERRORS = "the server responded with a status of 422"


class PageProblems:
    """Console errors and failed requests a page produced (CSP violations show up here)."""

    def __init__(self):
        self.messages = []

    def watch(self, page):
        """Record the page's errors, but for a form answered with its field errors (422)."""
        page.on(
            "console",
            lambda m: m.type == "error" and FORM_ERRORS not in m.text and self.messages.append(m.text),
        )
        page.on("pageerror", lambda error: self.messages.append(str(error)))
        return page


@pytest.fixture
def new_page(browser, live_server):
    """Open a page in a fresh browser context (its own cookies: a separate person), by default in Geneva."""
    contexts = []
    problems = PageProblems()

    def factory(timezone_id="Europe/Zurich"):
        context = browser.new_context(base_url=live_server, locale="en-GB", timezone_id=timezone_id)
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
    page.wait_for_load_state()
    if "/login/code" in page.url:
        page.get_by_label("Authentication code").fill(code_for(email))
        page.get_by_role("button", name="Verify and sign in").click()
    elif "/account/two-factor" in page.url:
        # Staff set up two-factor sign-in at their first sign-in, as the page asks them to.
        secret_from_page(email, page.content())
        page.get_by_label("Code from your authenticator app").fill(code_for(email))
        page.get_by_role("button", name="Turn on two-factor sign-in").click()
        page.get_by_role("link", name="I have saved them: continue").click()
    expect(page.locator("details.account")).to_be_visible()


def open_account_menu(page):
    """Open the header's account menu (profile, staff pages, Sign out) unless it is open already."""
    menu = page.locator("details.account")
    if menu.get_attribute("open") is None:
        menu.locator("summary").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
