"""Vote counts: stored and broadcast a moment after the votes, at most four times a second per session.

A committed vote marks its question dirty in this process. A background task, started on demand and ending
when nothing is left to do, wakes every 0.3 seconds, recomputes the exact counts of the dirty
questions from question_vote, stores them in question.vote_count and broadcasts them in one
`question.voted` per session. Votes thus never wait on a popular question's row, however many arrive.
With several server processes (production, Redis), a short Redis lock per session lets only one of them
broadcast in each round; the others keep their marks for the next round, so the last broadcast
always carries the final count. A session with a large audience hears its counts less often (spacing()).

Votes are stored and acknowledged whatever happens to Redis. Counts that could not be stored or sent (Redis
or the database unreachable) are tried again, waiting longer after each failure, until they are; without
Redis they are still stored. forum.qa.reconcile checks now and then that no count was left behind.
"""

import logging
import threading
import time
import uuid

import redis
from flask import current_app
from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import aliased

from forum.deployment import key
from forum.extensions import db, socketio
from forum.qa.models import Question, QuestionVote
from forum.realtime import presence
from forum.realtime.publish import publish

INTERVAL = 0.3
# Across processes a session's broadcasts are at least this far apart. Readers must never see more
# than four in a second: at 250/280 ms, delivery jitter under load let one see five (bench/vote_storm.py);
# at 300/330 ms, five would need a broadcast delayed by a third of a second relative to the next ones.
LOCK_MS = 330
# A broadcast costs a message per reader, and a thousand readers' messages took ~0.1 s of a process on two
# cores, during which its votes waited (bench/vote_storm.py). A session's counts are spaced so that they
# cost at most this many messages a second: 2,000 readers hear them every second, 600 every 330 ms.
MESSAGES_PER_S = 2000
# The longest a process may hold a session's claim while it counts and broadcasts.
LEASE_MS = 5000
# Counts that failed are tried again this long after, then twice as long after each failed round, up to
# RETRY_MAX: Redis restarting takes seconds, and a try costs little.
RETRY_FIRST = 0.5
RETRY_MAX = 5.0
log = logging.getLogger(__name__)


