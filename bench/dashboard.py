"""dashboard: the participation dashboard (forum.insights) on PostgreSQL with 10,000 users, 200,000
posts and 50,000 votes, cold: nothing is cached between requests (the figures never are).

Each sample is the whole work of one request of the page, in-process as the view does it: the filter
form read from a query string, every figure's counts (the daily tally and the days read live, forum.
insights.tally), and the HTML rendered; the page's nine charts are separate requests (SVG), timed apart.
After the load the tally is counted as the migration and the worker count it (timed). The first request
after that is reported alone (the database's buffers then hold nothing of the data); the rounds after it
cycle through no filter, a date range, a theme and a session. Then the same rounds with two days of every
kind marked changed (read live, as yesterday and today always are), and the report's staff edition: its
HTML (figures, charts, takeaways) and its PDF, made by WeasyPrint in a child process (forum.pdfs), with
the CPU time of this process and of the child.
"""

import resource
import tempfile
import time
from datetime import date

from sqlalchemy import delete

from bench.common import latency_summary
from bench.dashboard_data import load
from bench.dataset import bench_app, migrate, postgres_database
from bench.server import server_env

NAME = "dashboard"
GOAL_P95_MS = 300.0
GOAL_PDF_S = 20.0
# Two days of the thirty loaded, marked changed: what the live part of a page costs.
MARKED_DAYS = (date(2026, 6, 14), date(2026, 6, 15))
FULL = {"users": 10_000, "posts": 200_000, "votes": 50_000, "questions": 5_000, "sessions": 20,
        "statements": 400, "hub": 300, "takeaways": 48, "rounds": 10}  # fmt: skip
SMOKE = {"users": 200, "posts": 2_000, "votes": 500, "questions": 100, "sessions": 4,
         "statements": 20, "hub": 10, "takeaways": 6, "rounds": 1}  # fmt: skip
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


def _count(app):
    """Count every loaded day into the dashboard's tally, as the migration does when it finds rows (the bulk
    load wrote under the tally's feet, after the migration found none); seconds. Then check, untimed, that
    the tally's figures are the rows' own."""
    from forum.extensions import db
    from forum.insights import tally
    from forum.insights.models import TallyState
    from forum.insights.queries import Filters

    with app.app_context():
        db.session.execute(delete(TallyState))
        started = time.perf_counter()
        tally.recount()
        db.session.commit()
        elapsed = time.perf_counter() - started
        counted = tally.counted()
        for kind in tally.COUNTED:
            assert +counted[kind] == +tally._live(db.session, kind, Filters()), kind
        assert counted["posts"], "nothing counted"
        db.session.remove()
    return elapsed


def _mark(app):
    """Mark MARKED_DAYS of every counted kind changed: those days are read live until counted again."""
    from forum.extensions import db
    from forum.insights.models import TallyMark
    from forum.insights.tally import COUNTED

    with app.app_context():
        db.session.add_all(TallyMark(kind=kind, day=day) for kind in COUNTED for day in MARKED_DAYS)
        db.session.commit()


def _report(app):
    """The staff report's HTML and PDF: (HTML seconds, PDF seconds, this process's CPU seconds, the
    child's CPU seconds, pages' bytes)."""
    from forum import pdfs
    from forum.report import routes

    with app.test_request_context("/insights/report.pdf"):
        before, started = resource.getrusage(resource.RUSAGE_SELF), time.perf_counter()
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        html = routes._render("report/print.html", "staff")
        html_s = time.perf_counter() - started
        pdf = pdfs.render(html, routes.STYLESHEET, app.config["REPORT_PDF_SECONDS"])
        pdf_s = time.perf_counter() - started - html_s
        after, done = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    own = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    child = (done.ru_utime + done.ru_stime) - (children.ru_utime + children.ru_stime)
    return html_s, pdf_s, own, child, len(pdf)


def _pages(app, rounds):
    """Page samples (seconds) of `rounds` rounds of QUERIES."""
    samples = []
    for _ in range(rounds):
        for query in QUERIES:
            started = time.perf_counter()
            _page(app, query)
            samples.append(time.perf_counter() - started)
    return samples


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
        count_s = _count(app)
        first, pages, charts = measure(app, p["rounds"])
        _mark(app)
        marked = _pages(app, p["rounds"])
        html_s, pdf_s, own_cpu, child_cpu, pdf_bytes = _report(app)
        with app.app_context():
            from forum.extensions import db

            db.engine.dispose()
    page = latency_summary(pages)
    live = latency_summary(marked)
    goals_met = {"p95_ms": page["p95_ms"] < GOAL_P95_MS, "pdf_s": pdf_s < GOAL_PDF_S}
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
        "two_days_live": live,
        "tally_count_s": round(count_s, 1),
        "report": {
            "html_s": round(html_s, 2),
            "pdf_s": round(pdf_s, 2),
            "server_cpu_s": round(own_cpu, 2),
            "pdf_process_cpu_s": round(child_cpu, 2),
            "pdf_bytes": pdf_bytes,
        },
        "goals": {"p95_ms": GOAL_P95_MS, "pdf_s": GOAL_PDF_S},
        "goals_met": goals_met,
        "setup": {
            **p,
            "rows": rows,
            "load_s": load_s,
            "queries": list(QUERIES),
            "call": "forum.insights: the filter form, services.figures(), render_template, in-process; "
            "the staff report's HTML (forum.report) and its PDF (forum.pdfs.render, a child process)",
        },  # fmt: skip
        "smoke": smoke,
        "elapsed_s": round(time.perf_counter() - started, 1),
    }


def summary(result):
    """One line: the page's p50/p95/p99, the first request, a chart's p95, the PDF, against the goals."""
    verdict = {goal: "met" if met else "missed" for goal, met in result["goals_met"].items()}
    report = result["report"]
    return (
        f"dashboard: p50 {result['p50_ms']} / p95 {result['p95_ms']} / p99 {result['p99_ms']} ms, first "
        f"{result['first_request_ms']} ms; two days live p95 {result['two_days_live']['p95_ms']} ms; a chart "
        f"p95 {result['chart']['p95_ms']} ms (goal p95 < {GOAL_P95_MS:.0f} ms: {verdict['p95_ms']}); the "
        f"report's HTML {report['html_s']} s, PDF {report['pdf_s']} s (goal < {GOAL_PDF_S:.0f} s: "
        f"{verdict['pdf_s']}), server CPU {report['server_cpu_s']} s, PDF process CPU "
        f"{report['pdf_process_cpu_s']} s"
    )
