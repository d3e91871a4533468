"""Webhook deliveries: written with the change, signed, sent to a real receiver, retried, redelivered."""

import json
import logging
import re
import time
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from forum.database import utcnow
from forum.extensions import db
from forum.moderation import actions
from forum.threads import services as threads
from forum.webhooks import delivery, signing
from forum.webhooks.models import WebhookDelivery
from forum.webhooks.outbox import emit
from tests.conftest import Auth


@pytest.fixture
def backend():
    """SQLite: the claim on PostgreSQL is tested with two workers in test_worker_postgres.py."""
    return "sqlite"


def documented_verify():
    """The receiver's `verify` as docs/webhooks.md shows it."""
    docs = (Path(__file__).parents[2] / "docs" / "webhooks.md").read_text()
    namespace = {}
    exec(re.search(r"```python\n(.*?)```", docs, re.DOTALL)[1], namespace)  # noqa: S102 - our own docs
    return namespace["verify"]


def deliveries():
    """Every delivery row, oldest first."""
    return db.session.scalars(select(WebhookDelivery).order_by(WebhookDelivery.id)).all()


def test_a_new_post_reaches_the_receiver_signed_with_the_secret_shown_once(app, admin, receiver, make_thread):
    client = app.test_client()
    Auth(client).login(admin)
    created = client.post(
        "/admin/webhooks/", data={"url": receiver.url, "events": ["post.created"], "description": "Archive"}
    )
    assert created.status_code == 201
    assert "no-store" in created.headers["Cache-Control"]
    secret = re.search(r'id="secret" type="text" readonly value="(whsec_[^"]+)"', created.text)[1]

    thread = make_thread(title="Compute for all", body="Opening words.")
    assert [row.event for row in deliveries()] == ["post.created"]
    assert delivery.deliver_due() == (1, 0)

    ((headers, body),) = receiver.received
    assert headers["Forum-Event"] == "post.created"
    assert documented_verify()(secret, headers["Forum-Signature"], body)
    assert signing.verify(secret, headers["Forum-Signature"], body, now=time.time())
    assert not signing.verify(secret, headers["Forum-Signature"], body + b" ", now=time.time())
    assert not signing.verify("whsec_other", headers["Forum-Signature"], body, now=time.time())
    # An old signature is refused: a replayed request fails the receiver's tolerance.
    assert not signing.verify(secret, headers["Forum-Signature"], body, now=time.time() + 600)
    event = json.loads(body)
    assert event["id"] == headers["Forum-Event-Id"] and event["type"] == "post.created"
    assert event["data"]["thread"]["title"] == "Compute for all"
    assert event["data"]["post"]["url"].endswith(f"/posts/{thread.first_post_id}")
    assert event["created_at"].endswith("Z")

    # The secret is never shown again: the endpoint's page names only its last characters.
    page = client.get(f"/admin/webhooks/{deliveries()[0].endpoint_id}")
    assert secret not in page.text and secret[-4:] in page.text
    assert "Delivered" in page.text and "200" in page.text


def test_a_receiver_that_was_down_gets_the_event_when_the_backoff_is_due(
    app, receiver, make_endpoint, make_thread
):
    make_endpoint(receiver.url)
    receiver.stop()
    make_thread()
    start = utcnow()
    assert delivery.deliver_due(now=start) == (0, 1)
    (row,) = deliveries()
    assert (row.state, row.attempts, row.response_code) == ("pending", 1, None)
    assert "ConnectionRefusedError" in row.last_error or "URLError" in row.last_error
    assert row.next_attempt_at == start + timedelta(seconds=app.config["WEBHOOK_RETRY_SECONDS"])

    receiver.start()
    assert delivery.deliver_due(now=start + timedelta(seconds=10)) == (0, 0)
    assert receiver.received == []
    assert delivery.deliver_due(now=start + timedelta(seconds=31)) == (1, 0)
    db.session.refresh(row)
    assert (row.state, row.attempts, row.response_code, row.last_error) == ("delivered", 2, 200, None)
    assert len(receiver.received) == 1


def test_error_answers_back_off_exponentially_then_fail(app, receiver, make_endpoint, make_thread):
    app.config["WEBHOOK_MAX_ATTEMPTS"] = 3
    make_endpoint(receiver.url)
    make_thread()
    receiver.statuses = [500, 503, 302]
    now = utcnow()
    waits = []
    for _attempt in range(3):
        assert delivery.deliver_due(now=now) == (0, 1)
        (row,) = deliveries()
        waits.append((row.next_attempt_at - now).total_seconds())
        now = row.next_attempt_at
    assert waits[:2] == [30, 60]
    # A redirect is an answer, not an address to follow.
    assert (row.state, row.attempts, row.response_code, row.last_error) == ("failed", 3, 302, "HTTP 302")
    assert len(receiver.received) == 3
    assert delivery.deliver_due(now=now + timedelta(days=1)) == (0, 0)


