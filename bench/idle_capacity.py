"""idle_capacity: 5,000 connected, subscribed, idle Socket.IO readers on one server process, and their memory.

The memory a connection costs is the server worker's resident memory with the readers connected and
settled, less the same after a warm-up with none, divided by their number; the bare broadcast app
(`bench/broadcast.py`) is measured the same way in the same run. A few replies then go to every idle
reader, to show that the sockets are alive: their p50/p99 (last receipt after the response) are the
result's latency figures.
"""

import tempfile
import time
import uuid
from contextlib import ExitStack
from pathlib import Path

from bench.fanout import (
    ONE_WORKER,
    SMOKE,
    figures,
    prepare,
    readers,
    rounds,
    rss_kib,
    serve_each,
    setup_seconds,
    sqlite_forum,
    worker_pid,
)
from bench.posting import broadcast_poster, forum_poster

NAME = "idle_capacity"
FULL = {"readers": 5000, "processes": 2, "rounds": 5, "pause": 0.5, "posts": 20, "settle": 10}
SMOKE_IDLE = {**SMOKE, "rounds": 2, "settle": 1}
# Issue 24: a hall of 5,000 joins one room at once in at most twice the bare app's time, all of them.
GOALS = {"connected": 5000, "join_ratio": 2.0}


def measure(tmp, app_spec, env, probe, poster, room, p):
    """Serve one app, warm it up, connect the readers and read the worker's memory; the figures."""
    with ExitStack() as stack:
        (base,) = serve_each(stack, app_spec, [env], tmp, probe)
        pid = worker_pid(Path(tmp) / "0.pid")
        post = poster(base)
        # A few readers and a reply first, so that the code and caches every connection uses are loaded.
        with readers(room, 3, [base], 1, tmp) as group:
            rounds(group, post, 1, 0)
        time.sleep(1)
        before = rss_kib(pid)
        group = stack.enter_context(readers(room, p["readers"], [base], p["processes"], tmp))
        time.sleep(p["settle"])
        after = rss_kib(pid)
        post(f"warm{uuid.uuid4().hex[:8]}")
        samples, size = rounds(group, post, p["rounds"], p["pause"])
        connected = group.subscribed
        return {
            "rss_before_kib": before,
            "rss_after_kib": after,
            "connected": connected,
            # Floored at 0.01: only a smoke run's handful of sockets can leave no trace in the RSS.
            "kib_per_connection": max(round((after - before) / max(connected, 1), 2), 0.01),
            "message_bytes": size,
            **figures(samples, group.setup),
        }


def run(smoke=False):
    """The forum (embedded default) and the bare app, each holding the same number of idle readers."""
    p = SMOKE_IDLE if smoke else FULL
    started = time.perf_counter()
    prepare()
    with tempfile.TemporaryDirectory(prefix="forum-bench-") as tmp:
        env, thread_id = sqlite_forum(tmp, p["posts"])
        room = f"thread:{thread_id}"
        forum = measure(tmp, "wsgi:app", env, "/login", lambda base: forum_poster(base, thread_id), room, p)
        size = max(forum["message_bytes"] - 100, 0)
        bare = measure(
            tmp, "bench.broadcast:app", env, "/", lambda base: broadcast_poster(base, room, size), room, p
        )
    value, baseline = forum["kib_per_connection"], bare["kib_per_connection"]
    latency = forum["last_receipt_from_request"]
    join_ratio = round(setup_seconds(forum) / max(setup_seconds(bare), 0.01), 3)
    return {
        "name": NAME,
        "metric": "server memory per idle subscribed Socket.IO connection (KiB), "
        "as a ratio to the bare Flask-SocketIO app's",
        "value": value,
        "baseline": baseline,
        "ratio": round(value / baseline, 3),
        "unit": "KiB/connection",
        "p50_ms": latency["p50_ms"],
        "p99_ms": latency["p99_ms"],
        "readers": p["readers"],
        "connected": forum["connected"],
        "goals": GOALS,
        "join_seconds": setup_seconds(forum),
        "baseline_join_seconds": setup_seconds(bare),
        "join_ratio": join_ratio,
        "goals_met": {
            "connected": forum["connected"] >= (p["readers"] if smoke else GOALS["connected"]),
            "join_ratio": join_ratio <= GOALS["join_ratio"],
        },
        "forum": forum,
        "bare": bare,
        "setup": {
            "server": ONE_WORKER,
            "database": "sqlite (embedded default, WAL), Socket.IO in one process",
            "memory": "VmRSS of the worker process, before the readers and after they settled",
            "settle_s": p["settle"],
            "load_processes": p["processes"],
        },
        "smoke": smoke,
        "elapsed_s": round(time.perf_counter() - started, 1),
    }


def summary(result):
    """One line: memory per connection of the forum and of the bare app, and how many connected."""
    forum, bare = result["forum"], result["bare"]
    return (
        f"idle_capacity: {result['connected']}/{result['readers']} connected; {result['value']} KiB per "
        f"connection = {result['ratio']} x bare ({result['baseline']} KiB); worker RSS "
        f"{forum['rss_before_kib'] // 1024} -> {forum['rss_after_kib'] // 1024} MiB (bare "
        f"{bare['rss_before_kib'] // 1024} -> {bare['rss_after_kib'] // 1024} MiB); replies to all: "
        f"p50 {result['p50_ms']} ms, p99 {result['p99_ms']} ms from the request; joining took "
        f"{result['join_seconds']} s = {result['join_ratio']} x bare ({result['baseline_join_seconds']} s)"
    )
