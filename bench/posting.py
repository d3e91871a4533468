"""Posting for the fan-out benchmarks: a thread written through the services, replies through the form."""

import http.client
import re
import time
import urllib.parse

from bench.corpus import TextGenerator
from bench.dataset import bench_app
from bench.server import USER_AGENT

READER = ("reader@bench.example.org", "bench reader passphrase 2026")
PASSWORD = "bench author passphrase 2026"  # noqa: S105 - a throwaway benchmark account
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def build_thread(uri, posts):
    """One thread of `posts` posts written through the services, and a verified reader; its id."""
    app = bench_app(uri)
    from forum.accounts import services as accounts
    from forum.demo import THEMES
    from forum.extensions import db
    from forum.threads import services as threads
    from forum.threads.models import Theme

    gen = TextGenerator()

    def user(email, name, password=PASSWORD):
        """A verified participant, made as the secretariat makes one."""
        data = {"email": email, "name": name, "password": password}
        return accounts.create_verified_user(
            {**data, "stakeholder_group": "civil_society", "organisation": "Bench Organisation"}
        )

    with app.test_request_context():
        slug, name, about = THEMES[0]
        theme = Theme(slug=slug, name=name, description=about)
        db.session.add(theme)
        db.session.commit()
        authors = [user(f"author{i}@bench.example.org", f"Author Number{i}") for i in range(3)]
        user(READER[0], "Patient Reader", READER[1])
        thread = threads.create_thread(authors[0], theme, gen.title(), "discussion", gen.markdown_body())
        for n in range(1, posts):
            threads.reply(authors[n % 3], thread, gen.markdown_body())
        thread_id = thread.id
        db.session.remove()
        db.engine.dispose()
    return thread_id


class Poster:
    """Replies over one keep-alive HTTP connection, signed in through the real forms (CSRF and all)."""

    def __init__(self, base):
        self.http = http.client.HTTPConnection(urllib.parse.urlsplit(base).netloc, timeout=30)
        self.cookies = {}

    def request(self, method, path, form=None):
        """One request with the session cookie; returns (status, headers, body), keeping new cookies."""
        headers = {"User-Agent": USER_AGENT, "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            self.http.request(method, path, body=body, headers=headers)
        except (BrokenPipeError, ConnectionResetError):
            # gunicorn closed the idle keep-alive connection (after 2 s): open a new one.
            self.http.close()
            self.http.request(method, path, body=body, headers=headers)
        response = self.http.getresponse()
        content = response.read()
        for header in response.headers.get_all("Set-Cookie") or ():
            name, _, rest = header.partition("=")
            self.cookies[name] = rest.split(";", 1)[0]
        return response.status, response.headers, content

    def sign_in(self, email=READER[0], password=READER[1]):
        """Sign in through /login (the reader unless told whom), as a browser does: form, token, post."""
        token = CSRF.search(self.request("GET", "/login")[2].decode()).group(1)
        form = {"email": email, "password": password, "csrf_token": token}
        status, _headers, _body = self.request("POST", "/login", form)
        if status != 302 or "session" not in self.cookies:
            raise RuntimeError(f"signing in answered {status}")


def forum_poster(base, thread_id):
    """A function posting a reply that carries a token; returns (request sent, response received)."""
    poster = Poster(base)
    poster.sign_in()
    path = f"/threads/{thread_id}/reply"
    csrf = CSRF.search(poster.request("GET", path)[2].decode()).group(1)
    gen = TextGenerator(seed=7)

    def post(token):
        """The reply form, as a browser submits it; a redirect to the new post means it was published."""
        form = {"body": f"{gen.markdown_body()} ({token})", "csrf_token": csrf, "reply_to": ""}
        sent = time.monotonic()
        status, headers, _body = poster.request("POST", path, form)
        answered = time.monotonic()
        if status != 302 or "#post-" not in headers.get("Location", ""):
            raise RuntimeError(f"reply answered {status} {headers.get('Location')}")
        return sent, answered

    return post


def broadcast_poster(base, room, size):
    """A function hitting the bare app's broadcast endpoint; returns (request sent, response received)."""
    netloc = urllib.parse.urlsplit(base).netloc
    connection = http.client.HTTPConnection(netloc, timeout=30)

    def post(token):
        """POST /broadcast with the token and the forum's payload size."""
        query = urllib.parse.urlencode({"room": room, "token": token, "size": size})
        # A new connection each time, as gunicorn drops idle keep-alive ones: the response time is the same.
        connection.close()
        sent = time.monotonic()
        connection.request("POST", f"/broadcast?{query}", headers={"User-Agent": USER_AGENT})
        response = connection.getresponse()
        response.read()
        answered = time.monotonic()
        if response.status != 204:
            raise RuntimeError(f"broadcast answered {response.status}")
        return sent, answered

    return post
