"""thread_page: the forum's thread pages on a real day's traffic, against hello-world served the same way.

Production shape: two server processes as `make serve` runs them (gunicorn, one gevent worker each) on
a fresh PostgreSQL database and Redis, behind nginx with docs/deploy.md's micro-cache for anonymous pages
(and behind a second nginx without it, to measure the app alone); hello-world on two processes behind
another nginx.
50 threads of 100–400 posts; wrk sends a Zipf-distributed list of thread pages, 80 % signed in as
many accounts, in six languages, while a participant replies every 2 s in one of the 10 hottest
threads. Three rounds, each: hello-world, the mixed list, its anonymous part (after a pass that puts
those pages in any cache), the same without the micro-cache, its signed-in part, then pages nobody asked
for yet (cold renders).
bench/README.md says what each figure means; bench/thread_page_result.py assembles them.
"""

import os
import random
import tempfile
import time
from pathlib import Path

import redis

from bench import readers, thread_data
from bench.cluster import serve
from bench.dataset import bench_app, migrate, postgres_database
from bench.nginx import proxy
from bench.server import server_env, wrk
from bench.thread_page_result import result, summary
from bench.writer import Writer, post_now

NAME = "thread_page"
FULL = {
    "threads": 50, "posts": (100, 400), "authors": 40, "accounts": 160, "cold_threads": 5, "list": 20_000,
    "connections": 32, "warmup": 3, "seconds": 15, "rounds": 3, "cold_requests": 40, "write_every": 2.0,
    "hot": 10,
}  # fmt: skip
SMOKE = {
    "threads": 3, "posts": (21, 41), "authors": 6, "accounts": 5, "cold_threads": 1, "list": 100,
    "connections": 4, "warmup": 0, "seconds": 2, "rounds": 1, "cold_requests": 4, "write_every": 0.5,
    "hot": 1,
}  # fmt: skip
SECRET = "thread-page-bench-secret"  # noqa: S105 - a throwaway benchmark key
# The benchmark empties this Redis database before and after it runs: point it at none you use.
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13")
LOADED = time.perf_counter()


def progress(message):
    """Print how far the run is, with the seconds since the module was loaded (about the run's start)."""
    print(f"  [{time.perf_counter() - LOADED:5.0f} s] {message}", flush=True)


def flush_redis():
    """Empty the benchmark's Redis database: no cached page or counter of an earlier run survives."""
    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.flushdb()
    finally:
        client.close()


def forum_env(tmp, url):
    """`make serve`'s environment: production settings, the database, Redis, a secret, one trusted proxy."""
    env = {**server_env(Path(tmp)), "FORUM_ENV": "production", "DATABASE_URL": url}
    return {**env, "REDIS_URL": REDIS_URL, "SECRET_KEY": SECRET, "TRUSTED_PROXIES": "1"}


def measure(cluster, front, list_file, p, seconds=None):
    """One wrk run over `list_file` with the server processes' CPU per request; fails on any error."""
    workers = cluster.workers()
    before = cluster.cpu_seconds()
    run = wrk(front.base + "/", p["connections"], seconds or p["seconds"], requests=list_file)
    used = cluster.cpu_seconds() - before
    cluster.check_workers(workers)
    failed = {kind: count for kind, count in run["errors"].items() if count}
    if failed or not run["requests"]:
        raise RuntimeError(f"{cluster.name}: wrk errors {failed} in {run['requests']} requests")
    return {**run, "cpu_ms_per_request": round(used * 1000 / run["requests"], 3)}


def forum_phase(forum, front, list_file, p, writer, seed):
    """Warm-up then the measured run, with the writer replying all along; the run and the writer's figures."""
    with writer.phase(seed) as replies:
        if p["warmup"]:
            measure(forum, front, list_file, p, p["warmup"])
        run = measure(forum, front, list_file, p)
    return {**run, "writer": replies}


def cold(forum, front, combos):
    """Server CPU per request for pages requested once each, in order, anonymously."""
    client = readers.Client(front.base)
    workers = forum.workers()
    before = forum.cpu_seconds()
    started = time.perf_counter()
    for path, locale in combos:
        status, html = client.get(path, locale)
        why = readers.check_page(status, html, locale, signed_in=False)
        if why:
            raise RuntimeError(f"cold page {path} ({locale}): {why}")
    used = forum.cpu_seconds() - before
    forum.check_workers(workers)
    elapsed = time.perf_counter() - started
    return {
        "requests": len(combos),
        "cpu_ms_per_request": round(used * 1000 / len(combos), 3),
        "wall_ms_per_request": round(elapsed * 1000 / len(combos), 2),
    }


