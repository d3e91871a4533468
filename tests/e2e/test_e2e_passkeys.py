"""A participant adds a security key in Chromium (a virtual authenticator over the DevTools protocol) and
then signs in with it instead of a code."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import PageProblems, open_account_menu, sign_in
from tests.totp_codes import code_for, secret_from_page

pytestmark = pytest.mark.e2e

EMAIL = "keys.owner@example.org"
PASSWORD = "a key on my keyring"


@pytest.fixture
def page_on_localhost(browser, live_server):
    """A page of a fresh context on http://localhost:PORT (WebAuthn refuses IP addresses as the site's
    name), with a virtual USB security key that is always touched."""
    context = browser.new_context(base_url=live_server.replace("127.0.0.1", "localhost"), locale="en-GB")
    context.set_default_timeout(10_000)
    problems = PageProblems()
    page = problems.watch(context.new_page())
    devtools = context.new_cdp_session(page)
    devtools.send("WebAuthn.enable")
    options = {
        "protocol": "ctap2",
        "transport": "usb",
        "hasResidentKey": False,
        "hasUserVerification": False,
        "automaticPresenceSimulation": True,
    }
    devtools.send("WebAuthn.addVirtualAuthenticator", {"options": options})
    yield page
    context.close()
    assert problems.messages == [], problems.messages


def register(page):
    """Create a participant account through the form."""
    page.goto("/register")
    page.get_by_label("Full name").fill("Kim Keyholder")
    page.get_by_label("Email address").fill(EMAIL)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Repeat the password").fill(PASSWORD)
    page.get_by_label("Stakeholder group").select_option(label="Academia")
    page.get_by_label("Country").select_option(label="Kenya")
    page.get_by_label("Organisation").fill("University of Nairobi")
    page.get_by_label("I have read the privacy notice and accept it").check()
    page.get_by_role("button", name="Create my account").click()
    expect(page.get_by_role("heading", name="Check your mail")).to_be_visible()


def test_add_a_security_key_and_sign_in_with_it(page_on_localhost):
    page = page_on_localhost
    register(page)
    sign_in(page, EMAIL, PASSWORD)
    page.goto("/account/two-factor")
    secret_from_page(EMAIL, page.content())
    page.get_by_label("Code from your authenticator app").fill(code_for(EMAIL))
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    page.get_by_role("link", name="I have saved them: continue").click()

    page.goto("/account/two-factor")
    page.get_by_label("Name of the key").fill("Virtual key")
    page.get_by_role("button", name="Add a security key").click()
    expect(page.get_by_text("The key “Virtual key” is added.")).to_be_visible()
    expect(page.get_by_role("button", name="Remove “Virtual key”")).to_be_visible()

    open_account_menu(page)
    page.get_by_role("button", name="Sign out").click()
    page.goto("/login")
    page.get_by_label("Email address").fill(EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("button", name="Use a security key").click()
    open_account_menu(page)
    page.goto("/account/two-factor")
    expect(page.get_by_text("last used")).to_be_visible()
