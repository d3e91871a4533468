"""The thread page benchmark's data: threads of 100–400 posts by a few dozen participants, loaded fast.

A seeded plan says who writes what, where and in answer to whom; bench/thread_rows.py turns it into
the rows the services (`create_thread`, `reply`) would leave and writes them in bulk, so 13,600
posts load in well under a minute rather than many.
"""

import random
import time
from dataclasses import dataclass, field

from sqlalchemy import insert

from bench.corpus import NAMES, TextGenerator
from bench.thread_rows import earlier_reading, render_all, rows, write

PASSWORD = "bench participant passphrase 2026"  # noqa: S105 - throwaway benchmark accounts
CHATHAM_EVERY = 6  # threads 3, 9, 15, …: some Chatham House, most on the record
GROUPS = ("member_state", "civil_society", "academia", "private_sector", "technical_community")


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


def identities(user_ids):
    """{user id: the group and country their posts record, as the services fill them}; in an app context."""
    from forum.accounts.identity import identity_of
    from forum.accounts.models import User
    from forum.extensions import db

    return {user_id: identity_of(db.session.get(User, user_id)) for user_id in user_ids}


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
        written = identities([user for user, _handle in users[: p["authors"]]])
        laps = {"users_and_plan_s": lap()}
        # The rendering processes are forked: they must not inherit this engine's open connections.
        db.session.remove()
        db.engine.dispose()
        rendered = render_all(uri, [post.body for post in posts])
        laps["render_s"] = lap()
        tables = rows(threads, posts, rendered, written)
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
