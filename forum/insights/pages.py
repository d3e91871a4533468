"""What the pages show of each figure, and each drawn figure's chart."""

from babel import numbers as babel_numbers
from flask_babel import format_decimal, get_locale

from forum.insights import charts
from forum.insights.queries import KINDS, REGISTERED_STATES
from forum.insights.services import LANGUAGE_KINDS, VOICE_LABELS

# Figure -> (the columns drawn as series, the kind of chart); figures absent here are tables only.
DRAWN = {
    "registrations_by_group": (REGISTERED_STATES, "bar"),
    "registrations_by_region": (REGISTERED_STATES, "bar"),
    "registrations_by_list": (REGISTERED_STATES, "bar"),
    "activity_over_time": (KINDS, "line"),
    "activity_by_group": (KINDS, "bar"),
    "activity_by_region": (KINDS, "bar"),
    "activity_by_language": (LANGUAGE_KINDS, "bar"),
    "voice_by_group": (tuple(VOICE_LABELS), "bar"),
    "voice_by_region": (tuple(VOICE_LABELS), "bar"),
}
# The chart's own answer may use its inline style sheet (pygal writes one); nothing else, no script.
CHART_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"


def _percent(value):
    """A share as the page's language writes it, e.g. 12.5 %."""
    return format_decimal(value, "#,##0.0") + " %"


def number_format():
    """A formatter of the page's numbers in the reader's language, each distinct value formatted once
    (a dashboard has a thousand cells, and Babel takes a fraction of a millisecond for each)."""
    locale, known = get_locale(), {}

    def formatted(value):
        """`value` as the reader writes it: 1,234 or 1 234; shares with one decimal."""
        if isinstance(value, str):  # a name among the numbers (the country table's regional group)
            return value
        if value not in known:
            pattern = "#,##0.0" if isinstance(value, float) else None
            known[value] = babel_numbers.format_decimal(value, pattern, locale=locale)
        return known[value]

    return formatted


def is_drawn(table):
    """Whether the figure has a chart (some rows, and a kind of chart)."""
    return table.name in DRAWN and bool(table.rows)


def chart(table):
    """The SVG of a drawn figure."""
    series, kind = DRAWN[table.name]
    value_format = _percent if table.name.startswith("voice_") else None
    return charts.draw(table, series, table.title, kind, value_format)
