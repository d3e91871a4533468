"""Live Q&A in real browsers: a question asked, approved, seen live elsewhere and on the big screen; votes."""

import pytest
from playwright.sync_api import expect

from forum.demo import DEMO_PASSWORD
from tests.e2e.conftest import sign_in

pytestmark = pytest.mark.e2e
SESSION = "/programme/cooperation"
QUESTION = "Could the Dialogue publish a map of national AI offices? <script>alert(1)</script>"


def open_live(page, path=SESSION, selector="#questions"):
    """Open a page and wait until its live connection is up."""
    page.goto(path)
    expect(page.locator(selector)).to_have_attribute("data-live", "connected")


def test_question_approved_appears_live_and_votes_cross_browsers(new_page):
    asker = new_page()
    sign_in(asker, "researcher@demo.dialogue.int", DEMO_PASSWORD)
    open_live(asker)
    voter = new_page()
    sign_in(voter, "delegate.brazil@demo.dialogue.int", DEMO_PASSWORD)
    open_live(voter)
    screen = new_page()
    open_live(screen, SESSION + "/screen", "#main")

    asker.get_by_label("Your question").fill(QUESTION)
    asker.get_by_role("button", name="Send question").click()
    mine = asker.locator(".question", has_text="map of national AI offices")
    expect(mine).to_contain_text("Awaiting approval")
    open_live(asker)
    expect(voter.locator(".question", has_text="map of national AI offices")).to_have_count(0)

    moderator = new_page()
    sign_in(moderator, "moderator@demo.dialogue.int", DEMO_PASSWORD)
    moderator.goto(SESSION)
    pending = moderator.locator(".question", has_text="map of national AI offices")
    expect(pending).to_contain_text("Awaiting approval")
    pending.get_by_role("button", name="Approve").click()
    expect(moderator.locator(".question", has_text="map of national AI offices")).not_to_contain_text(
        "Awaiting approval"
    )

    seen = voter.locator(".question", has_text="map of national AI offices")
    expect(seen).to_be_visible(timeout=3_000)
    expect(seen.locator(".question-body")).to_have_text(QUESTION)
    expect(screen.locator(".screen-list")).to_contain_text("map of national AI offices", timeout=3_000)
    expect(mine).not_to_contain_text("Awaiting approval", timeout=3_000)

    seen.get_by_role("button", name="Upvote").click()
    expect(seen.get_by_role("button", name="Withdraw my vote")).to_be_visible()
    expect(mine.locator("[data-vote-count]")).to_have_text("1", timeout=3_000)
    expect(
        screen.locator(".screen-list li", has_text="map of national AI offices").locator("[data-vote-count]")
    ).to_have_text("1")
    assert voter.locator(".question-body script").count() == 0


def test_speakers_list_follows_the_chair_live(new_page):
    path = "/programme/high-level/speakers"
    viewer = new_page()
    sign_in(viewer, "delegate.brazil@demo.dialogue.int", DEMO_PASSWORD)
    open_live(viewer, path, "#speakers")
    chair = new_page()
    sign_in(chair, "chair@demo.dialogue.int", DEMO_PASSWORD)
    open_live(chair, path, "#speakers")
    assert viewer.get_by_role("button", name="Give the floor").count() == 0
    # The requester sees the chair's decision on their own request without reloading.
    requester = new_page()
    sign_in(requester, "ngo@demo.dialogue.int", DEMO_PASSWORD)
    open_live(requester, path, "#speakers")
    mine = requester.locator("#my-requests li", has_text="Global Digital Rights Coalition")
    expect(mine).to_contain_text("Requested")
    # The session's own page says who has the floor, live as well.
    reader = new_page()
    open_live(reader, "/programme/high-level", "#questions")
    expect(reader.locator("#speaking-now")).to_be_hidden()

    chair.locator("#speaker-requests article", has_text="Global Digital Rights Coalition").get_by_role(
        "button", name="Approve"
    ).click()
    expect(viewer.locator("#speakers-live")).to_contain_text("Global Digital Rights Coalition", timeout=3_000)
    expect(mine).to_contain_text("Approved", timeout=3_000)
    chair.locator(".speaker", has_text="Republic of Kenya").get_by_role(
        "button", name="Give the floor"
    ).click()
    expect(viewer.locator("#speaking-now")).to_contain_text("Republic of Kenya", timeout=3_000)
    expect(viewer.locator("#live-region")).to_contain_text("Republic of Kenya has the floor.", timeout=3_000)
    expect(reader.locator("#speaking-now")).to_contain_text("Republic of Kenya", timeout=3_000)
    expect(reader.locator("#live-region")).to_contain_text("Republic of Kenya has the floor.", timeout=3_000)
    chair.get_by_role("button", name="Stop the timer").click()
    expect(viewer.locator(".speaker", has_text="Republic of Kenya")).to_contain_text(
        "Delivered", timeout=3_000
    )
    expect(viewer.locator("#speaking-now")).to_have_count(0)
    expect(reader.locator("#speaking-now")).to_be_hidden(timeout=3_000)
    assert viewer.get_by_role("button", name="Give the floor").count() == 0
