"""Fan-out benchmarks: how long a reply takes to reach the last of N Socket.IO readers of its thread.

Readers are bare asyncio clients in separate processes (`bench/sio_clients.py`); the poster is this
process. Both read the same clock (CLOCK_MONOTONIC is system-wide on Linux), so a sample is the time
from the reply's HTTP response reaching the poster to the last reader's receipt of `post.created`.
The forum and the bare broadcast app (`bench/broadcast.py`) are served the same way in the same run.
"""

import json
import re
import select
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from contextlib import ExitStack, contextmanager
from pathlib import Path

from bench.cluster import children, cpu_seconds
from bench.common import ROOT, latency_summary
from bench.dataset import migrate
from bench.posting import broadcast_poster, build_thread, forum_poster
from bench.server import WORKER_CLASS, gunicorn, server_env
from bench.sio_clients import raise_fd_limit

# gunicorn's gevent worker serves 1,000 connections at a time unless told otherwise.
WORKER_CONNECTIONS = 10_000
ONE_WORKER = f"gunicorn --worker-class {WORKER_CLASS} --workers 1 --worker-connections {WORKER_CONNECTIONS}"
COLLECT_SECONDS = 20


def server_options(pid_file):
    """Options of every server here: one process holds thousands of sockets, and says its pid."""
    return ("--worker-connections", str(WORKER_CONNECTIONS), "--pid", str(pid_file))


class Readers:
    """Load-client processes holding the subscribed sockets; commands go in, JSON lines come out."""

    def __init__(self, room, count, urls, processes, log_dir):
        self.processes = []
        for n in range(processes):
            share = count // processes + (1 if n < count % processes else 0)
            command = [sys.executable, "-m", "bench.sio_clients", room, str(share), *urls]
            log = open(Path(log_dir) / f"readers-{uuid.uuid4().hex[:6]}.log", "w")  # noqa: SIM115
            self.processes.append(
                subprocess.Popen(
                    command, cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log, text=True
                )
            )
        self.setup = [self.answer(process, 900) for process in self.processes]

    def answer(self, process, seconds):
        """The next JSON line of one client process."""
        ready, _w, _x = select.select([process.stdout], [], [], seconds)
        line = process.stdout.readline() if ready else ""
        if not line:
            raise RuntimeError(f"load client {process.pid} gave no answer (exit code {process.poll()})")
        return json.loads(line)

    def command(self, text, seconds=30):
        """Send a command to every client process; their answers."""
        for process in self.processes:
            process.stdin.write(text + "\n")
            process.stdin.flush()
        return [self.answer(process, seconds) for process in self.processes]

    @property
    def subscribed(self):
        """Sockets subscribed across the processes."""
        return sum(answer["subscribed"] for answer in self.setup)

    def close(self):
        """Let every client process close its sockets and exit."""
        for process in self.processes:
            if process.poll() is None:
                process.stdin.write("quit\n")
                process.stdin.flush()
        for process in self.processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@contextmanager
def readers(room, count, urls, processes, log_dir):
    """Readers for the length of a block."""
    group = Readers(room, count, urls, processes, log_dir)
    try:
        yield group
    finally:
        group.close()


def rounds(group, post, count, pause):
    """Post `count` times, each time waiting for every reader; the samples and the watched message size."""
    samples, size = [], 0
    for _ in range(count):
        token = f"tok{uuid.uuid4().hex[:16]}"
        group.command(f"arm {token}")
        sent, answered = post(token)
        answers = group.command(f"collect {COLLECT_SECONDS}", COLLECT_SECONDS + 10)
        received = sum(a["received"] for a in answers)
        last = max((a["last"] for a in answers if a["last"] is not None), default=None)
        first = min((a["first"] for a in answers if a["first"] is not None), default=None)
        size = max([size, *(a.get("size") or 0 for a in answers)])
        samples.append(
            {
                "received": received,
                "expected": sum(a["expected"] for a in answers),
                # Negative when every reader had the event before the poster had the response.
                "from_response_s": None if last is None else last - answered,
                "from_request_s": None if last is None else last - sent,
                "first_from_response_s": None if first is None else first - answered,
                "spread_s": None if last is None else last - first,
                "response_s": answered - sent,
            }
        )
        time.sleep(pause)
    return samples, size


def figures(samples, setup):
    """Latency summaries of complete rounds, and how many readers missed an event."""
    complete = [s for s in samples if s["received"] == s["expected"]]
    return {
        "last_receipt_from_response": latency_summary([s["from_response_s"] for s in complete]),
        "last_receipt_from_request": latency_summary([s["from_request_s"] for s in complete]),
        "first_receipt_from_response": latency_summary([s["first_from_response_s"] for s in complete]),
        "first_to_last_receipt": latency_summary([s["spread_s"] for s in complete]),
        "http_response": latency_summary([s["response_s"] for s in samples]),
        "rounds": len(samples),
        "incomplete_rounds": len(samples) - len(complete),
        "missed_receipts": sum(s["expected"] - s["received"] for s in samples),
        "setup": setup,
    }


