"""Three browsers: a pending user posts, a moderator approves it as it arrives, a reader sees it appear."""

import pytest
from playwright.sync_api import expect

from forum.demo import DEMO_PASSWORD
from tests.e2e.conftest import open_account_menu, sign_in

pytestmark = pytest.mark.e2e
THREAD = "National AI compute sharing for universities"


def open_thread(page):
    """Open the demo thread and wait until its live connection is up."""
    page.goto("/threads")
    page.get_by_role("link", name=THREAD).click()
    expect(page.get_by_role("heading", name=THREAD)).to_be_visible()
    expect(page.locator("#presence")).to_be_visible()


def test_a_held_post_is_approved_live(new_page):
    moderator = new_page()
    sign_in(moderator, "moderator@demo.dialogue.int", DEMO_PASSWORD)
    open_account_menu(moderator)
    moderator.get_by_role("link", name="Moderation").click()
    expect(moderator.get_by_role("heading", name="Review queue")).to_be_visible()
    before = int(moderator.locator("#queue-count").inner_text())

    reader = new_page()
    open_thread(reader)

    newcomer = new_page()
    sign_in(newcomer, "newcomer@demo.dialogue.int", DEMO_PASSWORD)
    open_thread(newcomer)
    newcomer.get_by_label("Your reply").fill("Open standards labs can share test suites for AI systems.")
    newcomer.get_by_role("button", name="Post reply").click()
    expect(newcomer.locator(".post", has_text="Open standards labs")).to_contain_text("Awaiting review")

    item = moderator.locator(".review-item", has_text="Open standards labs")
    expect(item).to_be_visible()
    expect(moderator.locator("#queue-count")).to_have_text(str(before + 1))
    expect(item).to_contain_text("Author not verified yet")
    expect(reader.locator(".post", has_text="Open standards labs")).to_have_count(0)

    item.get_by_role("button", name="Approve").click()
    expect(item).to_have_count(0)
    expect(moderator.locator("#queue-count")).to_have_text(str(before))

    reply = reader.locator(".post", has_text="Open standards labs")
    expect(reply).to_be_visible()
    expect(reply).not_to_contain_text("Awaiting review")
