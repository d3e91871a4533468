"""Hub contributions, their deliverables and progress, and requests to join a partnership."""

from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column

from forum.database import StateType, UTCDateTime, one_of, utcnow
from forum.extensions import db
from forum.states import ContributionState

if TYPE_CHECKING:
    from forum.accounts.models import User
    from forum.threads.models import Theme, Thread

KINDS = {
    "initiative": _l("Initiative"),
    "partnership": _l("Partnership"),
    "coalition": _l("Coalition"),
    "action": _l("Concrete action"),
}
# Kinds that other organisations may ask to join.
JOINABLE = ("partnership", "coalition")

STATES = {
    ContributionState.DRAFT: _l("Draft"),
    ContributionState.SUBMITTED: _l("Submitted for review"),
    ContributionState.PUBLISHED: _l("Published"),
    ContributionState.RETURNED: _l("Returned for changes"),
    ContributionState.REJECTED: _l("Rejected"),
    ContributionState.WITHDRAWN: _l("Withdrawn"),
}


class Progress(StrEnum):
    """How a deliverable is going, as its latest progress update says."""

    ON_TRACK = "on_track"
    DELAYED = "delayed"
    COMPLETED = "completed"


class Overall(StrEnum):
    """A contribution's overall progress: its deliverables' (forum.hub.progress), or nothing reported yet."""

    NOT_REPORTED = "not_reported"
    ON_TRACK = Progress.ON_TRACK.value
    DELAYED = Progress.DELAYED.value
    COMPLETED = Progress.COMPLETED.value


PROGRESS = {
    Progress.ON_TRACK: _l("On track"),
    Progress.DELAYED: _l("Delayed"),
    Progress.COMPLETED: _l("Completed"),
}
OVERALL = {Overall.NOT_REPORTED: _l("No progress reported yet"), **PROGRESS}


class JoinState(StrEnum):
    """A request to join a partnership: waiting for the submitter's answer, then accepted or declined."""

    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"


JOIN_STATES = {
    JoinState.PENDING: _l("Awaiting an answer"),
    JoinState.ACCEPTED: _l("Accepted"),
    JoinState.DECLINED: _l("Declined"),
}

REGIONS = {
    "global": _l("Global"),
    "africa": _l("Africa"),
    "americas": _l("Americas"),
    "arab_states": _l("Arab States"),
    "asia_pacific": _l("Asia-Pacific"),
    "cis": _l("CIS"),
    "europe": _l("Europe"),
}

TITLE_MAX = 200
SUMMARY_MAX = 1000
DESCRIPTION_MAX = 20_000
ORGANISATION_MAX = 200

