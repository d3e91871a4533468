"""Countries by UN regional group and by the UN-OHRLLS lists (LDC, LLDC, SIDS), from forum/data.

The data files and their sources are described in forum/data/README.md; codes are those of
forum/data/countries.csv.
"""

import csv
from functools import cache
from pathlib import Path

from flask_babel import lazy_gettext as _l

DATA = Path(__file__).resolve().parents[1] / "data"
REGIONS = {
    "african": _l("African States"),
    "asia_pacific": _l("Asia-Pacific States"),
    "eastern_european": _l("Eastern European States"),
    "latin_american_caribbean": _l("Latin American and Caribbean States"),
    "western_european_others": _l("Western European and other States"),
}
# Observer States, territories and accounts without a country belong to no regional group.
NO_REGION = "none"
NO_REGION_LABEL = _l("No regional group")
LISTS = {
    "ldc": _l("Least developed countries (LDCs)"),
    "lldc": _l("Landlocked developing countries (LLDCs)"),
    "sids": _l("Small island developing States (SIDS)"),
}


def _rows(name):
    """The rows of a data file, its first line (the source) skipped."""
    with (DATA / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(line for line in handle if not line.startswith("#")))


@cache
def region_table():
    """{country code: regional group} for the 193 Member States."""
    return {row["code"]: row["group"] for row in _rows("un_regional_groups.csv")}


@cache
def list_table():
    """{list: frozenset of country codes} for "ldc", "lldc" and "sids"."""
    rows = _rows("un_development_lists.csv")
    return {name: frozenset(row["code"] for row in rows if row[name] == "1") for name in LISTS}


def region_of(code):
    """The regional group of a country code, or NO_REGION."""
    return region_table().get(code or "", NO_REGION)


def region_label(region):
    """The display name of a regional group key."""
    return REGIONS.get(region, NO_REGION_LABEL)
