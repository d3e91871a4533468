"""`flask forum worker`: rounds of jobs on an injected clock, schedules shared by processes, SIGTERM."""

import os
import signal
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from forum import create_app
from forum.database import utcnow
from forum.extensions import db
from forum.worker.loop import Job, Worker, take_turn
from tests.conftest import make_config

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def backend():
    """SQLite; the claims of several workers on PostgreSQL are in tests/webhooks/test_worker_postgres.py."""
    return "sqlite"


class Clock:
    """A clock the test moves."""

    def __init__(self):
        self.now = utcnow()

    def __call__(self):
        return self.now


def test_every_round_runs_the_unscheduled_jobs_and_the_scheduled_ones_when_due(app):
    clock, ran = Clock(), []
    job_list = (
        Job("often", lambda now: ran.append(("often", now)) or 0),
        Job("daily", lambda now: ran.append(("daily", now)) or 0, timedelta(days=1)),
    )
    worker = Worker(app, clock=clock, sleep=lambda seconds: None, job_list=job_list)
    start = clock.now
    assert worker.run(rounds=2) == 2
    clock.now += timedelta(hours=23)
    worker.run(rounds=1)
    clock.now += timedelta(hours=1)
    worker.run(rounds=1)
    later = start + timedelta(days=1)
    assert [name for name, _now in ran] == ["often", "daily", "often", "often", "often", "daily"]
    assert ran[-1] == ("daily", later)


def test_a_scheduled_job_runs_once_per_period_whatever_the_number_of_workers(app):
    now = utcnow()
    assert take_turn("purge", timedelta(hours=24), now)
    assert not take_turn("purge", timedelta(hours=24), now)
    assert not take_turn("purge", timedelta(hours=24), now + timedelta(hours=23))
    assert take_turn("purge", timedelta(hours=24), now + timedelta(hours=24))


def test_a_failing_job_is_logged_and_the_others_still_run(app, caplog):
    ran = []

    def broken(now):
        raise RuntimeError("database blip")

    job_list = (Job("broken", broken), Job("fine", lambda now: ran.append(now) or 1))
    worker = Worker(app, sleep=lambda seconds: None, job_list=job_list)
    assert worker.run_round() == {"fine": 1}
    assert "worker job broken failed" in caplog.text


def test_it_pauses_only_after_a_round_with_nothing_to_do(app):
    pauses, work = [], [3, 0, 0]
    worker = Worker(app, sleep=pauses.append, job_list=(Job("outbox", lambda now: work.pop(0)),))
    worker.run(rounds=3)
    assert pauses == [app.config["WORKER_POLL_SECONDS"]] * 2


def test_sigterm_ends_the_loop_cleanly(app):
    calls = []

    def pause(seconds):
        # The supervisor stops the worker while it waits.
        os.kill(os.getpid(), signal.SIGTERM)

    worker = Worker(app, sleep=pause, job_list=(Job("outbox", lambda now: calls.append(now) or 0),))
    previous = worker.handle_signals()
    try:
        assert worker.run() == 1
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    assert len(calls) == 1


def test_the_default_jobs_send_mail_and_webhooks_and_keep_the_schedules(app):
    worker = Worker(app, sleep=lambda seconds: None)
    assert [job.name for job in worker.jobs] == ["webhooks", "digests", "mail", "purge", "events", "insights"]
    assert worker.run_round() == {
        "webhooks": 0,
        "digests": 0,
        "mail": 0,
        "purge": 0,
        "events": 0,
        "insights": 0,
    }
    assert worker.run_round() == {"webhooks": 0, "mail": 0}


def test_the_one_shot_command_sends_the_due_webhooks(runner):
    result = runner.invoke(args=["forum", "send-webhooks"])
    assert result.exit_code == 0
    assert "Webhooks delivered: 0; not delivered: 0." in result.output


def test_the_command_runs_until_sigterm_then_exits_cleanly(tmp_path):
    """`flask --app wsgi forum worker` on the embedded default's SQLite file, stopped as systemd stops it."""
    application = create_app(make_config(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'forum.db'}"))
    with application.app_context():
        db.create_all()
        db.engine.dispose()
    env = {key: value for key, value in os.environ.items() if key not in ("DATABASE_URL", "FORUM_ENV")}
    env |= {
        "FORUM_INSTANCE_PATH": str(tmp_path),
        "WORKER_POLL_SECONDS": "0.1",
        "MAIL_OUTBOX_DIR": str(tmp_path),
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "wsgi", "forum", "worker"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        started = process.stdout.readline()
        assert started.startswith("Worker started: webhooks, digests, mail, purge, events, insights.")
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=30)
    finally:
        process.kill()
    assert process.returncode == 0, err
    assert out.startswith("Worker stopped after ")
    assert "failed" not in err
