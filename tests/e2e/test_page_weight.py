"""Light pages: a thread page's HTML, CSS and our JavaScript under 60 KB compressed; usable without JS."""

import gzip
import re
from uuid import uuid4

import pytest
from playwright.sync_api import expect

from forum.demo import DEMO_PASSWORD
from tests.e2e.conftest import sign_in

pytestmark = pytest.mark.e2e
BUDGET = 60 * 1024
# Only ours counts: the socket.io client under static/vendor is set aside by the budget.
ASSETS = """() => [
  ...Array.from(document.querySelectorAll('link[rel="stylesheet"][href]'), (l) => l.href),
  ...Array.from(document.querySelectorAll("script[src]"), (s) => s.src),
]"""
# Unique per run: a server started outside the tests may outlive one run.
REPLY = "Sent without JavaScript: the plain form is enough on a slow link. " + uuid4().hex[:8]


def compressed(body):
    """Size in bytes once gzip-compressed as a server would (level 6)."""
    return len(gzip.compress(body, compresslevel=6))


@pytest.fixture
def context(browser, live_server):
    """A browser context factory: JavaScript on or off; closed at the end."""
    made = []

    def factory(javascript=True):
        made.append(browser.new_context(base_url=live_server, locale="en-GB", java_script_enabled=javascript))
        made[-1].set_default_timeout(10_000)
        return made[-1]

    yield factory
    for each in made:
        each.close()


def test_the_longest_thread_page_weighs_under_60_kb_compressed(context):
    page = context().new_page()
    sign_in(page, "delegate.kenya@demo.dialogue.int", DEMO_PASSWORD)
    page.goto("/threads")
    threads = set(
        page.eval_on_selector_all(".thread-list a.thread-title", "links => links.map((a) => a.href)")
    )
    assert threads
    sizes = {url: len(page.request.get(url).body()) for url in threads}
    longest = max(sizes, key=sizes.get)
    assert page.goto(longest).status == 200
    assert page.locator(".post").count() > 1, "not a thread page with replies"
    html = page.request.get(longest).body()
    assets = page.evaluate(ASSETS)
    ours = [url for url in assets if "/static/" in url and "/static/vendor/" not in url]
    assert any(url.endswith(".css") for url in ours) and any(url.endswith(".js") for url in ours), assets
    weights = {url: compressed(page.request.get(url).body()) for url in ours}
    total = compressed(html) + sum(weights.values())
    detail = ", ".join(f"{re.sub(r'^.*/static/', '', u)} {w} B" for u, w in weights.items())
    print(f"\nthread page {longest}: HTML {compressed(html)} B + {detail} = {total} B gzip")
    assert total < BUDGET, f"{total} B compressed (budget {BUDGET} B): HTML {compressed(html)} B, {detail}"


def test_read_reply_and_vote_without_javascript(context):
    page = context(javascript=False).new_page()
    sign_in(page, "industry@demo.dialogue.int", DEMO_PASSWORD)

    page.goto("/threads")
    page.locator(".thread-list a.thread-title").first.click()
    expect(page.locator(".post").first).to_be_visible()
    page.get_by_label("Your reply").fill(REPLY)
    page.get_by_role("button", name="Post reply").click()
    expect(page.locator(".post", has_text=REPLY)).to_be_visible()
    page.reload()
    expect(page.locator(".post", has_text=REPLY)).to_have_count(1)

    page.goto("/programme/cooperation")
    button = page.get_by_role("button", name="Upvote").first
    question = button.get_attribute("data-question-id")
    count = page.locator(f'[data-vote-count="{question}"]')
    before = int(count.inner_text())
    button.click()
    expect(page.locator(f"#question-{question} .vote-button")).to_have_text("Withdraw my vote")
    # The page that follows the vote already counts it.
    assert int(count.inner_text()) == before + 1
    page.locator(f"#question-{question} .vote-button").click()
    expect(page.locator(f"#question-{question} .vote-button")).to_have_text("Upvote")
