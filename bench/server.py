"""Serving an app with gunicorn on a free loopback port, and loading it with wrk."""

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from contextlib import contextmanager
from pathlib import Path

from bench.common import ROOT

BIN = Path(sys.executable).parent
LUA = Path(__file__).with_name("report.lua")
# The production worker class (see `make run`), used for the forum and the baseline alike.
WORKER_CLASS = "gevent"
# The sign-in and wrk send the same User-Agent: Flask-Login's session identifier hashes address and
# agent, and a mismatch would mark the session non-fresh and rewrite its cookie on every response.
USER_AGENT = "forum-bench"


def free_port():
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(url, process, seconds=30):
    """Poll `url` until it answers, failing early if the server died."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 - loopback URL we built
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"server at {url} did not answer within {seconds} s")


def server_env(instance):
    """The embedded default's environment, with its SQLite file, secret key and mail files under `instance`.

    It also names a deployment of its own and chooses the file outbox, which production requires when
    a caller adds DATABASE_URL: a run's servers never share a Redis channel or keys with another run's.
    """
    env = {**os.environ, "FORUM_INSTANCE_PATH": str(instance), "PYTHONUNBUFFERED": "1"}
    for name in ("DATABASE_URL", "REDIS_URL", "FORUM_ENV", "SECRET_KEY", "MAIL_SERVER"):
        env.pop(name, None)
    env["FORUM_DEPLOYMENT"] = f"bench-{uuid.uuid4().hex[:10]}"
    env["MAIL_OUTBOX_DIR"] = str(Path(instance) / "outbox")
    return env


@contextmanager
def gunicorn(app_spec, env, log_path, workers=2, probe="/", options=()):
    """Serve `app_spec` (module:app) with `workers` gevent workers and more `options`; yields the base URL."""
    port = free_port()
    command = [
        str(BIN / "gunicorn"),
        *("--worker-class", WORKER_CLASS, "--workers", str(workers)),
        *("--bind", f"127.0.0.1:{port}", "--log-level", "warning", "--graceful-timeout", "5"),
        *options,
        app_spec,
    ]
    with open(log_path, "w") as log:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        base = f"http://127.0.0.1:{port}"
        try:
            wait_until_up(base + probe, process)
            yield base
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def wrk_path():
    """The wrk executable, or a RuntimeError saying how to get it."""
    found = shutil.which("wrk")
    if not found:
        raise RuntimeError("wrk is missing: run `make wrk` (Debian package 'wrk')")
    return found


def wrk(url, connections, seconds, cookie=None, threads=2, requests=None):
    """Load `url` with wrk; returns rps, latency percentiles (ms) and error counts.

    `requests` names a file of requests (path, cookie, Accept-Language a line: see report.lua) that
    wrk sends in turn to `url`'s server instead of `url` itself.
    """
    command = [
        wrk_path(),
        *("-t", str(min(threads, connections)), "-c", str(connections), "-d", f"{seconds}s"),
        *("--timeout", "10s", "-s", str(LUA), "-H", f"User-Agent: {USER_AGENT}"),
    ]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    env = {**os.environ, "BENCH_REQUESTS": str(requests)} if requests else None
    done = subprocess.run([*command, url], capture_output=True, text=True, check=True, env=env)
    line = next((ln for ln in done.stdout.splitlines() if ln.startswith("BENCH_JSON ")), None)
    if line is None:
        raise RuntimeError(f"wrk printed no summary:\n{done.stdout}\n{done.stderr}")
    raw = json.loads(line.removeprefix("BENCH_JSON "))
    seconds_run = raw["duration_us"] / 1e6
    kinds = ("connect_errors", "read_errors", "write_errors", "status_errors", "timeouts")
    errors = {kind: raw[kind] for kind in kinds}
    return {
        "rps": round(raw["requests"] / seconds_run, 1),
        "requests": raw["requests"],
        "p50_ms": round(raw["p50_us"] / 1000, 2),
        "p90_ms": round(raw["p90_us"] / 1000, 2),
        "p99_ms": round(raw["p99_us"] / 1000, 2),
        "max_ms": round(raw["max_us"] / 1000, 2),
        "mean_ms": round(raw["mean_us"] / 1000, 2),
        "bytes_per_response": round(raw["bytes"] / max(raw["requests"], 1)),
        "errors": errors,
    }


def cpu_seconds(port):
    """CPU time (user + system) used so far by the gunicorn processes serving `port`, read from /proc."""
    tick = os.sysconf("SC_CLK_TCK")
    used = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if f"127.0.0.1:{port}".encode() not in (entry / "cmdline").read_bytes():
                continue
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:  # the process ended while we looked
            continue
        used += int(fields[11]) + int(fields[12])
    return used / tick


def machine_cpu():
    """The machine's CPU time so far in clock ticks: (busy, stolen by the hypervisor, all), /proc/stat."""
    first = Path("/proc/stat").read_text().split("\n", 1)[0]
    user, nice, system, idle, iowait, irq, softirq, steal = map(int, first.split()[1:9])
    busy = user + nice + system + irq + softirq
    return busy, steal, busy + idle + iowait + steal
