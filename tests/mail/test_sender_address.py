"""Mail comes from the site's own host name unless MAIL_DEFAULT_SENDER says otherwise, never @localhost."""

import pytest

from forum.mail import compose


@pytest.mark.parametrize(
    ("settings", "address"),
    [
        (
            {"SERVER_NAME": "forum.dialogue.example.org"},
            "Dialogue Forum <no-reply@forum.dialogue.example.org>",
        ),
        ({"SERVER_NAME": "dialogue.example.org:8443"}, "Dialogue Forum <no-reply@dialogue.example.org>"),
        (
            {"MAIL_BASE_URL": "https://dialogue.example.int/"},
            "Dialogue Forum <no-reply@dialogue.example.int>",
        ),
        ({"MAIL_BASE_URL": "http://127.0.0.1:5000"}, "Dialogue Forum <no-reply@localhost>"),
        ({"MAIL_BASE_URL": "http://localhost:5000"}, "Dialogue Forum <no-reply@localhost>"),
        (
            {
                "SERVER_NAME": "forum.dialogue.example.org",
                "MAIL_DEFAULT_SENDER": "Secretariat <s@itu.example>",
            },
            "Secretariat <s@itu.example>",
        ),
    ],
)
def test_the_from_address_follows_the_configuration(settings, address):
    config = {"SERVER_NAME": None, "MAIL_BASE_URL": None, "MAIL_DEFAULT_SENDER": None, **settings}
    assert compose.sender(config) == address


@pytest.mark.parametrize("config_overrides", [{"SERVER_NAME": "forum.dialogue.example.org"}])
def test_a_sent_mail_comes_from_the_server_name(app, db, smtp, participant, deliver):
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp.port)
    compose.enqueue(participant, "confirm", "confirm", "Hello", token="t")
    db.session.commit()
    (message,) = deliver()
    assert message["From"] == "Dialogue Forum <no-reply@forum.dialogue.example.org>"
