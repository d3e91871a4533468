"""Joining a partnership or coalition: a participant's organisation asks, the submitter answers once."""

from flask_babel import gettext as _
from sqlalchemy import update

from forum.database import utcnow
from forum.extensions import db
from forum.hub import services
from forum.hub.models import JOINABLE, ORGANISATION_MAX, JoinRequest, JoinState
from forum.policy import allowed
from forum.rules import RuleViolation
from forum.states import ContributionState

MESSAGE_MAX = 2000


def request_join(user, contribution, organisation, message=""):
    """A verified participant asks that their organisation join a published partnership or coalition."""
    if not allowed(user, "participate"):
        raise RuleViolation(_("Only verified participants may ask to join."), code="forbidden")
    if contribution.state != ContributionState.PUBLISHED or contribution.kind not in JOINABLE:
        raise RuleViolation(_("Only published partnerships and coalitions can be joined."), code="forbidden")
    if contribution.submitter_id == user.id:
        raise RuleViolation(_("You lead this contribution already."), field="organisation")
    organisation = services.required_text(
        organisation, "organisation", ORGANISATION_MAX, _("Name your organisation.")
    )
    taken = [contribution.lead_organisation, *contribution.partner_list]
    taken += [r.organisation for r in contribution.join_requests if r.state == JoinState.PENDING]
    if organisation.casefold() in {name.casefold() for name in taken}:
        raise RuleViolation(
            _("%(organisation)s is already a partner or has asked to join.", organisation=organisation),
            field="organisation",
        )
    message = (message or "").strip()
    if len(message) > MESSAGE_MAX:
        raise RuleViolation(_("This field is limited to %(n)s characters.", n=MESSAGE_MAX), field="message")
    join = JoinRequest(contribution=contribution, user=user, organisation=organisation, message=message)
    db.session.add(join)
    db.session.commit()
    return join


def decide_join(user, join, accept):
    """The submitter accepts or declines a request to join, once."""
    services.require_owner(user, join.contribution)
    state = JoinState.ACCEPTED if accept else JoinState.DECLINED
    changed = db.session.execute(
        update(JoinRequest)
        .where(JoinRequest.id == join.id, JoinRequest.state == JoinState.PENDING)
        .values(state=state, decided_at=utcnow())
    ).rowcount
    if not changed:
        db.session.rollback()
        raise RuleViolation(_("This request has already been answered."), code="conflict")
    db.session.commit()
    db.session.refresh(join)
    return join
