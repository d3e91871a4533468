"""X-Forwarded-* are believed only from the configured proxies (TRUSTED_PROXIES, FORWARDED_ALLOW_IPS)."""

import logging

import pytest

from forum import create_app
from tests.conftest import make_config

PROXY = "10.0.0.5"
DIRECT = "203.0.113.9"

behind_proxies = pytest.mark.parametrize(
    "config_overrides",
    [
        {
            "TRUSTED_PROXIES": "1",
            "FORWARDED_ALLOW_IPS": f"{PROXY}, 192.0.2.0/24",
            "LOGIN_LIMIT_PER_IP": "2 per hour",
        }
    ],
)


def sign_in_attempts(client, peer, forwarded_for):
    """Failed sign-ins from `peer`, each claiming the next address of `forwarded_for`; their statuses."""
    statuses = []
    for number, claimed in enumerate(forwarded_for):
        response = client.post(
            "/login",
            data={"email": f"nobody{number}@example.org", "password": "wrong password"},
            headers={"X-Forwarded-For": claimed, "X-Forwarded-Proto": "https"},
            environ_base={"REMOTE_ADDR": peer},
        )
        statuses.append(response.status_code)
    return statuses


@behind_proxies
def test_a_direct_client_is_counted_under_its_own_address_whatever_it_claims(client, caplog):
    caplog.set_level(logging.INFO, logger="forum.security")
    forged = ["198.51.100.1", "198.51.100.2", "198.51.100.3"]
    assert sign_in_attempts(client, DIRECT, forged) == [422, 422, 429]
    assert f'"ip": "{DIRECT}"' in caplog.text and "198.51.100" not in caplog.text


@behind_proxies
@pytest.mark.parametrize("proxy", [PROXY, "192.0.2.77"])
def test_clients_behind_a_configured_proxy_are_counted_under_their_addresses(client, caplog, proxy):
    caplog.set_level(logging.INFO, logger="forum.security")
    clients = ["198.51.100.1", "198.51.100.2", "198.51.100.3"]
    assert sign_in_attempts(client, proxy, clients) == [422, 422, 422]
    assert '"ip": "198.51.100.3"' in caplog.text
    # One of them, again and again, is throttled: the limit counts the address the proxy saw.
    assert sign_in_attempts(client, proxy, ["198.51.100.9"] * 3) == [422, 422, 429]


@pytest.mark.parametrize(
    ("setting", "value", "message"),
    [
        ("TRUSTED_PROXIES", "one", "should be the number of proxies"),
        ("FORWARDED_ALLOW_IPS", "10.0.0.5, nginx.internal", "'nginx.internal' is not an address or network"),
    ],
)
def test_a_malformed_setting_is_a_clear_startup_error(setting, value, message):
    with pytest.raises(RuntimeError, match=message):
        create_app(make_config(**{setting: value}))
