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


def test_a_live_reply_comes_with_each_readers_own_controls(new_page):
    """The author's other tab gets an author's controls, another participant endorse and flag, which work."""
    author_tab = new_page()
    sign_in(author_tab, "ngo@demo.dialogue.int", DEMO_PASSWORD)
    author_other_tab = author_tab.context.new_page()
    open_thread(author_tab)
    open_thread(author_other_tab)
    other = new_page()
    sign_in(other, "industry@demo.dialogue.int", DEMO_PASSWORD)
    open_thread(other)
    author_tab.get_by_label("Your reply").fill("Controls follow the reader")
    author_tab.get_by_role("button", name="Post reply").click()

    theirs = other.locator(".post", has_text="Controls follow the reader")
    expect(theirs.get_by_role("button", name="Endorse")).to_be_visible()
    expect(theirs.get_by_role("link", name="Flag")).to_be_visible()
    expect(theirs.get_by_role("link", name="Edit")).to_have_count(0)
    mine = author_other_tab.locator(".post", has_text="Controls follow the reader")
    expect(mine.get_by_role("link", name="Edit")).to_be_visible()
    expect(mine.get_by_role("button", name="Endorse")).to_have_count(0)
    expect(mine.get_by_role("link", name="Flag")).to_have_count(0)

    theirs.get_by_role("button", name="Endorse").click()
    endorsed = other.locator(".post", has_text="Controls follow the reader")
    expect(endorsed).to_contain_text("1 endorsement")
    expect(endorsed.get_by_role("button", name="Withdraw my endorsement")).to_be_visible()
