"""The health check: database and Redis reachability, no details, open on a members-only site."""

import pytest

from tests.conftest import Auth, make_config


def test_healthy_on_the_embedded_default(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "database": "ok"}
    assert response.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize("config_overrides", [{"PUBLIC_READ": False}])
def test_open_on_a_members_only_site(client):
    assert client.get("/healthz").status_code == 200
    assert client.get("/threads").status_code == 302


@pytest.mark.parametrize("config_overrides", [{"REDIS_URL": "redis://127.0.0.1:1/0"}])
def test_an_unreachable_redis_degrades_readiness_without_details(client, caplog):
    """The app serves through a Redis blip, so the load balancer keeps it: 200, "degraded"."""
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "degraded", "database": "ok", "redis": "unavailable"}
    assert "127.0.0.1" not in response.text
    assert "health check: Redis unreachable" in caplog.text


def test_an_unreachable_database_is_reported_without_details(app, caplog):
    from forum import create_app

    broken = create_app(make_config(SQLALCHEMY_DATABASE_URI="postgresql+psycopg://nobody@127.0.0.1:1/none"))
    response = broken.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json == {"status": "unavailable", "database": "unavailable"}
    assert "health check: database unreachable" in caplog.text


@pytest.mark.parametrize("signed_in", [False, True], ids=["visitor", "signed_in"])
def test_pages_answer_a_clear_503_while_the_database_is_down(client, participant, signed_in):
    """Visitors and signed-in users alike get the 503 page with Retry-After, never a bare 500."""
    from forum import create_app

    if signed_in:
        assert Auth(client).login(participant).status_code == 302
    broken = create_app(make_config(SQLALCHEMY_DATABASE_URI="postgresql+psycopg://nobody@127.0.0.1:1/none"))
    # The same browser, on a server whose database is gone.
    browser = broken.test_client()
    session = client.get_cookie("session")
    if session is not None:
        browser.set_cookie("session", session.value)
    for path in ("/", "/threads"):
        response = browser.get(path)
        assert response.status_code == 503, path
        assert response.headers["Retry-After"] == "30"
        assert "Traceback" not in response.text and "psycopg" not in response.text


def test_liveness_asks_nothing_but_the_process(app):
    """/livez answers while the database and Redis are both gone: a supervisor must not restart for them."""
    from forum import create_app

    broken = create_app(
        make_config(
            SQLALCHEMY_DATABASE_URI="postgresql+psycopg://nobody@127.0.0.1:1/none",
            REDIS_URL="redis://127.0.0.1:1/0",
            PUBLIC_READ=False,
        )
    )
    client = broken.test_client()
    response = client.get("/livez")
    assert (response.status_code, response.json) == (200, {"status": "ok"})
    assert response.headers["Cache-Control"] == "no-store"
    assert client.get("/healthz").status_code == 503
    assert client.get("/readyz").json == {
        "status": "unavailable",
        "database": "unavailable",
        "redis": "unavailable",
    }
