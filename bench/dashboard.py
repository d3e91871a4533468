"""dashboard: the participation dashboard (forum.insights) on PostgreSQL with 10,000 users, 200,000
posts and 50,000 votes, cold: nothing is cached between requests (the figures never are).

Each sample is the whole work of one request of the page, in-process as the view does it: the filter
form read from a query string, every figure's aggregate queries, and the HTML rendered; the page's nine
charts are separate requests (SVG), timed apart. The first request after the load is reported alone
(the database's buffers then hold nothing of the data); the rounds after it cycle through no filter,
a date range, a theme and a session.
"""

import tempfile
import time

from bench.common import latency_summary
from bench.dashboard_data import load
from bench.dataset import bench_app, migrate, postgres_database
from bench.server import server_env

NAME = "dashboard"
GOAL_P95_MS = 300.0
FULL = {"users": 10_000, "posts": 200_000, "votes": 50_000, "questions": 5_000, "sessions": 20,
        "statements": 400, "hub": 300, "rounds": 10}  # fmt: skip
SMOKE = {"users": 200, "posts": 2_000, "votes": 500, "questions": 100, "sessions": 4,
         "statements": 20, "hub": 10, "rounds": 1}  # fmt: skip
QUERIES = ("", "from=2026-06-08&to=2026-06-20", "theme=3", "session=2")


def _page(app, query):
    """One request's work for the dashboard at `?query`: the form, the figures, the HTML."""
    from flask import render_template

    from forum.insights import pages, routes, services

    with app.test_request_context(f"/insights/?{query}"):
        form = routes._filter_form()
        assert form.validate(), form.errors
        tables = services.figures(form.filters).values()
        return render_template(
            "insights/dashboard.html",
            form=form,
            tables=tables,
            drawn=pages.is_drawn,
            number=pages.number_format(),
        )


def _chart(app, name):
    """One chart request's work: its figure's queries and the SVG."""
    from forum.insights import pages, services

    with app.test_request_context(f"/insights/{name}.svg"):
        return pages.chart(services.figures(names=(name,))[name])


def measure(app, rounds):
    """(the first page's seconds, page samples, chart samples)."""
    from forum.insights.pages import DRAWN

    started = time.perf_counter()
    _page(app, "")
    first = time.perf_counter() - started
    pages, charts = [], []
    for _ in range(rounds):
        for query in QUERIES:
            started = time.perf_counter()
            _page(app, query)
            pages.append(time.perf_counter() - started)
        for name in DRAWN:
            started = time.perf_counter()
            _chart(app, name)
            charts.append(time.perf_counter() - started)
    return first, pages, charts


def run(smoke=False):
    """Migrate and load a PostgreSQL database, time the dashboard; the result dictionary."""
    p = SMOKE if smoke else FULL
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="forum-bench-") as tmp, postgres_database() as url:
        migrate({**server_env(tmp), "DATABASE_URL": url, "SECRET_KEY": "bench"})
        app = bench_app(url)
        loading = time.perf_counter()
        rows = load(app, p)
        load_s = round(time.perf_counter() - loading, 1)
        first, pages, charts = measure(app, p["rounds"])
        with app.app_context():
            from forum.extensions import db

            db.engine.dispose()
    page = latency_summary(pages)
    return {
        "name": NAME,
        "metric": f"p95 of the dashboard page's work, cold, on PostgreSQL ({p['users']:,} users, "
        f"{p['posts']:,} posts, {p['votes']:,} votes)",
        "value": page["p95_ms"],
        "baseline": GOAL_P95_MS,
        "baseline_kind": "the goal (p95 under 300 ms)",
        "ratio": round(page["p95_ms"] / GOAL_P95_MS, 3),
        "ratio_meaning": "value / baseline: below 1 meets the goal",
        "unit": "ms",
        **page,
        "first_request_ms": round(first * 1000, 2),
        "chart": latency_summary(charts),
        "goals": {"p95_ms": GOAL_P95_MS},
        "goals_met": {"p95_ms": page["p95_ms"] < GOAL_P95_MS},
        "setup": {
            **p,
            "rows": rows,
            "load_s": load_s,
            "queries": list(QUERIES),
            "call": "forum.insights: the filter form, services.figures(), render_template, in-process",
        },  # fmt: skip
        "smoke": smoke,
        "elapsed_s": round(time.perf_counter() - started, 1),
    }


def summary(result):
    """One line: the page's p50/p95/p99, the first request, a chart's p95, against the goal."""
    verdict = "met" if result["goals_met"]["p95_ms"] else "missed"
    return (
        f"dashboard: p50 {result['p50_ms']} / p95 {result['p95_ms']} / p99 {result['p99_ms']} ms, first "
        f"{result['first_request_ms']} ms; a chart p95 {result['chart']['p95_ms']} ms "
        f"(goal p95 < {GOAL_P95_MS:.0f} ms: {verdict})"
    )
