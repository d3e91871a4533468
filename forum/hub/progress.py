"""Progress on deliverables: dated updates by the submitter, and one overall status per contribution."""

from datetime import datetime

from flask_babel import gettext as _

from forum.extensions import db
from forum.hub import services
from forum.hub.models import PROGRESS, Overall, ProgressUpdate
from forum.i18n import dialogue_zone
from forum.rules import RuleViolation
from forum.states import ContributionState

NOTE_MAX = 2000


def _geneva_today():
    """Today's date in Geneva."""
    return datetime.now(dialogue_zone()).date()


def add_progress(user, contribution, deliverable_id, status, reported_on, note=""):
    """The submitter reports dated progress on one deliverable of a published contribution."""
    services.require_owner(user, contribution)
    if contribution.state != ContributionState.PUBLISHED:
        raise RuleViolation(
            _("Progress is reported once the contribution is published."), code="not_published"
        )
    deliverable = next((d for d in contribution.deliverables if str(d.id) == str(deliverable_id)), None)
    if deliverable is None:
        raise RuleViolation(_("Choose one of the deliverables."), field="deliverable")
    if status not in PROGRESS:
        raise RuleViolation(_("Choose a status."), field="status")
    day = services.parse_date(reported_on, "reported_on")
    if day > _geneva_today():
        raise RuleViolation(_("Progress cannot be reported for a future date."), field="reported_on")
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise RuleViolation(_("This field is limited to %(n)s characters.", n=NOTE_MAX), field="note")
    db.session.add(
        ProgressUpdate(deliverable=deliverable, author=user, status=status, reported_on=day, note=note)
    )
    db.session.flush()
    for item in contribution.deliverables:
        db.session.expire(item, ["updates"])
    contribution.progress_status = overall_status([d.status for d in contribution.deliverables])
    db.session.commit()
    return deliverable


def overall_status(statuses):
    """One status for a contribution from its deliverables' latest statuses."""
    reported = [s for s in statuses if s != Overall.NOT_REPORTED]
    if not reported:
        return Overall.NOT_REPORTED
    if Overall.DELAYED in reported:
        return Overall.DELAYED
    if all(s == Overall.COMPLETED for s in statuses):
        return Overall.COMPLETED
    return Overall.ON_TRACK
