"""A participant replying every few seconds through the real reply form, in a process of its own.

`python -m bench.writer BASE INTERVAL THREAD_ID...` with the signed-in participant's Cookie header in
BENCH_WRITER_COOKIE fetches a reply form for its CSRF token and prints "ready". Then, for each phase,
a line "go SEED" on its standard input starts replies (one at once, then one every INTERVAL seconds
whatever the server's pace, each into one of the threads drawn at random) and a line "stop" ends them:
it prints one JSON line, the phase's replies, failures and response times. `Writer` runs it from the
benchmark.
"""

import json
import os
import random
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from bench.corpus import TextGenerator
from bench.posting import CSRF, Poster


def cookies_of(header):
    """A Cookie header as a dict."""
    return dict(part.split("=", 1) for part in header.split("; "))


def form_token(base, cookie, thread):
    """The CSRF token of a reply form (the session's token: it serves every form of the session)."""
    poster = Poster(base)
    poster.cookies = cookies_of(cookie)
    status, _headers, body = poster.request("GET", f"/threads/{thread}/reply")
    poster.http.close()
    found = CSRF.search(body.decode())
    if status != 200 or not found:
        raise RuntimeError(f"the reply form answered {status} without a token")
    return found.group(1)


class Replies:
    """Replies sent on a schedule, each from a thread of its own, so a slow answer delays no other one."""

    def __init__(self, base, cookie, token):
        """Replies to the server at `base` as the session of `cookie`, with its form `token`."""
        self.base, self.cookie, self.token = base, cookie, token
        self.local = threading.local()

    def post(self, thread, body):
        """One reply through the form: (thread, seconds, None) when published, else (thread, None, why)."""
        poster = getattr(self.local, "poster", None)
        if poster is None:
            poster = self.local.poster = Poster(self.base)
            poster.cookies = cookies_of(self.cookie)
        form = {"body": body, "csrf_token": self.token, "reply_to": ""}
        sent = time.monotonic()
        try:
            status, headers, _body = poster.request("POST", f"/threads/{thread}/reply", form)
        except OSError as error:
            return thread, None, repr(error)
        location = headers.get("Location", "")
        if status == 302 and "#post-" in location:
            return thread, time.monotonic() - sent, None
        return thread, None, f"{status} {location}"

    def phase(self, interval, seed, threads, stop, count=None):
        """A reply at once, then one every `interval` s until `stop` (or `count` replies); the summary."""
        rng, gen = random.Random(seed), TextGenerator(seed)
        pending = []
        with ThreadPoolExecutor(8) as pool:
            due = time.monotonic()
            while not stop.is_set() and (count is None or len(pending) < count):
                pending.append(pool.submit(self.post, rng.choice(threads), gen.markdown_body()))
                due += interval
                stop.wait(max(0.0, due - time.monotonic()))
            outcomes = [future.result() for future in pending]
        published = [(thread, seconds) for thread, seconds, why in outcomes if why is None]
        return {
            "posted": len(published),
            "threads": sorted({thread for thread, _seconds in published}),
            "failures": [f"thread {thread}: {why}" for thread, _seconds, why in outcomes if why],
            "response_ms": sorted(round(seconds * 1000, 1) for _thread, seconds in published),
        }


def post_now(base, cookie, threads, count):
    """`count` replies at once from this process; fails unless all were published.

    The first reply a server process handles loads what replies need (the language detector's model:
    a second or more on this machine, during which the process answers nobody): this is done before
    anything is measured, as a server that has been up for a while has done it.
    """
    replies = Replies(base, cookie, form_token(base, cookie, threads[0]))
    summary = replies.phase(0, 0, threads, threading.Event(), count)
    if summary["failures"] or summary["posted"] != count:
        raise RuntimeError(f"the writer's first replies failed: {summary}")
    return summary


def main(argv):
    """Get the session's form token, then run a phase for each "go SEED" until standard input ends."""
    base, interval, *threads = argv
    threads = [int(t) for t in threads]
    cookie = os.environ["BENCH_WRITER_COOKIE"]
    replies = Replies(base, cookie, form_token(base, cookie, threads[0]))
    print("ready", flush=True)
    for line in sys.stdin:
        if not line.startswith("go "):
            continue
        stop = threading.Event()
        # "stop" (or the end of input) ends the phase while this thread posts.
        waiter = threading.Thread(target=lambda event: (sys.stdin.readline(), event.set()), args=(stop,))
        waiter.start()
        summary = replies.phase(float(interval), int(line[3:]), threads, stop)
        waiter.join()
        print(json.dumps(summary), flush=True)


class Writer:
    """The writer process: `with Writer(...) as writer:`, then `with writer.phase(seed) as summary:`."""

    def __init__(self, base, cookie, threads, interval):
        """The command and environment of a writer replying in `threads` every `interval` s."""
        self.command = [sys.executable, "-m", "bench.writer", base, str(interval), *map(str, threads)]
        self.env = {**os.environ, "BENCH_WRITER_COOKIE": cookie}

    def __enter__(self):
        """Start the process and wait until it holds a form token."""
        self.process = subprocess.Popen(
            self.command, env=self.env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
        if self.process.stdout.readline().strip() != "ready":
            self.process.kill()
            raise RuntimeError(f"the writer did not start (exit {self.process.wait()})")
        return self

    def __exit__(self, *exc):
        """End the process."""
        self.process.stdin.close()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        return False

    def phase(self, seed):
        """A context in which the writer replies; it yields a dict that holds the summary afterwards.

        Failed replies, or none at all, fail the phase.
        """
        return _Phase(self.process, seed)


class _Phase:
    """One phase of the writer (see Writer.phase)."""

    def __init__(self, process, seed):
        """A phase of the writer `process` whose replies are drawn with `seed`."""
        self.process, self.seed, self.summary = process, seed, {}

    def __enter__(self):
        """Tell the writer to start replying."""
        self.process.stdin.write(f"go {self.seed}\n")
        self.process.stdin.flush()
        return self.summary

    def __exit__(self, *exc):
        """Tell it to stop, and read what it did."""
        self.process.stdin.write("stop\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError(f"the writer died (exit {self.process.wait()})")
        self.summary.update(json.loads(line))
        if exc[0] is None and (self.summary["failures"] or not self.summary["posted"]):
            raise RuntimeError(f"the writer's replies failed: {self.summary}")
        return False


if __name__ == "__main__":
    main(sys.argv[1:])
