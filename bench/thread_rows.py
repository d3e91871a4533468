"""The rows the thread page benchmark writes: what the services leave for a plan of posts, in bulk.

For the posts of a plan (bench/thread_data.py), the rows `create_thread` and `reply` would have left:
sanitized `body_html` with linked @mentions and the detected language (rendered by two processes
when there are many), room events, follows, notifications and thread counters; then what a
morning's reading leaves; all written with Core bulk inserts. tests/bench/test_thread_data.py holds
these rows and the services' rows to the same values.
"""

import random
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime, timedelta

from sqlalchemy import insert, text

# 09:00 in Geneva on the Dialogue's first day; one post every 5 seconds after it, all threads mixed.
START = datetime(2026, 7, 6, 7, 0, tzinfo=UTC)
STEP = timedelta(seconds=5)
BATCH = 5_000


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


def rows(threads, posts, rendered, identities):
    """Table -> rows that the services would have left after writing `posts` in order.

    `identities` gives each author's recorded identity (group and country) by user id.
    """
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
             "endorsement_count": 0, "language": language, **identities[post.author]}
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
    """Insert the rows, parents first, in batches; then VACUUM ANALYZE, as autovacuum would within a minute.

    Since PostgreSQL 13 autovacuum also vacuums tables that only grew: the visibility map it leaves
    lets a page's post ids be read from an index alone, as they are on a server that has been up.
    """
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
    db.session.commit()
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE"))
    else:
        db.session.execute(text("ANALYZE"))
        db.session.commit()