class Coalescer:
    """One process's dirty questions per session, and whether its flushing task runs."""

    def __init__(self, app):
        self.app = app
        self.lock = threading.Lock()
        self.dirty = {}
        self.running = False
        # Questions whose counts were not stored or not sent, by session, and when to try them again.
        self.retry = {}
        self.retry_at = 0.0
        self.backoff = 0.0
        self.stamps = {}
        self.sessions = {}
        self.not_before = {}
        url = app.config.get("REDIS_URL")
        self.redis = redis.Redis.from_url(url) if url else None

    def mark(self, session_id, question_id):
        """Remember a changed count; start the flushing task unless it runs."""
        with self.lock:
            self.dirty.setdefault(session_id, set()).add(question_id)
            if self.running:
                return
            self.running = True
        socketio.start_background_task(self.loop)

    def loop(self):
        """Flush every INTERVAL until nothing is left to send, nor to try again."""
        while True:
            socketio.sleep(INTERVAL)
            batch = self._take()
            if batch is None:
                return
            if not batch:  # only retries wait, not due yet
                continue
            try:
                with self.app.app_context():
                    self.flush(batch)
            except Exception:  # the task must outlive anything: were it to end, no count would follow
                log.exception("vote count round failed")
                self.retry_later(batch)

    def _take(self):
        """The dirty questions, and those due to be tried again; None (the task ends) when none are left."""
        with self.lock:
            batch, self.dirty = self.dirty, {}
            if self.retry and time.monotonic() >= self.retry_at:
                for session_id, question_ids in self.retry.items():
                    batch.setdefault(session_id, set()).update(question_ids)
                self.retry = {}
            if not batch and not self.retry:
                self.running = False
                return None
            return batch

    def wait(self, seconds):
        """Wait up to `seconds` until nothing is left to send (the CLI); True when nothing is."""
        deadline = time.monotonic() + seconds
        while self.running and time.monotonic() < deadline:
            socketio.sleep(INTERVAL)
        return not self.running

    def _claim(self, session_id):
        """A token when this process may store and broadcast the session's counts now, else None.

        The Redis key is held while this process counts and broadcasts (at most LEASE_MS), then kept
        until spacing() after the claim: broadcasts of one session are spaced, and go out in the order
        of their counts, whichever process sends them.
        """
        if self.redis is None:
            return "local" if time.monotonic() >= self.not_before.get(session_id, 0) else None
        token = uuid.uuid4().hex
        claimed = self.redis.set(key("qa", "votes", session_id), token, nx=True, px=LEASE_MS)
        return token if claimed else None

    def _release(self, session_id, token, claimed_at, spacing_ms):
        """Keep the claim until `spacing_ms` after it was made, or end it now when that time has passed."""
        if self.redis is None:
            self.not_before[session_id] = claimed_at + spacing_ms / 1000
            return
        claim_key = key("qa", "votes", session_id)
        try:
            if self.redis.get(claim_key) != token.encode():
                return
            left = spacing_ms - int((time.monotonic() - claimed_at) * 1000)
            if left > 0:
                self.redis.pexpire(claim_key, left)
            else:
                self.redis.delete(claim_key)
        except redis.RedisError:  # gone since the claim: the claim ends by itself after LEASE_MS
            log.warning("vote count claim of session %s not released", session_id)

    def flush(self, batch):
        """Store and broadcast the exact counts of each session's dirty questions; failures go again."""
        failed = {}
        for session_id, question_ids in batch.items():
            try:
                done = self._flush_session(session_id, question_ids)
            except Exception:  # Redis or the database unreachable: the votes are stored, their counts follow
                db.session.rollback()
                log.warning("vote counts of session %s not stored or not sent", session_id, exc_info=True)
                done = False
            if not done:
                failed[session_id] = question_ids
        self.retry_later(failed)

    def _flush_session(self, session_id, question_ids):
        """Recount, store and broadcast one session's dirty questions; False when the broadcast failed."""
        claimed_at = time.monotonic()
        try:
            token = self._claim(session_id)
        except redis.RedisError:
            # Without Redis there is no claim and no broadcast, but the stored counts can still be made
            # exact (a recount locks its rows and is exact whoever runs it) for the pages read meanwhile.
            recount(question_ids)
            db.session.commit()
            raise
        if token is None:
            self.requeue(session_id, question_ids)
            return True
        spacing_ms = LOCK_MS
        try:
            spacing_ms = spacing(presence.count(f"session:{session_id}"))
            counts = recount(question_ids)
            db.session.commit()
            data = [{"question_id": qid, "count": count} for qid, count in sorted(counts.items())]
            payload = {"session_id": session_id, "counts": data, "stamp": self._stamp(session_id)}
            return publish(f"session:{session_id}", "question.voted", payload)
        finally:
            self._release(session_id, token, claimed_at, spacing_ms)

    def _stamp(self, session_id):
        """A number that grows with each broadcast of the session, whichever process sends it.

        Taken while holding the session's claim, so it follows the order of the recounts. Under load
        one process's broadcast can reach readers of another after a newer one; readers keep the
        counts of the highest stamp. Stamps start from the clock in milliseconds, so that they keep
        growing across a restart of the process or of Redis (broadcasts are 330 ms apart at least).
        """
        now = int(time.time() * 1000)
        if self.redis is None:
            self.stamps[session_id] = max(self.stamps.get(session_id, 0) + 1, now)
            return self.stamps[session_id]
        stamp_key = key("qa", "votes", "stamp", session_id)
        self.redis.set(stamp_key, now, nx=True)
        return self.redis.incr(stamp_key)

    def current_stamp(self, session_id):
        """The stamp of the session's latest broadcast, without making one; 0 before any."""
        if self.redis is None:
            return self.stamps.get(session_id, 0)
        return int(self.redis.get(key("qa", "votes", "stamp", session_id)) or 0)

    def requeue(self, session_id, question_ids):
        """Keep marks for the next round (another process broadcast this round)."""
        with self.lock:
            self.dirty.setdefault(session_id, set()).update(question_ids)

    def retry_later(self, failed):
        """Keep the failed sessions' questions for a later round, waiting twice as long after each failure.

        A round without failure shows that Redis and the database answer again: whatever waits goes next.
        """
        with self.lock:
            if not failed:
                self.backoff = self.retry_at = 0.0
                return
            for session_id, question_ids in failed.items():
                self.retry.setdefault(session_id, set()).update(question_ids)
            self.backoff = min(RETRY_MAX, self.backoff * 2 or RETRY_FIRST)
            self.retry_at = time.monotonic() + self.backoff


