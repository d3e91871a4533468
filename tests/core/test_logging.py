"""Logging configured once (forum.logging_setup): JSON lines in production, each with the id of its request,
socket event or background job; the proxy's request id believed only from the proxy."""

import json
import logging
import queue

import pytest

from forum.realtime.publisher import Publisher
from forum.worker.loop import Job, Worker
from tests.conftest import Auth

JSON = {"LOG_FORMAT": "json", "LOG_LEVEL": "INFO"}
PROXY = "10.0.0.5"


def json_lines(capsys):
    """What the process wrote to standard error since the last call, each line parsed as one JSON object."""
    return [json.loads(line) for line in capsys.readouterr().err.splitlines() if line.strip()]


@pytest.mark.parametrize("config_overrides", [JSON])
def test_a_production_app_logs_one_json_object_per_line_with_the_request_id(client, participant, capsys):
    Auth(client).login(participant)
    capsys.readouterr()
    response = client.get("/admin/")
    assert response.status_code == 403
    lines = json_lines(capsys)
    [refusal] = [line for line in lines if "refused" in line.get("message", "")]
    assert refusal["level"] == "WARNING" and refusal["logger"] == "forum.policy"
    assert refusal["request_id"] == response.headers["X-Request-ID"]
    assert len(refusal["request_id"]) == 32


@pytest.mark.parametrize("config_overrides", [JSON])
def test_a_security_event_is_one_object_with_its_fields(client, capsys):
    response = client.post("/login", data={"email": "nobody@example.org", "password": "wrong password"})
    [event] = [line for line in json_lines(capsys) if line["logger"] == "forum.security"]
    assert event["event"] == "login.failed" and event["request_id"] == response.headers["X-Request-ID"]


def test_development_logs_readable_lines_with_the_request_id(client, participant, capsys):
    Auth(client).login(participant)
    capsys.readouterr()
    response = client.get("/admin/")
    [line] = [line for line in capsys.readouterr().err.splitlines() if "refused" in line]
    assert f" WARNING [{response.headers['X-Request-ID']}] forum.policy user " in line


@pytest.mark.parametrize(
    "config_overrides", [{"TRUSTED_PROXIES": "1", "FORWARDED_ALLOW_IPS": PROXY}], ids=["behind a proxy"]
)
def test_the_id_a_trusted_proxy_sends_is_kept_and_a_client_s_is_not(client):
    sent = {"X-Request-ID": "0123456789abcdef0123456789abcdef"}
    from_proxy = client.get("/healthz", headers=sent, environ_base={"REMOTE_ADDR": PROXY})
    assert from_proxy.headers["X-Request-ID"] == sent["X-Request-ID"]
    direct = client.get("/healthz", headers=sent, environ_base={"REMOTE_ADDR": "203.0.113.9"})
    assert direct.headers["X-Request-ID"] not in (sent["X-Request-ID"], "")
    garbled = client.get("/healthz", headers={"X-Request-ID": "a b {c}"}, environ_base={"REMOTE_ADDR": PROXY})
    assert len(garbled.headers["X-Request-ID"]) == 32


def test_without_proxies_a_client_s_id_is_not_believed(client):
    response = client.get("/healthz", headers={"X-Request-ID": "forged"})
    assert response.headers["X-Request-ID"] != "forged"


@pytest.mark.parametrize("config_overrides", [JSON])
def test_each_socket_event_logs_under_an_id_of_its_own(socket_client, client, participant, capsys):
    Auth(client).login(participant)
    sock = socket_client(client)
    capsys.readouterr()
    for _ in range(2):
        reply = sock.emit("moderation.act", {"item_id": 1, "action": "claim"}, callback=True)
        assert reply["ok"] is False
    refusals = [line for line in json_lines(capsys) if "refused" in line.get("message", "")]
    assert len(refusals) == 2
    ids = {line["request_id"] for line in refusals}
    assert len(ids) == 2 and "-" not in ids


@pytest.mark.parametrize("config_overrides", [JSON])
def test_each_run_of_a_worker_job_logs_under_an_id_of_its_own(app, capsys):
    log = logging.getLogger("forum.test.job")

    def broken(now):
        log.info("working")
        raise RuntimeError("database blip")

    worker = Worker(app, sleep=lambda seconds: None, job_list=(Job("broken", broken),))
    capsys.readouterr()
    worker.run(rounds=2)
    lines = json_lines(capsys)
    working = [line["request_id"] for line in lines if line.get("message") == "working"]
    failed = [line for line in lines if line.get("message") == "worker job broken failed"]
    assert len(set(working)) == 2 and "-" not in working
    # The failure is logged under its run's id, with its traceback on the same line.
    assert [line["request_id"] for line in failed] == working
    assert "RuntimeError: database blip" in failed[0]["exception"]


@pytest.mark.parametrize("config_overrides", [JSON])
def test_the_publisher_logs_a_batch_under_the_id_of_the_request_that_handed_it_over(app, capsys):
    def handle(batch):
        raise RuntimeError("renderer broke")

    publisher = Publisher(app, handle)
    publisher.inline, publisher.queue = False, queue.Queue()
    with app.test_request_context():
        from flask import request

        request.request_id = "feedfacefeedfacefeedfacefeedface"
        publisher.submit(("stored", []))
    request_id, batch = publisher.queue.get_nowait()
    capsys.readouterr()
    publisher._handle_in_context(batch, request_id)
    [failure] = [line for line in json_lines(capsys) if line["logger"] == "forum.realtime.publisher"]
    assert failure["request_id"] == "feedfacefeedfacefeedfacefeedface"