def worker_pid(pid_file):
    """The pid of the single worker of the gunicorn master whose pid is in `pid_file`."""
    master = int(Path(pid_file).read_text())
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return int(children[0])


def rss_kib(pid):
    """Resident memory of a process, in KiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for {pid}")


def prepare():
    """Raise this process's open-file limit; servers and clients started from here inherit it."""
    return raise_fd_limit()


def serve_each(stack, app_spec, envs, tmp, probe="/"):
    """Start one single-worker server per environment; their base URLs."""
    return [
        stack.enter_context(
            gunicorn(
                app_spec, env, log_path(tmp, app_spec, i), 1, probe, server_options(Path(tmp) / f"{i}.pid")
            )
        )
        for i, env in enumerate(envs)
    ]


def log_path(tmp, app_spec, number):
    """Where server `number` of `app_spec` writes its log."""
    return Path(tmp) / f"{app_spec.split(':')[0]}-{number}.log"


# The last line of a traceback, and the forum's own warnings about a store it could not reach.
EXCEPTION_LINE = re.compile(
    r"^(?:[\w.]*(?:Error|Exception|Timeout)\b.*|.*(?:unreachable|failed).*)$", re.MULTILINE
)


def server_errors(tmp, app_spec, servers):
    """How often each error line appears in the servers' logs (what a reader's server_error was)."""
    found = Counter()
    for number in range(servers):
        found.update(
            line[:200] for line in EXCEPTION_LINE.findall(log_path(tmp, app_spec, number).read_text())
        )
    return dict(found.most_common(10))


def sqlite_forum(tmp, posts):
    """The embedded default on a fresh SQLite file under `tmp`: (server environment, thread id)."""
    env = server_env(Path(tmp))
    migrate(env)
    return env, build_thread(f"sqlite:///{Path(tmp) / 'forum.db'}", posts)


def server_cpu_seconds(tmp, servers):
    """CPU used so far by the gunicorn masters whose pids are in `tmp`/0.pid.. and by their workers."""
    masters = [int((Path(tmp) / f"{number}.pid").read_text()) for number in range(servers)]
    return cpu_seconds(pid for master in masters for pid in (master, *children(master)))


def measure_app(tmp, app_spec, envs, probe, poster, room, p):
    """Serve one app on its processes, subscribe the readers, post the rounds: its figures."""
    with ExitStack() as stack:
        urls = serve_each(stack, app_spec, envs, tmp, probe=probe)
        post = poster(urls[0])
        group = stack.enter_context(readers(room, p["readers"], urls, p["processes"], tmp))
        # A large room hears its reader count up to a second after the last arrival: let that pass.
        time.sleep(p["settle"])
        post(f"warm{uuid.uuid4().hex[:8]}")
        cpu = server_cpu_seconds(tmp, len(envs))
        samples, size = rounds(group, post, p["rounds"], p["pause"])
        cpu = server_cpu_seconds(tmp, len(envs)) - cpu
        app = figures(samples, group.setup)
    app["server_cpu_ms_per_reply"] = round(cpu * 1000 / len(samples), 2)
    app["server_errors"] = server_errors(tmp, app_spec, len(envs))
    return app, size


def run_pair(tmp, forum_envs, thread_id, baseline_envs, p):
    """Fan out from the forum, then from the bare app, to the same readers: `p["repeats"]` times each.

    The pairs follow each other, so that a slow spell of the machine weighs on both sides of a ratio.
    """
    room = f"thread:{thread_id}"
    pairs = []
    for _repeat in range(p["repeats"]):
        forum, size = measure_app(
            tmp, "wsgi:app", forum_envs, "/login", lambda url: forum_poster(url, thread_id), room, p
        )
        # The same bytes on the wire: the bare app pads its event to the forum's message size.
        bare, _size = measure_app(
            tmp,
            "bench.broadcast:app",
            baseline_envs,
            "/",
            lambda url, size=size: broadcast_poster(url, room, max(size - 100, 0)),
            room,
            p,
        )
        pairs.append({"forum": forum, "bare": bare, "message_bytes": size})
    return pairs


def _ratio(value, baseline):
    """value / baseline; a 0 (a smoke run's handful of readers) counts as the figures' resolution."""
    return round(max(value, 0.01) / max(baseline, 0.01), 3)


