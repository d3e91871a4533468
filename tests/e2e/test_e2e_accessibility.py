"""axe-core (from npm) scans every page type in English and Arabic for WCAG 2.0/2.1 A and AA violations."""

import re

import pytest

from bench.common import ROOT
from forum.demo import DEMO_PASSWORD
from tests.e2e.conftest import sign_in

pytestmark = pytest.mark.e2e
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# Best-practice rules on structure the issue asks for as well: landmarks, one h1, heading order.
STRUCTURE_RULES = ["region", "landmark-one-main", "page-has-heading-one", "heading-order", "landmark-unique"]
RUN_AXE = """async ([tags, extra]) => {
  const rules = Object.fromEntries(extra.map((id) => [id, {enabled: true}]));
  const result = await axe.run(document, {runOnly: {type: "tag", values: tags}, rules});
  return {
    passes: result.passes.length,
    violations: result.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help,
      targets: v.nodes.slice(0, 5).map((n) => n.target.join(" ")),
    })),
  };
}"""
PARTICIPANT = "delegate.kenya@demo.dialogue.int"
NEWCOMER = "newcomer@demo.dialogue.int"
SECRETARIAT = "secretariat@demo.dialogue.int"
HELD_REPLY = "A held reply so that the review queue has an item for the accessibility scan."


class Scanner:
    """Runs axe on page after page of one browser context and keeps every violation with its page."""

    def __init__(self, context, locale):
        self.page = context.new_page()
        self.locale = locale
        self.failures = []

    def goto(self, path, status=200):
        """Open `path`; a status other than `status` is a failure too (recorded, so the scan goes on)."""
        response = self.page.goto(path, wait_until="load")
        if response.status != status:
            self.failures.append(f"[{self.locale}] {path}: answered {response.status}, expected {status}")

    def scan(self, label, shows=None):
        """Scan the page as it is now under `label`; after an action, `shows` is what it must display."""
        page = self.page
        if shows and not page.locator(shows).count():
            self.failures.append(f"[{self.locale}] {label}: the page does not show {shows}")
        assert page.evaluate("document.documentElement.lang") == self.locale, f"{label}: wrong lang"
        expected_dir = "rtl" if self.locale == "ar" else "ltr"
        assert page.evaluate("document.documentElement.dir") == expected_dir, f"{label}: wrong dir"
        if not page.evaluate("typeof axe !== 'undefined'"):
            page.add_script_tag(path=str(AXE))
        result = page.evaluate(RUN_AXE, [WCAG_TAGS, STRUCTURE_RULES])
        assert result["passes"] > 10, f"{label}: axe checked almost nothing ({result['passes']} rules passed)"
        for v in result["violations"]:
            self.failures.append(
                f"[{self.locale}] {label}: {v['id']} ({v['impact']}) {v['help']} -> {'; '.join(v['targets'])}"
            )

    def visit(self, path, status=200):
        """Open and scan `path`."""
        self.goto(path, status)
        self.scan(path)

    def href(self, selector):
        """The href of the first element matching `selector` on the current page."""
        return self.page.locator(selector).first.get_attribute("href")

    def assert_clean(self):
        """Fail with one line per violation: locale, page, rule id, impact, help and targets."""
        assert not self.failures, f"{len(self.failures)} accessibility failure(s):\n" + "\n".join(
            self.failures
        )


@pytest.fixture(scope="module")
def sessions(browser, live_server):
    """Signed-in storage states by role, and a held post so the review queue has an item."""
    states = {}
    for role, email in (("participant", PARTICIPANT), ("staff", SECRETARIAT), ("newcomer", NEWCOMER)):
        context = browser.new_context(base_url=live_server, locale="en-GB")
        page = context.new_page()
        sign_in(page, email, DEMO_PASSWORD)
        states[role] = context.storage_state()
        if role == "newcomer":
            page.goto("/threads/2")
            page.locator("#body").fill(HELD_REPLY)
            page.locator("form[action$='/reply'] button[type=submit]").click()
            page.wait_for_load_state("load")
        context.close()
    return states


