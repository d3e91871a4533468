"""The worker's loop: send the mail outbox and the webhook deliveries, and run the digests, the
retention purge and the pruning of old live-update events on their schedules, until SIGTERM.

Every job is safe on several processes at once: mail and webhook rows are claimed before they are sent
(forum.mail.sender, forum.webhooks.delivery), and a scheduled job's next run is taken by one process
with a conditional UPDATE of its row in `worker_schedule`, so schedules hold across restarts. The clock
and the pause are injected: tests run rounds without waiting.
"""

import logging
import signal
import threading
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from sqlalchemy import or_, update

from forum import logging_setup
from forum.database import insert_ignoring_conflict, utcnow
from forum.extensions import db
from forum.mail import digests, sender
from forum.privacy import retention
from forum.realtime import store
from forum.webhooks import delivery
from forum.worker.models import WorkerSchedule

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    """A job: `run(now)` returns how much it did (a number); `every` None means every round."""

    name: str
    run: object
    every: timedelta | None = None


def _send_mail(now):
    """Send the due mail of the outbox."""
    sent, failed = sender.drain(now)
    return sent + failed


def _send_webhooks(now):
    """Send the due webhook deliveries."""
    return sum(delivery.deliver_due(now))


def _send_digests(now):
    """Queue the daily digests that are due (the mail job sends them)."""
    return digests.send_due(now)


def _purge(now):
    """Delete what is past its retention."""
    return sum(retention.purge(now).values())


def _prune_events(now):
    """Delete the live-update events older than ROOM_EVENT_KEEP_HOURS."""
    keep = timedelta(hours=current_app.config["ROOM_EVENT_KEEP_HOURS"])
    pruned = store.prune(now - keep)
    db.session.commit()
    return pruned


def _count_insights(now):
    """Count the dashboard's past and changed days into its tally (forum.insights.tally)."""
    from forum.insights import tally

    counted = tally.recount(today=now.date())
    db.session.commit()
    return counted


def jobs(config):
    """The worker's jobs, with the schedules from the configuration."""
    return (
        Job("webhooks", _send_webhooks),
        Job("digests", _send_digests, timedelta(minutes=config["WORKER_DIGEST_MINUTES"])),
        Job("mail", _send_mail),
        Job("purge", _purge, timedelta(hours=config["WORKER_PURGE_HOURS"])),
        Job("events", _prune_events, timedelta(minutes=config["WORKER_EVENT_PRUNE_MINUTES"])),
        Job("insights", _count_insights, timedelta(minutes=config["WORKER_INSIGHTS_MINUTES"])),
    )


def take_turn(job, every, now):
    """Whether this process runs scheduled `job` now: true for exactly one process per period."""
    insert_ignoring_conflict(WorkerSchedule, job=job, last_run_at=None)
    taken = db.session.execute(
        update(WorkerSchedule)
        .where(
            WorkerSchedule.job == job,
            or_(WorkerSchedule.last_run_at.is_(None), WorkerSchedule.last_run_at <= now - every),
        )
        .values(last_run_at=now)
    ).rowcount
    db.session.commit()
    return taken == 1


class Worker:
    """Rounds of jobs in an app context; pauses `poll` seconds after a round that found nothing to do."""

    def __init__(self, app, clock=utcnow, sleep=None, job_list=None):
        self.app = app
        self.clock = clock
        self.stopping = threading.Event()
        # The default pause ends at once when a stop is asked.
        self.sleep = sleep or self.stopping.wait
        self.jobs = job_list or jobs(app.config)
        self.poll = app.config["WORKER_POLL_SECONDS"]

    def stop(self, *_signal):
        """Finish the current job, then leave the loop (the SIGTERM and SIGINT handler)."""
        self.stopping.set()

    def run_round(self):
        """Run every job that is due once; returns {job name: amount done} of those that ran."""
        done = {}
        for job in self.jobs:
            if self.stopping.is_set():
                break
            # Each run of a job logs under an id of its own (forum.logging_setup).
            with logging_setup.job_id(), self.app.app_context():
                try:
                    now = self.clock()
                    if job.every is None or take_turn(job.name, job.every, now):
                        done[job.name] = job.run(now)
                # A database or network blip must not end the worker: the next round tries again.
                except Exception:
                    log.exception("worker job %s failed", job.name)
                    db.session.rollback()
                finally:
                    db.session.remove()
        return done

    def run(self, rounds=None):
        """Loop until stopped (or for `rounds` rounds); returns how many rounds ran."""
        count = 0
        while not self.stopping.is_set() and (rounds is None or count < rounds):
            done = self.run_round()
            count += 1
            if not any(done.values()) and not self.stopping.is_set():
                self.sleep(self.poll)
        return count

    def handle_signals(self):
        """Stop cleanly on SIGTERM (a supervisor's stop) and SIGINT; returns the previous handlers."""
        return {sig: signal.signal(sig, self.stop) for sig in (signal.SIGTERM, signal.SIGINT)}
