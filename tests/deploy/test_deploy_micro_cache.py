"""The nginx micro-cache of docs/deploy.md, run as written there in front of the app.

The two snippets are read from the document (only the cache folder moves under the test's own), so
the test checks what an operator copies. The app is the embedded default on SQLite with one account;
a request with ?slow=1 takes a second (tests/deploy/slow_wsgi.py), so that simultaneous requests
overlap at the proxy.
"""

import os
import shutil
import subprocess
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import pytest
import requests

from bench.nginx import micro_cache
from bench.server import BIN, free_port, gunicorn, server_env
from tests.conftest import unavailable
from tests.deploy.clients import ForumClient

ROOT = Path(__file__).resolve().parents[2]
# Short enough to see a page expire within the test.
CACHE_SECONDS = 2
READER = "reader@example.org"
PASSWORD = "a long enough password"


def nginx_config(workdir, listen, upstream):
    """A whole nginx configuration around the documented snippets, with its files under `workdir`."""
    http_part, location_part = micro_cache(workdir / "cache")
    temp_paths = "".join(
        f"{kind}_temp_path {workdir / kind};\n"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    user = "user root;\n" if os.geteuid() == 0 else ""
    return f"""{user}worker_processes 1;
pid {workdir / "nginx.pid"};
error_log {workdir / "error.log"};
events {{ worker_connections 256; }}
http {{
access_log {workdir / "access.log"};
{temp_paths}
upstream forum {{ server {upstream}; }}
{http_part}
server {{
listen 127.0.0.1:{listen};
location / {{
proxy_pass http://forum;
proxy_set_header Host $host;
proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
proxy_set_header X-Forwarded-Proto $scheme;
{location_part}
}}
}}
}}
"""


def wait_for(condition, seconds=10.0, every=0.05):
    """Poll `condition` until it returns something true; fail after `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(every)
    raise AssertionError(f"condition not met within {seconds} s")


@contextmanager
def nginx(workdir, upstream):
    """nginx with the documented cache in front of `upstream`; yields its base URL."""
    binary = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin")
    if binary is None:
        unavailable("nginx", "not installed (make nginx)")
    port = free_port()
    config = workdir / "nginx.conf"
    config.write_text(nginx_config(workdir, port, upstream))
    check = subprocess.run([binary, "-t", "-c", str(config)], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    process = subprocess.Popen(
        [binary, "-c", str(config), "-g", "daemon off;"], stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT
    )
    base = f"http://127.0.0.1:{port}"

    def answers():
        """True once nginx answers on its port."""
        try:
            return requests.get(base + "/healthz", timeout=2).status_code == 200
        except requests.ConnectionError:
            return False

    try:
        wait_for(answers)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="module")
def app_server():
    """The app (embedded default, one reader), marking anonymous pages public for CACHE_SECONDS."""
    workdir = Path(tempfile.mkdtemp(prefix="forum-nginx-"))
    env = {**server_env(workdir), "ANONYMOUS_CACHE_SECONDS": str(CACHE_SECONDS)}
    flask = [str(BIN / "flask"), "--app", "wsgi"]
    for command, given in ((["db", "upgrade"], ""), (["forum", "create-user", READER], PASSWORD + "\n")):
        done = subprocess.run(
            [*flask, *command], cwd=ROOT, env=env, input=given, capture_output=True, text=True, timeout=300
        )
        assert done.returncode == 0, done.stdout + done.stderr
    with gunicorn(
        "tests.deploy.slow_wsgi:app", env, workdir / "app.log", workers=1, probe="/healthz"
    ) as base:
        yield workdir, base
    shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture(scope="module")
def proxy(app_server):
    """nginx with the documented micro-cache in front of the app; yields its base URL."""
    workdir, base = app_server
    with nginx(workdir, base.removeprefix("http://")) as proxied:
        yield proxied


def anonymous(base, path, **headers):
    """A GET from a browser with no session: a fresh connection, no cookie unless given."""
    return requests.get(
        base + path, headers={"Connection": "close", **headers}, allow_redirects=False, timeout=30
    )


def status(response):
    """What the cache did: HIT, MISS, BYPASS, STALE, UPDATING..."""
    return response.headers["X-Cache-Status"]


def test_a_second_anonymous_request_is_a_hit_with_the_same_bytes(proxy):
    """The first anonymous request goes to the app, the next one is answered by nginx, unchanged."""
    first, second = anonymous(proxy, "/threads"), anonymous(proxy, "/threads")
    assert (status(first), status(second)) == ("MISS", "HIT")
    assert first.content == second.content
    assert "Set-Cookie" not in second.headers


@pytest.mark.parametrize(
    ("headers", "language"),
    [({"Accept-Language": "fr-CH,fr;q=0.9"}, "fr"), ({"Cookie": "language=zh"}, "zh")],
    ids=["accept-language", "language-cookie"],
)
def test_each_language_is_an_entry_of_its_own(proxy, headers, language):
    """A page in another language is cached apart: nobody gets a language they did not ask for."""
    english = anonymous(proxy, "/programme")
    first, second = anonymous(proxy, "/programme", **headers), anonymous(proxy, "/programme", **headers)
    assert '<html lang="en"' in english.text
    assert (status(first), status(second)) == ("MISS", "HIT")
    assert f'<html lang="{language}"' in second.text


def test_a_signed_in_page_is_never_stored_nor_served_to_others(proxy):
    """A request with the session cookie goes to the app, and what it gets is not kept for anyone."""
    reader = ForumClient(proxy)
    reader.sign_in(READER, PASSWORD)
    mine = reader.get("/hub/?signed-in-first")
    assert status(mine) == "BYPASS"
    assert 'name="csrf-token"' in mine.text
    assert "private" in mine.headers["Cache-Control"]
    first = anonymous(proxy, "/hub/?signed-in-first")
    assert status(first) == "MISS"
    assert 'name="csrf-token"' not in first.text
    assert status(reader.get("/hub/?signed-in-first")) == "BYPASS"


def test_an_answer_that_sets_a_cookie_is_never_stored(proxy):
    """The sign-in page sets the session cookie: each visitor gets their own, from the app."""
    first, second = anonymous(proxy, "/login"), anonymous(proxy, "/login")
    assert (status(first), status(second)) == ("MISS", "MISS")
    assert first.cookies["session"] != second.cookies["session"]


def burst(base, path, count):
    """`count` anonymous requests for `path` at the same moment; their responses."""
    with ThreadPoolExecutor(count) as pool:
        return list(pool.map(lambda _n: anonymous(base, path), range(count)))


def test_simultaneous_misses_make_one_request_to_the_app(proxy):
    """Ten readers ask for a page nobody asked for yet: one goes to the app, nine wait for its answer."""
    answers = burst(proxy, "/threads?slow=1&burst", 10)
    assert sorted(status(a) for a in answers) == ["HIT"] * 9 + ["MISS"]
    assert len({a.content for a in answers}) == 1


def test_an_expired_page_is_fetched_once_while_others_get_the_previous_copy(proxy):
    """After expiry, one request refreshes the page in the background; nobody waits for the app."""
    path = "/threads?slow=1&expiry"
    assert status(anonymous(proxy, path)) == "MISS"

    def expired():
        """The first answer that is not a fresh hit, once the page's two seconds are over."""
        found = anonymous(proxy, path)
        return found if status(found) != "HIT" else None

    stale = wait_for(expired)
    assert status(stale) == "STALE"
    started = time.monotonic()
    answers = burst(proxy, path, 5)
    assert time.monotonic() - started < 1, "the app's one-second render was not waited for"
    assert {status(a) for a in answers} == {"UPDATING"}
    assert {a.content for a in answers} == {stale.content}
