"""The secretariat's six-language fields in Chromium: side by side on a wide screen, stacked on a phone."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import ADMIN_EMAIL, ADMIN_PASSWORD, sign_in

pytestmark = pytest.mark.e2e
CODES = ("ar", "zh", "en", "fr", "ru", "es")


def _inputs(page):
    """The boxes of the theme form's six Name inputs, in the UN's order."""
    return [page.locator(f"#name-{code}").bounding_box() for code in CODES]


def test_the_six_language_fields_sit_side_by_side_and_stack_on_a_phone(new_page):
    page = new_page()
    sign_in(page, ADMIN_EMAIL, ADMIN_PASSWORD)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/admin/themes")
    name = page.get_by_role("group", name="Name")
    expect(name.get_by_label("Français")).to_have_attribute("lang", "fr")
    expect(name.get_by_label("العربية")).to_have_attribute("dir", "rtl")
    wide = _inputs(page)
    assert wide[0]["y"] == wide[1]["y"] == wide[2]["y"], wide
    page.set_viewport_size({"width": 360, "height": 780})
    narrow = _inputs(page)
    assert all(above["y"] < below["y"] for above, below in zip(narrow, narrow[1:], strict=False)), narrow
    group = page.locator("fieldset#name").bounding_box()
    assert group["x"] >= 0 and group["x"] + group["width"] <= 360, group
    # With no language written, the message stands beside the group.
    page.get_by_role("button", name="Add the theme").click()
    expect(page.locator("#name-error")).to_have_text(
        "Give the theme a name in at least one of the six languages."
    )
