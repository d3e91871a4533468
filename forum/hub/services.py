"""Hub rules for submitters: the deadline, the fields, drafting, submitting and withdrawing.

Each writer validates everything first, writes in one transaction and commits; nothing is stored on refusal.
"""

import re
from datetime import date
from urllib.parse import urlparse

from flask_babel import gettext as _
from sqlalchemy import select, update

from forum import countries
from forum.accounts.models import STAKEHOLDER_GROUPS
from forum.database import utcnow
from forum.extensions import db
from forum.hub.models import (
    DESCRIPTION_MAX,
    KINDS,
    ORGANISATION_MAX,
    REGIONS,
    SUMMARY_MAX,
    TITLE_MAX,
    Contribution,
    Deliverable,
    Scope,
)
from forum.i18n import local_deadline
from forum.policy import allowed
from forum.rules import RuleViolation
from forum.sanitize import markdown_to_html
from forum.states import ContributionState
from forum.threads.models import Theme

# What a submitter may still edit, and what they may withdraw.
EDITABLE = (ContributionState.DRAFT, ContributionState.RETURNED)
WITHDRAWABLE = (*EDITABLE, ContributionState.SUBMITTED, ContributionState.PUBLISHED)
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
DELIVERABLE = re.compile(r"^(\d{4}-\d{2}-\d{2})\s*[:\-–—]?\s*(.+)$")
MAX_DELIVERABLES = 20
MAX_LINKS = 10


def deadline():
    """The Geneva-time moment submissions close (config HUB_DEADLINE)."""
    return local_deadline("HUB_DEADLINE")


def is_open(now=None):
    """True until the deadline, the deadline second itself included."""
    return (now or utcnow()) <= deadline()


