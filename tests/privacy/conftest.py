"""A forum with several users, one of whom (Amara) has done a bit of everything."""

from datetime import timedelta

import pytest

from forum.accounts.security_models import WebAuthnCredential
from forum.database import utcnow
from forum.extensions import db
from forum.hub import services as hub
from forum.mail import sender
from forum.mail.models import OutboxMessage
from forum.moderation import sanctions
from forum.notifications import services as notifications
from forum.qa import questions, speakers
from forum.qa.models import AgendaSession
from forum.threads import services as threads
from forum.threads.models import Theme
from tests.conftest import Auth

HUB = {
    "kind": "partnership",
    "title": "Open compute for African universities",
    "summary": "Pooling GPU time for public universities.",
    "description": "We pool **compute** across universities.",
    "lead_organisation": "Ministry of Lagos Compute",
    "partners": "Makerere University",
    "groups": ["academia"],
    "areas": ["africa"],
    "themes": ["ai-divides"],
    "start_date": "2026-07-01",
    "end_date": "2027-06-30",
    "deliverables": "2026-12-31 Shared scheduler live",
    "links": "https://example.org/compute",
    "contact_email": "amara.okafor@example.org",
}


@pytest.fixture
def config_overrides(tmp_path):
    """Mail goes to .eml files in the test's own folder, so that the test can search them."""
    return {"MAIL_OUTBOX_DIR": tmp_path / "outbox"}


@pytest.fixture
def world(app, make_user, client):
    """Amara, a participant who posted, asked, voted, spoke, contributed, added a security key and was
    mailed; Bo, who wrote about her; a moderator who sanctioned her; and her signed-in browser (`client`)."""
    amara = make_user(
        name="Amara Okafor",
        email="amara.okafor@example.org",
        stakeholder_group="member_state",
        country="NG",
        organisation="Ministry of Lagos Compute",
    )
    bo = make_user(name="Bo Bystander", email="bo@example.org", organisation="Other Org")
    moderator = make_user(role="moderator", name="Mo Moderator", email="mo@example.org")
    theme = Theme(slug="ai-divides", name="Bridging AI divides", description="", position=1)
    db.session.add(theme)
    db.session.commit()
    thread = threads.create_thread(
        amara, theme, "Compute sharing in Nigeria", "discussion", "My opening post."
    )
    with app.test_request_context():  # a mention's link is a URL
        bo_post = threads.reply(bo, thread, f"I agree with @{amara.handle} on compute.")
    threads.reply(amara, thread, "Thanks, let us work on it.")
    threads.set_endorsement(amara, bo_post, True)
    session = AgendaSession(
        slug="opening", title="Opening", room="Hall A", starts_at=utcnow() - timedelta(hours=1),
        ends_at=utcnow() + timedelta(hours=2), qa_state="open", moderation_mode="post",
    )  # fmt: skip
    db.session.add(session)
    db.session.commit()
    mine = questions.ask(amara, session, "How will compute be shared fairly?", anonymous=True)
    theirs = questions.ask(bo, session, "What about data centres?")
    questions.set_vote(amara, theirs.id, True)
    speakers.request_slot(amara, session, "Federal Republic of Nigeria", "en", 3)
    hub.create(amara, HUB, submit=True)
    sanctions.sanction(moderator, amara, "warn", "Amara Okafor: please keep to the topic.")
    notifications.notice(bo.id, "warning", "Your reply to Amara Okafor was moved.")
    # A security key each, named after its owner.
    for owner, key_name in ((amara, "Amara Okafor's YubiKey"), (bo, "Bo Bystander's phone")):
        db.session.add(
            WebAuthnCredential(
                user_id=owner.id, credential_id=key_name.encode(), public_key=b"-", name=key_name
            )
        )
    # A mail to Bo that names her: its row and its file in the outbox.
    text = "Amara Okafor (amara.okafor@example.org) replied to you."
    db.session.add(
        OutboxMessage(
            user_id=bo.id, to_address=bo.email, kind="activity", language="en",
            subject="Amara Okafor replied", text_body=text, html_body=f"<p>{text}</p>",
        )
    )  # fmt: skip
    db.session.commit()
    Auth(client).login(amara)
    client.post("/privacy/consent")
    sender.drain()
    return {
        "amara": amara,
        "bo": bo,
        "moderator": moderator,
        "thread": thread,
        "mine": mine,
        "theirs": theirs,
    }