def spacing(readers):
    """Milliseconds between two count broadcasts of a session read by `readers` (None: not known)."""
    return max(LOCK_MS, (readers or 0) * 1000 // MESSAGES_PER_S)


def voters_of(question_id):
    """How many people voted for a question or for a duplicate merged into it, each counted once."""
    asked = aliased(Question)
    return (
        select(func.count(func.distinct(QuestionVote.user_id)))
        .join(asked, asked.id == QuestionVote.question_id)
        .where(or_(asked.id == question_id, asked.merged_into_id == question_id))
        .scalar_subquery()
    )


def recount(question_ids):
    """Store the exact counts of these questions (duplicates count for what they were merged into).

    The rows are locked first, in id order, and counted in the next statement, whose snapshot then holds
    every vote committed before the lock: the last recount of a question is always exact. The lock is
    FOR NO KEY UPDATE: it keeps recounts apart but not votes, whose foreign key check takes KEY SHARE
    (FOR UPDATE held every vote on the questions until the commit). Returns {question id: count};
    the caller commits.
    """
    found = db.session.execute(
        select(Question.id, Question.merged_into_id).where(Question.id.in_(set(question_ids)))
    ).all()
    ids = sorted({merged_into or qid for qid, merged_into in found})
    db.session.execute(
        select(Question.id).where(Question.id.in_(ids)).order_by(Question.id).with_for_update(key_share=True)
    )
    db.session.execute(
        update(Question).where(Question.id.in_(ids)).values(vote_count=voters_of(Question.id)),
        execution_options={"synchronize_session": False},
    )
    return dict(
        db.session.execute(select(Question.id, Question.vote_count).where(Question.id.in_(ids))).all()
    )


_made = threading.Lock()


def coalescer():
    """This app's coalescer, made on first use."""
    app = current_app._get_current_object()
    with _made:
        if "qa_votes" not in app.extensions:
            app.extensions["qa_votes"] = Coalescer(app)
    return app.extensions["qa_votes"]


# Questions remembered per process; beyond this the memory starts again (a session has a few hundred).
SESSIONS_KEPT = 10_000


def session_of(question_id):
    """The session a question belongs to, or None when there is no such question.

    A question never moves to another session, so each process remembers the answer: a vote then costs
    no read of the question (the vote's own statement checks its state).
    """
    known = coalescer().sessions
    session_id = known.get(question_id)
    if session_id is None:
        session_id = db.session.scalar(select(Question.session_id).where(Question.id == question_id))
        if session_id is not None:
            if len(known) >= SESSIONS_KEPT:
                known.clear()
            known[question_id] = session_id
    return session_id


def store_now(question_id):
    """Store one question's exact count at once: the page that follows a vote without JavaScript shows it."""
    recount([question_id])
    db.session.commit()


def changed(session_id, question_id):
    """A question's vote count changed (after commit): it will be broadcast within INTERVAL."""
    coalescer().mark(session_id, question_id)
