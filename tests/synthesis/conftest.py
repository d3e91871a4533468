"""A theme with what takeaways cite: an on-the-record thread, a Chatham House one, a session with a chair
and an anonymous question, and a published Hub entry."""

from dataclasses import dataclass
from datetime import timedelta

import pytest

from forum.database import utcnow
from forum.extensions import db
from forum.hub import decisions as hub_decisions
from forum.hub import services as hub
from forum.qa import questions
from forum.qa.models import AgendaSession
from forum.threads import services as threads
from tests.conftest import Auth

CHATHAM_AUTHOR = {"name": "Quentin Quillon", "organisation": "Quillon Ministry"}


@dataclass
class Scene:
    """Everything a test of key takeaways needs."""

    theme: object
    other_theme: object
    moderator: object
    admin: object
    chair: object
    other_chair: object
    participant: object
    session: object
    record_post: object
    chatham_post: object
    chatham_author: object
    question: object
    contribution: object


def hub_data(theme):
    """A complete Hub contribution filed under `theme`."""
    return {
        "kind": "initiative", "title": "Open model registry", "summary": "A registry of open models.",
        "description": "Registering models.", "lead_organisation": "Registry Alliance", "partners": "",
        "groups": ["academia"], "areas": ["KE"], "themes": [theme.slug], "start_date": "2026-07-01",
        "end_date": "", "deliverables": "2026-12-31 Registry live", "links": "",
        "contact_email": "registry@example.org",
    }  # fmt: skip


@pytest.fixture
def scene(app, make_user, make_theme):
    """The theme "safety" and what may be cited in it."""
    theme, other_theme = make_theme(slug="safety", name="Safety"), make_theme(slug="other", name="Other")
    moderator, admin = make_user(role="moderator", name="Mona Moderator"), make_user(role="admin")
    chair, other_chair = (
        make_user(role="chair", name="Chad Chair"),
        make_user(role="chair", name="Olga Other"),
    )
    participant = make_user(name="Pia Participant")
    secret = make_user(**CHATHAM_AUTHOR)
    start = utcnow() - timedelta(hours=1)
    session = AgendaSession(slug="safety-panel", title="Safety panel", starts_at=start,
                            ends_at=start + timedelta(hours=2), qa_state="open")  # fmt: skip
    session.chairs, session.themes = [chair], [theme]
    elsewhere = AgendaSession(slug="other-panel", title="Other panel", starts_at=start,
                              ends_at=start + timedelta(hours=2))  # fmt: skip
    elsewhere.chairs, elsewhere.themes = [other_chair], [other_theme]
    db.session.add_all([session, elsewhere])
    db.session.commit()
    on_record = threads.create_thread(participant, theme, "Red-teaming in practice", "best_practice",
                                      "Red-team every frontier model before release.",
                                      language="en")  # fmt: skip
    chatham = threads.create_thread(participant, theme, "Frank talk on incidents", "discussion",
                                    "Opening remarks.", attribution="chatham", language="en")  # fmt: skip
    chatham_post = threads.reply(
        secret, chatham, "We hid an incident for a month; never again.", language="en"
    )
    question = questions.ask(participant, session, "Who audits the auditors of safety claims?", True, "en")
    contribution = hub.create(participant, hub_data(theme), submit=True)
    hub_decisions.decide(admin, contribution, "publish")
    record_post = db.session.get(type(chatham_post), on_record.first_post_id)
    return Scene(theme, other_theme, moderator, admin, chair, other_chair, participant, session,
                 record_post, chatham_post, secret, question, contribution)  # fmt: skip


@pytest.fixture
def signed_in(app):
    """signed_in(user): a test client signed in as `user` (a visitor's client for None)."""

    def make(user):
        client = app.test_client()
        if user is not None:
            Auth(client).login(user)
        return client

    return make
