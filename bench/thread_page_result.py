"""The thread_page result: each figure's median and spread over the rounds, the goals, a one-line summary."""

import statistics

from bench.cluster import command
from bench.readers import LOCALES, SIGNED_IN_SHARE

GOALS = {"mixed_ratio": 0.15, "mixed_p99_ms": 250, "anonymous_ratio": 0.4, "cold_render_cpu_ms": 6}
KINDS = ("mixed", "anonymous", "anonymous_app", "signed_in")


def spread(values, digits=3):
    """Median, least and greatest of a figure over the rounds."""
    return {
        "median": round(statistics.median(values), digits),
        "min": round(min(values), digits),
        "max": round(max(values), digits),
    }


def phase_figures(done, kind):
    """A phase's figures over the rounds: rps, ratio to the same round's hello-world, latency, CPU."""
    figures = {
        "rps": spread([r[kind]["rps"] for r in done], 1),
        "p50_ms": spread([r[kind]["p50_ms"] for r in done], 2),
        "p99_ms": spread([r[kind]["p99_ms"] for r in done], 2),
        "cpu_ms_per_request": spread([r[kind]["cpu_ms_per_request"] for r in done]),
    }
    if kind != "hello":
        figures["ratio"] = spread([r[kind]["rps"] / r["hello"]["rps"] for r in done], 4)
    return figures


def writer_figures(done):
    """The writer's replies over every forum phase of every round."""
    phases = [r[kind]["writer"] for r in done for kind in KINDS]
    times = sorted(ms for phase in phases for ms in phase["response_ms"])
    return {
        "replies": sum(phase["posted"] for phase in phases),
        "failures": [failure for phase in phases for failure in phase["failures"]],
        "threads": sorted({t for phase in phases for t in phase["threads"]}),
        "response_p50_ms": statistics.median(times) if times else None,
        "response_max_ms": times[-1] if times else None,
    }


def slim(figures):
    """A round's raw figures without the writer's list of response times."""
    out = {}
    for kind, run in figures.items():
        writer = run.get("writer")
        out[kind] = (
            {**run, "writer": {**writer, "response_ms": len(writer["response_ms"])}} if writer else run
        )
    return out


def result(name, p, data, work, done, single, smoke, elapsed, redis_url):
    """The result dictionary: the contract's fields, then every figure with its spread."""
    phases = {kind: phase_figures(done, kind) for kind in ("hello", *KINDS)}
    cold = spread([r["cold"]["cpu_ms_per_request"] for r in done])
    mixed, anonymous = phases["mixed"], phases["anonymous"]
    hello_rps = phases["hello"]["rps"]["median"]
    goals_met = {
        "mixed_ratio": mixed["ratio"]["median"] >= GOALS["mixed_ratio"],
        "mixed_p99_ms": mixed["p99_ms"]["median"] < GOALS["mixed_p99_ms"],
        "anonymous_ratio": anonymous["ratio"]["median"] >= GOALS["anonymous_ratio"],
        "cold_render_cpu_ms": cold["median"] < GOALS["cold_render_cpu_ms"],
    }
    return {
        "name": name,
        "metric": "mixed thread-page workload requests/s as a ratio to hello-world behind the same nginx "
        "(median over the rounds of each round's ratio)",
        "value": mixed["rps"]["median"],
        "baseline": hello_rps,
        "ratio": mixed["ratio"]["median"],
        "ratio_meaning": "the median of the rounds' ratios, each against hello-world in the same round",
        "unit": "requests/s",
        "p50_ms": mixed["p50_ms"]["median"],
        "p99_ms": mixed["p99_ms"]["median"],
        "phases": phases,
        "cpu_ms_per_request": {
            "anonymous_hit": anonymous["cpu_ms_per_request"],
            "anonymous_app": phases["anonymous_app"]["cpu_ms_per_request"],
            "signed_in_hit": phases["signed_in"]["cpu_ms_per_request"],
            "mixed": mixed["cpu_ms_per_request"],
            "cold_render": cold,
            "hello_world": phases["hello"]["cpu_ms_per_request"],
        },
        "cold_render_cpu_ms": cold["median"],
        "single_url_cache_hit": {
            "label": "cache hit: one anonymous English URL loaded over and over, no writer (the old measure)",
            "path": single["path"],
            "rps": single["rps"],
            "ratio": round(single["rps"] / hello_rps, 4),
            "p50_ms": single["p50_ms"],
            "p99_ms": single["p99_ms"],
            "cpu_ms_per_request": single["cpu_ms_per_request"],
        },
        "writer": writer_figures(done),
        "goals": GOALS,
        "goals_met": goals_met,
        "rounds": [slim(figures) for figures in done],
        "setup": setup(p, data, work, redis_url),
        "smoke": smoke,
        "elapsed_s": round(elapsed, 1),
    }