def _median_and_spread(values):
    """The median of the repeats' values and their range."""
    ordered = sorted(values)
    return {"median": ordered[len(ordered) // 2], "min": ordered[0], "max": ordered[-1]}


def result(name, pairs, p, goals, setup, smoke, started):
    """The result of a fan-out benchmark: ratios to the bare app per repeat, their median and spread.

    Times count from the reply's request: a reply that answered late and one whose readers heard late
    both show.
    """
    delivery = [
        _ratio(
            pair["forum"]["last_receipt_from_request"]["p99_ms"],
            pair["bare"]["last_receipt_from_request"]["p99_ms"],
        )
        for pair in pairs
    ]
    response = [
        _ratio(pair["forum"]["http_response"]["p50_ms"], pair["bare"]["http_response"]["p50_ms"])
        for pair in pairs
    ]
    delivery_ratio, response_ratio = _median_and_spread(delivery), _median_and_spread(response)
    middle = pairs[delivery.index(delivery_ratio["median"])]
    forum, bare = middle["forum"], middle["bare"]
    value = forum["last_receipt_from_request"]["p99_ms"]
    return {
        "name": name,
        "metric": "p99 ms from a reply's HTTP request to its receipt by the last of N Socket.IO readers, "
        "as a ratio to a bare Flask-SocketIO broadcast served the same way (median of the repeats)",
        "value": value,
        "baseline": bare["last_receipt_from_request"]["p99_ms"],
        "ratio": delivery_ratio["median"],
        "unit": "ms",
        "p50_ms": forum["last_receipt_from_request"]["p50_ms"],
        "p99_ms": value,
        "delivery_ratio": delivery_ratio,
        "response_ratio": response_ratio,
        "response_p50_ms": forum["http_response"]["p50_ms"],
        "baseline_response_p50_ms": bare["http_response"]["p50_ms"],
        "server_cpu_ms_per_reply": [pair["forum"]["server_cpu_ms_per_reply"] for pair in pairs],
        "baseline_server_cpu_ms_per_reply": [pair["bare"]["server_cpu_ms_per_reply"] for pair in pairs],
        "readers": p["readers"],
        "goals": goals,
        "goals_met": {
            "delivery_ratio": delivery_ratio["median"] <= goals["delivery_ratio"],
            "response_ratio": response_ratio["median"] <= goals["response_ratio"],
            "all_received": all(
                pair[app]["missed_receipts"] == 0 for pair in pairs for app in ("forum", "bare")
            ),
            "all_subscribed": all(
                subscribed(pair[app]) == p["readers"] for pair in pairs for app in ("forum", "bare")
            ),
            "no_server_errors": not any(pair["forum"]["server_errors"] for pair in pairs),
        },
        "subscribed": subscribed(forum),
        "forum": forum,
        "bare": bare,
        "repeats": pairs,
        "setup": {
            **setup,
            "message_bytes": middle["message_bytes"],
            "rounds": p["rounds"],
            "repeats": p["repeats"],
            "load_processes": p["processes"],
        },
        "smoke": smoke,
        "elapsed_s": round(time.perf_counter() - started, 1),
    }


def summary(result):
    """One line: the delivery and response ratios to the bare broadcast, with their spread."""
    forum, bare = result["forum"], result["bare"]
    d, r = result["delivery_ratio"], result["response_ratio"]
    return (
        f"{result['name']}: {result['readers']} readers ({result['subscribed']} subscribed), "
        f"last receipt from the request p99 {result['p99_ms']} ms = {d['median']:.2f} "
        f"({d['min']:.2f}-{d['max']:.2f}) x bare (p99 {result['baseline']} ms); reply response p50 "
        f"{result['response_p50_ms']} ms = {r['median']:.2f} ({r['min']:.2f}-{r['max']:.2f}) x bare; "
        f"missed {forum['missed_receipts']} / {bare['missed_receipts']}; "
        f"subscribing took {setup_seconds(forum)} s / {setup_seconds(bare)} s"
    )


def subscribed(figures):
    """Readers whose subscription the server accepted, across the load processes."""
    return sum(process["subscribed"] for process in figures["setup"])


def setup_seconds(figures):
    """How long the slowest load process took to connect and subscribe its readers."""
    return max(process["setup_s"] for process in figures["setup"])


FULL = {"rounds": 40, "pause": 0.3, "posts": 20, "settle": 2, "repeats": 3}
SMOKE = {"rounds": 4, "pause": 0.1, "posts": 3, "readers": 6, "processes": 1, "settle": 0, "repeats": 1}
# Issue 24: the reply's response p50 at most twice the bare app's, delivery to the last reader (from the
# request, p99) at most 1.3 times.
GOALS = {"response_ratio": 2.0, "delivery_ratio": 1.3}


def run_one(name, readers_count, smoke):
    """N readers of one thread on one server process, the embedded default (SQLite, no message queue)."""
    p = {**FULL, "readers": readers_count, "processes": 1, **(SMOKE if smoke else {})}
    started = time.perf_counter()
    prepare()
    with tempfile.TemporaryDirectory(prefix="forum-bench-") as tmp:
        env, thread_id = sqlite_forum(tmp, p["posts"])
        pairs = run_pair(tmp, [env], thread_id, [env], p)
    setup = {
        "server": ONE_WORKER,
        "database": "sqlite (embedded default, WAL), Socket.IO in one process",
        "readers": "anonymous, the six languages in turn, raw websocket Engine.IO 4 clients",
        "poster": "a verified participant signed in through /login, POST /threads/<id>/reply with CSRF",
    }
    return result(name, pairs, p, GOALS, setup, smoke, started)
