"""The participation figures as plain tables: the dashboard, the public summary, their exports and any
later report read the same functions.

A Table is a figure: named columns, rows whose first cell is a stable key (a group, region, country,
list, language or date) and whose second is its display name, then numbers. Nothing here knows of
people: the queries count by group, country and language only.
"""

from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from forum.accounts.models import STAKEHOLDER_GROUPS
from forum.countries import name_in
from forum.insights import queries, tally
from forum.insights.queries import KINDS, LANGUAGE_KINDS, Filters
from forum.insights.regions import (
    LISTS,
    NO_REGION,
    REGIONS,
    list_table,
    region_label,
    region_of,
    region_table,
)
from forum.languages import language_name
from forum.states import AccountStatus

KIND_LABELS = {
    "posts": _l("Posts"),
    "threads": _l("Threads"),
    "questions": _l("Questions"),
    "votes": _l("Votes"),
    "statements": _l("Statements"),
    "hub": _l("Hub entries"),
}
VOICE_LABELS = {
    "registered": _l("Verified registrations (%)"),
    "posts": _l("Posts (%)"),
    "asked": _l("Questions asked (%)"),
    "answered": _l("Questions answered (%)"),
    "speaking": _l("Speaking time (%)"),
}
REGISTRATION_LABELS = {
    AccountStatus.VERIFIED: _l("Verified"),
    AccountStatus.PENDING: _l("Pending"),
    "total": _l("Total"),
}
# The figures anyone may read: no country table (a country with one participant would name them).
PUBLIC = (
    "registrations_by_group",
    "registrations_by_region",
    "registrations_by_list",
    "activity_by_group",
    "activity_by_region",
    "activity_by_language",
    "voice_by_group",
    "voice_by_region",
)
STAFF = (
    "registrations_by_group",
    "registrations_by_region",
    "registrations_by_country",
    "registrations_by_list",
    "activity_over_time",
    "activity_by_group",
    "activity_by_region",
    "activity_by_language",
    "voice_by_group",
    "voice_by_region",
)
TITLES = {
    "registrations_by_group": _l("Registrations by stakeholder group"),
    "registrations_by_region": _l("Registrations by UN regional group"),
    "registrations_by_country": _l("Registrations by country"),
    "registrations_by_list": _l("Registrations from LDCs, LLDCs and SIDS"),
    "activity_over_time": _l("Activity by day (UTC)"),
    "activity_by_group": _l("Activity by stakeholder group"),
    "activity_by_region": _l("Activity by UN regional group"),
    "activity_by_language": _l("Activity by language"),
    "voice_by_group": _l("Voice share by stakeholder group"),
    "voice_by_region": _l("Voice share by UN regional group"),
}


@dataclass
class Table:
    """One figure: `columns` are (id, label) pairs; each row is its key, its name, then its numbers."""

    name: str
    columns: list
    rows: list = field(default_factory=list)

    @property
    def title(self):
        """The figure's heading."""
        return TITLES[self.name]

    def records(self):
        """The rows as {column id: value} dictionaries (the JSON export)."""
        return [dict(zip((c for c, _label in self.columns), row, strict=True)) for row in self.rows]


def _key_columns(key, label):
    """The two leading columns of a table: a key and its display name."""
    return [(key, label), ("name", _l("Name"))]


def _group_keys(keys):
    """The stakeholder groups in their usual order, then any other key found in the data."""
    return [*STAKEHOLDER_GROUPS, *sorted(k for k in keys if k not in STAKEHOLDER_GROUPS)]


def _region_keys():
    """The five regional groups, then "none"."""
    return [*REGIONS, NO_REGION]


def _group_label(key):
    """A stakeholder group's display name."""
    return STAKEHOLDER_GROUPS.get(key, key)


