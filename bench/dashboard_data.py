"""The dashboard benchmark's data: users in every group and region, posts, questions, votes, statements
and Hub entries, written with Core bulk inserts (the figures read only identities, states and times)."""

import random
from datetime import date, timedelta

from sqlalchemy import insert, text

from bench.dataset import BATCH, START

LANGUAGES = ("en", "fr", "es", "ar", "zh", "ru", None)


def _batches(table, rows):
    """Insert `rows` into `table` in batches."""
    from forum.extensions import db

    for first in range(0, len(rows), BATCH):
        db.session.execute(insert(table), rows[first : first + BATCH])
    db.session.commit()


def _users(count, rng):
    """Participants of every stakeholder group from every Member State (and a few without a country)."""
    from forum.accounts.models import STAKEHOLDER_GROUPS
    from forum.insights.regions import region_table

    groups, countries = list(STAKEHOLDER_GROUPS), [*sorted(region_table()), None]
    return [
        {
            "id": n,
            "email": f"user{n}@bench.example.org",
            "name": f"Bench User {n}",
            "handle": f"bench.user{n}",
            "password_hash": "!",
            "role": "participant",
            "status": "pending" if n % 10 == 0 else "verified",
            "stakeholder_group": rng.choice(groups),
            "country": rng.choice(countries),
            "organisation": f"Organisation {n % 40}",
            "session_token": f"token{n}",
            "created_at": START + timedelta(minutes=n),
        }
        for n in range(1, count + 1)
    ]


def _takeaways(count, themes, posts, rng):
    """Published key takeaways spread over the themes, each citing three posts (the report shows them)."""
    from forum.synthesis.models import Citation, Takeaway

    body = "A practice several delegations described, with the conditions they found it needs."
    _batches(
        Takeaway.__table__,
        [
            {"id": t, "theme_id": t % themes + 1, "author_id": 1, "kind": ("best_practice", "lesson_learned",
             "open_question")[t % 3], "title": f"Takeaway {t}", "body": body, "body_html": f"<p>{body}</p>",
             "language": "en", "state": "published", "created_at": START, "updated_at": START,
             "published_at": START}
            for t in range(1, count + 1)
        ],
    )  # fmt: skip
    _batches(
        Citation.__table__,
        [
            {"takeaway_id": t, "kind": "post", "target_id": rng.randrange(1, posts + 1), "position": n}
            for t in range(1, count + 1)
            for n in range(3)
        ],
    )


