"""The figures of the seeded world (tests/insights/conftest.py), on SQLite and PostgreSQL alike."""

from datetime import date

from forum.insights.queries import Filters
from forum.insights.services import figures

GROUPS = ("academia", "civil_society", "member_state", "private_sector")


def rows(table, keys=None):
    """{key: numbers} of a table's rows (only `keys`, when given)."""
    return {row[0]: row[2:] for row in table.rows if keys is None or row[0] in keys}


def test_the_seeded_worlds_figures(world):
    """Every figure from one computation (the seeded world is the slow part of these tests)."""
    tables = figures()
    registrations(tables)
    activity(tables)
    voice_share(tables)


def registrations(tables):
    """Registrations by group, region, country and list."""
    # [verified, pending, total]; the rejected registration is not counted.
    assert rows(tables["registrations_by_group"], GROUPS) == {
        "academia": [1, 0, 1],
        "civil_society": [1, 0, 1],
        "member_state": [0, 1, 1],
        "private_sector": [1, 0, 1],
    }
    assert rows(tables["registrations_by_region"]) == {
        "african": [1, 0, 1],
        "asia_pacific": [0, 1, 1],
        "eastern_european": [0, 0, 0],
        "latin_american_caribbean": [0, 0, 0],
        "western_european_others": [1, 0, 1],
        "none": [1, 0, 1],
    }
    by_country = tables["registrations_by_country"]
    assert [row[0] for row in by_country.rows] == ["CH", "KE", "NP", ""]
    assert by_country.rows[2][1:] == ["Nepal", "Asia-Pacific States", 0, 1, 1]
    assert rows(tables["registrations_by_list"]) == {"ldc": [0, 1, 1], "lldc": [0, 1, 1], "sids": [0, 0, 0]}


def activity(tables):
    """Activity counts what was published, by group, region, language and day."""
    # posts, threads, questions, votes, statements, Hub entries: the held reply, the dismissed
    # question and the statement not delivered are left out; the anonymous question counts.
    assert rows(tables["activity_by_group"], GROUPS) == {
        "academia": [2, 1, 1, 1, 1, 0],
        "civil_society": [3, 1, 1, 1, 1, 0],
        "member_state": [0, 0, 0, 0, 0, 0],
        "private_sector": [0, 0, 0, 1, 0, 1],
    }
    assert rows(tables["activity_by_region"], ("african", "western_european_others", "none")) == {
        "african": [3, 1, 1, 1, 1, 0],
        "western_european_others": [2, 1, 1, 1, 1, 0],
        "none": [0, 0, 0, 1, 0, 1],
    }
    languages = rows(tables["activity_by_language"])
    assert languages["fr"][3] == 1 and languages["en"][3] == 1  # statements, by the language delivered
    assert sum(numbers[0] for numbers in languages.values()) == 5  # every published post once
    assert rows(tables["activity_over_time"]) == {
        "2026-07-06": [3, 1, 2, 3, 2, 0],
        "2026-07-07": [2, 1, 0, 0, 0, 1],
    }


def voice_share(tables):
    """Voice share sets what is said against verified registrations."""
    # registrations, posts, questions asked, questions answered, speaking time: percentages.
    assert rows(tables["voice_by_group"], GROUPS) == {
        "academia": [33.3, 40.0, 50.0, 0.0, 37.5],
        "civil_society": [33.3, 60.0, 50.0, 100.0, 62.5],
        "member_state": [0.0, 0.0, 0.0, 0.0, 0.0],
        "private_sector": [33.3, 0.0, 0.0, 0.0, 0.0],
    }
    assert rows(tables["voice_by_region"], ("african", "none")) == {
        "african": [33.3, 60.0, 50.0, 100.0, 62.5],
        "none": [33.3, 0.0, 0.0, 0.0, 0.0],
    }


def test_filters_by_dates_theme_and_session(world):
    second_day = figures(Filters(date_from=date(2026, 7, 7)), names=("activity_by_group",))
    assert rows(second_day["activity_by_group"], ("academia", "civil_society", "private_sector")) == {
        "academia": [1, 0, 0, 0, 0, 0],
        "civil_society": [1, 1, 0, 0, 0, 0],
        "private_sector": [0, 0, 0, 0, 0, 1],
    }
    first_day = figures(Filters(date_to=date(2026, 7, 6)), names=("activity_over_time",))
    assert [row[0] for row in first_day["activity_over_time"].rows] == ["2026-07-06"]
    for filters in (Filters(theme_id=world.ethics.id), Filters(session_id=world.session.id)):
        found = figures(filters, names=("activity_by_group",))["activity_by_group"]
        # Thread one only; the session's questions, votes and statements; no Hub entry.
        assert rows(found, ("academia", "civil_society", "private_sector")) == {
            "academia": [1, 1, 1, 1, 1, 0],
            "civil_society": [2, 0, 1, 1, 1, 0],
            "private_sector": [0, 0, 0, 1, 0, 0],
        }, filters
    other = figures(Filters(theme_id=world.other.id), names=("activity_by_group",))["activity_by_group"]
    assert rows(other, ("private_sector",)) == {"private_sector": [0, 0, 0, 0, 0, 1]}
