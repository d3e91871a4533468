"""What each event says: only what every reader may see (no Chatham House author, no anonymous asker)."""

import json
from datetime import timedelta

import pytest
from sqlalchemy import select

from forum.database import utcnow
from forum.extensions import db
from forum.hub import decisions as hub_decisions
from forum.hub import services as hub
from forum.qa import questions
from forum.qa.models import AgendaSession
from forum.webhooks.models import WebhookDelivery


@pytest.fixture
def backend():
    """SQLite: the payloads are built in Python, the same on both databases."""
    return "sqlite"


def bodies(event):
    """The bodies written for `event`, parsed."""
    query = select(WebhookDelivery.body).where(WebhookDelivery.event == event).order_by(WebhookDelivery.id)
    return [json.loads(body) for body in db.session.scalars(query)]


def session_with_qa(moderation_mode="post"):
    """An open session."""
    session = AgendaSession(
        slug="opening", title="Opening session", room="Hall A", starts_at=utcnow(),
        ends_at=utcnow() + timedelta(hours=1), qa_state="open", moderation_mode=moderation_mode,
    )  # fmt: skip
    db.session.add(session)
    db.session.commit()
    return session


def test_posts_on_the_record_name_their_author_and_chatham_house_posts_only_a_badge(
    app, make_endpoint, make_thread, make_user
):
    make_endpoint("https://receiver.example/hooks")
    author = make_user(name="Rhea Record", stakeholder_group="academia", country="KE")
    make_thread(author=author, attribution="record")
    make_thread(author=author, attribution="chatham")
    on_record, chatham = (event["data"] for event in bodies("post.created"))
    assert on_record["post"]["author"] == {"name": "Rhea Record", "handle": author.handle}
    assert chatham["post"]["author"] is None
    assert (chatham["post"]["stakeholder_group"], chatham["post"]["country"]) == ("academia", "KE")
    assert "Rhea" not in json.dumps(chatham) and author.handle not in json.dumps(chatham)
    assert chatham["thread"]["attribution"] == "chatham" and chatham["thread"]["opening"] is True


def test_an_anonymous_question_names_only_the_stakeholder_group(app, make_endpoint, make_user, moderator):
    make_endpoint("https://receiver.example/hooks")
    asker = make_user(name="Quentin Quiet", stakeholder_group="civil_society", country="BR")
    session = session_with_qa()
    question = questions.ask(asker, session, "Who audits the auditors?", anonymous=True)
    questions.moderate(moderator, question, "answer")
    (created,) = bodies("question.created")
    (answered,) = bodies("question.answered")
    for event in (created, answered):
        assert event["data"]["question"]["asker"] == {"stakeholder_group": "civil_society"}
        assert "Quentin" not in json.dumps(event) and asker.handle not in json.dumps(event)
    assert answered["data"]["question"]["answered_at"].endswith("Z")
    assert created["data"]["session"]["url"].endswith("/programme/opening")


def test_a_pre_moderated_question_is_sent_when_approved(app, make_endpoint, make_user, moderator):
    make_endpoint("https://receiver.example/hooks")
    session = session_with_qa(moderation_mode="pre")
    question = questions.ask(make_user(name="Olga Open"), session, "What about open weights?")
    assert bodies("question.created") == []
    questions.moderate(moderator, question, "approve")
    (created,) = bodies("question.created")
    assert created["data"]["question"]["asker"]["name"] == "Olga Open"


def test_a_published_hub_entry_is_sent_without_its_contact(app, make_endpoint, make_user, make_theme, admin):
    make_endpoint("https://receiver.example/hooks", events=["hub.published"])
    theme = make_theme(slug="compute")
    data = {
        "kind": "partnership", "title": "Shared compute pool", "summary": "Pooling GPU time.",
        "description": "We pool compute.", "lead_organisation": "Open Compute Alliance", "partners": "",
        "groups": ["academia"], "areas": ["KE"], "themes": [theme.slug], "start_date": "2026-07-01",
        "end_date": "", "deliverables": "2026-12-31 Scheduler live", "links": "",
        "contact_email": "compute@example.org",
    }  # fmt: skip
    contribution = hub.create(make_user(), data, submit=True)
    assert bodies("hub.published") == []
    hub_decisions.decide(admin, contribution, "publish")
    (event,) = bodies("hub.published")
    assert event["data"]["contribution"]["title"] == "Shared compute pool"
    assert event["data"]["contribution"]["url"].endswith(f"/hub/{contribution.id}")
    assert "compute@example.org" not in json.dumps(event)
