"""Security baseline: headers, CSRF, error pages that leak nothing, production refuses weak config."""

import re

import pytest
from flask import abort

from config import ProductionConfig
from forum import create_app
from forum.policy import requires
from tests.conftest import make_config


def test_security_headers_with_a_fixed_policy(client):
    """The same policy on every response, scripts and styles from our own files only, and no nonce."""
    first, second = client.get("/login"), client.get("/login")
    csp = first.headers["Content-Security-Policy"]
    assert csp == second.headers["Content-Security-Policy"]
    assert "script-src 'self';" in csp and "style-src 'self';" in csp
    assert "nonce" not in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert "object-src 'none'" in csp
    assert first.headers["X-Content-Type-Options"] == "nosniff"
    assert first.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "Strict-Transport-Security" not in first.headers


def test_scripts_are_our_files_and_no_inline_handlers(client, auth, admin):
    """Every script of a page is a file of ours, with no nonce; no inline script, style or handler."""
    auth.login(admin)
    for path in ("/admin/registrations", "/moderation/", "/programme", "/programme/opening"):
        page = client.get(path).text
        scripts = re.findall(r"<script[^>]*>", page)
        assert scripts, path
        assert all(re.fullmatch(r'<script src="/static/[^"]+\.js">', tag) for tag in scripts), path
        assert "<style" not in page, path
        assert not re.search(r"\son[a-z]+=", page), path


@pytest.mark.parametrize("config_overrides", [{"WTF_CSRF_ENABLED": True}])
def test_session_cookie_is_http_only(client, db):
    """The session cookie, first set by the sign-in form's token, is HttpOnly and SameSite=Lax."""
    cookie = client.get("/login").headers.get("Set-Cookie", "")
    assert cookie.startswith("session=")
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


@pytest.mark.parametrize("config_overrides", [{"WTF_CSRF_ENABLED": True}])
def test_csrf_is_required_on_every_form(client, db, participant):
    response = client.post("/login", data={"email": participant.email, "password": "x"})
    assert response.status_code == 400
    assert "The form expired" in response.text
    assert client.post("/language", data={"language": "fr"}).status_code == 400
    page = client.get("/login").text
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    from tests.conftest import PASSWORD

    ok = client.post("/login", data={"email": participant.email, "password": PASSWORD, "csrf_token": token})
    assert ok.status_code == 302


def test_unexpected_error_is_a_styled_500_that_leaks_nothing(app, client):
    @app.route("/boom")
    @requires("anyone")
    def boom():
        """Fail on purpose."""
        raise RuntimeError("secret internals: password=hunter2")

    response = client.get("/boom")
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.text
    assert "hunter2" not in response.text
    assert "Traceback" not in response.text


def test_http_errors_are_styled(app, client):
    @app.route("/teapot-gone")
    @requires("anyone")
    def gone():
        """Answer 410."""
        abort(410)

    response = client.get("/teapot-gone")
    assert response.status_code == 410
    assert "This link is no longer valid" in response.text


def test_production_refuses_to_start_without_secret_key():
    config = type(
        "NoSecret", (ProductionConfig,), {"SECRET_KEY": None, "SQLALCHEMY_DATABASE_URI": "sqlite://"}
    )
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app(config)


def test_production_refuses_to_start_without_database_url():
    config = type("NoDb", (ProductionConfig,), {"SECRET_KEY": "x" * 32, "SQLALCHEMY_DATABASE_URI": None})
    with pytest.raises(RuntimeError, match="DATABASE_URL"):
        create_app(config)


def test_production_sends_hsts_and_secure_cookies():
    settings = {
        "SECRET_KEY": "x" * 32,
        "SQLALCHEMY_DATABASE_URI": "sqlite://",
        "SQLALCHEMY_ENGINE_OPTIONS": {},
        "DEPLOYMENT_NAME": "security-test",
        "MAIL_SERVER": "smtp.example.org",
    }
    config = type("Prod", (ProductionConfig,), {**settings, "REDIS_URL": None})
    app = create_app(config)
    response = app.test_client().get("/login")
    assert "max-age=" in response.headers["Strict-Transport-Security"]
    assert app.config["SESSION_COOKIE_SECURE"] is True


def test_members_only_site_sends_anonymous_visitors_to_sign_in():
    app = create_app(make_config(PUBLIC_READ=False))
    client = app.test_client()
    for path in ("/", "/programme", "/users/1"):
        response = client.get(path)
        assert response.status_code == 302
        assert "/login" in response.headers["Location"]
    assert client.get("/login").status_code == 200