class Figures:
    """The counts behind every figure, each query run once, read by the table builders below."""

    def __init__(self, filters=None):
        self.filters = filters or Filters()

    @cached_property
    def registered(self):
        """[(group, country, status, count)] of registrations."""
        return queries.registrations(self.filters)

    @cached_property
    def tallies(self):
        """{kind: {"group"|"region"|"language"|"day": Counter}} of every counted kind (see tally)."""
        return {kind: _marginals(counts) for kind, counts in tally.counted(self.filters).items()}

    def table(self, name):
        """The Table named `name` (one of STAFF)."""
        return getattr(self, name)()

    # --- Registrations ------------------------------------------------------------------------------

    def _registrations_by(self, keyer):
        """{key: {status: n}} over REGISTERED_STATES, with `keyer(group, country)` choosing each row's key."""
        found = {}
        for group, country, status, total in self.registered:
            for key in keyer(group, country):
                bucket = found.setdefault(key, dict.fromkeys(queries.REGISTERED_STATES, 0))
                bucket[status] += total
        return found

    def _registration_table(self, name, key, keys, found, namer):
        """A registrations table: key, name, verified, pending, total."""
        columns = _key_columns(key[0], key[1]) + list(REGISTRATION_LABELS.items())
        rows = []
        for code in keys:
            bucket = found.get(code, dict.fromkeys(queries.REGISTERED_STATES, 0))
            rows.append([code, str(namer(code)), *bucket.values(), sum(bucket.values())])
        return Table(name, columns, rows)

    def registrations_by_group(self):
        """Registered accounts by stakeholder group, verified and pending."""
        found = self._registrations_by(lambda group, _country: [group])
        keys = _group_keys(found)
        return self._registration_table(
            "registrations_by_group", ("group", _l("Stakeholder group")), keys, found, _group_label
        )

    def registrations_by_region(self):
        """Registered accounts by UN regional group of their country."""
        found = self._registrations_by(lambda _group, country: [region_of(country)])
        return self._registration_table(
            "registrations_by_region", ("region", _l("Regional group")), _region_keys(), found, region_label
        )

    def registrations_by_country(self):
        """Registered accounts by country, most first; accounts without a country last."""
        found = self._registrations_by(lambda _group, country: [country or ""])
        keys = sorted(found, key=lambda code: (code == "", -sum(found[code].values()), code))
        locale = get_locale()
        table = self._registration_table(
            "registrations_by_country",
            ("country", _l("Country code")),
            keys,
            found,
            lambda code: name_in(locale, code) or code or _l("No country given"),
        )
        table.columns.insert(2, ("region", _l("Regional group")))
        for row in table.rows:
            row.insert(2, str(region_label(region_of(row[0]))))
        return table

    def registrations_by_list(self):
        """Registered accounts from LDCs, LLDCs and SIDS (a country may be on several lists)."""
        members = list_table()
        found = self._registrations_by(lambda _group, country: [n for n in LISTS if country in members[n]])
        return self._registration_table(
            "registrations_by_list", ("list", _l("List")), list(LISTS), found, LISTS.get
        )

    # --- Activity -----------------------------------------------------------------------------------

    def _activity_table(self, name, key, dimension, order, namer, kinds=KINDS):
        """Counts of each kind of activity by `dimension` ("group", "region" or "language")."""
        found = [self.tallies[kind][dimension] for kind in kinds]
        keys = order(sum(found, Counter()))
        columns = _key_columns(*key) + [(kind, KIND_LABELS[kind]) for kind in kinds]
        rows = [[code, str(namer(code)), *(counts[code] for counts in found)] for code in keys]
        return Table(name, columns, rows)

    def activity_by_group(self):
        """Posts, threads, questions, votes, statements and Hub entries by stakeholder group."""
        return self._activity_table(
            "activity_by_group", ("group", _l("Stakeholder group")), "group", _group_keys, _group_label
        )

    def activity_by_region(self):
        """The same counts by UN regional group."""
        return self._activity_table(
            "activity_by_region", ("region", _l("Regional group")), "region", lambda _found: _region_keys(),
            region_label,
        )  # fmt: skip

    def activity_by_language(self):
        """Posts, threads, questions and statements by the language they are in, most first."""
        return self._activity_table(
            "activity_by_language", ("language", _l("Language")), "language",
            lambda found: sorted(found, key=lambda code: (code == "", -found[code], code)),
            lambda code: language_name(code or None), kinds=LANGUAGE_KINDS,
        )  # fmt: skip

    def activity_over_time(self):
        """Each kind of activity by UTC day."""
        days = {}
        for kind in KINDS:
            for day, total in self.tallies[kind]["day"].items():
                days.setdefault(day, dict.fromkeys(KINDS, 0))[kind] = total
        columns = _key_columns("date", _l("Date")) + [(kind, KIND_LABELS[kind]) for kind in KINDS]
        return Table("activity_over_time", columns, [[d, d, *days[d].values()] for d in sorted(days)])

    # --- Voice share ------------------------------------------------------------------------------

    @cached_property
    def voice(self):
        """{measure: tallies} of verified registrations, posts, questions asked, answered, speaking time."""
        regions, registered = region_table(), {"group": Counter(), "region": Counter()}
        for group, country, status, total in self.registered:
            if status == AccountStatus.VERIFIED:
                registered["group"][group] += total
                registered["region"][regions.get(country or "", NO_REGION)] += total
        return {
            "registered": registered,
            "posts": self.tallies["posts"],
            "asked": self.tallies["questions"],
            "answered": self.tallies["answered"],
            "speaking": self.tallies["minutes"],
        }

    def _voice_table(self, name, key, dimension, order, namer):
        """Each key's share (%) of every measure of VOICE_LABELS."""
        found = [self.voice[measure][dimension] for measure in VOICE_LABELS]
        wholes = [sum(counts.values()) for counts in found]
        columns = _key_columns(*key) + list(VOICE_LABELS.items())
        rows = [
            [
                code,
                str(namer(code)),
                *(round(100 * c[code] / w, 1) if w else 0.0 for c, w in zip(found, wholes, strict=True)),
            ]
            for code in order(sum(found, Counter()))
        ]
        return Table(name, columns, rows)

    def voice_by_group(self):
        """Each stakeholder group's share of what is said, beside its share of verified registrations."""
        return self._voice_table(
            "voice_by_group", ("group", _l("Stakeholder group")), "group", _group_keys, _group_label
        )

    def voice_by_region(self):
        """The same shares by UN regional group."""
        return self._voice_table(
            "voice_by_region", ("region", _l("Regional group")), "region", lambda _found: _region_keys(),
            region_label,
        )  # fmt: skip


def _marginals(counts):
    """{"group", "region", "language", "day": Counter} of a kind's {(day, dimension, key): n}; each row
    has one group, so the days' totals are summed over the groups."""
    found = {"group": Counter(), "region": Counter(), "language": Counter(), "day": Counter()}
    for (day, dimension, key), total in counts.items():
        found[dimension][key] += total
        if dimension == "group":
            found["day"][day.isoformat()] += total
    return found


def figures(filters=None, names=STAFF):
    """{name: Table} of the figures `names` under `filters`."""
    counts = Figures(filters)
    return {name: counts.table(name) for name in names}
