"""Two workers on PostgreSQL deliver every webhook exactly once, and a worker's clock makes retries due."""

import threading
from collections import Counter
from datetime import timedelta

import pytest
from sqlalchemy import select

from forum.database import utcnow
from forum.extensions import db
from forum.webhooks.models import WebhookDelivery
from forum.webhooks.outbox import emit
from forum.worker.loop import Job, Worker, _send_webhooks

pytestmark = pytest.mark.postgres


@pytest.mark.parametrize("backend", [pytest.param("postgres", marks=pytest.mark.postgres)])
def test_two_workers_never_send_a_delivery_twice(app, receiver, make_endpoint, make_thread):
    app.config["WEBHOOK_BATCH"] = 3
    make_endpoint(receiver.url)
    make_endpoint(receiver.url)
    thread = make_thread()
    for n in range(14):
        emit("post.created", thread.first_post_id, {"n": n})
    db.session.commit()
    expected = db.session.scalar(select(db.func.count()).select_from(WebhookDelivery))
    assert expected == 30
    start = threading.Barrier(2)

    def work():
        start.wait()
        Worker(app, sleep=lambda seconds: None, job_list=(Job("webhooks", _send_webhooks),)).run(rounds=2)

    workers = [threading.Thread(target=work) for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=30)
    sent = Counter(headers["Forum-Delivery"] for headers, _body in receiver.received)
    assert len(sent) == expected and set(sent.values()) == {1}
    states = db.session.scalars(select(WebhookDelivery.state)).all()
    assert set(states) == {"delivered"}


@pytest.mark.parametrize("backend", [pytest.param("postgres", marks=pytest.mark.postgres)])
def test_the_worker_retries_when_its_clock_makes_the_backoff_due(app, receiver, make_endpoint, make_thread):
    make_endpoint(receiver.url)
    make_thread()
    receiver.statuses = [503]
    now = [utcnow()]
    worker = Worker(
        app, clock=lambda: now[0], sleep=lambda seconds: None, job_list=(Job("webhooks", _send_webhooks),)
    )
    worker.run(rounds=1)
    assert db.session.scalar(select(WebhookDelivery.state)) == "pending"
    now[0] += timedelta(seconds=31)
    worker.run(rounds=1)
    db.session.expire_all()
    row = db.session.scalar(select(WebhookDelivery))
    assert (row.state, row.attempts, row.response_code) == ("delivered", 2, 200)
    assert len(receiver.received) == 2
