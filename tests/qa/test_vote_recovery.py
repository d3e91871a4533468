"""Vote counts after failures: stored without Redis, tried again until sent, however long the outage."""

import os
import time

import pytest
import redis
from sqlalchemy.exc import OperationalError

from forum.qa import questions, votes
from tests.conftest import unavailable
from tests.qa.conftest import follow, received, stored_votes

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


class Outage:
    """The coalescer's Redis client, failing as an unreachable server does while `down`."""

    def __init__(self, client):
        self.client = client
        self.down = False

    def __getattr__(self, name):
        command = getattr(self.client, name)

        def call(*args, **kwargs):
            """The command, or the error of a server that does not answer."""
            if self.down:
                raise redis.ConnectionError("Error 111 connecting to Redis. Connection refused.")
            return command(*args, **kwargs)

        return call


@pytest.fixture
def outage(app):
    """This app's vote counts claimed and stamped in the real Redis (emptied), which a test can take away."""
    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.flushdb()
    except redis.ConnectionError as error:
        unavailable("Redis", error)
    stand_in = votes.coalescer().redis = Outage(client)
    yield stand_in
    stand_in.down = False
    client.flushdb()
    client.close()


def heard(socket, question_id, count, seconds=10.0):
    """The `question.voted` payloads a reader received until one gave the question `count`."""
    payloads, deadline, wanted = [], time.monotonic() + seconds, {"question_id": question_id, "count": count}
    while time.monotonic() < deadline:
        payloads += received(socket, "question.voted")
        if any(wanted in payload["counts"] for payload in payloads):
            return payloads
        time.sleep(0.05)
    raise AssertionError(f"no broadcast of {count} for question {question_id}: {payloads}")


def ended(seconds=10.0):
    """Whether the coalescer's task ended (nothing left to send nor to try again) within `seconds`."""
    deadline = time.monotonic() + seconds
    while votes.coalescer().running and time.monotonic() < deadline:
        time.sleep(0.05)
    return not votes.coalescer().running


@pytest.mark.redis
def test_counts_of_votes_cast_while_redis_is_down_are_stored_then_sent_when_it_is_back(
    app, socket_client, make_session, make_user, outage
):
    """The count is stored without Redis (pages show it), and broadcast once Redis answers again."""
    session = make_session()
    question = questions.ask(make_user(), session, "Counted through an outage?")
    reader, _ = follow(app, socket_client, make_user(), session)
    outage.down = True
    for voter in [make_user() for _ in range(3)]:
        assert questions.set_vote(voter, question.id, True) is not None
    assert stored_votes(question.id, 3) == 3
    assert received(reader, "question.voted") == []  # no claim, no stamp: nothing is sent without Redis
    outage.down = False
    payloads = heard(reader, question.id, 3)
    assert [p["stamp"] for p in payloads] == sorted({p["stamp"] for p in payloads})
    assert ended()


@pytest.mark.redis
def test_a_round_that_succeeds_sends_the_waiting_counts_at_once(
    app, socket_client, make_session, make_user, outage, monkeypatch
):
    """Counts waiting for their next try go out with the first round that reaches Redis again."""
    monkeypatch.setattr(votes, "RETRY_FIRST", 600.0)
    monkeypatch.setattr(votes, "RETRY_MAX", 600.0)
    session = make_session()
    first, second = (questions.ask(make_user(), session, f"Question {n}?") for n in (1, 2))
    reader, _ = follow(app, socket_client, make_user(), session)
    outage.down = True
    questions.set_vote(make_user(), first.id, True)
    assert stored_votes(first.id, 1) == 1
    outage.down = False
    questions.set_vote(make_user(), second.id, True)
    heard(reader, second.id, 1)
    heard(reader, first.id, 1, seconds=5)
    assert ended()


def test_a_broadcast_the_message_queue_refused_is_sent_again(
    app, socket_client, make_session, make_user, monkeypatch
):
    """publish() says when Redis did not take the message: the counts are sent again until it does."""
    monkeypatch.setattr(votes, "RETRY_FIRST", 0.05)
    session = make_session()
    question = questions.ask(make_user(), session, "Sent until taken?")
    reader, _ = follow(app, socket_client, make_user(), session)
    attempts = []

    def refused_twice(room, event, data):
        """This process's readers get each copy; the queue takes the third."""
        attempts.append(data["counts"])
        votes_publish(room, event, data)
        return len(attempts) > 2

    votes_publish = votes.publish
    monkeypatch.setattr(votes, "publish", refused_twice)
    questions.set_vote(make_user(), question.id, True)
    assert ended()
    assert attempts == [[{"question_id": question.id, "count": 1}]] * 3
    assert len(received(reader, "question.voted")) == 3


def test_counts_are_tried_again_until_the_database_answers(
    app, socket_client, make_session, make_user, monkeypatch
):
    """However many rounds the database stays away, the count is stored and sent in the end."""
    monkeypatch.setattr(votes, "RETRY_FIRST", 0.01)
    monkeypatch.setattr(votes, "RETRY_MAX", 0.02)
    session = make_session()
    question = questions.ask(make_user(), session, "Stored after nine failed rounds?")
    reader, _ = follow(app, socket_client, make_user(), session)
    failures = []
    recount = votes.recount

    def unreachable_nine_times(question_ids):
        """The database's answer from the tenth round on."""
        if len(failures) < 9:
            failures.append(question_ids)
            raise OperationalError("SELECT", {}, ConnectionError("server closed the connection"))
        return recount(question_ids)

    monkeypatch.setattr(votes, "recount", unreachable_nine_times)
    questions.set_vote(make_user(), question.id, True)
    heard(reader, question.id, 1)
    assert len(failures) == 9 and stored_votes(question.id, 1) == 1
    assert ended()


def test_the_wait_between_tries_doubles_up_to_a_limit_and_ends_with_a_success(app):
    """0.5, 1, 2, 4, then 5 seconds; a round without failure makes whatever waits due at once."""
    coalescer = votes.Coalescer(app)
    waits = []
    for _ in range(6):
        coalescer.retry_later({7: {70}})
        waits.append(coalescer.backoff)
    assert waits == [0.5, 1.0, 2.0, 4.0, 5.0, 5.0]
    assert coalescer.retry == {7: {70}} and coalescer.retry_at > time.monotonic()
    coalescer.retry_later({})
    assert coalescer.backoff == 0 and coalescer.retry_at == 0
    assert coalescer._take() == {7: {70}} and coalescer.retry == {}
