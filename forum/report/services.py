"""What the report holds, read once for its page and its PDF: nothing here knows of a person beyond what
every reader of the site may know (citations and askers are shown as the public pages show them)."""

from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from forum.database import utcnow
from forum.extensions import db
from forum.hub.models import KINDS as HUB_KINDS
from forum.hub.models import Contribution
from forum.insights import charts, pages
from forum.insights import services as insights
from forum.qa.export import asker
from forum.qa.models import AgendaSession, Question, QuestionState
from forum.states import ContributionState
from forum.synthesis import citations
from forum.synthesis import services as synthesis

# Which figures each edition shows: the staff edition every dashboard figure, the public one the public
# summary's (no country table: a country with one participant would name them).
EDITIONS = {"staff": insights.STAFF, "public": insights.PUBLIC}
# The answered questions the report lists per session: a summary, not the record (a session of the
# benchmark's data had 80, and the PDF's time grows with its pages).
ANSWERED_SHOWN = 20
KEY_FIGURES = {
    "registered": _l("Verified registrations"),
    "posts": _l("Posts"),
    "threads": _l("Threads"),
    "questions": _l("Questions"),
    "votes": _l("Votes"),
    "statements": _l("Statements"),
    "hub": _l("Hub entries"),
}


@dataclass
class Figure:
    """A figure of the report: its table and, when drawn, its chart as a data: address."""

    table: object
    chart: str | None = None


@dataclass
class Report:
    """Everything the report shows, in the order it shows it."""

    edition: str
    as_of: object
    key_figures: list = field(default_factory=list)
    figures: list = field(default_factory=list)
    takeaways: list = field(default_factory=list)
    cited: dict = field(default_factory=dict)
    sessions: list = field(default_factory=list)
    hub: list = field(default_factory=list)


def _key_figures(tables):
    """[(label, number)]: verified registrations, then each kind of activity, from the figures' tables."""
    registered = sum(row[2] for row in tables["registrations_by_group"].rows)
    activity = tables["activity_by_group"]
    position = {column: index for index, (column, _label) in enumerate(activity.columns)}
    totals = {kind: sum(row[position[kind]] for row in activity.rows) for kind in list(KEY_FIGURES)[1:]}
    return [(KEY_FIGURES["registered"], registered), *((KEY_FIGURES[k], n) for k, n in totals.items())]


def _answered():
    """[(session, [(question, asker)], how many more)]: each session's answered questions, most voted first
    (ANSWERED_SHOWN of them: its Q&A page and summary have them all), sessions by start time."""
    query = (
        select(Question)
        .join(AgendaSession, AgendaSession.id == Question.session_id)
        .options(joinedload(Question.author), joinedload(Question.session))
        .where(Question.state == QuestionState.PUBLISHED, Question.answered_at.is_not(None))
        .order_by(AgendaSession.starts_at, AgendaSession.id, Question.vote_count.desc(), Question.id)
    )
    grouped = {}
    for question in db.session.scalars(query):
        grouped.setdefault(question.session, []).append(question)
    return [
        (session, [(q, asker(q, staff=False)) for q in asked[:ANSWERED_SHOWN]], len(asked[ANSWERED_SHOWN:]))
        for session, asked in grouped.items()
    ]


def _hub():
    """[(kind label, [entry])]: the published Hub entries by kind, then by title."""
    query = (
        select(Contribution)
        .options(selectinload(Contribution.themes), selectinload(Contribution.join_requests))
        .where(Contribution.state == ContributionState.PUBLISHED)
        .order_by(Contribution.title, Contribution.id)
    )
    entries = db.session.scalars(query).all()
    return [
        (label, [entry for entry in entries if entry.kind == kind])
        for kind, label in HUB_KINDS.items()
        if any(entry.kind == kind for entry in entries)
    ]


def build(edition):
    """The report of `edition` ("staff" or "public") as it stands now."""
    tables = insights.figures(names=EDITIONS[edition])
    report = Report(edition=edition, as_of=utcnow())
    report.key_figures = _key_figures(tables)
    report.figures = [
        Figure(table, charts.data_uri(pages.chart(table)) if pages.is_drawn(table) else None)
        for table in tables.values()
    ]
    report.takeaways = synthesis.published_by_theme()
    report.cited = citations.resolve_takeaways([t for _theme, items in report.takeaways for t in items])
    report.sessions = _answered()
    report.hub = _hub()
    return report