@pytest.fixture(params=["en", "ar"])
def scanner(request, browser, live_server, sessions):
    """A factory: a Scanner in the parametrized language, anonymous or as a role."""
    contexts = []

    def factory(role=None):
        context = browser.new_context(
            base_url=live_server,
            locale=request.param,
            timezone_id="Europe/Zurich",
            bypass_csp=True,  # axe is injected as an inline script
            storage_state=sessions[role] if role else None,
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        return Scanner(context, request.param)

    yield factory
    for context in contexts:
        context.close()


def test_public_pages(scanner):
    s = scanner()
    for path in (
        "/",
        "/themes/ai-divides",
        "/threads",
        "/programme",
        "/hub/",
        "/synthesis",
        "/login",
        "/register",
    ):
        s.visit(path)
    s.goto("/threads")
    s.visit(s.href(".thread-list a.thread-title"))
    s.visit("/search?q=AI")
    if not s.page.locator("main mark").count():
        s.failures.append(f"[{s.locale}] /search?q=AI: no highlighted result to scan")
    s.visit("/programme/cooperation")
    s.visit("/programme/high-level/speakers")
    s.goto("/hub/")
    s.visit(s.href("main a[href^='/hub/']:not([href*='export']):not([href$='/mine']):not([href$='/new'])"))
    s.visit("/users/4")
    s.visit("/posts/1/revisions")
    s.visit("/no-such-page", status=404)
    s.visit("/forgot-password")
    s.page.locator("main form button[type=submit]").click()
    s.scan("/forgot-password (field errors)", shows=".form-errors, .error")
    for path in ("/reset-password/not-a-token", "/unsubscribe/not-a-token", "/confirm-email/not-a-token"):
        s.visit(path, status=400)  # a mangled link: the page says so
    s.goto("/login")
    s.page.locator("#email").fill("nobody@example.org")
    s.page.locator("#password").fill("not the password")
    s.page.locator("main form button[type=submit]").click()
    s.scan("/login (refused)", shows=".form-errors, .error")
    s.goto("/register")
    s.page.locator("main form button[type=submit]").click()
    s.scan("/register (field errors)", shows=".form-errors, .error")
    s.assert_clean()


def test_participant_pages(scanner):
    s = scanner("participant")
    s.goto("/threads/new")
    s.page.locator("main form button[type=submit]").click()
    s.scan("/threads/new (field errors)", shows=".form-errors, .error")
    s.page.locator("#theme").select_option(index=1)
    s.page.locator("#title").fill(f"Accessibility scan thread {s.locale}")
    s.page.locator("#body").fill("A thread opened by the accessibility scan.")
    s.page.locator("main form button[type=submit]").click()
    s.page.wait_for_url(re.compile(r"/threads/\d+$"))
    thread = s.page.url.rsplit("/", 1)[1]
    s.scan("/threads/<new> (as author)")
    s.visit(f"/threads/{thread}/edit")
    s.goto(f"/threads/{thread}")
    post = s.href(".post a[href$='/edit']")
    s.visit(post)
    for path in (
        "/threads/1/reply?to=1",
        "/threads/1/reply?to=1&quote=1",
        "/posts/2/flag",
        "/notifications",
        "/account",
        "/account/password",
        "/account/email",
        "/account/two-factor",
        "/account/sessions",
        "/account/data",
        "/privacy",
        "/users/4",
        "/hub/new",
        "/hub/mine",
        "/programme/cooperation",
        "/programme/high-level/speakers",
    ):
        s.visit(path)
    s.goto("/threads/1/reply?to=1")
    s.page.locator("main form button[type=submit]").first.click()
    s.scan("/threads/1/reply (field errors)", shows=".form-errors, .error")
    s.goto("/posts/4/flag" if s.locale == "en" else "/posts/5/flag")  # one flag per post and person
    s.page.locator("main form input[type=radio]").first.check()
    s.page.locator("main form button[type=submit]").click()
    s.scan("flag sent (flash)", shows=".flash")
    s.goto("/hub/new")
    s.page.locator("main form button[type=submit]").last.click()
    s.scan("/hub/new (field errors)", shows=".form-errors, .error")
    s.assert_clean()


def test_staff_pages(scanner):
    s = scanner("staff")
    s.visit("/moderation/")
    item_edit = s.href("a[href^='/moderation/items/'][href$='/edit']")
    for path in (
        "/moderation/?state=handled",
        item_edit,
        "/moderation/posts/1",
        "/moderation/users/4",
        "/moderation/threads/1",
        "/moderation/audit",
        "/admin/registrations",
        "/admin/users",
        "/admin/invitations",
        "/admin/themes",
        "/admin/settings",
        "/admin/words",
        "/hub/review",
        "/programme/cooperation",
        "/programme/high-level/speakers",
        "/questions/1/manage",
        "/admin/mail",
        "/admin/sessions",
        "/admin/sessions/new",
        "/admin/data-requests",
        "/admin/webhooks/",
        "/account/two-factor",
        "/synthesis/review",
        "/synthesis/themes/ai-divides",
        "/synthesis/themes/ai-divides/new",
        "/synthesis/archive",
    ):
        s.visit(path)
    s.goto("/admin/registrations")
    s.visit(s.href("main a[href^='/admin/registrations/']"))
    s.goto("/admin/themes")
    s.visit(s.href("main a[href^='/admin/themes/']"))
    s.goto("/admin/sessions")
    s.visit(s.href("main a[href^='/admin/sessions/']:not([href$='/new'])"))
    s.goto("/hub/review")
    s.visit(s.href("main a[href^='/hub/review/']"))
    s.goto("/admin/settings")
    s.page.locator("main form button[type=submit]").last.click()
    s.scan("/admin/settings (saved: flash)", shows=".flash")
    s.goto("/admin/invitations")
    s.page.locator("main form button[type=submit]").first.click()
    s.scan("/admin/invitations (field errors)", shows=".form-errors, .error")
    s.goto("/admin/webhooks/")
    s.page.locator("main form button[type=submit]").click()
    s.scan("/admin/webhooks/ (field errors)", shows=".form-errors, .error")
    s.page.locator("#url").fill("https://receiver.example/hooks")
    s.page.locator("main input[name=events]").first.check()
    s.page.locator("main form button[type=submit]").click()
    s.scan("/admin/webhooks/ (secret shown once)", shows="#secret")
    s.visit(s.href("main a[href^='/admin/webhooks/']"))
    s.assert_clean()


def test_presenter_screens(scanner):
    s = scanner()
    s.visit("/programme/cooperation/screen")
    s.visit("/programme/high-level/screen")
    s.assert_clean()


def test_participation_pages(scanner):
    s = scanner("staff")
    s.visit("/insights/")
    s.goto("/insights/?from=2026-13-45", status=422)
    s.scan("/insights/ (field errors)", shows=".form-errors, .error")
    s.visit("/participation")
    s.assert_clean()
