"""The thread page benchmark's data: threads of 100–400 posts by a few dozen participants, loaded fast.

A seeded plan says who writes what, where and in answer to whom; the rows written are those the
services (`create_thread`, `reply`) leave for that plan: sanitized `body_html` with linked @mentions,
the detected language, room events, follows, notifications and thread counters. They go in with Core
bulk inserts, the Markdown rendered by two processes, so 12,500 posts load in seconds, not minutes;
tests/bench/test_thread_data.py holds the bulk rows and the services' rows to the same values.
"""

import random
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import insert, text

from bench.corpus import NAMES, TextGenerator

# 09:00 in Geneva on the Dialogue's first day; one post every 5 seconds after it, all threads mixed.
START = datetime(2026, 7, 6, 7, 0, tzinfo=UTC)
STEP = timedelta(seconds=5)
PASSWORD = "bench participant passphrase 2026"  # noqa: S105 - throwaway benchmark accounts
CHATHAM_EVERY = 6  # threads 3, 9, 15, …: some Chatham House, most on the record
GROUPS = ("member_state", "civil_society", "academia", "private_sector", "technical_community")
BATCH = 5_000


@dataclass
class PostPlan:
    """One post to write: its thread, author (user id), Markdown, and the post id it answers."""

    thread: int
    author: int
    body: str
    reply_to: int | None = None


@dataclass
class ThreadPlan:
    """One thread to open: title, kind, attribution, theme and the ids of its posts, first one first."""

    id: int
    title: str
    kind: str
    attribution: str
    theme: int
    posts: list = field(default_factory=list)


def _cast_weights(size):
    """Cumulative weights of a thread's cast: a few participants write most of its posts."""
    total, weights = 0.0, []
    for rank in range(size):
        total += 1 / (rank + 1.5)
        weights.append(total)
    return weights


def plan(users, sizes, seed=2026):
    """Threads (id -> ThreadPlan) and posts (post id n is posts[n - 1]) for `users` [(id, handle)].

    The threads' posts are interleaved in time, and threads are numbered in the order they were opened
    (as the database numbers them). Each thread has a cast of 6–12 of the users; 15 % of replies
    answer an earlier post of the thread, 5 % mention one of its cast.
    """
    from forum.threads.models import THREAD_KINDS

    rng, gen = random.Random(seed), TextGenerator(seed)
    kinds = list(THREAD_KINDS)
    order = [index for index, size in enumerate(sizes) for _ in range(size)]
    rng.shuffle(order)
    numbers = {}
    for index in order:
        numbers.setdefault(index, len(numbers) + 1)
    threads, casts = {}, {}
    for number in sorted(numbers.values()):
        attribution = "chatham" if number % CHATHAM_EVERY == 3 else "record"
        kind = kinds[number % len(kinds)]
        threads[number] = ThreadPlan(number, gen.title(), kind, attribution, number % 7 + 1)
        casts[number] = rng.sample(users, min(len(users), rng.randint(6, 12)))
    posts = []
    for number in (numbers[index] for index in order):
        cast, earlier = casts[number], threads[number].posts
        author = rng.choices(cast, cum_weights=_cast_weights(len(cast)))[0]
        body, reply_to = gen.markdown_body(), None
        if earlier and rng.random() < 0.15:
            reply_to = rng.choice(earlier)
        others = [user for user in cast if user != author]
        if earlier and others and rng.random() < 0.05:
            body = f"@{rng.choice(others)[1]} {body}"
        posts.append(PostPlan(number, author[0], body, reply_to))
        earlier.append(len(posts))
    return threads, posts


def add_users(count):
    """`count` verified participants as `create_verified_user` makes them, sharing one password hash.

    One argon2 hash at the production cost (about 150 ms) serves every account, rather than one each:
    signing in checks it at the same cost. Returns [(id, handle)] in id order. Needs an app context.
    """
    from forum.accounts.models import User, new_session_token
    from forum.accounts.services import hash_password, unique_handle
    from forum.database import utcnow
    from forum.extensions import db

    password_hash = hash_password(PASSWORD)
    users = []
    for n in range(1, count + 1):
        name = f"{NAMES[2000 + 2 * n]} {NAMES[2001 + 2 * n]}"
        group = GROUPS[n % len(GROUPS)]
        user = User(
            email=account_email(n), name=name, handle=unique_handle(name), password_hash=password_hash,
            stakeholder_group=group, country="CH" if group == "member_state" else None,
            organisation=f"Organisation {n % 23}", role="participant", status="verified",
            status_changed_at=utcnow(), email_confirmed_at=utcnow(), session_token=new_session_token(),
        )  # fmt: skip
        db.session.add(user)
        db.session.flush()
        users.append((user.id, user.handle))
    db.session.commit()
    return users


