"""Old room events are pruned by the worker; a client asking for pruned ones is told to resync."""

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from forum.database import utcnow
from forum.extensions import db
from forum.realtime.models import Event
from forum.worker.loop import Worker
from tests.conftest import Auth


class Clock:
    """A clock the test moves."""

    def __init__(self):
        self.now = utcnow()

    def __call__(self):
        return self.now


def _age(room, seqs, hours):
    """Make the given events of `room` look `hours` old."""
    when = utcnow() - timedelta(hours=hours)
    db.session.execute(update(Event).where(Event.room == room, Event.seq.in_(seqs)).values(created_at=when))
    db.session.commit()


def _kept(room):
    """The numbers of the events of `room` still stored."""
    return db.session.scalars(select(Event.seq).where(Event.room == room).order_by(Event.seq)).all()


def _prune_job(app, clock):
    """The worker with its event-pruning job alone."""
    worker = Worker(app, clock=clock, sleep=lambda seconds: None)
    worker.jobs = [job for job in worker.jobs if job.name == "events"]
    return worker


@pytest.fixture
def reader(socket_client, client, participant):
    """A signed-in participant's socket."""
    Auth(client).login(participant)
    return socket_client(client)


def test_the_worker_prunes_only_events_older_than_the_setting(app, make_thread, make_post):
    thread = make_thread()
    room = f"thread:{thread.id}"
    for _ in range(4):
        make_post(thread)
    keep = app.config["ROOM_EVENT_KEEP_HOURS"]
    _age(room, [1, 2], keep + 1)
    _age(room, [3], keep - 2)
    clock = Clock()
    assert _prune_job(app, clock).run_round() == {"events": 2}
    assert _kept(room) == [3, 4]
    # Scheduled: the next run waits WORKER_EVENT_PRUNE_MINUTES.
    assert _prune_job(app, clock).run_round() == {}
    clock.now += timedelta(minutes=app.config["WORKER_EVENT_PRUNE_MINUTES"])
    assert _prune_job(app, clock).run_round() == {"events": 0}


def test_numbers_go_on_after_pruning(app, make_thread, make_post):
    thread = make_thread()
    room = f"thread:{thread.id}"
    make_post(thread)
    _age(room, [1], app.config["ROOM_EVENT_KEEP_HOURS"] + 1)
    _prune_job(app, Clock()).run_round()
    make_post(thread)
    assert _kept(room) == [2]


def test_catching_up_from_before_the_oldest_kept_event_answers_resync(app, reader, make_thread, make_post):
    thread = make_thread()
    room = f"thread:{thread.id}"
    for _ in range(4):
        make_post(thread)
    _age(room, [1, 2], app.config["ROOM_EVENT_KEEP_HOURS"] + 1)
    _prune_job(app, Clock()).run_round()
    reply = reader.emit("subscribe", {"room": room, "since": 1}, callback=True)
    assert reply == {"ok": True, "room": room, "last": 4}
    names = [e["name"] for e in reader.get_received() if e["name"] != "presence"]
    assert names == ["resync"]


def test_catching_up_from_the_oldest_kept_event_replays(app, reader, make_thread, make_post):
    thread = make_thread()
    room = f"thread:{thread.id}"
    for _ in range(4):
        make_post(thread)
    _age(room, [1, 2], app.config["ROOM_EVENT_KEEP_HOURS"] + 1)
    _prune_job(app, Clock()).run_round()
    reader.emit("subscribe", {"room": room, "since": 2}, callback=True)
    replayed = [(e["name"], e["args"][0]["id"]) for e in reader.get_received() if e["name"] != "presence"]
    assert replayed == [("post.created", 3), ("post.created", 4)]


def test_when_every_missed_event_is_pruned_the_client_resyncs(app, reader, make_thread, make_post):
    thread = make_thread()
    room = f"thread:{thread.id}"
    for _ in range(2):
        make_post(thread)
    _age(room, [1, 2], app.config["ROOM_EVENT_KEEP_HOURS"] + 1)
    _prune_job(app, Clock()).run_round()
    reader.emit("subscribe", {"room": room, "since": 0}, callback=True)
    assert [e["name"] for e in reader.get_received() if e["name"] != "presence"] == ["resync"]
