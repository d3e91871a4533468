"""What every benchmark shares: machine facts, percentiles, result files and the one-line summary."""

import json
import os
import platform
import statistics
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
REQUIRED = ("name", "metric", "value", "baseline", "ratio", "unit")


def git_commit():
    """The checked-out commit, read from .git without running git (None outside a clone).

    In a worktree, .git is a file naming the worktree's own folder (its HEAD), whose `commondir` names
    the folder that holds the branches.
    """
    git = ROOT / ".git"
    try:
        common = git
        if git.is_file():
            git = Path(git.read_text().split("gitdir:", 1)[1].strip())
            common = (git / (git / "commondir").read_text().strip()).resolve()
        head = (git / "HEAD").read_text().strip()
        if not head.startswith("ref: "):
            return head
        ref = head[5:]
        if (common / ref).exists():
            return (common / ref).read_text().strip()
        # A ref packed by `git gc` lives only in packed-refs.
        for line in (common / "packed-refs").read_text().splitlines():
            if line.endswith(" " + ref):
                return line.split()[0]
    except (OSError, IndexError):
        return None
    return None


def loop_ms():
    """How long this machine takes now for a million turns of a Python loop (the best of three), in ms.

    The virtual machines here run the same code up to twice as fast at one hour as at another: this
    figure tells two results apart that differ by the machine's speed, not by the code.
    """
    best = None
    for _ in range(3):
        started = time.perf_counter()
        total = 0
        for number in range(1_000_000):
            total += number
        elapsed = time.perf_counter() - started
        best = elapsed if best is None else min(best, elapsed)
    return round(best * 1000, 1)


def machine():
    """Facts that make two runs comparable: cores, speed now, date, commit, Python."""
    return {
        "cpu_count": os.cpu_count(),
        "python_loop_ms": loop_ms(),
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "git_commit": git_commit(),
        "python": platform.python_version(),
        "platform": platform.platform(),
    }


def percentile(samples, fraction):
    """The `fraction` percentile (0..1) of `samples`, interpolated; None for no samples."""
    if not samples:
        return None
    if len(samples) == 1:
        return samples[0]
    return statistics.quantiles(samples, n=1000, method="inclusive")[round(fraction * 1000) - 1]


def latency_summary(seconds):
    """p50/p95/p99/mean/max in milliseconds of samples given in seconds."""
    ms = sorted(s * 1000 for s in seconds)
    return {
        "samples": len(ms),
        "p50_ms": round(percentile(ms, 0.50), 2),
        "p95_ms": round(percentile(ms, 0.95), 2),
        "p99_ms": round(percentile(ms, 0.99), 2),
        "mean_ms": round(statistics.fmean(ms), 2),
        "max_ms": round(ms[-1], 2),
    }


def write_result(result, results_dir):
    """Add the machine facts, check the contract's fields and write NAME.json; returns the path."""
    missing = [key for key in REQUIRED if key not in result]
    if missing:
        raise ValueError(f"result of {result.get('name')} lacks {', '.join(missing)}")
    result = {**result, "machine": machine()}
    results_dir.mkdir(parents=True, exist_ok=True)
    path = results_dir / f"{result['name']}.json"
    path.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    return path
