"""The place of sign-in: each session's country, from DB-IP's data (`make assets`), found once at sign-in,
named in the reader's language, exported, deleted with the session; "Local network" for private addresses,
"Unknown place" when no data places the address or the process has no data at all.

The known addresses were checked in the installed CSVs (@ip-location-db/dbip-country 2.3.2026060120):
Google Public DNS (US), www.ripe.net over IPv4 and IPv6 (RIPE NCC, Amsterdam: NL) and Wikimedia's
Ashburn front (US). DB-IP puts Google's IPv6 resolver 2001:4860:4860::8888 in Canada, so it is not used.
"""

import ipaddress
import json
import logging
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from forum import ip_country
from forum.accounts import twofactor, usersessions
from forum.accounts.security_models import UserSession
from forum.extensions import db
from tests.conftest import PASSWORD, Auth

ROOT = Path(__file__).resolve().parents[2]
FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:140.0) Gecko/20100101 Firefox/140.0"
KNOWN = [
    ("8.8.8.8", "US"),
    ("193.0.6.139", "NL"),
    ("2001:67c:2e8:22::c100:68b", "NL"),
    ("2620:0:861:ed1a::1", "US"),
    ("::ffff:8.8.8.8", "US"),
]


def browser(app, user, address):
    """A client signed in as `user` from `address`."""
    client = app.test_client()
    client.environ_base.update({"HTTP_USER_AGENT": FIREFOX, "REMOTE_ADDR": address})
    Auth(client).login(user)
    return client


def places(user):
    """The places of the user's session rows, oldest first."""
    query = select(UserSession.place).where(UserSession.user_id == user.id)
    return db.session.scalars(query.order_by(UserSession.created_at)).all()


def security_lines(caplog):
    """The security events logged so far, as dicts."""
    return [json.loads(r.getMessage()) for r in caplog.records if r.name == "forum.security"]


@pytest.mark.parametrize(("address", "country"), KNOWN)
def test_known_addresses_are_placed_in_their_country(app, address, country):
    assert usersessions.locate(address) == country


@pytest.mark.parametrize(
    "address",
    ["127.0.0.1", "::1", "10.2.3.4", "172.16.0.9", "192.168.1.20", "::ffff:172.16.0.9", "fd00::5", "fe80::1"],
)
def test_private_loopback_and_link_local_addresses_are_the_local_network(app, address):
    assert usersessions.locate(address) == usersessions.LOCAL
    with app.test_request_context():
        assert usersessions.place_name(usersessions.LOCAL) == "Local network"


@pytest.mark.parametrize("address", ["198.51.100.7", "2001:db8::1", "0.0.0.1", None, "", "not an address"])
def test_addresses_no_range_holds_have_no_place(app, address):
    """Documentation ranges and reserved blocks are in no country; text that is no address neither."""
    assert usersessions.locate(address) is None
    with app.test_request_context():
        assert usersessions.place_name(None) == "Unknown place"


def test_the_compact_file_keeps_ranges_holes_and_the_last_address(tmp_path):
    """scripts/build_ip_country.py on small CSVs: adjacent ranges of a country merge, holes are no country."""
    package = tmp_path / "package"
    package.mkdir()
    (package / "package.json").write_text('{"version": "9.9.9"}')
    (package / "dbip-country-ipv4-num.csv").write_text("16,31,AU\n32,47,AU\n48,63,CN\n100,4294967295,US\n")
    (package / "dbip-country-ipv6-num.csv").write_text(f"{1 << 125},{(1 << 126) - 1},CH\n")
    target = tmp_path / "ip_country.bin"
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "build_ip_country.py"), str(package), str(target)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "5 IPv4 and 3 IPv6 ranges" in done.stdout  # hole, AU (merged), CN, hole, US
    table = ip_country.Table(target.read_bytes())
    assert table.source.endswith("dbip-country 9.9.9")
    expected = {0: None, 15: None, 16: "AU", 47: "AU", 48: "CN", 63: "CN", 64: None, 99: None, 100: "US"}
    expected[(1 << 32) - 1] = "US"
    for number, country in expected.items():
        assert table.country(ipaddress.IPv4Address(number)) == country
    for number, country in {0: None, 1 << 125: "CH", (1 << 126) - 1: "CH", 1 << 126: None}.items():
        assert table.country(ipaddress.IPv6Address(number)) == country
    with pytest.raises(ValueError):
        ip_country.Table(target.read_bytes()[:-1])


