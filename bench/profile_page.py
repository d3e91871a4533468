"""Where a thread page's time goes: `python -m bench.profile_page [--requests N] [--postgres]`.

Builds one thread of 200 posts as the thread_page benchmark writes its data (bench/thread_data.py) on a
SQLite file (with --postgres, a fresh PostgreSQL database, as production runs), serves page 1
in-process through Flask's test client (no server, no network), times it plain, then under cProfile,
and prints the share of each part of the work, anonymous and signed in.
Shares overlap where one part calls another (url_for inside rendering).
"""

import argparse
import cProfile
import pstats
import tempfile
import time
from contextlib import nullcontext
from pathlib import Path

from bench import thread_data
from bench.dataset import bench_app, migrate, postgres_database
from bench.posting import CSRF
from bench.server import server_env
from bench.thread_page import forum_env

# One thread of 200 posts by eight participants; the reader is a ninth account.
DATA = {"threads": 1, "posts": (200, 200), "authors": 8, "accounts": 9}

# (label, path fragment, function name): the inclusive time of every matching function is summed.
AREAS = [
    ("whole request (Flask wsgi_app)", "flask/app.py", "wsgi_app"),
    ("template rendering (render_template)", "flask/templating.py", "render_template"),
    ("  url_for", "flask/app.py", "url_for"),
    ("  gettext/ngettext from templates", "jinja2/ext.py", "_gettext_alias"),
    ("  ", "jinja2/ext.py", "_ngettext_alias"),
    ("  geneva date filter", "forum/i18n.py", "geneva"),
    ("  country names", "forum/i18n.py", "country_name"),
    ("  csrf_token()", "flask_wtf/csrf.py", "generate_csrf"),
    ("  markupsafe escape", "markupsafe/__init__.py", "escape"),
    ("database (Session.execute, ORM loading included)", "sqlalchemy/orm/session.py", "_execute_internal"),
    ("  queries.post_page", "forum/threads/queries.py", "post_page"),
    ("  routes.visible_thread", "forum/threads/routes.py", "visible_thread"),
    ("  realtime last_seq", "forum/realtime/store.py", "last_seq"),
    ("  notifications.is_following", "forum/notifications/services.py", "is_following"),
    ("  queries.mark_read", "forum/threads/queries.py", "mark_read"),
    ("  notifications.mark_read", "forum/notifications/services.py", "mark_read"),
    ("  session commits", "sqlalchemy/orm/session.py", "commit"),
    ("user loading (Flask-Login)", "forum/accounts/routes.py", "load_user"),
    ("security headers", "forum/security.py", "_headers"),
    ("locale selection", "forum/i18n.py", "select_locale"),
]


def inclusive(stats, fragment, function):
    """Seconds spent in (and under) every function named `function` in a file matching `fragment`."""
    return sum(
        row[3]
        for (filename, _line, name), row in stats.stats.items()
        if name == function and fragment in filename.replace("\\", "/")
    )


def signed_in_client(app):
    """A test client signed in as the reader through the real form, CSRF token included."""
    client = app.test_client()
    token = CSRF.search(client.get("/login").get_data(as_text=True)).group(1)
    email = thread_data.account_email(DATA["accounts"])
    form = {"email": email, "password": thread_data.PASSWORD, "csrf_token": token}
    response = client.post("/login", data=form)
    if response.status_code != 302:
        raise RuntimeError(f"sign-in answered {response.status_code}")
    return client


def profile(client, url, requests):
    """(plain ms per request, cProfile stats) for `requests` GETs of `url`."""
    for _ in range(20):
        client.get(url)
    start = time.perf_counter()
    for _ in range(requests):
        client.get(url)
    plain_ms = (time.perf_counter() - start) / requests * 1000
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(requests):
        client.get(url)
    profiler.disable()
    stats = pstats.Stats(profiler)
    return plain_ms, stats


def report(label, plain_ms, stats, requests, top):
    """Print the areas' shares of the request and the functions with the most time of their own."""
    total = inclusive(stats, "flask/app.py", "wsgi_app")
    print(f"\n== {label}: {plain_ms:.2f} ms per request without the profiler")
    for name, fragment, function in AREAS:
        seconds = inclusive(stats, fragment, function)
        if seconds:
            share = 100 * seconds / total
            print(f"{name or '  ':<52} {seconds / requests * 1000:7.2f} ms {share:5.1f} %")
    print(f"-- top {top} functions by own time (profiled ms per request)")
    rows = sorted(stats.stats.items(), key=lambda item: item[1][2], reverse=True)[:top]
    for (filename, line, name), row in rows:
        where = filename.split("site-packages/")[-1].replace(str(Path.cwd()) + "/", "")
        print(f"{row[2] / requests * 1000:7.3f} ms  {row[1]:>7} calls  {where}:{line}({name})")


def main(argv=None):
    """Build the data, then profile the anonymous and the signed-in page."""
    parser = argparse.ArgumentParser(prog="python -m bench.profile_page", description=__doc__)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--top", type=int, default=15)
    parser.add_argument("--postgres", action="store_true", help="on PostgreSQL, as production runs")
    args = parser.parse_args(argv)
    database = postgres_database() if args.postgres else nullcontext(None)
    with tempfile.TemporaryDirectory(prefix="forum-profile-") as tmp, database as url:
        uri = url or f"sqlite:///{Path(tmp) / 'forum.db'}"
        migrate(forum_env(tmp, url) if url else server_env(tmp))
        thread_data.load(bench_app(uri), uri, DATA)
        app = bench_app(uri)
        url = "/threads/1"
        for label, client in (("anonymous", app.test_client()), ("signed in", signed_in_client(app))):
            plain_ms, stats = profile(client, url, args.requests)
            report(label, plain_ms, stats, args.requests, args.top)


if __name__ == "__main__":
    main()