def time_left(now=None):
    """(days, hours, minutes) until the deadline, or None once it has passed."""
    remaining = deadline() - (now or utcnow())
    if remaining.total_seconds() < 0:
        return None
    minutes = int(remaining.total_seconds() // 60)
    return minutes // (24 * 60), minutes // 60 % 24, minutes % 60


def area_codes():
    """Every region and country code a contribution may cover (the UN's list, forum/data/countries.csv)."""
    return set(REGIONS) | set(countries.table())


def _require_open():
    """Refuse when the submission deadline has passed."""
    if not is_open():
        raise RuleViolation(_("Submissions to the Partnerships Hub are closed."), code="closed")


def may_edit(user, contribution):
    """The submitter changes a draft or a contribution returned for changes."""
    return user.is_authenticated and contribution.submitter_id == user.id and contribution.state in EDITABLE


def require_owner(user, contribution):
    """Refuse anyone but the contribution's submitter."""
    if not user.is_authenticated or contribution.submitter_id != user.id:
        raise RuleViolation(_("You may only change your own contributions."), code="forbidden")


def required_text(value, field, limit, message):
    """A trimmed required text, or a RuleViolation on `field`."""
    value = (value or "").strip()
    if not value:
        raise RuleViolation(message, field=field)
    if len(value) > limit:
        raise RuleViolation(_("This field is limited to %(n)s characters.", n=limit), field=field)
    return value


def parse_date(value, field, required=True):
    """A date from an ISO string (or a date), or a RuleViolation on `field`."""
    if isinstance(value, date):
        return value
    value = (value or "").strip()
    if not value:
        if required:
            raise RuleViolation(_("Enter a date."), field=field)
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise RuleViolation(_("Enter a date as YYYY-MM-DD."), field=field) from None


def _choices(values, allowed, field, required_message):
    """The chosen codes, each checked against `allowed`; at least one."""
    values = list(dict.fromkeys(v for v in (values or []) if v))
    if not values:
        raise RuleViolation(required_message, field=field)
    if any(v not in allowed for v in values):
        raise RuleViolation(_("Choose among the options."), field=field)
    return values


def _links(text):
    """The http/https links, one per line, or a RuleViolation naming the first bad one."""
    links = [line.strip() for line in (text or "").splitlines() if line.strip()]
    if len(links) > MAX_LINKS:
        raise RuleViolation(_("Give at most %(n)s links.", n=MAX_LINKS), field="links")
    for link in links:
        parsed = urlparse(link)
        if parsed.scheme not in ("http", "https") or not parsed.netloc or len(link) > 500:
            raise RuleViolation(
                _("%(link)s is not a web address starting with http:// or https://.", link=link),
                field="links",
            )
    return "\n".join(links)


def _deliverables(text):
    """(target date, title) pairs, one per line: the date, then what will be delivered."""
    items = []
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        match = DELIVERABLE.match(line.strip())
        try:
            target = date.fromisoformat(match.group(1)) if match else None
        except ValueError:
            target = None
        if target is None or len(match.group(2)) > TITLE_MAX:
            raise RuleViolation(
                _(
                    "Write each deliverable on its own line: the target date (YYYY-MM-DD), "
                    "then what will be delivered. This line is not understood: %(line)s",
                    line=line.strip(),
                ),
                field="deliverables",
            )
        items.append((target, match.group(2).strip()))
    if not items:
        raise RuleViolation(_("Name at least one deliverable with its target date."), field="deliverables")
    if len(items) > MAX_DELIVERABLES:
        raise RuleViolation(_("Give at most %(n)s deliverables.", n=MAX_DELIVERABLES), field="deliverables")
    return items


class InvalidContribution(RuleViolation):
    """Several fields refused at once; `errors` holds one RuleViolation per field, the first is this one's."""

    def __init__(self, errors):
        super().__init__(errors[0].message, field=errors[0].field)
        self.errors = errors


def _kind(value):
    """A kind of contribution."""
    if value not in KINDS:
        raise RuleViolation(_("Choose the kind of contribution."), field="kind")
    return value


def _partners(text):
    """Partner organisations, one per line."""
    names = (line.strip()[:ORGANISATION_MAX] for line in (text or "").splitlines())
    return "\n".join(name for name in names if name)


def _themes(slugs):
    """The chosen Theme rows."""
    themes = db.session.scalars(select(Theme).where(Theme.slug.in_(slugs or []))).all()
    _choices(slugs, {t.slug for t in themes}, "themes", _("Choose at least one theme."))
    return themes


def _email(value):
    """A contact email address."""
    value = (value or "").strip()
    if not EMAIL.match(value) or len(value) > 254:
        raise RuleViolation(_("Enter a contact email address."), field="contact_email")
    return value


def clean(data):
    """Check a contribution's fields (a dict of form values); returns the clean values or raises.

    Every field is checked, so the submitter sees all that needs fixing at once.
    """
    checks = {
        "kind": lambda: _kind(data.get("kind")),
        "title": lambda: required_text(
            data.get("title"), "title", TITLE_MAX, _("Give the contribution a title.")
        ),
        "summary": lambda: required_text(
            data.get("summary"), "summary", SUMMARY_MAX, _("Write a one-paragraph summary.")
        ),
        "description": lambda: required_text(
            data.get("description"), "description", DESCRIPTION_MAX, _("Describe the contribution.")
        ),
        "lead_organisation": lambda: required_text(
            data.get("lead_organisation"),
            "lead_organisation",
            ORGANISATION_MAX,
            _("Name the lead organisation."),
        ),
        "partners": lambda: _partners(data.get("partners")),
        "groups": lambda: _choices(
            data.get("groups"), STAKEHOLDER_GROUPS, "groups", _("Choose at least one stakeholder group.")
        ),
        "areas": lambda: _choices(
            data.get("areas"), area_codes(), "areas", _("Choose at least one country or region.")
        ),
        "themes": lambda: _themes(data.get("themes")),
        "start_date": lambda: parse_date(data.get("start_date"), "start_date"),
        "end_date": lambda: parse_date(data.get("end_date"), "end_date", required=False),
        "deliverables": lambda: _deliverables(data.get("deliverables")),
        "links": lambda: _links(data.get("links")),
        "contact_email": lambda: _email(data.get("contact_email")),
    }
    values, errors = {}, []
    for name, check in checks.items():
        try:
            values[name] = check()
        except RuleViolation as error:
            errors.append(error)
    start, end = values.get("start_date"), values.get("end_date")
    if start and end and end < start:
        errors.append(RuleViolation(_("The end date cannot be before the start date."), field="end_date"))
    if errors:
        raise InvalidContribution(errors)
    return values


def apply_values(contribution, values):
    """Copy clean values onto the contribution, replacing its lists."""
    for name in ("kind", "title", "summary", "description", "lead_organisation", "partners", "links"):
        setattr(contribution, name, values[name])
    for name in ("contact_email", "start_date", "end_date", "themes"):
        setattr(contribution, name, values[name])
    contribution.description_html = markdown_to_html(values["description"])
    contribution.scopes = [Scope(facet="group", code=c) for c in values["groups"]] + [
        Scope(facet="area", code=c) for c in values["areas"]
    ]
    contribution.deliverables = [Deliverable(title=t, target_date=d) for d, t in values["deliverables"]]


def _mark_submitted(contribution, submit):
    """Move the contribution to the review queue when the submitter asked for it."""
    if submit:
        contribution.state = ContributionState.SUBMITTED
        contribution.submitted_at = utcnow()
        contribution.claimed_by_id = contribution.claimed_at = None


def create(user, data, submit=False):
    """Save a new contribution as a draft, or submit it straight away."""
    if not allowed(user, "participate"):
        raise RuleViolation(_("Only verified participants may contribute."), code="forbidden")
    _require_open()
    values = clean(data)
    contribution = Contribution(submitter=user, state=ContributionState.DRAFT)
    apply_values(contribution, values)
    _mark_submitted(contribution, submit)
    db.session.add(contribution)
    db.session.commit()
    return contribution


def edit(user, contribution, data, submit=False):
    """Change a draft or a returned contribution; optionally submit it."""
    require_owner(user, contribution)
    if contribution.state not in EDITABLE:
        raise RuleViolation(_("This contribution can no longer be changed."), code="not_editable")
    _require_open()
    values = clean(data)
    apply_values(contribution, values)
    _mark_submitted(contribution, submit)
    db.session.commit()
    return contribution


def withdraw(user, contribution):
    """The submitter withdraws a contribution, unless a reviewer decided on it a moment before."""
    require_owner(user, contribution)
    state = contribution.state
    if state not in WITHDRAWABLE:
        raise RuleViolation(_("This contribution cannot be withdrawn."), code="not_withdrawable")
    changed = db.session.execute(
        update(Contribution)
        .where(Contribution.id == contribution.id, Contribution.state == state)
        .values(state=ContributionState.WITHDRAWN, state_reason=None)
    ).rowcount
    if not changed:
        db.session.rollback()
        raise RuleViolation(_("The secretariat has just reviewed it; reload the page."), code="conflict")
    db.session.commit()
    db.session.refresh(contribution)
    return contribution
