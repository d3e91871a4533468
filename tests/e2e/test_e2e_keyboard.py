"""Keyboard only (Tab, Shift+Tab, Enter, Space, typing): sign in, reply to a thread, upvote a question."""

from uuid import uuid4

import pytest
from playwright.sync_api import expect

from forum.demo import DEMO_PASSWORD

pytestmark = pytest.mark.e2e
EMAIL = "ngo@demo.dialogue.int"
THREAD = "National AI compute sharing for universities"
SESSION = "International cooperation on AI governance"
# Unique per run: a server started outside the tests may outlive one run.
REPLY = "Typed with the keyboard alone: shared compute needs shared evaluation too. " + uuid4().hex[:8]
MAX_TABS = 120
# What the focused element is, and whether its focus ring shows (outline drawn, not 'none').
ACTIVE = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  return {
    tag: el.tagName.toLowerCase(), id: el.id, name: el.getAttribute("name") || "",
    text: (el.innerText || el.value || "").replace(/\\s+/g, " ").trim(),
    cls: el.className || "", question: el.dataset.questionId || "",
    ring: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2,
  };
}"""


class Keyboard:
    """Moves focus with the keyboard only and records every focused control that showed no focus ring."""

    def __init__(self, page):
        self.page = page
        self.unringed = []

    def active(self):
        """The focused element, described."""
        return self.page.evaluate(ACTIVE)

    def tab(self, key="Tab"):
        """Press Tab (or Shift+Tab) once; return the newly focused element."""
        self.page.keyboard.press(key)
        now = self.active()
        if now["tag"] != "body" and not now["ring"]:
            self.unringed.append(f"{self.page.url}: {now}")
        return now

    def tab_to(self, wanted, what):
        """Tab forward until `wanted(element)` holds; fail if it never does (a trap, or not reachable)."""
        seen = []
        for _ in range(MAX_TABS):
            now = self.tab()
            if wanted(now):
                return now
            seen.append(f"{now['tag']}#{now['id']} {now['text'][:30]}")
        pytest.fail(f"Tab never reached {what} on {self.page.url}; focus went through: {seen}")


def test_sign_in_reply_and_upvote_with_the_keyboard_only(new_page):
    page = new_page()
    keys = Keyboard(page)
    page.goto("/")

    first = keys.tab()
    assert "skip-link" in first["cls"], f"the first Tab stop is not the skip link: {first}"
    page.keyboard.press("Enter")
    assert keys.active()["id"] == "main", "the skip link does not move focus to the main content"

    keys.tab_to(lambda e: e["tag"] == "a" and e["text"] == "Sign in", "the Sign in link")
    page.keyboard.press("Enter")
    page.wait_for_url("**/login**")
    keys.tab_to(lambda e: e["id"] == "email", "the email field")
    page.keyboard.type(EMAIL)
    assert keys.tab()["id"] == "password"
    assert keys.tab("Shift+Tab")["id"] == "email", "Shift+Tab does not go back to the email field"
    assert keys.tab()["id"] == "password"
    page.keyboard.type(DEMO_PASSWORD)
    page.keyboard.press("Enter")
    expect(page.locator("details.account")).to_be_visible()

    keys.tab_to(lambda e: e["tag"] == "a" and e["text"] == "Threads", "the Threads link")
    page.keyboard.press("Enter")
    page.wait_for_url("**/threads")
    keys.tab_to(lambda e: e["tag"] == "a" and e["text"] == THREAD, "the thread's link")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name=THREAD, level=1)).to_be_visible()
    keys.tab_to(lambda e: e["tag"] == "textarea" and e["id"] == "body", "the reply field")
    page.keyboard.type(REPLY)
    keys.tab_to(lambda e: e["tag"] == "button" and e["text"] == "Post reply", "the Post reply button")
    page.keyboard.press("Enter")
    expect(page.locator(".post", has_text=REPLY)).to_be_visible()
    page.reload()
    expect(page.locator(".post", has_text=REPLY)).to_have_count(1)

    keys.tab_to(lambda e: e["tag"] == "a" and e["text"] == "Programme", "the Programme link")
    page.keyboard.press("Enter")
    page.wait_for_url("**/programme")
    keys.tab_to(lambda e: e["tag"] == "a" and e["text"] == SESSION, "the session's link")
    page.keyboard.press("Enter")
    expect(page.locator("#questions")).to_have_attribute("data-live", "connected")
    upvote = keys.tab_to(lambda e: e["tag"] == "button" and e["text"] == "Upvote", "an Upvote button")
    question = upvote["question"]
    count = page.locator(f'[data-vote-count="{question}"]')
    before = int(count.inner_text())
    page.keyboard.press("Space")
    # The button waits for the server's answer; a refusal shows beside it and is reported as such.
    expect(page.locator(f"#question-{question} .vote-button")).not_to_have_attribute("aria-disabled", "true")
    refusals = page.locator(f"#question-{question} .error").all_inner_texts()
    assert not refusals, f"the vote was refused: {refusals}"
    expect(count).to_have_text(str(before + 1))
    assert keys.active()["text"] == "Withdraw my vote", f"focus left the vote button after voting: {upvote}"
    page.reload()
    expect(page.locator(f'[data-vote-count="{question}"]')).to_have_text(str(before + 1))

    # Withdraw it again (the presenter screen of other tests ranks by votes): Space on the same button.
    expect(page.locator("#questions")).to_have_attribute("data-live", "connected")
    keys.tab_to(
        lambda e: e["question"] == question and e["text"] == "Withdraw my vote", "the Withdraw button"
    )
    page.keyboard.press("Space")
    expect(page.locator(f'[data-vote-count="{question}"]')).to_have_text(str(before))

    assert not keys.unringed, "focused without a visible focus ring:\n" + "\n".join(keys.unringed)