contribution_theme = db.Table(
    "hub_contribution_theme",
    db.Column(
        "contribution_id",
        db.Integer,
        db.ForeignKey("hub_contribution.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    db.Column("theme_id", db.Integer, db.ForeignKey("theme.id", ondelete="CASCADE"), primary_key=True),
)


class Contribution(db.Model):
    """A voluntary contribution to the Hub, from draft to published (or returned, rejected, withdrawn)."""

    __tablename__ = "hub_contribution"

    id: Mapped[int] = mapped_column(primary_key=True)
    submitter_id: Mapped[int] = mapped_column(db.ForeignKey("users.id"), index=True)
    kind: Mapped[str] = mapped_column(db.String(20))
    title: Mapped[str] = mapped_column(db.String(TITLE_MAX))
    summary: Mapped[str] = mapped_column(db.Text)
    description: Mapped[str] = mapped_column(db.Text)
    description_html: Mapped[str] = mapped_column(db.Text)
    lead_organisation: Mapped[str] = mapped_column(db.String(ORGANISATION_MAX))
    # Partner organisations named by the submitter, one per line.
    partners: Mapped[str] = mapped_column(db.Text, default="")
    # http(s) links, one per line.
    links: Mapped[str] = mapped_column(db.Text, default="")
    contact_email: Mapped[str] = mapped_column(db.String(254))
    start_date: Mapped[date] = mapped_column()
    end_date: Mapped[date | None] = mapped_column()
    state: Mapped[ContributionState] = mapped_column(
        StateType(ContributionState, 12), default=ContributionState.DRAFT
    )
    state_reason: Mapped[str | None] = mapped_column(db.Text)
    progress_status: Mapped[Overall] = mapped_column(StateType(Overall, 14), default=Overall.NOT_REPORTED)
    claimed_by_id: Mapped[int | None] = mapped_column(db.ForeignKey("users.id", ondelete="SET NULL"))
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reviewed_by_id: Mapped[int | None] = mapped_column(db.ForeignKey("users.id", ondelete="SET NULL"))
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    thread_id: Mapped[int | None] = mapped_column(db.ForeignKey("thread.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    submitter: Mapped["User"] = db.relationship("User", foreign_keys=[submitter_id])
    claimed_by: Mapped["User | None"] = db.relationship("User", foreign_keys=[claimed_by_id])
    reviewed_by: Mapped["User | None"] = db.relationship("User", foreign_keys=[reviewed_by_id])
    thread: Mapped["Thread | None"] = db.relationship("Thread")
    themes: Mapped[list["Theme"]] = db.relationship(
        "Theme", secondary=contribution_theme, order_by="Theme.position"
    )
    scopes: Mapped[list["Scope"]] = db.relationship(
        "Scope", cascade="all, delete-orphan", passive_deletes=True, order_by="Scope.code"
    )
    deliverables: Mapped[list["Deliverable"]] = db.relationship(
        "Deliverable",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="(Deliverable.target_date, Deliverable.id)",
        back_populates="contribution",
    )
    join_requests: Mapped[list["JoinRequest"]] = db.relationship(
        "JoinRequest",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="JoinRequest.id",
        back_populates="contribution",
    )

    __table_args__ = (
        db.Index("ix_hub_contribution_state_published", "state", "published_at"),
        one_of("state", ContributionState),
        one_of("progress_status", Overall),
    )

    def codes(self, facet):
        """The stakeholder-group ("group") or country/region ("area") codes of the contribution."""
        return [s.code for s in self.scopes if s.facet == facet]

    @property
    def partner_list(self):
        """Partner organisations named by the submitter, then those whose request to join was accepted."""
        named = [line.strip() for line in self.partners.splitlines() if line.strip()]
        joined = [r.organisation for r in self.join_requests if r.state == JoinState.ACCEPTED]
        return list(dict.fromkeys(named + joined))

    @property
    def link_list(self):
        """The links, one per line."""
        return [line.strip() for line in self.links.splitlines() if line.strip()]


class Scope(db.Model):
    """One stakeholder group ("group") or country or region ("area") a contribution involves."""

    __tablename__ = "hub_scope"

    contribution_id: Mapped[int] = mapped_column(
        db.ForeignKey("hub_contribution.id", ondelete="CASCADE"), primary_key=True
    )
    facet: Mapped[str] = mapped_column(db.String(5), primary_key=True)
    code: Mapped[str] = mapped_column(db.String(40), primary_key=True)

    __table_args__ = (db.Index("ix_hub_scope_facet_code", "facet", "code"),)


class Deliverable(db.Model):
    """Something a contribution promises to deliver by a target date."""

    __tablename__ = "hub_deliverable"

    id: Mapped[int] = mapped_column(primary_key=True)
    contribution_id: Mapped[int] = mapped_column(
        db.ForeignKey("hub_contribution.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(db.String(TITLE_MAX))
    target_date: Mapped[date] = mapped_column()

    contribution: Mapped["Contribution"] = db.relationship("Contribution", back_populates="deliverables")
    updates: Mapped[list["ProgressUpdate"]] = db.relationship(
        "ProgressUpdate",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="(ProgressUpdate.reported_on.desc(), ProgressUpdate.id.desc())",
        back_populates="deliverable",
    )

    @property
    def status(self):
        """The status of the latest progress update, or not reported."""
        return self.updates[0].status if self.updates else Overall.NOT_REPORTED


class ProgressUpdate(db.Model):
    """A dated report on one deliverable, by the contribution's submitter."""

    __tablename__ = "hub_progress"

    id: Mapped[int] = mapped_column(primary_key=True)
    deliverable_id: Mapped[int] = mapped_column(
        db.ForeignKey("hub_deliverable.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int] = mapped_column(db.ForeignKey("users.id"))
    status: Mapped[Progress] = mapped_column(StateType(Progress, 12))
    reported_on: Mapped[date] = mapped_column()
    note: Mapped[str] = mapped_column(db.Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    author: Mapped["User"] = db.relationship("User")
    deliverable: Mapped["Deliverable"] = db.relationship("Deliverable", back_populates="updates")

    __table_args__ = (one_of("status", Progress),)


class JoinRequest(db.Model):
    """A participant's organisation asks to join a partnership or coalition; the submitter answers."""

    __tablename__ = "hub_join_request"

    id: Mapped[int] = mapped_column(primary_key=True)
    contribution_id: Mapped[int] = mapped_column(
        db.ForeignKey("hub_contribution.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(db.ForeignKey("users.id", ondelete="CASCADE"))
    organisation: Mapped[str] = mapped_column(db.String(ORGANISATION_MAX))
    message: Mapped[str] = mapped_column(db.Text, default="")
    state: Mapped[JoinState] = mapped_column(StateType(JoinState, 10), default=JoinState.PENDING)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    contribution: Mapped["Contribution"] = db.relationship("Contribution", back_populates="join_requests")
    user: Mapped["User"] = db.relationship("User")

    __table_args__ = (one_of("state", JoinState),)
