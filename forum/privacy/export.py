"""The personal data export: everything the forum holds about one user, and nothing about anyone else.

Each section lists the user's own rows, with the columns that are theirs: what they wrote, chose and
did. Other people appear only as ids of what the user acted on (a thread, a question), never by name.
"""

from datetime import date, datetime

from flask import current_app
from sqlalchemy import or_, select

from forum.accounts.identity import IdentityChange
from forum.accounts.models import PrivacyConsent
from forum.accounts.security_models import RecoveryCode, TotpCredential, UserSession, WebAuthnCredential
from forum.database import utcnow
from forum.extensions import db
from forum.hub.models import Contribution, JoinRequest, ProgressUpdate
from forum.mail.models import OutboxMessage
from forum.moderation.models import Flag, Sanction
from forum.notifications.models import Follow, Notification
from forum.qa.models import Question, QuestionVote, SpeakerSlot
from forum.threads.models import Endorsement, Post, Thread

PROFILE = (
    "id", "email", "name", "handle", "role", "status", "status_reason", "stakeholder_group", "country",
    "organisation", "job_title", "locale", "created_at", "last_login_at", "email_confirmed_at",
    "digest_mode", "privacy_version", "silenced_until", "suspended_until",
)  # fmt: skip
# (section, model, the column that names the user, the columns exported)
SECTIONS = (
    (
        "threads",
        Thread,
        "author_id",
        ("id", "title", "kind", "attribution", "state", "created_at", "language"),
    ),
    (
        "posts",
        Post,
        "author_id",
        (
            "id",
            "thread_id",
            "reply_to_id",
            "body",
            "state",
            "created_at",
            "edited_at",
            "language",
            "written_group",
            "written_country",
        ),
    ),
    ("endorsements", Endorsement, "user_id", ("post_id", "created_at")),
    ("flags", Flag, "user_id", ("post_id", "reason", "note", "created_at", "outcome")),
    ("follows", Follow, "user_id", ("thread_id", "theme_id", "created_at")),
    (
        "questions",
        Question,
        "author_id",
        (
            "id",
            "session_id",
            "body",
            "anonymous",
            "state",
            "created_at",
            "answered_at",
            "language",
            "written_group",
            "written_country",
        ),
    ),
    ("votes", QuestionVote, "user_id", ("question_id", "created_at")),
    (
        "statements",
        SpeakerSlot,
        "user_id",
        (
            "id",
            "session_id",
            "on_behalf_of",
            "language",
            "minutes",
            "state",
            "reason",
            "created_at",
        ),
    ),
    (
        "hub_contributions",
        Contribution,
        "submitter_id",
        (
            "id",
            "kind",
            "title",
            "summary",
            "description",
            "lead_organisation",
            "partners",
            "links",
            "contact_email",
            "start_date",
            "end_date",
            "state",
            "state_reason",
            "created_at",
            "submitted_at",
            "published_at",
        ),
    ),
    (
        "hub_progress_reports",
        ProgressUpdate,
        "author_id",
        ("deliverable_id", "status", "reported_on", "note", "created_at"),
    ),
    (
        "hub_join_requests",
        JoinRequest,
        "user_id",
        ("contribution_id", "organisation", "message", "state", "created_at"),
    ),
    (
        "notifications",
        Notification,
        "user_id",
        ("kind", "thread_id", "post_id", "message", "created_at", "read_at"),
    ),
    (
        "identity_changes",
        IdentityChange,
        "user_id",
        (
            "stakeholder_group",
            "country",
            "organisation",
            "previous_group",
            "previous_country",
            "previous_organisation",
            "state",
            "reason",
            "created_at",
            "decided_at",
        ),
    ),
    ("sanctions", Sanction, "user_id", ("kind", "reason", "ends_at", "created_at", "lifted_at")),
    (
        "sessions",
        UserSession,
        "user_id",
        ("created_at", "last_seen_at", "ip", "place", "user_agent", "ended_at", "end_reason"),
    ),
    ("privacy_consents", PrivacyConsent, "user_id", ("version", "context", "given_at")),
    ("security_keys", WebAuthnCredential, "user_id", ("name", "created_at", "last_used_at")),
)


def _value(value):
    """A column's value as JSON: times and dates in ISO 8601."""
    return value.isoformat() if isinstance(value, datetime | date) else value


def _section(model, owner, columns, user_id):
    """The user's rows of `model`, each the listed columns, oldest first where rows are dated."""
    query = select(*(getattr(model, name) for name in columns)).where(getattr(model, owner) == user_id)
    order = getattr(model, "created_at", None) or getattr(model, "given_at", None)
    rows = db.session.execute(query.order_by(order) if order is not None else query)
    return [{name: _value(value) for name, value in zip(columns, row, strict=True)} for row in rows]


def _mail(user):
    """Mail sent or waiting for the user: when, what about, and its state (the bodies hold links)."""
    query = select(OutboxMessage.kind, OutboxMessage.subject, OutboxMessage.state, OutboxMessage.created_at)
    query = query.where(or_(OutboxMessage.user_id == user.id, OutboxMessage.to_address == user.email))
    rows = db.session.execute(query.order_by(OutboxMessage.created_at))
    return [{"kind": k, "subject": s, "state": st, "created_at": _value(c)} for k, s, st, c in rows]


def _two_factor(user):
    """Whether two-factor sign-in is on and since when; the secret and the codes stay out."""
    confirmed = db.session.scalar(
        select(TotpCredential.confirmed_at).where(
            TotpCredential.user_id == user.id, TotpCredential.confirmed_at.is_not(None)
        )
    )
    left = db.session.scalars(
        select(RecoveryCode.id).where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))
    ).all()
    return {"enabled": confirmed is not None, "since": _value(confirmed), "recovery_codes_left": len(left)}


def personal_data(user):
    """The export as a dict ready for JSON."""
    profile = {name: _value(getattr(user, name)) for name in PROFILE}
    data = {
        "generated_at": utcnow().isoformat(),
        "site": current_app.config.get("SERVER_NAME") or "Dialogue Forum",
        "profile": profile,
        "two_factor": _two_factor(user),
    }
    for name, model, owner, columns in SECTIONS:
        data[name] = _section(model, owner, columns, user.id)
    data["mail"] = _mail(user)
    return data
