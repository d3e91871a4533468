"""Partnerships Hub end to end: a participant submits, the secretariat publishes in a second browser,
and the contribution appears in the public listing with its discussion thread."""

import pytest
from playwright.sync_api import expect

from forum.demo import DEMO_PASSWORD
from tests.e2e.conftest import ADMIN_EMAIL, ADMIN_PASSWORD, sign_in

pytestmark = pytest.mark.e2e
TITLE = "Multilingual evaluations of AI safety"


def submit_contribution(page):
    """Fill in the contribution form by its labels and submit it for review."""
    page.goto("/hub/")
    page.get_by_role("link", name="Submit a contribution").click()
    page.get_by_label("Kind of contribution").select_option("partnership")
    page.get_by_label("Title", exact=True).fill(TITLE)
    page.get_by_label("Summary (one paragraph)").fill("Shared test suites for AI safety in twelve languages.")
    page.get_by_label("Description").fill("We build **open** evaluation suites with national institutes.")
    page.get_by_label("Lead organisation").fill("Indian Institute of Technology Madras")
    page.get_by_label("Partner organisations (optional, one per line)").fill("University of Geneva")
    page.get_by_label("Stakeholder groups involved").select_option(["academia", "member_state"])
    page.get_by_label("Countries or regions covered").select_option(["asia_pacific", "IN"])
    page.get_by_label("Themes").select_option(["safe-trustworthy-ai"])
    page.get_by_label("Start date").fill("2026-07-01")
    page.get_by_label("End date (optional)").fill("2027-06-30")
    page.get_by_label("Deliverables").fill(
        "2026-12-31 First suite in six languages\n2027-06-30 Twelve languages"
    )
    page.get_by_label("Links (optional, one per line, http:// or https://)").fill("https://example.org/evals")
    page.get_by_label("Contact email").fill("evals@example.org")
    page.get_by_role("button", name="Submit for review").click()
    expect(page.get_by_role("heading", name=TITLE)).to_be_visible()
    expect(page.get_by_text("Status: Submitted for review")).to_be_visible()


def test_submit_publish_and_discuss(new_page):
    submitter = new_page()
    sign_in(submitter, "researcher@demo.dialogue.int", DEMO_PASSWORD)
    submit_contribution(submitter)

    secretariat = new_page()
    sign_in(secretariat, ADMIN_EMAIL, ADMIN_PASSWORD)
    secretariat.goto("/hub/review")
    secretariat.get_by_role("link", name=TITLE).click()
    secretariat.get_by_role("button", name="Claim for review").click()
    expect(secretariat.get_by_text("Claimed by Sam Secretariat")).to_be_visible()
    secretariat.get_by_role("button", name="Publish").click()
    expect(secretariat.get_by_text("Decision recorded: Published.")).to_be_visible()

    reader = new_page()
    reader.goto("/hub/?q=multilingual")
    reader.get_by_role("link", name=TITLE).click()
    expect(reader.get_by_role("heading", name=TITLE)).to_be_visible()
    expect(reader.get_by_text("Shown to signed-in verified participants.")).to_be_visible()
    reader.get_by_role("link", name="Discuss this contribution").click()
    expect(reader.get_by_role("heading", name=TITLE)).to_be_visible()
    reader.get_by_role("link", name="Read the contribution in the Partnerships Hub").click()
    expect(reader.get_by_role("heading", name="Deliverables and progress")).to_be_visible()

    submitter.goto("/hub/mine")
    row = submitter.get_by_role("row").filter(has_text=TITLE)
    expect(row.locator(".hub-state")).to_contain_text("Published")
