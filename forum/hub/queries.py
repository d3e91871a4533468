"""Reading the published Hub: filtered, searched listings, the submitter's own list, and exports."""

from dataclasses import dataclass

from sqlalchemy import func, or_, select

from forum.extensions import db
from forum.hub.models import Contribution, Scope, contribution_theme
from forum.states import ContributionState
from forum.threads.models import Theme

PAGE_SIZE = 20
EXPORT_COLUMNS = (
    "id",
    "kind",
    "title",
    "summary",
    "description",
    "lead_organisation",
    "partners",
    "stakeholder_groups",
    "countries_regions",
    "themes",
    "start_date",
    "end_date",
    "links",
    "progress_status",
    "published_at",
    "thread_id",
)


@dataclass
class Filters:
    """What a reader narrows the public listing to; empty values mean no filter."""

    q: str = ""
    kind: str = ""
    theme: str = ""
    group: str = ""
    area: str = ""
    status: str = ""


def _like(text):
    """A LIKE pattern matching `text` anywhere, its wildcards escaped."""
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _scoped(facet, code):
    """Contributions with this stakeholder group or country/region."""
    return Contribution.id.in_(select(Scope.contribution_id).where(Scope.facet == facet, Scope.code == code))


def published(filters):
    """The select of published contributions matching `filters`, newest first."""
    query = select(Contribution).where(Contribution.state == ContributionState.PUBLISHED)
    if filters.kind:
        query = query.where(Contribution.kind == filters.kind)
    if filters.status:
        query = query.where(Contribution.progress_status == filters.status)
    if filters.group:
        query = query.where(_scoped("group", filters.group))
    if filters.area:
        query = query.where(_scoped("area", filters.area))
    if filters.theme:
        themed = (
            select(contribution_theme.c.contribution_id)
            .join(Theme, Theme.id == contribution_theme.c.theme_id)
            .where(Theme.slug == filters.theme)
        )
        query = query.where(Contribution.id.in_(themed))
    for word in filters.q.split()[:8]:
        pattern = _like(word)
        columns = (
            Contribution.title,
            Contribution.summary,
            Contribution.description,
            Contribution.lead_organisation,
            Contribution.partners,
        )
        query = query.where(or_(*(func.lower(c).like(pattern, escape="\\") for c in columns)))
    return query.order_by(Contribution.published_at.desc(), Contribution.id.desc())


def page_of(filters, number):
    """(contributions, has_next) for one page of the listing."""
    number = max(number, 1)
    rows = db.session.scalars(published(filters).offset((number - 1) * PAGE_SIZE).limit(PAGE_SIZE + 1)).all()
    return rows[:PAGE_SIZE], len(rows) > PAGE_SIZE


def mine(user):
    """The user's own contributions, newest first."""
    query = (
        select(Contribution)
        .where(Contribution.submitter_id == user.id)
        .order_by(Contribution.created_at.desc())
    )
    return db.session.scalars(query).all()


def export_rows():
    """Every published contribution as a plain dict, without the contact email (members only)."""
    return [export_row(item) for item in db.session.scalars(published(Filters()))]


def export_row(item):
    """One published contribution as a plain dict, without the contact email."""
    return {
        "id": item.id,
        "kind": item.kind,
        "title": item.title,
        "summary": item.summary,
        "description": item.description,
        "lead_organisation": item.lead_organisation,
        "partners": item.partner_list,
        "stakeholder_groups": item.codes("group"),
        "countries_regions": item.codes("area"),
        "themes": [t.slug for t in item.themes],
        "start_date": item.start_date.isoformat(),
        "end_date": item.end_date.isoformat() if item.end_date else None,
        "links": item.link_list,
        "progress_status": item.progress_status,
        "published_at": item.published_at.isoformat(),
        "thread_id": item.thread_id,
        "deliverables": [
            {
                "title": d.title,
                "target_date": d.target_date.isoformat(),
                "status": d.status,
                "updates": [
                    {"reported_on": u.reported_on.isoformat(), "status": u.status, "note": u.note}
                    for u in d.updates
                ],
            }
            for d in item.deliverables
        ],
    }