def load(app, p, seed=2026):
    """Fill the app's empty, migrated database as `p` says; returns the row counts."""
    from forum.demo import THEMES
    from forum.extensions import db
    from forum.hub.models import Contribution, contribution_theme
    from forum.qa.models import (
        AgendaSession,
        Question,
        QuestionVote,
        SpeakerSlot,
        session_theme,
        session_thread,
    )
    from forum.threads.models import Post, Theme, Thread

    rng = random.Random(seed)
    minutes = 30 * 24 * 60  # activity spread over thirty days
    with app.app_context():
        _batches(
            Theme.__table__,
            [
                {"id": i, "slug": slug, "name": name, "description": about, "position": i}
                for i, (slug, name, about) in enumerate(THEMES, start=1)
            ],
        )
        users = _users(p["users"], rng)
        _batches(db.metadata.tables["users"], users)
        who = {u["id"]: (u["stakeholder_group"], u["country"]) for u in users}
        per_thread, threads, posts = 50, [], []
        for t in range(1, p["posts"] // per_thread + 1):
            first = (t - 1) * per_thread + 1
            at = START + timedelta(minutes=rng.randrange(minutes))
            threads.append(
                {
                    "id": t,
                    "theme_id": t % len(THEMES) + 1,
                    "author_id": first % p["users"] + 1,
                    "title": f"Thread {t}",
                    "kind": "discussion",
                    "attribution": "chatham" if t % 6 == 3 else "record",
                    "state": "published",
                    "locked": False,
                    "pinned": False,
                    "created_at": at,
                    "last_activity_at": at,
                    "reply_count": per_thread - 1,
                    "first_post_id": first,
                    "last_post_id": first + per_thread - 1,
                    "language": LANGUAGES[t % len(LANGUAGES)],
                }
            )
        _batches(Thread.__table__, threads)
        for n in range(1, p["posts"] + 1):
            author = n % p["users"] + 1 if n % per_thread == 1 else rng.randrange(1, p["users"] + 1)
            group, country = who[author]
            posts.append(
                {
                    "id": n,
                    "thread_id": (n - 1) // per_thread + 1,
                    "author_id": author,
                    "body": "Bench.",
                    "body_html": "<p>Bench.</p>",
                    "state": "pending" if n % 50 == 7 else "published",
                    "created_at": START + timedelta(minutes=rng.randrange(minutes)),
                    "endorsement_count": 0,
                    "written_group": group,
                    "written_country": country,
                    "language": LANGUAGES[n % len(LANGUAGES)],
                }
            )
        _batches(Post.__table__, posts)
        sessions = p["sessions"]
        _batches(
            AgendaSession.__table__,
            [
                {
                    "id": s,
                    "slug": f"session-{s}",
                    "title": f"Session {s}",
                    "starts_at": START + timedelta(days=s),
                    "ends_at": START + timedelta(days=s, hours=1),
                }
                for s in range(1, sessions + 1)
            ],
        )
        _batches(
            session_theme,
            [{"session_id": s, "theme_id": s % len(THEMES) + 1} for s in range(1, sessions + 1)],
        )
        _batches(
            session_thread,
            [{"session_id": t % sessions + 1, "thread_id": t} for t in range(1, len(threads) + 1, 7)],
        )
        questions = []
        for q in range(1, p["questions"] + 1):
            author = rng.randrange(1, p["users"] + 1)
            at = START + timedelta(minutes=rng.randrange(minutes))
            questions.append(
                {
                    "id": q,
                    "session_id": q % sessions + 1,
                    "author_id": author,
                    "body": "Why?",
                    "anonymous": q % 4 == 0,
                    "state": "dismissed" if q % 20 == 0 else "published",
                    "vote_count": 0,
                    "created_at": at,
                    "answered_at": at if q % 3 == 0 else None,
                    "written_group": who[author][0],
                    "written_country": who[author][1],
                    "language": LANGUAGES[q % len(LANGUAGES)],
                }
            )
        _batches(Question.__table__, questions)
        pairs = set()
        while len(pairs) < p["votes"]:
            pairs.add((rng.randrange(1, p["questions"] + 1), rng.randrange(1, p["users"] + 1)))
        _batches(
            QuestionVote.__table__,
            [
                {
                    "question_id": q,
                    "user_id": u,
                    "created_at": START + timedelta(minutes=rng.randrange(minutes)),
                }
                for q, u in sorted(pairs)
            ],
        )
        _batches(
            SpeakerSlot.__table__,
            [
                {
                    "session_id": s % sessions + 1,
                    "user_id": rng.randrange(1, p["users"] + 1),
                    "on_behalf_of": "Bench",
                    "language": "en",
                    "minutes": 3 + s % 5,
                    "state": "done" if s % 4 else "approved",
                    "position": s,
                    "created_at": START + timedelta(minutes=rng.randrange(minutes)),
                }
                for s in range(1, p["statements"] + 1)
            ],
        )
        _batches(
            Contribution.__table__,
            [
                {
                    "id": c,
                    "submitter_id": rng.randrange(1, p["users"] + 1),
                    "kind": "initiative",
                    "title": f"Entry {c}",
                    "summary": "S.",
                    "description": "D.",
                    "description_html": "<p>D.</p>",
                    "lead_organisation": "Bench",
                    "contact_email": "hub@bench.example.org",
                    "start_date": date(2026, 7, 1),
                    "state": "published",
                    "published_at": START + timedelta(minutes=rng.randrange(minutes)),
                }
                for c in range(1, p["hub"] + 1)
            ],
        )
        _batches(
            contribution_theme,
            [{"contribution_id": c, "theme_id": c % len(THEMES) + 1} for c in range(1, p["hub"] + 1)],
        )
        _takeaways(p["takeaways"], len(THEMES), p["posts"], rng)
        counts = {
            table: db.session.scalar(text(f"SELECT count(*) FROM {table}"))  # noqa: S608 - fixed names
            for table in (
                "users",
                "post",
                "thread",
                "question",
                "question_vote",
                "speaker_slot",
                "hub_contribution",
                "takeaway",
            )
        }
        # Autovacuum would have analysed the new rows within a minute in production.
        db.session.execute(text("ANALYZE"))
        db.session.commit()
        db.session.remove()
    return counts