def account_email(n):
    """The address of the n-th benchmark account (1-based)."""
    return f"participant{n}@bench.example.org"


def add_themes():
    """The demo's themes, in their order."""
    from forum.demo import THEMES
    from forum.extensions import db
    from forum.threads.models import Theme

    rows = [
        {"id": i, "slug": slug, "name": name, "description": about, "position": i}
        for i, (slug, name, about) in enumerate(THEMES, start=1)
    ]
    db.session.execute(insert(Theme.__table__), rows)
    db.session.commit()


_WORKER_APP = {}


def _render_start(uri):
    """A rendering process's own app on the same database (a forked engine must not be shared)."""
    from bench.dataset import bench_app

    app = bench_app(uri)
    context = app.test_request_context()
    context.push()
    _WORKER_APP["app"] = app


def _render(bodies):
    """(body_html, mentioned user ids, language) of each body, as `reply` computes them."""
    from forum import languages
    from forum.threads import content

    rendered = []
    for body in bodies:
        html, mentioned = content.render(body)
        rendered.append((html, [user.id for user in mentioned], languages.choose(None, body)))
    return rendered


def render_all(uri, bodies, processes=2):
    """Render every body, in `processes` processes when there are many (else here, in a request context)."""
    if processes < 2 or len(bodies) < 1_000:
        return _render(bodies)
    chunks = [bodies[i : i + 500] for i in range(0, len(bodies), 500)]
    with ProcessPoolExecutor(processes, initializer=_render_start, initargs=(uri,)) as pool:
        return [item for chunk in pool.map(_render, chunks) for item in chunk]


def rows(threads, posts, rendered):
    """Table -> rows that the services would have left after writing `posts` in order."""
    stamp = {n: START + STEP * n for n in range(1, len(posts) + 1)}
    followers = {number: {} for number in threads}  # insertion-ordered sets of user ids
    thread_rows, tables = {}, {"post": [], "room_event": [], "follow": [], "notification": []}
    for post_id, (post, (html, mentioned, language)) in enumerate(zip(posts, rendered, strict=True), start=1):
        number, when = post.thread, stamp[post_id]
        first = threads[number].posts[0] == post_id
        if first:
            meta = threads[number]
            thread_rows[number] = {
                "id": number, "theme_id": meta.theme, "author_id": post.author, "title": meta.title,
                "kind": meta.kind, "attribution": meta.attribution, "state": "published", "locked": False,
                "pinned": False, "slow_mode_seconds": 0, "created_at": when, "reply_count": 0,
                "first_post_id": post_id, "language": language,
            }  # fmt: skip
            _follow(tables, followers, post.author, number, when)
        else:
            thread_rows[number]["reply_count"] += 1
            seq = thread_rows[number]["reply_count"]
            tables["room_event"].append(
                {"room": f"thread:{number}", "seq": seq, "name": "post.created", "data": {"post_id": post_id},
                 "created_at": when}
            )  # fmt: skip
        thread_rows[number].update(last_post_id=post_id, last_activity_at=when)
        tables["post"].append(
            {"id": post_id, "thread_id": number, "author_id": post.author, "reply_to_id": post.reply_to,
             "body": post.body, "body_html": html, "state": "published", "created_at": when,
             "endorsement_count": 0, "language": language}
        )  # fmt: skip
        wanted = dict.fromkeys(followers[number], "followed_theme" if first else "followed_thread")
        if post.reply_to is not None:
            wanted[posts[post.reply_to - 1].author] = "reply"
        wanted.update(dict.fromkeys(mentioned, "mention"))
        wanted.pop(post.author, None)
        tables["notification"] += [
            {"user_id": user, "kind": kind, "actor_id": post.author, "thread_id": number, "post_id": post_id,
             "created_at": when}
            for user, kind in wanted.items()
        ]  # fmt: skip
        _follow(tables, followers, post.author, number, when)
    sequences = [{"room": f"thread:{n}", "last_seq": r["reply_count"]} for n, r in thread_rows.items()]
    return {
        "thread": list(thread_rows.values()),
        **tables,
        "room_sequence": [s for s in sequences if s["last_seq"]],
    }


