"""The dashboard and the public summary over HTTP: who reads them, charts, tables, downloads, bad filters."""

import csv
import io
import json
import re

import pytest

from tests.conftest import Auth

NAMES = re.compile(r"Clara|Kamau|Nadia|Pemba|Rene|Test User|user\d+@", re.IGNORECASE)
CHART = re.compile(r'<img class="chart" src="([^"]+\.svg[^"]*)" alt="([^"]+)"')


@pytest.fixture
def backend():
    """SQLite: the figures are checked on both databases in test_figures; these test the pages."""
    return "sqlite"


@pytest.fixture
def staff(app, world, moderator):
    """A moderator's signed-in client."""
    client = app.test_client()
    Auth(client).login(moderator)
    return client


def test_the_dashboard_is_for_staff(app, world, participant, staff):
    client = app.test_client()
    Auth(client).login(participant)
    assert client.get("/insights/").status_code == 403
    assert app.test_client().get("/insights/registrations_by_country.csv").status_code == 302
    page = staff.get("/insights/")
    assert page.status_code == 200
    assert 'href="/insights/"' in page.text  # the staff navigation links to it


def test_the_dashboard_draws_each_chart_then_its_table_and_downloads(staff):
    page = staff.get("/insights/?theme=&session=")
    charts = CHART.findall(page.text)
    assert len(charts) == 9  # every figure but the country table
    assert charts[0][0] == "/insights/registrations_by_group.svg?theme=&amp;session="
    assert "Registrations by stakeholder group" in charts[0][1]
    chart = staff.get(charts[0][0].replace("&amp;", "&"))
    assert chart.mimetype == "image/svg+xml" and "script-src" not in chart.headers["Content-Security-Policy"]
    assert "<script" not in chart.text and "Verified" in chart.text and 'id="pattern-1"' in chart.text
    assert staff.get("/insights/registrations_by_country.svg").status_code == 404  # a table only
    assert '<th scope="row">Nepal</th>' in page.text
    assert "/insights/voice_by_region.json?theme=&amp;session=" in page.text
    assert not NAMES.search(page.text)


def test_staff_downloads_keep_the_filters(staff, world):
    page = staff.get(f"/insights/activity_by_group.csv?theme={world.other.id}")
    assert page.mimetype == "text/csv"
    table = list(csv.reader(io.StringIO(page.text)))
    assert table[0] == ["group", "name", "posts", "threads", "questions", "votes", "statements", "hub"]
    assert ["private_sector", "Private sector", "0", "0", "0", "0", "0", "1"] in table
    data = staff.get("/insights/registrations_by_country.json").get_json()
    assert data["figure"] == "registrations_by_country"
    assert {
        "country": "KE",
        "name": "Kenya",
        "region": "African States",
        "verified": 1,
        "pending": 0,
        "total": 1,
    } in data["rows"]


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("from=2026-13-45", "from", "Enter a date as YYYY-MM-DD"),
        ("from=2026-07-07&to=2026-07-06", "to", "The end date comes before the start date."),
        ("theme=nine", "theme", "Not a valid choice"),
        ("session=987654", "session", "Not a valid choice"),
    ],
)
def test_bad_filters_are_refused_beside_their_field(staff, query, field, message):
    page = staff.get(f"/insights/?{query}")
    assert page.status_code == 422
    error = re.search(rf'<p class="error" id="{field}-error">([^<]*)</p>', page.text)
    assert error and message in error.group(1)
    export = staff.get(f"/insights/posts.csv?{query}")
    assert export.status_code == 404  # not a figure
    export = staff.get(f"/insights/activity_by_group.csv?{query}")
    assert export.status_code == 422
    fields = export.get_json()["fields"]
    assert export.get_json()["error"] == "invalid_filters" and any(
        message in m for m in sum(fields.values(), [])
    )


def test_the_public_summary_names_no_one_and_no_country(app, world):
    client = app.test_client()
    page = client.get("/participation")
    assert page.status_code == 200
    assert len(CHART.findall(page.text)) == 8
    assert "<svg" in client.get("/participation/voice_by_region.svg").text
    assert "Participation in figures" in page.text  # the footer links to it
    assert not NAMES.search(page.text)
    assert "Nepal" not in page.text and "Kenya" not in page.text
    assert client.get("/participation/registrations_by_country.csv").status_code == 404
    voice = client.get("/participation/voice_by_group.json").get_json()
    assert {
        "group": "civil_society",
        "name": "Civil society",
        "registered": 33.3,
        "posts": 60.0,
        "asked": 50.0,
        "answered": 100.0,
        "speaking": 62.5,
    } in voice["rows"]
    regions = client.get("/participation/registrations_by_region.csv")
    assert regions.mimetype == "text/csv" and "african,African States,1,0,1" in regions.text
    assert (
        json.loads(client.get("/participation/activity_by_language.json").text)["figure"]
        == "activity_by_language"
    )


def test_the_summary_speaks_the_readers_language(app, world):
    page = app.test_client().get("/participation", headers={"Accept-Language": "ar"})
    assert 'dir="rtl"' in page.text and "Participation in the Dialogue" not in page.text
