"""Anonymous pages a shared cache may keep: no cookie, the same bytes for the same request, the right headers.

CSRF protection is on, as in production: with it off, forms make no token and a page that would set a
cookie in production would pass here.
"""

import re

import pytest
from sqlalchemy import func, select

from forum.demo import seed
from forum.hub.models import Contribution
from forum.threads.models import Post, Thread
from tests.conftest import PASSWORD

# A form token or the page's token for scripts, with a value (the Q&A's vote forms carry an empty one).
TOKEN = re.compile(r'csrf[_-]token"[^>]*(?:value|content)="[^"]')
PUBLIC = "public, max-age=0, s-maxage=10"
PRIVATE = "private, no-store"
# (Accept-Language sent, the page's language): the browser's choice picks the language of a page.
LANGUAGES = [(None, "en"), ("fr-CH,fr;q=0.9,en;q=0.5", "fr"), ("ar", "ar")]
# Pages with a form that an anonymous visitor submits: the form's CSRF token lives in the session, so
# these set the session cookie and are never shared. Every other public page is.
FORM_PAGES = {
    "/login": "the sign-in form",
    "/register": "the registration form",
    "/forgot-password": "the password-reset request form",
}

pytestmark = pytest.mark.parametrize("config_overrides", [{"WTF_CSRF_ENABLED": True}])


@pytest.fixture
def public_pages(db):
    """Every kind of public page, on the demo data: name -> (path, status)."""
    seed()
    replies = select(Post.thread_id).group_by(Post.thread_id).having(func.count() > 2)
    thread = db.session.scalar(select(Thread).where(Thread.id.in_(replies)).order_by(Thread.id))
    post = db.session.scalar(
        select(Post).where(Post.thread_id == thread.id, Post.state == "published").order_by(Post.id.desc())
    )
    entry = db.session.scalar(select(Contribution).where(Contribution.state == "published"))
    return {
        "home": ("/", 200),
        "thread list": ("/threads", 200),
        "theme": (f"/themes/{thread.theme.slug}", 200),
        "thread with posts": (f"/threads/{thread.id}", 200),
        "permalink": (f"/posts/{post.id}", 302),
        "programme": ("/programme", 200),
        "session with a Q&A": ("/programme/cooperation", 200),
        "speakers' list": ("/programme/high-level/speakers", 200),
        "Hub index": ("/hub/", 200),
        "Hub entry": (f"/hub/{entry.id}", 200),
        "search": ("/search?q=AI", 200),
        "profile": (f"/users/{thread.author_id}", 200),
        "participation summary": ("/participation", 200),
        "not found": ("/threads/999999", 404),
    }


def anonymous_get(app, path, accept_language=None, cookie=None):
    """A GET from a visitor with no cookie (or only `cookie`), as a fresh browser or a proxy sends it."""
    headers = {"Accept-Language": accept_language} if accept_language else {}
    client = app.test_client()
    if cookie:
        client.set_cookie(*cookie)
    return client.get(path, headers=headers)


def assert_shareable(first, second, status, language):
    """Two anonymous answers that a shared cache may keep and hand to anyone asking the same."""
    assert first.status_code == second.status_code == status, f"status {first.status_code}"
    assert "Set-Cookie" not in first.headers and "Set-Cookie" not in second.headers, "sets a cookie"
    assert first.data == second.data, "different bytes"
    assert first.headers["Cache-Control"] == PUBLIC, first.headers["Cache-Control"]
    assert {"Cookie", "Accept-Language"} <= set(first.vary), f"Vary: {first.headers.get('Vary')}"
    assert "nonce" not in first.headers["Content-Security-Policy"], "a nonce in the policy"
    assert "nonce=" not in first.text, "a nonce in the page"
    assert not TOKEN.search(first.text), "a CSRF token in the page"
    if status != 302:
        assert re.search(rf'<html lang="{language}"', first.text), "not in the asked language"


def test_anonymous_pages_are_the_same_bytes_with_no_cookie(app, public_pages):
    """Every public page type, in three languages: two anonymous GETs give identical, shareable answers."""
    failures = {}
    for page, (path, status) in public_pages.items():
        for accept_language, language in LANGUAGES:
            first = anonymous_get(app, path, accept_language)
            second = anonymous_get(app, path, accept_language)
            try:
                assert_shareable(first, second, status, language)
            except AssertionError as error:
                failures[f"{page} ({language})"] = str(error).splitlines()[0]
    assert failures == {}


def test_the_language_cookie_picks_the_shared_page(app, public_pages):
    """A visitor who chose a language with the switcher gets that language's shared page."""
    path, _status = public_pages["thread list"]
    cookie = ("language", "zh")
    first = anonymous_get(app, path, "fr", cookie=cookie)
    second = anonymous_get(app, path, "fr", cookie=cookie)
    assert_shareable(first, second, 200, "zh")
    assert first.data != anonymous_get(app, path, "fr").data


@pytest.mark.parametrize("path", sorted(FORM_PAGES))
def test_pages_with_an_anonymous_form_are_the_only_exceptions(app, db, path):
    """The sign-in, registration and reset-request forms carry a token: a session cookie, never shared."""
    response = anonymous_get(app, path)
    assert response.status_code == 200
    assert "session=" in response.headers["Set-Cookie"]
    assert 'name="csrf_token"' in response.text
    assert response.headers["Cache-Control"] == PRIVATE


def sign_in(client, user):
    """Sign in through the form, with its token."""
    form = client.get("/login").text
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form).group(1)
    response = client.post("/login", data={"email": user.email, "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 302


def test_signed_in_pages_are_never_shared(app, public_pages, participant):
    """A signed-in reader's pages hold their name and tokens: private, no-store, on every page type."""
    client = app.test_client()
    sign_in(client, participant)
    for page, (path, _status) in public_pages.items():
        response = client.get(path)
        assert response.headers["Cache-Control"] == PRIVATE, page
        assert "Cookie" in response.vary, page


def test_a_session_cookie_makes_a_page_private(app, public_pages, participant):
    """A visitor whose session holds something (here the signed-out notice) gets a page of their own."""
    client = app.test_client()
    sign_in(client, participant)
    page = client.get("/").text
    token = re.search(r'<meta name="csrf-token" content="([^"]+)"', page).group(1)
    client.post("/logout", data={"csrf_token": token})
    response = client.get(public_pages["home"][0])
    assert "You are signed out." in response.text
    assert response.headers["Cache-Control"] == PRIVATE