def _follow(tables, followers, user, number, when):
    """`follow_thread`: the author follows the thread (once)."""
    if user not in followers[number]:
        followers[number][user] = None
        tables["follow"].append({"user_id": user, "thread_id": number, "created_at": when})


def earlier_reading(tables, users, seed=2026):
    """Add what the users' reading earlier in the day left: read marks, and notifications read.

    Each user has read every thread up to somewhere between a third of the way and its end, and their
    notifications up to there are read, as the thread page marks them. A thread page read by a user
    for the first time inserts their read mark, and two such pages of one user at the same moment
    (two wrk connections with the same account) race to insert it: a reader does not open two tabs
    of a thread at once, so the benchmark starts from a morning's reading.
    """
    rng = random.Random(seed)
    by_thread = {}
    for post in tables["post"]:
        by_thread.setdefault(post["thread_id"], []).append(post["id"])
    marks = {}
    for user in users:
        for number, ids in by_thread.items():
            marks[user, number] = ids[int(len(ids) * rng.uniform(0.33, 1.0)) - 1]
    tables["read_mark"] = [
        {"user_id": user, "thread_id": number, "last_read_post_id": last}
        for (user, number), last in marks.items()
    ]
    for note in tables["notification"]:
        if note["post_id"] <= marks[note["user_id"], note["thread_id"]]:
            note["read_at"] = note["created_at"] + timedelta(minutes=10)
        else:
            note["read_at"] = None


def write(tables):
    """Insert the rows, parents first, in batches; then ANALYZE (autovacuum would, within a minute)."""
    from forum.extensions import db

    metadata = db.metadata.tables
    for name in ("thread", "post", "room_sequence", "room_event", "follow", "notification", "read_mark"):
        batch = tables.get(name, ())
        for start in range(0, len(batch), BATCH):
            db.session.execute(insert(metadata[name]), batch[start : start + BATCH])
        db.session.commit()
    if db.engine.dialect.name == "postgresql":
        # Rows inserted with their ids leave the id sequences behind: the next reply would reuse id 1.
        for name in ("theme", "thread", "post"):
            catch_up = f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), max(id)) FROM {name}"  # noqa: S608
            db.session.execute(text(catch_up))
    db.session.execute(text("ANALYZE"))
    db.session.commit()


@dataclass
class Dataset:
    """What the benchmark needs to know of the data: threads (id -> post count), attribution, accounts."""

    sizes: dict
    chatham: list
    accounts: int
    authors: int
    load: dict


def load(app, uri, p, seed=2026):
    """Fill the app's empty, migrated database; returns the Dataset.

    p["accounts"] participants, the first p["authors"] of whom write; p["threads"] threads of
    p["posts"] = (low, high) posts each (drawn with the seed).
    """
    from forum.extensions import db

    clock = [time.perf_counter()]

    def lap():
        """Seconds since the last lap."""
        clock.append(time.perf_counter())
        return round(clock[-1] - clock[-2], 1)

    rng = random.Random(seed)
    sizes = [rng.randint(*p["posts"]) for _ in range(p["threads"])]
    with app.test_request_context():
        add_themes()
        users = add_users(p["accounts"])
        threads, posts = plan(users[: p["authors"]], sizes, seed)
        laps = {"users_and_plan_s": lap()}
        # The rendering processes are forked: they must not inherit this engine's open connections.
        db.session.remove()
        db.engine.dispose()
        rendered = render_all(uri, [post.body for post in posts])
        laps["render_s"] = lap()
        tables = rows(threads, posts, rendered)
        earlier_reading(tables, [user for user, _handle in users], seed)
        write(tables)
        laps["write_s"] = lap()
        db.session.remove()
        db.engine.dispose()
    return Dataset(
        sizes={number: len(t.posts) for number, t in threads.items()},
        chatham=[number for number, t in threads.items() if t.attribution == "chatham"],
        accounts=p["accounts"],
        authors=p["authors"],
        load={
            "rows": {name: len(batch) for name, batch in tables.items()},
            "load_s": round(clock[-1] - clock[0], 1),
            **laps,
        },
    )
