"""thread_page: a thread page served by gunicorn (2 gevent workers) against hello-world served the same way.

One run serves hello-world, then the forum on a fresh SQLite file holding one thread of 200 posts,
and loads each with wrk (32 connections, 20 s): anonymous page 1, then the same page signed in.
"""

import http.cookiejar
import re
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

from bench.corpus import TextGenerator
from bench.dataset import bench_app, migrate
from bench.server import USER_AGENT, WORKER_CLASS, gunicorn, server_env, wrk

NAME = "thread_page"
FULL = {"posts": 200, "connections": 32, "seconds": 20, "warmup": 3, "authors": 8}
SMOKE = {"posts": 30, "connections": 4, "seconds": 1, "warmup": 0, "authors": 2}
WORKERS = 2
GOALS = {"ratio": 0.25, "p99_ms": 100, "signed_in_ratio": 0.15}
READER = ("reader@bench.example.org", "bench reader passphrase 2026")
AUTHOR_PASSWORD = "bench author passphrase 2026"  # noqa: S105 - a throwaway benchmark account
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def _user(accounts, email, name, password=AUTHOR_PASSWORD):
    """A verified participant, made through the account service (argon2 hash and all)."""
    data = {
        "email": email,
        "name": name,
        "password": password,
        "stakeholder_group": "civil_society",
        "organisation": "Bench Organisation",
    }
    return accounts.create_verified_user(data)


def build(instance, posts, authors):
    """Migrate a fresh SQLite file under `instance` and write one thread through the services; its id."""
    migrate(server_env(instance))
    app = bench_app(f"sqlite:///{instance / 'forum.db'}")
    from forum.accounts import services as accounts
    from forum.demo import THEMES
    from forum.extensions import db
    from forum.threads import services as threads
    from forum.threads.models import Theme

    gen = TextGenerator()
    # A request context, as in a route: rendering a post may build URLs for its @mentions.
    with app.test_request_context():
        slug, name, about = THEMES[0]
        theme = Theme(slug=slug, name=name, description=about)
        db.session.add(theme)
        db.session.commit()
        writers = [
            _user(accounts, f"author{i}@bench.example.org", f"Author Number{i}") for i in range(authors)
        ]
        _user(accounts, READER[0], "Patient Reader", READER[1])
        thread = threads.create_thread(writers[0], theme, gen.title(), "discussion", gen.markdown_body())
        for n in range(1, posts):
            threads.reply(writers[n % authors], thread, gen.markdown_body())
        thread_id = thread.id
        db.session.remove()
        db.engine.dispose()
    return thread_id


def sign_in(base):
    """Sign the reader in through the real form (CSRF token and all); the Cookie header for wrk."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.addheaders = [("User-Agent", USER_AGENT)]
    with opener.open(base + "/login") as response:
        token = CSRF.search(response.read().decode()).group(1)
    form = urllib.parse.urlencode({"email": READER[0], "password": READER[1], "csrf_token": token})
    with opener.open(base + "/login", form.encode()):
        pass
    session = next((cookie.value for cookie in jar if cookie.name == "session"), None)
    if session is None:
        raise RuntimeError("signing in gave no session cookie")
    return f"session={session}"


def check_page(url, cookie, posts_expected):
    """Fail early unless the page shows its posts, and shows the reader signed in when a cookie is given."""
    headers = {"User-Agent": USER_AGENT, **({"Cookie": cookie} if cookie else {})}
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 - loopback URL we built
    with urllib.request.urlopen(request) as response:  # noqa: S310 - loopback URL we built
        html = response.read().decode()
    shown = len(re.findall(r'<li class="post post-published[ "]', html))
    signed_in = "Sign out" in html
    if shown != posts_expected or signed_in != bool(cookie):
        raise RuntimeError(
            f"{url}: {shown} posts shown, signed in: {signed_in}; expected {posts_expected}, {bool(cookie)}"
        )
    return len(html)


def measure(url, p, cookie=None):
    """A short warm-up (templates, pools, caches), then the measured wrk run."""
    if p["warmup"]:
        wrk(url, p["connections"], p["warmup"], cookie)
    return wrk(url, p["connections"], p["seconds"], cookie)


def run(smoke=False):
    """Build the data, serve and load hello-world and the forum; the result dictionary."""
    p = SMOKE if smoke else FULL
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="forum-bench-") as tmp:
        instance = Path(tmp)
        thread_id = build(instance, p["posts"], p["authors"])
        env = server_env(instance)
        with gunicorn("bench.hello:app", env, instance / "hello.log", WORKERS) as base:
            hello = measure(base + "/", p)
        with gunicorn("wsgi:app", env, instance / "forum.log", WORKERS, probe="/login") as base:
            url = f"{base}/threads/{thread_id}"
            cookie = sign_in(base)
            page_bytes = check_page(url, None, min(20, p["posts"]))
            check_page(url, cookie, min(20, p["posts"]))
            anonymous = measure(url, p)
            signed_in = measure(url, p, cookie)
    ratio = anonymous["rps"] / hello["rps"]
    signed_ratio = signed_in["rps"] / hello["rps"]
    return {
        "name": NAME,
        "metric": "anonymous thread page requests/s, as a ratio to hello-world Flask served the same way",
        "value": anonymous["rps"],
        "baseline": hello["rps"],
        "ratio": round(ratio, 4),
        "unit": "requests/s",
        "p50_ms": anonymous["p50_ms"],
        "p99_ms": anonymous["p99_ms"],
        "signed_in_rps": signed_in["rps"],
        "signed_in_ratio": round(signed_ratio, 4),
        "signed_in_p50_ms": signed_in["p50_ms"],
        "signed_in_p99_ms": signed_in["p99_ms"],
        "hello_p50_ms": hello["p50_ms"],
        "hello_p99_ms": hello["p99_ms"],
        "goals": GOALS,
        "goals_met": {
            "ratio": ratio >= GOALS["ratio"],
            "p99_ms": anonymous["p99_ms"] < GOALS["p99_ms"],
            "signed_in_ratio": signed_ratio >= GOALS["signed_in_ratio"],
        },
        "runs": {"hello": hello, "anonymous": anonymous, "signed_in": signed_in},
        "setup": {
            "server": f"gunicorn --worker-class {WORKER_CLASS} --workers {WORKERS}, no access log",
            "database": "sqlite (embedded default, WAL)",
            "thread_posts": p["posts"],
            "page": 1,
            "page_bytes": page_bytes,
            "connections": p["connections"],
            "seconds": p["seconds"],
            "warmup_seconds": p["warmup"],
            "load_generator": "wrk",
        },
        "smoke": smoke,
        "elapsed_s": round(time.perf_counter() - started, 1),
    }


def summary(result):
    """One line: anonymous and signed-in throughput, ratios and tail latency."""
    return (
        f"thread_page: anonymous {result['value']:.0f} rps = {result['ratio']:.3f} x hello "
        f"({result['baseline']:.0f} rps), p50 {result['p50_ms']} ms, p99 {result['p99_ms']} ms; "
        f"signed-in {result['signed_in_rps']:.0f} rps = {result['signed_in_ratio']:.3f} x hello, "
        f"p99 {result['signed_in_p99_ms']} ms"
    )
