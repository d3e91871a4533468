"""Deployment names: every Redis key and the Socket.IO channel carry one, and one database owns it."""

import json
import os
import time

import pytest

from forum import create_app
from forum.deployment import OWNER_SECONDS, DeploymentConflict, channel, derived_name
from tests.conftest import make_config, new_postgres_database

pytestmark = pytest.mark.redis
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def sqlite_app(tmp_path, name, deployment):
    """An app on a SQLite file of its own, with Redis, named `deployment`."""
    uri = f"sqlite:///{tmp_path / name}.db"
    return create_app(
        make_config(SQLALCHEMY_DATABASE_URI=uri, REDIS_URL=REDIS_URL, DEPLOYMENT_NAME=deployment)
    )


def test_two_deployments_on_one_redis_do_not_hear_each_other(tmp_path, redis_client):
    """Different names: different channel, presence, vote claims and rate-limit counts."""
    from forum import throttle
    from forum.realtime import presence
    from forum.realtime.publish import publish

    listener = redis_client.pubsub(ignore_subscribe_messages=True)
    listener.subscribe(channel("prod", REDIS_URL), channel("drill", REDIS_URL))
    # One app at a time publishes: the Socket.IO extension is one object, bound to the app built last.
    drill = sqlite_app(tmp_path, "drill", "drill")
    with drill.app_context():
        assert publish("thread:1", "post.created", {"html": "from the drill"}) is True
        assert presence.join("thread:1", "sid-drill") == 1
        for _ in range(3):
            throttle.record("RESET_LIMIT_PER_ADDRESS", "someone@example.org")
        assert throttle.retry_after("RESET_LIMIT_PER_ADDRESS", "someone@example.org") > 0
    prod = sqlite_app(tmp_path, "prod", "prod")
    with prod.app_context():
        assert presence.count("thread:1") == 0
        assert throttle.retry_after("RESET_LIMIT_PER_ADDRESS", "someone@example.org") == 0
        assert publish("thread:1", "post.created", {"html": "from production"}) is True
    heard = []
    deadline = time.monotonic() + 5
    while len(heard) < 2 and time.monotonic() < deadline:
        message = listener.get_message(timeout=0.5)
        if message is not None:
            heard.append((message["channel"].decode(), json.loads(message["data"])["data"][0]["html"]))
    listener.close()
    assert heard == [
        (channel("drill", REDIS_URL), "from the drill"),
        (channel("prod", REDIS_URL), "from production"),
    ]
    # Every key either deployment wrote is under its own prefix.
    keys = sorted(k.decode() for k in redis_client.keys("*"))
    assert keys and all(k.startswith(("forum:prod:", "forum:drill:")) for k in keys), keys


def test_the_same_name_on_another_database_refuses_to_start(tmp_path, redis_client):
    sqlite_app(tmp_path, "prod", "dialogue")
    with pytest.raises(DeploymentConflict) as refused:
        sqlite_app(tmp_path, "restored", "dialogue")
    message = str(refused.value)
    assert "FORUM_DEPLOYMENT='dialogue' is in use on this Redis by another database" in message
    assert "prod.db" in message and "restored.db" in message
    # Another process of the same deployment starts, and so does the drill under a name of its own.
    sqlite_app(tmp_path, "prod", "dialogue")
    sqlite_app(tmp_path, "restored", "dialogue-restore")


def test_a_name_is_freed_once_its_deployment_stops_renewing_it(tmp_path, redis_client):
    """A production restored after a disaster may take its name back once the dead processes' claim ends."""
    sqlite_app(tmp_path, "old", "dialogue")
    owner = "forum:dialogue:owner"
    assert 0 < redis_client.ttl(owner) <= OWNER_SECONDS
    redis_client.delete(owner)  # what OWNER_SECONDS without a heartbeat does
    sqlite_app(tmp_path, "new", "dialogue")
    assert "new.db" in json.loads(redis_client.get(owner))["database"]


def test_postgresql_databases_are_told_apart_by_the_server_not_the_url(redis_client):
    """A restore next to production is another database; the same one spelt differently is not."""
    with new_postgres_database("forum_prod") as prod_url, new_postgres_database("forum_drill") as drill_url:
        create_app(make_config(SQLALCHEMY_DATABASE_URI=prod_url, REDIS_URL=REDIS_URL, DEPLOYMENT_NAME="pg"))
        with pytest.raises(DeploymentConflict, match="forum_prod_.* on 127.0.0.1"):
            create_app(
                make_config(SQLALCHEMY_DATABASE_URI=drill_url, REDIS_URL=REDIS_URL, DEPLOYMENT_NAME="pg")
            )
        same = prod_url.replace("@127.0.0.1", "@localhost")
        assert same != prod_url
        create_app(make_config(SQLALCHEMY_DATABASE_URI=same, REDIS_URL=REDIS_URL, DEPLOYMENT_NAME="pg"))


def test_a_process_starts_while_redis_is_down_and_claims_the_name_later(tmp_path, redis_client, caplog):
    """Redis down at start: logged, and the process starts (it serves through a Redis blip)."""
    from forum.deployment import renew

    uri = f"sqlite:///{tmp_path / 'prod'}.db"
    config = make_config(SQLALCHEMY_DATABASE_URI=uri, REDIS_URL="redis://127.0.0.1:1/0", DEPLOYMENT_NAME="x")
    app = create_app(config)
    assert "deployment name x not checked at start" in caplog.text
    # Redis answers again: the next heartbeat claims the name.
    app.extensions["forum_deployment_redis"] = redis_client
    renew(app)
    assert "prod.db" in json.loads(redis_client.get("forum:x:owner"))["database"]
    # A conflict found by a heartbeat cannot stop the process any more: it is logged as an error.
    redis_client.set("forum:x:owner", json.dumps({"id": "another", "database": "elsewhere"}))
    renew(app)
    assert "is in use on this Redis by another database (elsewhere)" in caplog.text


@pytest.mark.parametrize("name", ["", "Prod", "-prod", "prod/1", "p" * 64, "prod name"])
def test_a_malformed_name_is_a_clear_startup_error(name):
    from config import production_problem

    given = {
        "SECRET_KEY": "k",
        "DATABASE_URL": "postgresql://x",
        "FORUM_DEPLOYMENT": name,
        "MAIL_SERVER": "m",
    }
    problem = production_problem(given)
    assert problem and "FORUM_DEPLOYMENT" in problem


def test_production_requires_a_name_and_others_derive_one_per_database():
    from config import production_problem

    given = {"SECRET_KEY": "k", "DATABASE_URL": "postgresql://x", "MAIL_SERVER": "m"}
    assert production_problem(given) == "Production configuration needs FORUM_DEPLOYMENT in the environment."
    assert production_problem({**given, "FORUM_DEPLOYMENT": "dialogue-prod"}) is None
    assert derived_name("sqlite:///a.db") != derived_name("sqlite:///b.db")
    assert create_app(make_config()).config["DEPLOYMENT_NAME"] == derived_name("sqlite://")
