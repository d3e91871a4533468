"""A delegate registers and signs in; the secretariat, watching live elsewhere, verifies; the badge shows."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import ADMIN_EMAIL, ADMIN_PASSWORD, open_account_menu, sign_in

pytestmark = pytest.mark.e2e

PASSWORD = "geneva in july is lovely"


def test_register_verify_and_see_the_badge(new_page):
    secretariat = new_page()
    sign_in(secretariat, ADMIN_EMAIL, ADMIN_PASSWORD)
    secretariat.goto("/admin/registrations")
    pending = secretariat.locator("#pending-count")
    before = int(pending.inner_text())

    delegate = new_page()
    delegate.goto("/register")
    delegate.get_by_label("Full name").fill("Nadia Benali")
    delegate.get_by_label("Email address").fill("nadia.benali@example.org")
    delegate.get_by_label("Password", exact=True).fill(PASSWORD)
    delegate.get_by_label("Repeat the password").fill(PASSWORD)
    delegate.get_by_label("Stakeholder group").select_option(label="Member State")
    delegate.get_by_label("Country").select_option(label="Morocco")
    delegate.get_by_label("Organisation").fill("Ministry of Digital Transition")
    delegate.get_by_label("I have read the privacy notice and accept it").check()
    delegate.get_by_role("button", name="Create my account").click()
    # The same answer as for an address that already has an account: the mail says which it was.
    expect(delegate.get_by_role("heading", name="Check your mail")).to_be_visible()
    sign_in(delegate, "nadia.benali@example.org", PASSWORD)
    open_account_menu(delegate)
    delegate.get_by_role("link", name="Your profile").click()
    expect(delegate.get_by_text("Awaiting verification").first).to_be_visible()

    # The secretariat's queue counts the new registration without reloading.
    expect(pending).to_have_text(str(before + 1), timeout=5_000)
    expect(secretariat.locator("#pending-changed")).to_be_visible()
    secretariat.reload()
    secretariat.get_by_role("link", name="Nadia Benali").click()
    secretariat.get_by_role("button", name="Verify").click()
    expect(secretariat.get_by_text("Nadia Benali is verified.")).to_be_visible()

    open_account_menu(delegate)
    delegate.get_by_role("button", name="Sign out").click()
    sign_in(delegate, "nadia.benali@example.org", PASSWORD)
    open_account_menu(delegate)
    delegate.get_by_role("link", name="Your profile").click()
    badge = delegate.locator(".profile-badge")
    expect(badge).to_contain_text("Member State")
    expect(badge).to_contain_text("Morocco")
    expect(badge).to_contain_text("Verified")