def test_redeliver_sends_the_same_event_again_as_a_new_row(
    app, admin, receiver, make_endpoint, make_thread, caplog
):
    caplog.set_level(logging.INFO, logger="forum.security")
    endpoint = make_endpoint(receiver.url)
    make_thread()
    delivery.deliver_due()
    (first,) = deliveries()
    client = app.test_client()
    Auth(client).login(admin)
    answer = client.post(f"/admin/webhooks/{endpoint.id}/deliveries/{first.id}/redeliver")
    assert answer.status_code == 303
    assert delivery.deliver_due() == (1, 0)
    assert [row.state for row in deliveries()] == ["delivered", "delivered"]
    ids = [event["id"] for event in receiver.bodies()]
    assert len(ids) == 2 and ids[0] == ids[1]
    # The secretariat's changes are security events.
    assert '"event": "webhook.created"' in caplog.text and '"event": "webhook.redelivered"' in caplog.text
    # A delivery of another endpoint, or none, is not found.
    assert client.post(f"/admin/webhooks/{endpoint.id}/deliveries/987654/redeliver").status_code == 404


def test_held_and_hidden_posts_are_never_sent(
    app, receiver, make_endpoint, make_thread, make_user, moderator
):
    make_endpoint(receiver.url)
    thread = make_thread()
    delivery.deliver_due()
    # An unverified account's reply is held: no event until a moderator publishes it.
    threads.reply(make_user(status="pending"), thread, "Held until review.")
    assert len(deliveries()) == 1
    # A published post hidden before its delivery is withdrawn, not sent.
    post = threads.reply(make_user(), thread, "Soon hidden.")
    actions.hide(moderator, post, "Off topic")
    assert delivery.deliver_due() == (0, 1)
    assert deliveries()[-1].state == "withdrawn"
    assert [event["data"]["post"]["id"] for event in receiver.bodies()] == [thread.first_post_id]


def test_an_event_is_written_with_its_transaction_or_not_at_all(app, receiver, make_endpoint, make_thread):
    make_endpoint(receiver.url)
    thread = make_thread()
    db.session.commit()
    emit("post.created", thread.first_post_id, {"post": {"id": thread.first_post_id}})
    db.session.rollback()
    assert len(deliveries()) == 1


def test_a_disabled_endpoint_receives_nothing(app, admin, receiver, make_endpoint, make_thread):
    endpoint = make_endpoint(receiver.url)
    make_thread()
    client = app.test_client()
    Auth(client).login(admin)
    saved = client.post(
        f"/admin/webhooks/{endpoint.id}", data={"url": receiver.url, "events": ["post.created"]}
    )
    assert saved.status_code == 303
    db.session.refresh(endpoint)
    assert endpoint.enabled is False
    make_thread()
    # The row written before it was disabled waits; nothing new is written.
    assert len(deliveries()) == 1
    assert delivery.deliver_due() == (0, 0)
    assert receiver.received == []


def test_only_subscribed_events_are_written(app, receiver, make_endpoint, make_thread):
    make_endpoint(receiver.url, events=["question.answered"])
    make_thread()
    assert deliveries() == []


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"url": "ftp://example.org/x", "events": ["post.created"]}, "url", "https://"),
        ({"url": "https://example.org/x"}, "events", "Choose at least one event."),
        (
            {"url": "https://example.org/x", "events": ["post.created"], "secret": "short"},
            "secret",
            "leave it",
        ),
    ],
)
def test_bad_endpoints_are_refused_beside_their_field(app, admin, data, field, message):
    client = app.test_client()
    Auth(client).login(admin)
    answer = client.post("/admin/webhooks/", data=data)
    assert answer.status_code == 422
    assert message in answer.text
    assert 'aria-invalid="true"' in answer.text or f'id="{field}-error"' in answer.text
    assert client.get("/admin/webhooks/").text.count("/admin/webhooks/1") == 0


def test_rotating_the_secret_shows_the_new_one_once_and_signs_with_it(
    app, admin, receiver, make_endpoint, make_thread
):
    endpoint = make_endpoint(receiver.url)
    client = app.test_client()
    Auth(client).login(admin)
    page = client.post(f"/admin/webhooks/{endpoint.id}/secret")
    secret = re.search(r'value="(whsec_[^"]+)"', page.text)[1]
    make_thread()
    delivery.deliver_due()
    ((headers, body),) = receiver.received
    assert signing.verify(secret, headers["Forum-Signature"], body, now=time.time())
    assert client.post(f"/admin/webhooks/{endpoint.id}/delete").status_code == 303
    assert deliveries() == []
