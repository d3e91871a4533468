"""A verified identity changes only after the secretariat's review; what is written keeps who wrote it.

`IdentityChange` is a verified participant's request to change their stakeholder group, country or
organisation. `WrittenIdentity` gives posts and questions the group and country of their author at
the time of writing, so a later change never relabels them.
"""

from datetime import datetime
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column

from forum.accounts.models import STAKEHOLDER_GROUPS, User
from forum.database import StateType, UTCDateTime, one_of, utcnow
from forum.extensions import db


class ChangeState(StrEnum):
    """A request to change an identity: waiting, then decided by the secretariat or withdrawn."""

    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"


CHANGE_STATES = {
    ChangeState.PENDING: _l("Waiting for the secretariat"),
    ChangeState.ACCEPTED: _l("Accepted"),
    ChangeState.DECLINED: _l("Declined"),
    ChangeState.WITHDRAWN: _l("Withdrawn"),
}

# The parts of the identity the secretariat verified: a verified participant changes them by request.
REVIEWED_FIELDS = ("stakeholder_group", "country", "organisation")


class IdentityChange(db.Model):
    """A request to change a verified stakeholder identity, and the secretariat's decision on it."""

    __tablename__ = "identity_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(db.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # What the participant asks for.
    stakeholder_group: Mapped[str] = mapped_column(db.String(40))
    country: Mapped[str | None] = mapped_column(db.String(2))
    organisation: Mapped[str] = mapped_column(db.String(200))
    # The verified identity when they asked, so the reviewer sees both side by side.
    previous_group: Mapped[str] = mapped_column(db.String(40))
    previous_country: Mapped[str | None] = mapped_column(db.String(2))
    previous_organisation: Mapped[str] = mapped_column(db.String(200))
    state: Mapped[ChangeState] = mapped_column(
        StateType(ChangeState, 10), default=ChangeState.PENDING, index=True
    )
    # Why the secretariat declined; the participant sees it.
    reason: Mapped[str | None] = mapped_column(db.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(db.ForeignKey("users.id", ondelete="SET NULL"))

    user: Mapped["User"] = db.relationship(User, foreign_keys=[user_id])
    decided_by: Mapped["User | None"] = db.relationship(User, foreign_keys=[decided_by_id])

    __table_args__ = (one_of("state", ChangeState),)

    def requested(self):
        """The identity asked for, as {field: value} over REVIEWED_FIELDS."""
        return {field: getattr(self, field) for field in REVIEWED_FIELDS}

    def previous(self):
        """The verified identity when the request was made, as {field: value}."""
        return {
            "stakeholder_group": self.previous_group,
            "country": self.previous_country,
            "organisation": self.previous_organisation,
        }

    @property
    def group_label(self):
        """The requested stakeholder group's display name."""
        return STAKEHOLDER_GROUPS.get(self.stakeholder_group, self.stakeholder_group)

    @property
    def previous_group_label(self):
        """The earlier stakeholder group's display name."""
        return STAKEHOLDER_GROUPS.get(self.previous_group, self.previous_group)


def identity_of(user):
    """Column values that record `user`'s current group and country on something they write."""
    return {"written_group": user.stakeholder_group, "written_country": user.country}


class AuthorAsWritten:
    """An author as a post shows them: their account, with the group and country the post recorded.

    Badges take it in place of the user (templates/macros/badges.html); everything else is the account's.
    """

    def __init__(self, author, group, country):
        self._author = author
        self.stakeholder_group = group
        self.country = country

    @property
    def group_label(self):
        """The recorded stakeholder group's display name."""
        return STAKEHOLDER_GROUPS.get(self.stakeholder_group, self.stakeholder_group)

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self._author, name)


class WrittenIdentity:
    """Columns for a post or question: its author's stakeholder group and country when it was written."""

    written_group: Mapped[str] = mapped_column(db.String(40))
    written_country: Mapped[str | None] = mapped_column(db.String(2))

    @property
    def written_group_label(self):
        """The recorded stakeholder group's display name."""
        return STAKEHOLDER_GROUPS.get(self.written_group, self.written_group)

    @property
    def author_as_written(self):
        """The author with the recorded group and country, for badges."""
        return AuthorAsWritten(self.author, self.written_group, self.written_country)
