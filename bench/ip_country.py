"""ip_country: the place of sign-in's lookup (forum.ip_country) over the installed DB-IP file, in-process.

Loads forum/data/ip_country.bin (built by `make assets`) as a process does on its first sign-in, and
measures how long that takes and how much memory it keeps (traced by tracemalloc, and the process's
resident set before and after), then looks up random addresses from their text, as a sign-in does:
half IPv4 (any of the 2^32), half IPv6 in the global unicast block 2000::/3.
"""

import ipaddress
import random
import time
import tracemalloc
from pathlib import Path

from bench.common import percentile

NAME = "ip_country"
DATA = Path(__file__).resolve().parents[1] / "forum" / "data" / "ip_country.bin"
# This change's own goals: a lookup costs nothing next to a sign-in's password hash, and the data stays
# small next to a worker's resident set (about 120 MiB, bench/README.md idle_capacity).
GOAL_P99_MS = 0.1
GOAL_MEMORY_MIB = 16
FULL = {"lookups": 200_000}
SMOKE = {"lookups": 2_000}


def resident_mib():
    """This process's resident set in MiB (Linux)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return None


def addresses(count, seed=2026):
    """`count` addresses as text: IPv4 and IPv6 in turn."""
    rng = random.Random(seed)
    texts = []
    for n in range(count):
        if n % 2:
            texts.append(str(ipaddress.IPv6Address((0b001 << 125) | rng.getrandbits(125))))
        else:
            texts.append(str(ipaddress.IPv4Address(rng.getrandbits(32))))
    return texts


def micro(seconds):
    """p50/p99/mean/max in microseconds, and p50/p99 in milliseconds for the result's contract."""
    us = sorted(s * 1e6 for s in seconds)
    p50, p99 = percentile(us, 0.50), percentile(us, 0.99)
    return {
        "samples": len(us),
        "p50_us": round(p50, 2),
        "p99_us": round(p99, 2),
        "mean_us": round(sum(us) / len(us), 2),
        "max_us": round(us[-1], 2),
        "p50_ms": round(p50 / 1000, 5),
        "p99_ms": round(p99 / 1000, 5),
    }


def run(smoke=False):
    """Load once (timed, then traced), then time each lookup."""
    from forum import ip_country

    started = time.perf_counter()
    p = SMOKE if smoke else FULL
    rss_before = resident_mib()
    load_started = time.perf_counter()
    table = ip_country.Table(DATA.read_bytes())
    load_ms = (time.perf_counter() - load_started) * 1000
    rss_after = resident_mib()
    tracemalloc.start()
    traced = ip_country.Table(DATA.read_bytes())
    kept_mib = tracemalloc.get_traced_memory()[0] / 2**20
    tracemalloc.stop()
    del traced
    texts = addresses(p["lookups"])
    table.country(ip_country.parse(texts[0]))  # warm
    samples, placed = {4: [], 6: []}, 0
    for text in texts:
        begun = time.perf_counter()
        country = table.country(ip_country.parse(text))
        samples[4 if "." in text else 6].append(time.perf_counter() - begun)
        placed += country is not None
    every = micro(samples[4] + samples[6])
    return {
        "name": NAME,
        "metric": f"p99 of one lookup from text ({p['lookups']:,} random addresses, half IPv4, half IPv6)",
        "value": every["p99_ms"],
        "baseline": GOAL_P99_MS,
        "baseline_kind": "the goal (p99 under 0.1 ms)",
        "ratio": round(every["p99_ms"] / GOAL_P99_MS, 3),
        "ratio_meaning": "value / baseline: below 1 meets the goal",
        "unit": "ms",
        "p50_ms": every["p50_ms"],
        "p99_ms": every["p99_ms"],
        "all": every,
        "ipv4": micro(samples[4]),
        "ipv6": micro(samples[6]),
        "placed_share": round(placed / len(texts), 3),
        "load_ms": round(load_ms, 2),
        "file_mib": round(DATA.stat().st_size / 2**20, 2),
        "kept_mib": round(kept_mib, 2),
        "rss_growth_mib": round(rss_after - rss_before, 2) if rss_before and rss_after else None,
        "goals": {"p99_ms": GOAL_P99_MS, "kept_mib": GOAL_MEMORY_MIB},
        "goals_met": {"p99_ms": every["p99_ms"] < GOAL_P99_MS, "kept_mib": kept_mib < GOAL_MEMORY_MIB},
        "setup": {
            "source": table.source,
            "ranges": {version: len(starts) for version, (starts, _) in table.families.items()},
            "lookups": p["lookups"],
            "call": "Table.country(ip_country.parse(text))",
        },
        "smoke": smoke,
        "elapsed_s": round(time.perf_counter() - started, 1),
    }


def summary(result):
    """One line: lookup percentiles, load time and memory against the goals."""
    verdict = "met" if all(result["goals_met"].values()) else "missed"
    return (
        f"ip_country: lookup p50 {result['all']['p50_us']} / p99 {result['all']['p99_us']} µs; "
        f"load {result['load_ms']} ms, {result['kept_mib']} MiB kept "
        f"(goals p99 < {GOAL_P99_MS} ms, < {GOAL_MEMORY_MIB} MiB: {verdict})"
    )
