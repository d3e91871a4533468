"""Pages offer registration only while it is open: no link that leads to a 403."""

import pytest

REGISTER_LINK = 'href="/register"'
PAGES = ("/", "/login", "/threads", "/programme")


def test_open_registration_is_offered_on_every_page(client, db):
    for path in PAGES:
        assert REGISTER_LINK in client.get(path).text, path


@pytest.mark.parametrize("config_overrides", [{"REGISTRATION_DEADLINE": "2020-06-25T23:59:59"}])
def test_closed_registration_is_not_offered(client, db):
    for path in PAGES:
        page = client.get(path).text
        assert REGISTER_LINK not in page, path
    login = client.get("/login").text
    assert "Registration is closed." in login and "ask the secretariat for an invitation" in login
    assert client.get("/register").status_code == 403
