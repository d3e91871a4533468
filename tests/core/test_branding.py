"""The site's look and its shared links: configurable logo and colours, meta description and Open Graph
tags on public pages, the one-click language switcher and the compact language filter."""

import re
from pathlib import Path

import pytest

from config import ROOT, TestConfig
from forum import branding, create_app
from tests.conftest import make_config

PUBLIC_PAGES = ["/", "/threads", "/programme", "/hub/", "/search", "/login", "/privacy"]


def settings(**changes):
    """The branding settings of the tests' configuration, with some changed."""
    names = ("SITE_LOGO", "SITE_SHARE_IMAGE", "SITE_HEADER_COLOUR", "SITE_ACCENT_COLOUR", "STATIC_FOLDER")
    return {**{name: getattr(TestConfig, name) for name in names}, **changes}


def meta(page, attribute, name):
    """The content of the <meta> whose `attribute` (name or property) is `name`."""
    found = re.search(rf'<meta {attribute}="{re.escape(name)}" content="([^"]*)">', page)
    assert found, f"no <meta {attribute}={name!r}>"
    return found.group(1)


def test_the_default_look_adds_no_style_sheet():
    brand = branding.brand_from(settings())
    assert brand.stylesheet == ""
    assert (ROOT / "static" / brand.logo).is_file() and (ROOT / "static" / brand.share_image).is_file()


def test_the_default_colours_are_the_style_sheets_own():
    css = (ROOT / "static" / "css" / "forum.css").read_text()
    assert f"--header: {branding.DEFAULT_HEADER};" in css and f"--accent: {branding.DEFAULT_ACCENT};" in css
    assert branding.contrast_with_white(branding.DEFAULT_HEADER) >= 7
    assert branding.contrast_with_white(branding.DEFAULT_ACCENT) >= branding.MIN_CONTRAST


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"SITE_ACCENT_COLOUR": "blue"}, "SITE_ACCENT_COLOUR='blue' should be a colour written #rrggbb"),
        ({"SITE_HEADER_COLOUR": "#009edb"}, "SITE_HEADER_COLOUR=#009edb has a contrast of 3.0:1 with white"),
        ({"SITE_LOGO": "img/missing.svg"}, "SITE_LOGO='img/missing.svg' should name a file under"),
    ],
)
def test_an_unreadable_colour_or_a_missing_file_stops_the_start(changes, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        create_app(make_config(**changes))


@pytest.mark.parametrize("config_overrides", [{"SITE_HEADER_COLOUR": "#4B2E83"}])
def test_chosen_colours_come_in_a_style_sheet_of_their_own(client):
    brand = client.application.extensions["forum_brand"]
    assert brand.stylesheet == ":root { --header: #4b2e83; }\n"
    page = client.get("/").text
    link = re.search(r'<link rel="stylesheet" href="(/brand\.css\?v=[0-9a-f]{12})">', page).group(1)
    assert meta(page, "name", "theme-color") == "#4b2e83"
    response = client.get(link)
    assert response.text == brand.stylesheet and response.mimetype == "text/css"
    assert "immutable" in response.headers["Cache-Control"]


def test_without_chosen_colours_there_is_no_brand_style_sheet(client):
    assert "/brand.css" not in client.get("/").text
    assert client.get("/brand.css").status_code == 404


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_every_public_page_describes_itself_for_shared_links(client, path):
    page = client.get(path).text
    title = re.search(r"<title>([^<]+)</title>", page).group(1)
    assert meta(page, "property", "og:title") == meta(page, "name", "twitter:title") == title
    description = meta(page, "name", "description")
    assert len(description) > 50
    assert (
        meta(page, "property", "og:description") == meta(page, "name", "twitter:description") == description
    )
    assert meta(page, "property", "og:url") == f"http://localhost{path}"
    image = meta(page, "property", "og:image")
    assert image == meta(page, "name", "twitter:image") == "http://localhost/static/img/share.png"
    assert meta(page, "name", "twitter:card") == "summary_large_image"
    assert client.get(image.removeprefix("http://localhost")).status_code == 200


def test_a_thread_describes_itself(client, make_thread):
    thread = make_thread(title="Sandboxes for AI regulation")
    page = client.get(f"/threads/{thread.id}").text
    assert meta(page, "property", "og:title").startswith("Sandboxes for AI regulation · ")
    assert f"in the theme “{thread.theme.name}”, 0 replies" in meta(page, "name", "description")


@pytest.mark.parametrize("config_overrides", [{"SERVER_NAME": "dialogue.example.org"}])
def test_shared_addresses_follow_server_name_not_the_host_header(client, config_overrides):
    page = client.get("/programme", headers={"Host": "dialogue.example.org"}).text
    assert meta(page, "property", "og:image") == "http://dialogue.example.org/static/img/share.png"
    assert meta(page, "property", "og:url") == "http://dialogue.example.org/programme"


def test_kept_pages_never_carry_another_hosts_addresses(client, make_thread):
    thread = make_thread()
    client.get(f"/threads/{thread.id}", headers={"Host": "evil.example"})
    page = client.get(f"/threads/{thread.id}").text
    assert "evil.example" not in page
    assert meta(page, "property", "og:image").startswith("http://localhost/")


def test_the_language_switcher_is_one_button_per_language(client):
    page = client.get("/programme").text
    switcher = re.search(r"<form[^>]*language-switcher.*?</form>", page, re.S).group(0)
    buttons = re.findall(r'<button type="submit" name="language" value="(\w+)" lang="\w+"', switcher)
    assert buttons == ["ar", "zh", "en", "fr", "ru", "es"]
    assert 'value="en" lang="en" aria-current="true">English</button>' in switcher
    assert ">Change<" not in page
    # A click on Français sends language=fr: the form needs nothing else.
    response = client.post(
        "/language", data={"language": "fr", "next": "/programme"}, headers={"Sec-Fetch-Site": "same-origin"}
    )
    assert response.status_code == 302 and '<html lang="fr"' in client.get("/programme").text


def test_the_header_menu_and_switcher_work_without_javascript(client):
    page = client.get("/").text
    assert re.search(r'<details class="menu" name="site-menus">\s*<summary>Menu</summary>', page)
    assert re.search(r'<details class="languages" name="site-menus">', page)


def test_the_static_images_are_what_the_pages_name():
    static = Path(ROOT / "static" / "img")
    share = (static / "share.png").read_bytes()
    assert share[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(share[16:20], "big"), int.from_bytes(share[20:24], "big")
    assert (width, height) == (1200, 630)
    # Messaging apps drop pictures above 300 KB.
    assert len(share) < 300 * 1024
