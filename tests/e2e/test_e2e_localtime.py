"""Local time: a reader outside Geneva sees their own clock beside the programme's Geneva times."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e
# English CLDR names New York's summer time, and only writes Tokyo's as an offset.
ZONE_NAMES = {"America/New_York": "EDT", "Asia/Tokyo": "GMT+9"}


def expected_local(iso, zone):
    """What Chromium writes for `iso` in `zone` in English: 'Jul 6, 2026, 4:00 AM EDT, America/New_York'."""
    local = datetime.fromisoformat(iso).astimezone(ZoneInfo(zone))
    clock = f"{(local.hour - 1) % 12 + 1}:{local:%M} {local:%p}"
    return f"{local:%b} {local.day}, {local.year}, {clock} {ZONE_NAMES[zone]}, {zone}"


@pytest.mark.parametrize("zone", ["America/New_York", "Asia/Tokyo"])
@pytest.mark.parametrize("path", ["/programme", "/programme/cooperation"])
def test_reader_elsewhere_sees_their_own_time(new_page, zone, path):
    page = new_page(timezone_id=zone)
    page.goto(path)
    times = page.locator("[data-local-time]")
    expect(times.first).to_be_visible()
    assert times.count() > 0
    for index in range(times.count()):
        element = times.nth(index)
        shown = element.locator("xpath=following-sibling::*[1][contains(@class, 'local-time')]")
        expected = expected_local(element.get_attribute("datetime"), zone)
        expect(shown).to_have_text(f" (your time: {expected})")


@pytest.mark.parametrize("zone", ["Europe/Zurich", "Europe/Paris"])
def test_reader_on_geneva_time_sees_no_second_clock(new_page, zone):
    page = new_page(timezone_id=zone)
    page.goto("/programme")
    expect(page.locator("[data-local-time]").first).to_be_visible()
    assert page.locator(".local-time").count() == 0
