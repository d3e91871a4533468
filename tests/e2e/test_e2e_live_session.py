"""The live session in real browsers: the chair's speakers' page counts the time down and shows who
speaks next, live and on reload without script; the presenter screen fits a 1920×1080 projector in
English and in Arabic (right to left), in large, high-contrast type."""

import re

import pytest
from playwright.sync_api import expect

from forum.demo import DEMO_PASSWORD
from tests.e2e.conftest import sign_in

pytestmark = pytest.mark.e2e
SPEAKERS = "/programme/high-level/speakers"
HALL = {"width": 1920, "height": 1080}


def seconds(text):
    """'2:59' as 179."""
    minutes, secs = text.split(":")
    return int(minutes) * 60 + int(secs)


def test_the_chairs_page_shows_the_running_timer_and_the_next_speakers_live(new_page, browser, live_server):
    chair = new_page()
    sign_in(chair, "chair@demo.dialogue.int", DEMO_PASSWORD)
    chair.goto(SPEAKERS)
    # The chair's second window (the one beside the microphone) follows the first one live.
    watching = chair.context.new_page()
    watching.goto(SPEAKERS)
    expect(watching.locator("#speakers")).to_have_attribute("data-live", "connected")
    expect(watching.locator(".floor")).to_contain_text("Nobody has the floor.")

    chair.locator(".speaker", has_text="Federative Republic of Brazil").get_by_role(
        "button", name="Give the floor"
    ).click()
    timer = watching.locator("#speaker-timer")
    expect(timer).to_have_text(re.compile(r"^[23]:\d\d$"), timeout=3_000)
    expect(watching.locator("#speaking-now")).to_contain_text("Federative Republic of Brazil")
    upcoming = watching.locator(".next-speakers li")
    expect(upcoming.first).to_contain_text("Republic of Kenya")
    expect(watching.locator(".next-speakers")).not_to_contain_text("Brazil")
    # It counts down by itself between events.
    first = seconds(timer.inner_text())
    expect(timer).not_to_have_text(timer.inner_text(), timeout=3_000)
    assert seconds(timer.inner_text()) < first

    # Without script, a reload draws the same time left on the server.
    plain = browser.new_context(base_url=live_server, locale="en-GB", java_script_enabled=False)
    try:
        page = plain.new_page()
        page.goto(SPEAKERS)
        drawn = seconds(page.locator("#speaker-timer").inner_text())
        assert abs(drawn - seconds(timer.inner_text())) <= 2
        expect(page.locator(".next-speakers li").first).to_contain_text("Republic of Kenya")
    finally:
        plain.close()

    chair.get_by_role("button", name="Stop the timer").click()
    expect(watching.locator("#speaker-timer")).to_have_count(0, timeout=3_000)
    expect(watching.locator(".floor")).to_contain_text("Nobody has the floor.")
    watching.close()


@pytest.mark.parametrize(
    ("locale", "direction", "heading"),
    [("en-GB", "ltr", "Top questions"), ("ar", "rtl", "الأسئلة الأعلى تصويتاً")],
)
def test_the_presenter_screen_fits_a_hall_projector(browser, live_server, locale, direction, heading):
    context = browser.new_context(base_url=live_server, locale=locale, viewport=HALL)
    try:
        page = context.new_page()
        page.goto("/programme/cooperation/screen")
        expect(page.locator("html")).to_have_attribute("dir", direction)
        expect(page.get_by_role("heading", name=heading)).to_be_visible()
        items = page.locator(".screen-list li")
        expect(items.first).to_be_visible()
        facts = page.evaluate(
            """() => {
              const style = (el) => getComputedStyle(el);
              const list = document.querySelector('.screen-list li .screen-text');
              const heading = document.querySelector('#screen-top');
              const title = document.querySelector('.screen-header h1');
              const items = [...document.querySelectorAll('.screen-list li')];
              return {
                scrollWidth: document.documentElement.scrollWidth,
                scrollHeight: document.documentElement.scrollHeight,
                listSize: parseFloat(style(list).fontSize),
                titleSize: parseFloat(style(title).fontSize),
                ink: style(list).color,
                ground: style(document.body).backgroundColor,
                accent: style(heading).color,
                headingLeft: heading.getBoundingClientRect().left,
                headingRight: heading.getBoundingClientRect().left + heading.getBoundingClientRect().width,
                votesLeft: document.querySelector('.screen-votes').getBoundingClientRect().left,
                textLeft: list.getBoundingClientRect().left,
                lastBottom: items[items.length - 1].getBoundingClientRect().bottom,
                text: document.body.innerText,
              };
            }"""
        )
        # Nothing scrolls on a kiosk: the page is the projector's size, every question on it.
        assert facts["scrollWidth"] <= HALL["width"] and facts["scrollHeight"] <= HALL["height"]
        assert facts["lastBottom"] <= HALL["height"]
        # Large type: about 40 px and more on 1080 lines, readable from the back of a hall.
        assert facts["listSize"] >= 40 and facts["titleSize"] >= 48
        assert (facts["ink"], facts["ground"]) == ("rgb(255, 255, 255)", "rgb(0, 0, 0)")
        assert facts["accent"] == "rgb(255, 210, 0)"
        # Right to left: headings start on the right, the votes stand right of the question.
        if direction == "rtl":
            assert facts["headingRight"] > HALL["width"] - 100 and facts["votesLeft"] > facts["textLeft"]
        else:
            assert facts["headingLeft"] < 100 and facts["votesLeft"] < facts["textLeft"]
        assert "·" not in facts["text"]
    finally:
        context.close()
