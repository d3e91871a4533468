"""The figures' counts: read from the daily tally where it holds them, from the activity's rows elsewhere.

Both come from one function, `_live`, which counts rows of one kind by day and by group, country (told
as its UN regional group) and language; the tally is what it returned for past days, stored. So a
figure is the same whether its days were read from the tally or counted afresh (tests/insights check
both against the seeded counts). See forum.insights.models for which days are read live.
"""

import hashlib
from collections import Counter
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import and_, delete, func, insert, or_, select, true

from forum.database import utcnow
from forum.extensions import db
from forum.insights import queries
from forum.insights.models import EVERY_THEME, Tally, TallyMark, TallyState
from forum.insights.queries import KINDS, LANGUAGE_KINDS, Filters
from forum.insights.regions import DATA, NO_REGION, region_table
from forum.threads.models import Theme

# The kinds the figures count: the activities, questions by the day they were answered, and the minutes
# of delivered statements (summed, not counted).
COUNTED = (*KINDS, "answered", "minutes")
# Today and yesterday are always counted live: a row written now is never late for the tally.
LIVE_DAYS = 1
STATE_ID = 1


def regions_digest():
    """A digest of the regional groups' data file: the tally's regions are valid while it is unchanged."""
    return hashlib.sha256((DATA / "un_regional_groups.csv").read_bytes()).hexdigest()


def _source(kind, filters):
    """The rows of a counted kind under the filters (forum.insights.queries)."""
    if kind == "answered":
        return queries.questions(filters, answered=True)
    if kind == "minutes":
        return queries.statements(filters)
    return queries.SOURCES[kind](filters)


def _as_date(value):
    """A day as the database gives it (SQLite: text; PostgreSQL: a date)."""
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def _moment(day):
    """Midnight UTC starting `day`, as the database stores times."""
    return datetime.combine(day, time(0), tzinfo=UTC).replace(tzinfo=None)


def spans(days, since=None):
    """[(start, end)] covering `days` (runs of consecutive days merged), then [since, None) if given."""
    found, start, end = [], None, None
    for day in sorted(set(days)):
        if end is not None and day == end:
            end = day + timedelta(days=1)
            continue
        if start is not None:
            found.append((start, end))
        start, end = day, day + timedelta(days=1)
    if start is not None:
        found.append((start, end))
    if since is not None:
        found.append((since, None))
    return found


def _within(column, ranges):
    """`column` inside one of the (start, end) day ranges (end None: open)."""
    parts = [
        and_(column >= _moment(start), column < _moment(end)) if end else column >= _moment(start)
        for start, end in ranges
    ]
    return or_(*parts) if parts else None


def _live(session, kind, filters, ranges=None):
    """Counter {(day, dimension, key): n} of a kind's rows under the filters (within `ranges` if given)."""
    inner = _source(kind, filters).subquery()
    where = true() if ranges is None else _within(inner.c.ts, ranges)
    if where is None:
        return Counter()
    value = func.coalesce(func.sum(inner.c.minutes), 0) if kind == "minutes" else func.count()
    day = func.date(inner.c.ts)
    columns = {"group": inner.c.grp, "country": inner.c.country}
    if kind in LANGUAGE_KINDS:
        columns["language"] = inner.c.lang
    regions, found = region_table(), Counter()
    for dimension, column in columns.items():
        query = select(day, column, value).where(where).group_by(day, column)
        for on, key, total in session.execute(query):
            if dimension == "country":
                found[(_as_date(on), "region", regions.get(key or "", NO_REGION))] += int(total)
            else:
                found[(_as_date(on), dimension, key or "")] += int(total)
    return found


def _stored(session, filters, until, skipped):
    """{kind: Counter} of the tally's days before `until` under the filters, but the (kind, day) `skipped`."""
    query = select(Tally.kind, Tally.day, Tally.dimension, Tally.key, Tally.total).where(
        Tally.theme_id == (filters.theme_id or EVERY_THEME), Tally.day < until
    )
    if filters.date_from:
        query = query.where(Tally.day >= filters.date_from)
    if filters.date_to:
        query = query.where(Tally.day <= filters.date_to)
    found = {kind: Counter() for kind in COUNTED}
    for kind, day, dimension, key, total in session.execute(query):
        day = _as_date(day)
        if (kind, day) not in skipped:
            found[kind][(day, dimension, key)] += total
    return found


def counted(filters=None, session=None):
    """{kind: Counter {(day, dimension, key): n}} of every counted kind, exactly as the rows say.

    Read in this order so that a recount committing meanwhile changes nothing: the state, the marks, the
    tally, the live rows (a day whose mark is gone by the time the tally is read is read recounted).
    """
    filters, session = filters or Filters(), session or db.session
    state = session.get(TallyState, STATE_ID)
    if state is None or state.regions != regions_digest() or filters.session_id:
        # No tally yet (or of other regions); or one session's rows, few enough to count.
        return {kind: _live(session, kind, filters) for kind in COUNTED}
    until = state.counted_until
    marked = {
        (kind, _as_date(day))
        for kind, day in session.execute(select(TallyMark.kind, TallyMark.day).distinct())
        if _as_date(day) < until
    }
    found = _stored(session, filters, until, marked)
    for kind in COUNTED:
        days = [day for marked_kind, day in marked if marked_kind == kind]
        found[kind].update(_live(session, kind, filters, spans(days, since=until)))
    return found


def recount(session=None, today=None):
    """Count into the tally the days that became past and the marked days (every day when there is no
    tally yet, or the regional groups changed); returns how many (kind, day) were counted. The caller
    commits; a mark written meanwhile stays for the next recount."""
    session = session or db.session
    until = (today or utcnow().date()) - timedelta(days=LIVE_DAYS)
    state, digest = session.get(TallyState, STATE_ID), regions_digest()
    marks = session.execute(select(TallyMark.id, TallyMark.kind, TallyMark.day)).all()
    themes = [EVERY_THEME, *session.scalars(select(Theme.id))]
    if state is None or state.regions != digest:
        session.execute(delete(Tally))
        ranges = {kind: [(date.min + timedelta(days=1), until)] for kind in COUNTED}
    else:
        until = max(until, state.counted_until)
        ranges = {}
        for kind in COUNTED:
            days = {_as_date(day) for _id, marked, day in marks if marked == kind and _as_date(day) < until}
            runs = spans(days) + ([(state.counted_until, until)] if state.counted_until < until else [])
            if runs:
                ranges[kind] = runs
    rows = []
    for kind, runs in ranges.items():
        days_out = or_(*(and_(Tally.day >= start, Tally.day < end) for start, end in runs))
        session.execute(delete(Tally).where(Tally.kind == kind, days_out))
        for theme_id in themes:
            counts = _live(session, kind, Filters(theme_id=theme_id or None), runs)
            rows += [
                {"kind": kind, "day": day, "theme_id": theme_id, "dimension": dimension, "key": key,
                 "total": total}
                for (day, dimension, key), total in counts.items()
                if total
            ]  # fmt: skip
    for first in range(0, len(rows), 1000):
        session.execute(insert(Tally), rows[first : first + 1000])
    if marks:
        session.execute(delete(TallyMark).where(TallyMark.id.in_([mark.id for mark in marks])))
    if state is None:
        state = TallyState(id=STATE_ID)
        session.add(state)
    state.counted_until, state.regions, state.counted_at = until, digest, utcnow()
    session.flush()
    return len({(row["kind"], row["day"]) for row in rows})
