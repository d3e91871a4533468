"""The Hub's webhook event: a contribution published, as the public listing and export show it."""

from flask_babel import lazy_gettext as _l

from forum.extensions import db
from forum.hub.models import Contribution
from forum.hub.queries import export_row
from forum.states import ContributionState
from forum.urls import public_url
from forum.webhooks.outbox import emit, register_event


def _still_public(contribution_id):
    """The contribution is still published (not withdrawn since)."""
    contribution = db.session.get(Contribution, contribution_id)
    return contribution is not None and contribution.state == ContributionState.PUBLISHED


register_event("hub.published", _l("Partnerships Hub entry published"), _still_public)


def published(contribution):
    """Add `hub.published` deliveries for a contribution just published (current transaction)."""
    data = export_row(contribution) | {"url": public_url("hub.detail", contribution_id=contribution.id)}
    emit("hub.published", contribution.id, {"contribution": data})
