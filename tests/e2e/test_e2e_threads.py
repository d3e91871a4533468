"""Two browsers on one thread: a reply appears live in the other; hostile markup stays text."""

import pytest
from playwright.sync_api import expect

from forum.demo import DEMO_PASSWORD
from tests.e2e.conftest import sign_in

pytestmark = pytest.mark.e2e
THREAD = "National AI compute sharing for universities"


def open_thread(page):
    """Open the demo thread from the thread list and wait until its live connection is up."""
    page.goto("/threads")
    page.get_by_role("link", name=THREAD).click()
    expect(page.get_by_role("heading", name=THREAD)).to_be_visible()
    expect(page.locator("#presence")).to_be_visible()


def test_a_reply_appears_live_and_markup_stays_text(new_page):
    reader = new_page()
    reader.set_viewport_size({"width": 800, "height": 420})
    dialogs = []
    reader.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    open_thread(reader)

    writer = new_page()
    writer.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    sign_in(writer, "researcher@demo.dialogue.int", DEMO_PASSWORD)
    open_thread(writer)
    expect(reader.locator("#presence")).to_contain_text("2")
    writer.get_by_label("Your reply").fill("Live from Geneva <img src=x onerror=alert(1)>")
    writer.get_by_role("button", name="Post reply").click()
    expect(writer.get_by_text("Live from Geneva")).to_be_visible()

    reply = reader.locator(".post", has_text="Live from Geneva")
    expect(reply).to_be_visible(timeout=2_000)
    expect(reply).to_contain_text("<img src=x onerror=alert(1)>")
    # The reply landed below the reader's fold: the page says so, and takes them there.
    expect(reader.locator("#new-replies-count")).to_have_text("1")
    expect(reader.locator("#new-replies")).to_be_in_viewport()
    reader.get_by_role("button", name="Show new replies").click()
    expect(reader.locator("#new-replies")).to_be_hidden()
    expect(reply).to_be_in_viewport()
    assert reader.locator(".post-body img").count() == 0
    reader.wait_for_timeout(300)
    assert dialogs == []