def setup(p, data, work, redis_url):
    """How the run was made: servers, proxy, data, readers, writer, phases."""
    posts = sum(data.sizes.values())
    return {
        "server": f"two processes, each `{' '.join(command('wsgi:app', 'PORT')[1:])}` (as `make serve`, "
        "without its access log), FORUM_ENV=production, TRUSTED_PROXIES=1; hello-world the same way",
        "proxy": "nginx, round robin over the two processes, upstream keep-alive, access log off, with "
        "docs/deploy.md's micro-cache for anonymous pages (mixed, anonymous, signed in); the same nginx "
        "without the cache for anonymous_app, the cold renders and the single URL",
        "database": "PostgreSQL, a fresh database (dropped afterwards); Redis for queue, limits, presence",
        "redis": redis_url,
        "threads": len(data.sizes),
        "posts": posts,
        "posts_per_thread": [min(data.sizes.values()), max(data.sizes.values())],
        "chatham_house_threads": len(data.chatham),
        "authors": data.authors,
        "load": data.load,
        "readers": {
            "requests_in_list": len(work["entries"]),
            "distinct_requests": len(set(work["entries"])),
            "signed_in_share": SIGNED_IN_SHARE,
            "accounts_signed_in": work["accounts_signed_in"],
            "signed_in_through": "the real /login form with CSRF, then a thread page until no new cookie",
            "sign_in_s": work["sign_in_s"],
            "locales": LOCALES,
            "threads_read": len(data.sizes) - len(work["cold_threads"]),
            "choice": "thread by Zipf rank (exponent 1); page by Zipf rank: first, newest, then in order",
        },
        "writer": f"a reply every {p['write_every']} s through the reply form into the {len(work['hot'])} "
        "most read threads, during every forum phase and its warm-up",
        "checks_s": work["checks_s"],
        "cold_threads": work["cold_threads"],
        "cold_requests_per_round": len(work["cold"][0]),
        "rounds": p["rounds"],
        "connections": p["connections"],
        "seconds": p["seconds"],
        "warmup_seconds": p["warmup"],
        "load_generator": "wrk, 2 threads, bench/report.lua reading the request list",
    }


def summary(result):
    """One line: the mixed ratio and p99, the anonymous and signed-in ratios, CPU per request, the goals."""
    phases, cpu = result["phases"], result["cpu_ms_per_request"]

    def ratio(kind):
        """A phase's median ratio and its spread."""
        r = phases[kind]["ratio"]
        return f"{r['median']:.3f} ({r['min']:.3f}–{r['max']:.3f})"

    met = sum(result["goals_met"].values())
    median = {kind: figures["median"] for kind, figures in cpu.items()}
    return (
        f"thread_page: mixed {result['value']:.0f} rps = {ratio('mixed')} x hello "
        f"({result['baseline']:.0f} rps), p99 {result['p99_ms']} ms; anonymous {ratio('anonymous')} x "
        f"(app alone {ratio('anonymous_app')} x); "
        f"signed in {ratio('signed_in')} x; CPU ms/request: anonymous {median['anonymous_hit']}, "
        f"signed in {median['signed_in_hit']}, mixed {median['mixed']}, cold render {median['cold_render']}; "
        f"cache hit (one URL) {result['single_url_cache_hit']['ratio']:.3f} x; goals met {met}/{len(GOALS)}"
    )
