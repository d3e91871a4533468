"""The UN's countries and areas: names in the six languages (forum/data/countries.csv), sorted as each sorts.

The data file and its sources are described in forum/data/README.md. Codes are ISO 3166-1 alpha-2, as the
database stores them.
"""

import csv
from functools import cache
from pathlib import Path
from typing import NamedTuple

import icu

DATA = Path(__file__).parent / "data" / "countries.csv"
LANGUAGES = ("en", "fr", "ar", "zh", "ru", "es")
STATES = ("member", "observer")


class Country(NamedTuple):
    """One row of the data file."""

    code: str
    m49: str
    status: str
    names: dict

    @property
    def is_state(self):
        """A UN Member State or observer State (not a territory or other area)."""
        return self.status in STATES


@cache
def table():
    """{code: Country} for every row of the data file, read once."""
    with DATA.open(encoding="utf-8", newline="") as handle:
        return {
            row["code"]: Country(row["code"], row["m49"], row["status"], {loc: row[loc] for loc in LANGUAGES})
            for row in csv.DictReader(handle)
        }


def _language(locale):
    """The data file's column for `locale` ("fr_CH" -> "fr"); English when the file has no such language."""
    language = str(locale).replace("-", "_").split("_")[0]
    return language if language in LANGUAGES else "en"


def name_in(locale, code):
    """The UN name of `code` in `locale`, or None for a code the file does not have."""
    country = table().get(code)
    return country.names[_language(locale)] if country else None


def is_state(code):
    """True for the code of a Member State or an observer State."""
    country = table().get(code)
    return bool(country and country.is_state)


@cache
def _collator(language):
    """ICU's collator for `language`: CLDR's rules (Chinese by pinyin, accents after letters)."""
    return icu.Collator.createInstance(icu.Locale(language))


@cache
def ordered(locale):
    """(states, territories) in `locale`: (code, name) pairs, each group in the language's collation order."""
    language = _language(locale)
    key = _collator(language).getSortKey
    groups = ([], [])
    for country in table().values():
        groups[0 if country.is_state else 1].append((country.code, country.names[language]))
    return tuple(tuple(sorted(group, key=lambda item: key(item[1]))) for group in groups)
