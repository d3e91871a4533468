"""vote_storm: thousands of participants in one session's room while hundreds vote every second.

The production stack (gunicorn, two gevent workers, PostgreSQL, the Redis message queue) serves a session
with open Q&A. 2,000 Socket.IO clients follow the session's room: 1,800 anonymous readers and 200 signed-in
voters. The voters send 200 `question.vote` events a second for 30 seconds, spread evenly, each voter
voting once per question. Measured: the acknowledgement time of every vote, votes acknowledged but not in
the database (`lost_votes`), the count broadcasts one reader receives per second, and whether the last
broadcast of each question equals its count in the database.

The readers live in a load-client process of their own (bench/sio_clients.py): in the voters' process,
handling 1,800 copies of each broadcast held every acknowledgement that arrived meanwhile (some 60 ms
on two cores), so the harness measured itself.
"""

import asyncio
import os
import resource
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from bench.common import latency_summary
from bench.dataset import migrate, postgres_database
from bench.fanout import readers
from bench.server import USER_AGENT, cpu_seconds, gunicorn, machine_cpu, server_env
from bench.sio_raw import Client

NAME = "vote_storm"
FULL = {"readers": 1800, "voters": 200, "questions": 30, "seconds": 30}
SMOKE = {"readers": 40, "voters": 10, "questions": 3, "seconds": 3}
# Two gevent processes share the session's room through the Redis message queue (as production scales out).
WORKERS = 2
GOALS = {"lost_votes": 0, "count_broadcasts_per_s": 4, "p99_ms": 100}
SECRET = "vote-storm-bench-secret"  # noqa: S105 - a throwaway benchmark key
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")
VOTED_EVENT = "question.voted"


def build(url, p):
    """Voters, one open session and its questions, written straight into the migrated database."""
    from sqlalchemy import insert

    from bench.dataset import bench_app
    from forum.accounts.models import User
    from forum.accounts.security_models import UserSession
    from forum.database import utcnow
    from forum.extensions import db
    from forum.qa.models import AgendaSession, Question

    app = bench_app(url)
    groups = ("member_state", "civil_society", "academia", "private_sector", "technical_community")
    with app.app_context():
        rows = [
            {
                "email": f"voter{i}@bench.example.org",
                "name": f"Voter {i}",
                "handle": f"voter{i}",
                "password_hash": "!",
                "role": "participant",
                "status": "verified",
                "stakeholder_group": groups[i % len(groups)],
                "organisation": "Bench Organisation",
                "session_token": f"token{i}",
            }
            for i in range(p["voters"] + 1)
        ]
        db.session.execute(insert(User.__table__), rows)
        now = utcnow()
        session = AgendaSession(
            slug="storm",
            title="Vote storm",
            room="Palexpo, Hall A",
            starts_at=now,
            ends_at=now + timedelta(hours=2),
            qa_state="open",
        )
        db.session.add(session)
        db.session.flush()
        users = db.session.query(User.id, User.session_token).order_by(User.id).all()
        asker = users[0][0]
        db.session.add_all(
            Question(session_id=session.id, author_id=asker, body=f"Question {n}?", written_group=groups[0])
            for n in range(p["questions"])
        )
        db.session.commit()
        questions = [q.id for q in db.session.query(Question.id).order_by(Question.id)]
        voters = [f"{uid}:{token}" for uid, token in users[1:]]
        # Each voter's sign-in as the form records it: load_user accepts a session only with its open row.
        db.session.execute(
            insert(UserSession.__table__),
            [
                {"id": session_row(voter), "user_id": uid, "created_at": now, "last_seen_at": now,
                 "ip": "127.0.0.1", "user_agent": USER_AGENT}
                for voter, (uid, _token) in zip(voters, users[1:], strict=True)
            ],
        )  # fmt: skip
        db.session.commit()
        session_id = session.id
        db.session.remove()
        db.engine.dispose()
    return session_id, questions, voters


def session_row(user_id):
    """The id of the voter's session row (build writes it; the cookie carries it)."""
    return f"bench-{user_id.split(':')[0]}"


def cookie(user_id):
    """A signed Flask session cookie for a user, as signing in through the form would have set it.

    It carries the sign-in time, the session row's id and Flask-Login's session identifier for the
    clients' address and User-Agent: without the time or the row the session counts as ended; without
    the identifier, the server would mark the session non-fresh and write a new cookie on every event,
    as no browser that signed in makes it do.
    """
    from flask import Flask
    from flask.sessions import SecureCookieSessionInterface
    from flask_login.utils import _create_identifier

    from forum.accounts import sessions

    # Signed in just now, as forum.accounts.sessions.start dates a session: an undated one is ended.
    now = sessions.clock()
    dated = {sessions.SIGNED_IN: now, sessions.SEEN: now, sessions.SESSION_ID: session_row(user_id)}
    app = Flask(__name__)
    app.secret_key = SECRET
    with app.test_request_context(
        headers={"User-Agent": USER_AGENT}, environ_base={"REMOTE_ADDR": "127.0.0.1"}
    ):
        identifier = _create_identifier()
    value = (
        SecureCookieSessionInterface()
        .get_signing_serializer(app)
        .dumps({"_user_id": user_id, "_fresh": True, "_id": identifier, **dated})
    )
    return f"session={value}"


