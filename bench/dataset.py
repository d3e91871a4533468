"""Databases for the benchmarks: migrated like production, then filled fast with Core bulk inserts."""

import os
import subprocess
import time
import uuid
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

from sqlalchemy import create_engine, insert, text
from sqlalchemy.engine import make_url

from bench.common import ROOT
from bench.corpus import TextGenerator
from bench.server import BIN

PG_ADMIN_URL = os.environ.get(
    "BENCH_DATABASE_URL",
    os.environ.get("TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"),
)
START = datetime(2026, 6, 1, 8, 0, tzinfo=UTC)
BATCH = 5_000
GROUPS = ("member_state", "civil_society", "academia", "private_sector", "technical_community", "un_entity")


def migrate(env):
    """`flask --app wsgi db upgrade` with `env`: the schema, search index and triggers of production."""
    command = [str(BIN / "flask"), "--app", "wsgi", "db", "upgrade"]
    subprocess.run(command, cwd=ROOT, env=env, check=True, capture_output=True)


def bench_app(uri):
    """The forum app on `uri`, with the embedded default's settings and nothing written to instance/."""
    from config import Config
    from forum import create_app

    settings = {
        "SQLALCHEMY_DATABASE_URI": uri,
        "SECRET_KEY": "bench",
        "prepare": classmethod(lambda cls, app: None),
    }
    return create_app(type("BenchConfig", (Config,), settings))


@contextmanager
def postgres_database():
    """A fresh database on the PostgreSQL server, dropped afterwards; yields its URL."""
    name = f"forum_bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        yield make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _users(count):
    """Rows of `count` verified participants; their password hash matches no password."""
    return [
        {
            "id": i,
            "email": f"user{i}@bench.example.org",
            "name": f"Bench User {i}",
            "handle": f"bench.user{i}",
            "password_hash": "!",
            "role": "participant",
            "status": "verified",
            "stakeholder_group": _identity(i)["written_group"],
            "country": _identity(i)["written_country"],
            "organisation": f"Organisation {i % 40}",
            "session_token": f"token{i}",
            "created_at": START,
        }
        for i in range(1, count + 1)
    ]


def _identity(user_id):
    """The group and country a post of user `user_id` (a row of `_users`) records."""
    group = GROUPS[user_id % len(GROUPS)]
    return {"written_group": group, "written_country": "CH" if group == "member_state" else None}


def _threads(count, per_thread, users, gen):
    """Rows of `count` published threads whose posts will be ids (t-1)*per_thread+1 .. t*per_thread."""
    from forum.threads.models import THREAD_KINDS

    kinds = list(THREAD_KINDS)
    rows = []
    for t in range(1, count + 1):
        first = (t - 1) * per_thread + 1
        rows.append(
            {
                "id": t,
                "theme_id": t % 7 + 1,
                "author_id": first % users + 1,
                "title": gen.title(),
                "kind": kinds[t % len(kinds)],
                "attribution": "record",
                "state": "published",
                "locked": False,
                "pinned": False,
                "created_at": _stamp(first),
                "last_activity_at": _stamp(first + per_thread - 1),
                "reply_count": per_thread - 1,
                "first_post_id": first,
                "last_post_id": first + per_thread - 1,
            }
        )
    return rows


def _stamp(post_id):
    """A creation time that grows with the post id, one post every 30 seconds."""
    return START + timedelta(seconds=30 * post_id)


def load_posts(app, total, per_thread=50, users=300, seed=None):
    """Fill the app's empty database with `total` published posts; returns the figures of the load.

    Threads go in first with their first_post_id set, so the insert trigger files each thread's
    title with its first post: the search index fills itself, as it would in production.
    """
    from forum.accounts.models import User
    from forum.demo import THEMES
    from forum.extensions import db
    from forum.threads.models import Post, Theme, Thread

    gen = TextGenerator() if seed is None else TextGenerator(seed)
    started = time.perf_counter()
    with app.app_context():
        themes = [
            {"id": i, "slug": slug, "name": name, "description": about, "position": i}
            for i, (slug, name, about) in enumerate(THEMES, start=1)
        ]
        db.session.execute(insert(Theme.__table__), themes)
        db.session.execute(insert(User.__table__), _users(users))
        threads = -(-total // per_thread)
        db.session.execute(insert(Thread.__table__), _threads(threads, per_thread, users, gen))
        db.session.commit()
        for first in range(1, total + 1, BATCH):
            rows = []
            for post_id in range(first, min(first + BATCH, total + 1)):
                body = gen.plain_body()
                rows.append(
                    {
                        "id": post_id,
                        "thread_id": (post_id - 1) // per_thread + 1,
                        "author_id": (post_id * 7919) % users + 1,
                        "body": body,
                        "body_html": f"<p>{body}</p>",
                        "state": "published",
                        "created_at": _stamp(post_id),
                        "endorsement_count": 0,
                        **_identity((post_id * 7919) % users + 1),
                    }
                )
            db.session.execute(insert(Post.__table__), rows)
            db.session.commit()
        indexed = db.session.scalar(text("SELECT count(*) FROM post_search"))
        if db.engine.dialect.name == "postgresql":
            # Autovacuum would have analysed the new rows within a minute in production.
            db.session.execute(text("ANALYZE"))
            db.session.commit()
        db.session.remove()
    seconds = time.perf_counter() - started
    return {"posts": total, "threads": threads, "indexed_rows": indexed, "load_s": round(seconds, 1)}
