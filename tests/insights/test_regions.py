"""The country tables of forum/data: UN regional groups and UN-OHRLLS lists, as their sources count."""

from collections import Counter

from forum import countries
from forum.insights.regions import NO_REGION, list_table, region_of, region_table


def test_the_regional_groups_hold_the_193_member_states_as_dgacm_lists_them():
    table = region_table()
    members = {code for code, country in countries.table().items() if country.status == "member"}
    assert set(table) == members
    assert Counter(table.values()) == {
        "african": 54,
        "asia_pacific": 54,
        "eastern_european": 23,
        "latin_american_caribbean": 33,
        "western_european_others": 29,
    }
    # The special cases: Türkiye votes with WEOG, the United States counts there, Kiribati is Asia-Pacific.
    assert (region_of("TR"), region_of("US"), region_of("KI")) == ("western_european_others",) * 2 + (
        "asia_pacific",
    )
    assert region_of("PS") == region_of("VA") == region_of("GU") == region_of(None) == NO_REGION


def test_the_ohrlls_lists_have_their_published_sizes():
    lists = list_table()
    assert {name: len(codes) for name, codes in lists.items()} == {"ldc": 44, "lldc": 32, "sids": 58}
    assert set().union(*lists.values()) <= set(countries.table())
    assert "NP" in lists["ldc"] & lists["lldc"] and "HT" in lists["ldc"] & lists["sids"]
    assert "ST" not in lists["ldc"] and "BT" not in lists["ldc"]  # graduated in 2024 and 2023
    assert {"PR", "CW", "NU"} <= lists["sids"]  # non-UN members of the SIDS list