def final_counts(url, questions):
    """question id -> (vote_count, rows in question_vote), read from the database after the storm."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.connect() as conn:
        counts = dict(conn.execute(text("SELECT id, vote_count FROM question")).all())
        rows = dict(
            conn.execute(text("SELECT question_id, count(*) FROM question_vote GROUP BY question_id")).all()
        )
    engine.dispose()
    return {q: (counts[q], rows.get(q, 0)) for q in questions}


def stored_pairs(url):
    """Every (question id, user id) vote in the database."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.connect() as conn:
        pairs = set(conn.execute(text("SELECT question_id, user_id FROM question_vote")).all())
    engine.dispose()
    return pairs


async def settled(observer, url, questions, seconds=30):
    """Wait until the observer's newest broadcast of each question shows the number of votes stored.

    The counts are read again each time: after a storm the server may still be working through votes
    it received, and a count read once would be met by a broadcast that is not the last.
    """
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        counts = final_counts(url, questions)
        last = latest(observer.broadcasts)
        if all(last.get(q) == count == rows for q, (count, rows) in counts.items()):
            return
        await asyncio.sleep(0.2)


def latest(broadcasts):
    """question id -> the count of its newest broadcast, by stamp (arrival order may differ under load)."""
    last = {}
    for _moment, payload in sorted(broadcasts, key=lambda pair: pair[1]["stamp"]):
        for entry in payload["counts"]:
            last[entry["question_id"]] = entry["count"]
    return last


async def storm(base, room, questions, voters, p, url, crowd):
    """Connect the voters and one observing reader, run the votes; acknowledgements and broadcasts.

    `crowd` holds the other readers in their own process; it counts what they receive meanwhile.
    """
    host, port = base.removeprefix("http://").split(":")
    port = int(port)
    observer = Client(host, port, parse=True)
    voting = [Client(host, port, cookie(v)) for v in voters]
    started = time.perf_counter()
    clients = [observer, *voting]
    for batch in range(0, len(clients), 100):
        await asyncio.gather(*(c.start(room) for c in clients[batch : batch + 100]))
    setup_s = time.perf_counter() - started
    acks, refused, accepted = [], [], set()

    async def voter(index, client):
        """One voter: a vote a second, each on the next question, offset so the load is even."""
        await asyncio.sleep(index / len(voting))
        for n in range(p["seconds"]):
            question = questions[n % len(questions)]
            sent = time.perf_counter()
            try:
                reply = await client.call("question.vote", {"question_id": question, "vote": True})
            except TimeoutError:
                reply = {"error": "no acknowledgement within 30 s"}
            acks.append(time.perf_counter() - sent)
            if reply.get("ok"):
                accepted.add((question, int(voters[index].split(":")[0])))
            else:
                refused.append(reply.get("error"))
            await asyncio.sleep(max(0.0, index / len(voting) + n + 1 - (time.perf_counter() - t0)))

    crowd.command(f"arm {VOTED_EVENT}")
    server_before, machine_before = cpu_seconds(port), machine_cpu()
    t0 = time.perf_counter()
    await asyncio.gather(*(voter(i, c) for i, c in enumerate(voting)))
    duration = time.perf_counter() - t0
    cpu = cpu_use(len(acks), cpu_seconds(port) - server_before, machine_before, machine_cpu())
    await settled(observer, url, questions)
    heard = crowd.command("collect 0")
    disconnected = sum(1 for c in clients if c.lost) + sum(answer["lost"] for answer in heard)
    for client in clients:
        client.close()
    return {
        "acks": acks,
        "accepted": accepted,
        "refused": refused,
        "duration_s": duration,
        "setup_s": setup_s,
        "broadcasts": observer.broadcasts,
        "fewest_per_reader": min(len(observer.broadcasts), *(answer["fewest"] for answer in heard)),
        "disconnected": disconnected,
        "readers_subscribed": crowd.subscribed + 1,
        "cpu": cpu,
    }


def cpu_use(votes, server_s, before, after):
    """CPU spent per vote during the storm by the server processes and by the whole machine.

    The machine's figure includes PostgreSQL, Redis and this load generator; `stolen_share` is the
    part of the time the hypervisor gave to other machines. Runs on this shared VM vary with both.
    """
    busy, stolen, total = (b - a for a, b in zip(before, after, strict=True))
    return {
        "server_ms_per_vote": round(server_s * 1000 / max(votes, 1), 2),
        "machine_ms_per_vote": round(busy / os.sysconf("SC_CLK_TCK") * 1000 / max(votes, 1), 2),
        "machine_busy_share": round(busy / max(total, 1), 3),
        "stolen_share": round(stolen / max(total, 1), 3),
    }