def test_the_place_is_kept_at_sign_in_and_not_looked_up_again(app, participant, monkeypatch):
    laptop = browser(app, participant, "8.8.8.8")
    assert places(participant) == ["US"]
    monkeypatch.setattr(ip_country, "country_of", lambda address: pytest.fail("looked up on a page"))
    laptop.environ_base["REMOTE_ADDR"] = "193.0.6.139"
    assert "United States of America" in laptop.get("/account/sessions").text
    assert places(participant) == ["US"]


def test_the_page_names_each_country_in_the_readers_language_and_credits_db_ip(app, make_user):
    english = make_user(locale="en")
    laptop = browser(app, english, "8.8.8.8")
    browser(app, english, "2001:67c:2e8:22::c100:68b")
    browser(app, english, "192.168.1.20")
    page = laptop.get("/account/sessions").text
    assert '<th scope="col">Place of sign-in</th>' in page
    for name in ("United States of America", "Netherlands (Kingdom of the)", "Local network"):
        assert f"<td>{name}</td>" in page
    assert '<a href="https://db-ip.com">IP geolocation by DB-IP</a>' in page
    arabic = make_user(locale="ar")
    page = browser(app, arabic, "8.8.8.8").get("/account/sessions").text
    assert '<th scope="col">مكان تسجيل الدخول</th>' in page and "<td>الولايات المتحدة الأمريكية</td>" in page
    assert "United States" not in page and 'href="https://db-ip.com"' in page


def test_only_local_or_unknown_places_need_no_credit(app, participant):
    page = browser(app, participant, "192.168.1.20").get("/account/sessions").text
    assert "<td>Local network</td>" in page and "db-ip.com" not in page


def test_without_the_data_the_page_works_and_says_the_place_is_unknown(app, participant, caplog, tmp_path):
    """A deployment that skipped `make assets`: one warning per process (per file name: this test's own)."""
    app.config["IP_COUNTRY_FILE"] = str(tmp_path / "ip_country.bin")
    with caplog.at_level(logging.WARNING, logger="forum.ip_country"):
        laptop = browser(app, participant, "8.8.8.8")
        browser(app, participant, "193.0.6.139")
    page = laptop.get("/account/sessions")
    assert page.status_code == 200
    assert page.text.count("<td>Unknown place</td>") == 2 and "db-ip.com" not in page.text
    assert places(participant) == [None, None]
    warnings = [r.getMessage() for r in caplog.records if r.name == "forum.ip_country"]
    assert len(warnings) == 1 and "No IP-to-country data" in warnings[0] and "make assets" in warnings[0]


def test_the_export_holds_the_place_and_deletion_removes_it(app, participant):
    laptop = browser(app, participant, "8.8.8.8")
    browser(app, participant, "127.0.0.1")
    data = laptop.get("/account/data/export.json").get_json()
    assert [(s["ip"], s["place"]) for s in data["sessions"]] == [("8.8.8.8", "US"), ("127.0.0.1", "local")]
    deleted = laptop.post("/account/delete", data={"password": PASSWORD, "understood": "y"})
    assert deleted.status_code == 302
    assert db.session.scalars(select(UserSession).where(UserSession.user_id == participant.id)).all() == []


def test_a_staff_sign_in_from_a_new_country_is_noted_in_the_security_log(
    app, moderator, participant, caplog, monkeypatch
):
    now = [1_780_000_000.0]
    monkeypatch.setattr(twofactor, "clock", lambda: now[0])

    def sign_in(user, address):
        """Sign in with the next minute's code (each code is used once)."""
        now[0] += 31
        browser(app, user, address)

    with caplog.at_level(logging.INFO, logger="forum.security"):
        sign_in(moderator, "8.8.8.8")  # the first known country: nothing to compare with
        sign_in(moderator, "192.168.1.20")
        sign_in(moderator, "2620:0:861:ed1a::1")  # the same country again
        sign_in(moderator, "193.0.6.139")
        sign_in(moderator, "2001:67c:2e8:22::c100:68b")
        sign_in(participant, "8.8.8.8")
        sign_in(participant, "193.0.6.139")  # participants are not watched
    noted = [line for line in security_lines(caplog) if line["event"] == "login.new_country"]
    assert noted == [
        {"event": "login.new_country", "user_id": moderator.id, "role": "moderator", "country": "NL"}
    ]
