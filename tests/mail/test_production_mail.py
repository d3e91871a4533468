"""Production mail: a relay, or a file outbox chosen on purpose, outside the code; never a link in a log."""

import email
import logging
import re
import runpy
import stat
from email import policy
from pathlib import Path

import pytest

from config import ROOT, ProductionConfig, production_problem
from forum import create_app
from forum.accounts import services as accounts
from forum.extensions import db
from forum.mail import sender
from tests.conftest import PASSWORD

REQUIRED = {"SECRET_KEY": "k" * 32, "DATABASE_URL": "postgresql://db/forum", "FORUM_DEPLOYMENT": "dialogue"}


def production(tmp_path, **settings):
    """ProductionConfig on a SQLite file, with what an in-process test needs (no CSRF, cheap hashes)."""
    return type(
        "ProductionForTest",
        (ProductionConfig,),
        {
            "SECRET_KEY": "k" * 32,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'forum.db'}",
            "SQLALCHEMY_ENGINE_OPTIONS": {},
            "DEPLOYMENT_NAME": "mail-test",
            "REDIS_URL": None,
            "SOCKETIO_ASYNC_MODE": "threading",
            "WTF_CSRF_ENABLED": False,
            "MAIL_WORKER": False,
            "RESET_ANSWER_SECONDS": 0,
            "ARGON2_COSTS": {"time_cost": 1, "memory_cost": 1024, "parallelism": 1},
            **settings,
        },
    )


def test_production_refuses_to_start_without_a_mail_server_or_a_chosen_outbox(tmp_path):
    with pytest.raises(RuntimeError, match="Production needs MAIL_SERVER") as refused:
        create_app(production(tmp_path, MAIL_SERVER=None, MAIL_OUTBOX_DIR=None))
    assert "MAIL_OUTBOX_DIR" in str(refused.value)
    assert production_problem({**REQUIRED, "MAIL_SERVER": "smtp.example.org"}) is None
    assert production_problem({**REQUIRED, "MAIL_OUTBOX_DIR": str(tmp_path / "outbox")}) is None


@pytest.mark.parametrize("inside", ["instance/outbox", "forum", "."])
def test_a_file_outbox_inside_the_code_folder_is_refused(inside):
    problem = production_problem({**REQUIRED, "MAIL_OUTBOX_DIR": str(ROOT / inside)})
    assert problem and "is inside the code folder" in problem


def test_a_password_reset_in_production_logs_no_link_and_writes_a_private_file(tmp_path, caplog, capfd):
    outbox = tmp_path / "outbox"
    app = create_app(production(tmp_path, MAIL_SERVER=None, MAIL_OUTBOX_DIR=str(outbox)))
    with app.app_context():
        db.create_all()
        accounts.create_user(
            {
                "email": "delegate@example.org",
                "name": "Dee Delegate",
                "password": PASSWORD,
                "stakeholder_group": "academia",
                "country": "CH",
                "organisation": "University of Geneva",
            },
            status="verified",
            role="participant",
        )
        db.session.commit()
    client = app.test_client()
    with caplog.at_level(logging.DEBUG):
        assert client.post("/forgot-password", data={"email": "delegate@example.org"}).status_code == 200
        with app.app_context():
            assert sender.drain() == (1, 0)
        [written] = list(outbox.iterdir())
        text = email.message_from_bytes(written.read_bytes(), policy=policy.default).get_body(("plain",))
        path = re.search(r"/reset-password/[^\s\"<]+", text.get_content()).group()
        token = path.rsplit("/", 1)[1]
        assert client.get(path, base_url="https://localhost").status_code == 200
    assert stat.S_IMODE(written.stat().st_mode) == 0o600
    assert stat.S_IMODE(outbox.stat().st_mode) == 0o700
    printed = capfd.readouterr()
    logged = "\n".join(record.getMessage() for record in caplog.records)
    for output in (logged, printed.out, printed.err):
        assert token not in output
        assert "/reset-password/" not in output
    assert f"mail 1 written to {written}" in logged


def test_the_access_log_redacts_the_secrets_urls_carry():
    """gunicorn.conf.py's logger: reset, confirmation, unsubscribe and invitation tokens are never logged."""
    from types import SimpleNamespace

    logger_class = runpy.run_path(str(Path(ROOT) / "gunicorn.conf.py"))["logger_class"]
    logger = logger_class.__new__(logger_class)
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": "/reset-password/SECRET1?next=/",
        "PATH_INFO": "/reset-password/SECRET1",
        "QUERY_STRING": "invite=SECRET2&x=1",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_REFERER": "https://dialogue.example.org/unsubscribe/SECRET3",
    }
    response = SimpleNamespace(status="200 OK", sent=10, headers=[])
    request = SimpleNamespace(headers=[("REFERER", environ["HTTP_REFERER"])])
    elapsed = SimpleNamespace(seconds=0, microseconds=1000)
    atoms = logger.atoms(response, request, environ, elapsed)
    assert "SECRET" not in repr(atoms)
    assert atoms["r"] == "GET /reset-password/[redacted]?next=/ HTTP/1.1"
    assert atoms["q"] == "invite=[redacted]&x=1"