def per_second(times):
    """The most broadcasts seen within any one second, and the mean rate over the storm."""
    times = sorted(times)
    most, start = 0, 0
    for end, moment in enumerate(times):
        while moment - times[start] >= 1.0:
            start += 1
        most = max(most, end - start + 1)
    span = (times[-1] - times[0]) if len(times) > 1 else 1.0
    return most, (len(times) - 1) / max(span, 1.0)


def run(smoke=False):
    """Build the data, serve the production stack, run the storm; the result dictionary."""
    p = SMOKE if smoke else FULL
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    began = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="forum-bench-") as tmp, postgres_database() as url:
        env = {**server_env(Path(tmp)), "DATABASE_URL": url, "SECRET_KEY": SECRET, "REDIS_URL": REDIS_URL}
        env["FORUM_ENV"] = "production"
        migrate(env)
        session_id, questions, voters = build(url, p)
        options = ("--worker-connections", str(p["readers"] + p["voters"] + 500))
        log = Path(tmp) / "forum.log"
        room = f"session:{session_id}"
        with (
            gunicorn("wsgi:app", env, log, WORKERS, probe="/login", options=options) as base,
            readers(room, p["readers"] - 1, [base], 1, tmp) as crowd,
        ):
            try:
                figures = asyncio.run(storm(base, room, questions, voters, p, url, crowd))
            except Exception:
                print(log.read_text()[-3000:], flush=True)
                raise
        counts = final_counts(url, questions)
        pairs = stored_pairs(url)
        errors = [line for line in log.read_text().splitlines() if "Error" in line or "failed" in line]
    stored = sum(rows for _count, rows in counts.values())
    last = latest(figures["broadcasts"])
    mismatches = {
        q: {"stored": count, "votes": rows, "last_broadcast": last.get(q)}
        for q, (count, rows) in counts.items()
        if not count == rows == last.get(q)
    }
    exact = not mismatches
    most, mean = per_second([moment for moment, _payload in figures["broadcasts"]])
    latency = latency_summary(figures["acks"])
    # Acknowledged votes missing from the database, pair by pair (a vote whose acknowledgement timed
    # out may still be stored, so a difference of totals could hide a loss).
    lost = len(figures["accepted"] - pairs)
    return {
        "name": NAME,
        "metric": "p99 vote acknowledgement (ms) during the storm, against the 100 ms goal",
        "value": latency["p99_ms"],
        "baseline": GOALS["p99_ms"],
        "baseline_kind": "goal",
        "ratio": round(latency["p99_ms"] / GOALS["p99_ms"], 4),
        "unit": "ms",
        "p50_ms": latency["p50_ms"],
        "p99_ms": latency["p99_ms"],
        "ack": latency,
        "lost_votes": lost,
        "refused_votes": len(figures["refused"]),
        "votes_sent": len(figures["acks"]),
        "votes_stored": stored,
        "votes_per_s": round(len(figures["acks"]) / figures["duration_s"], 1),
        "final_counts_exact": exact,
        "mismatches": mismatches,
        "server_errors": errors[-20:],
        "count_broadcasts_per_s": most,
        "count_broadcasts_mean_per_s": round(mean, 2),
        "broadcasts_seen": len(figures["broadcasts"]),
        "broadcasts_per_reader_min": figures["fewest_per_reader"],
        "disconnected_clients": figures["disconnected"],
        "cpu": figures["cpu"],
        "goals": GOALS,
        "goals_met": {
            "lost_votes": lost == 0 and exact,
            "count_broadcasts_per_s": most <= GOALS["count_broadcasts_per_s"],
            "p99_ms": latency["p99_ms"] < GOALS["p99_ms"],
        },
        "setup": {
            "server": f"gunicorn --worker-class gevent --workers {WORKERS} {' '.join(options)}",
            "database": "PostgreSQL (fresh database, migrated), Redis message queue and rate limits",
            "clients": (
                f"{p['readers']} anonymous readers ({p['readers'] - 1} in a load-client process of their own)"
                f" + {p['voters']} signed-in voters, raw websockets"
            ),
            "readers_subscribed": figures["readers_subscribed"],
            "questions": p["questions"],
            "seconds": p["seconds"],
            "connect_s": round(figures["setup_s"], 1),
        },
        "smoke": smoke,
        "elapsed_s": round(time.perf_counter() - began, 1),
    }


def summary(result):
    """One line: lost votes, exactness, broadcast rate and acknowledgement latency."""
    return (
        f"vote_storm: {result['votes_sent']} votes at {result['votes_per_s']}/s, "
        f"lost {result['lost_votes']}, "
        f"final counts exact: {result['final_counts_exact']}, count broadcasts <= "
        f"{result['count_broadcasts_per_s']}/s, ack p50 {result['p50_ms']} ms, p99 {result['p99_ms']} ms, "
        f"CPU per vote {result['cpu']['server_ms_per_vote']} ms server, "
        f"{result['cpu']['machine_ms_per_vote']} ms machine"
    )