def workload(front, data, p, tmp):
    """Sign the readers and the writer in, rank the threads, write the request lists; a dict of it all."""
    rng = random.Random(2026)
    ranked = sorted(data.sizes)
    rng.shuffle(ranked)
    read, cold_threads = ranked[: -p["cold_threads"]], ranked[-p["cold_threads"] :]
    probe = f"/threads/{read[0]}"
    emails = [thread_data.account_email(n) for n in range(1, data.accounts + 1)]
    started = time.perf_counter()
    writer_cookie, *cookies = readers.sign_in_all(front.base, emails, thread_data.PASSWORD, probe)
    signed_in_s = time.perf_counter() - started
    entries = readers.request_list(read, data.sizes, cookies, p["list"])
    folder = Path(tmp)
    lists = {
        "mixed": readers.write_list(folder / "mixed.txt", entries),
        "anonymous": readers.write_list(folder / "anonymous.txt", [e for e in entries if not e.signed_in]),
        "signed_in": readers.write_list(folder / "signed_in.txt", [e for e in entries if e.signed_in]),
        "hello": readers.write_list(folder / "hello.txt", entries, same_path="/"),
    }
    combos = readers.cold_pages(cold_threads, data.sizes)
    per_round = min(p["cold_requests"], len(combos) // p["rounds"])
    return {
        "entries": entries,
        "lists": lists,
        "hot": read[: p["hot"]],
        "single_url": f"/threads/{read[p['hot']]}",
        "cold": [combos[r * per_round : (r + 1) * per_round] for r in range(p["rounds"])],
        "writer_cookie": writer_cookie,
        "accounts_signed_in": len(cookies) + 1,
        "sign_in_s": round(signed_in_s, 1),
        "cold_threads": cold_threads,
    }


def rounds(forum, fronts, hello, hello_front, work, p):
    """Every round's phases, in order; each figure is checked as it comes.

    `fronts` is (nginx with the micro-cache, nginx without it).
    """
    front, bare = fronts
    done = []
    lists, anonymous = work["lists"], [e for e in work["entries"] if not e.signed_in]
    with Writer(front.base, work["writer_cookie"], work["hot"], p["write_every"]) as writer:
        for number in range(p["rounds"]):
            figures = {"hello": measure(hello, hello_front, lists["hello"], p)}
            figures["mixed"] = forum_phase(forum, front, lists["mixed"], p, writer, 4 * number)
            failures = readers.visit(front.base, anonymous)
            if failures:
                raise RuntimeError(f"anonymous warm-up pass: {failures[:5]}")
            figures["anonymous"] = forum_phase(forum, front, lists["anonymous"], p, writer, 4 * number + 1)
            figures["anonymous_app"] = forum_phase(forum, bare, lists["anonymous"], p, writer, 4 * number + 2)
            figures["signed_in"] = forum_phase(forum, front, lists["signed_in"], p, writer, 4 * number + 3)
            figures["cold"] = cold(forum, bare, work["cold"][number])
            done.append(figures)
            progress(f"round {number + 1}: {summary_of_round(figures)}")
    return done


def summary_of_round(figures):
    """A short line on one round, printed as the benchmark goes."""
    hello = figures["hello"]["rps"]
    parts = [f"hello {hello:.0f} rps"]
    kinds = ("mixed", "anonymous", "anonymous_app", "signed_in")
    parts += [f"{kind} {figures[kind]['rps'] / hello:.3f}x" for kind in kinds]
    return ", ".join(parts) + f", cold {figures['cold']['cpu_ms_per_request']} ms CPU"


def single_url(forum, front, path, p, tmp):
    """The old measure: one anonymous English URL, over and over (a cache hit), without the writer."""
    entry = readers.Entry(path, "-", "en")
    list_file = readers.write_list(Path(tmp) / "single.txt", [entry])
    failures = readers.visit(front.base, [entry])
    if failures:
        raise RuntimeError(f"single URL: {failures}")
    if p["warmup"]:
        measure(forum, front, list_file, p, p["warmup"])
    return {"path": path, **measure(forum, front, list_file, p)}


def measured(forum, fronts, hello, hello_front, data, p, tmp):
    """Sign in, check a sample, the rounds and the single URL: (workload, rounds, single URL figures)."""
    front, bare = fronts
    work = workload(front, data, p, tmp)
    progress(f"{work['accounts_signed_in']} accounts signed in ({work['sign_in_s']} s)")
    started = time.perf_counter()
    sample = readers.sample(work["entries"])
    failures = readers.visit(front.base, sample)
    if failures:
        raise RuntimeError(f"sample of the list: {len(failures)} pages wrong, e.g. {failures[:5]}")
    post_now(front.base, work["writer_cookie"], work["hot"], len(forum.ports))
    work["checks_s"] = round(time.perf_counter() - started, 1)
    progress(f"{len(sample)} pages checked, {len(forum.ports)} replies posted ({work['checks_s']} s)")
    done = rounds(forum, fronts, hello, hello_front, work, p)
    return work, done, single_url(forum, bare, work["single_url"], p, tmp)


def run(smoke=False):
    """Build the data, serve both apps behind nginx, run the rounds; the result dictionary."""
    p = SMOKE if smoke else FULL
    started = time.perf_counter()
    flush_redis()
    with tempfile.TemporaryDirectory(prefix="forum-bench-") as tmp, postgres_database() as url:
        env = forum_env(tmp, url)
        migrate(env)
        progress("database migrated")
        with (
            serve("forum", "wsgi:app", env, tmp, probe="/login") as forum,
            serve("hello", "bench.hello:app", server_env(Path(tmp)), tmp) as hello,
        ):
            data = thread_data.load(bench_app(url), url, p)
            progress(f"data loaded: {data.load}")
            forum.wait_up()
            hello.wait_up()
            with (
                proxy(forum.ports, probe="/login", cache=True) as front,
                proxy(forum.ports, probe="/login") as bare,
                proxy(hello.ports) as hello_front,
            ):
                progress("servers and proxies up")
                try:
                    work, done, single = measured(forum, (front, bare), hello, hello_front, data, p, tmp)
                finally:
                    fronts = front.errors() + bare.errors() + hello_front.errors()
                    errors = forum.errors() + hello.errors() + fronts
                    if errors:
                        print("errors in the servers' or nginx's logs:", *errors[:10], sep="\n  ", flush=True)
        if errors:
            raise RuntimeError(f"{len(errors)} errors in the servers' or nginx's logs")
    flush_redis()
    return result(NAME, p, data, work, done, single, smoke, time.perf_counter() - started, REDIS_URL)


__all__ = ["run", "summary"]
