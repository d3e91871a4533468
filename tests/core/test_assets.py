"""Content-hashed static files (forum.assets): pages name them, they are kept a year; without a manifest
the files keep their own names."""

import shutil

import pytest

from config import ROOT
from forum import create_app
from forum.assets import write_manifest
from tests.conftest import make_config


@pytest.fixture
def released_static(tmp_path):
    """A copy of static/ with its hashed copies and manifest, as `make release` writes them."""
    static = tmp_path / "static"
    shutil.copytree(ROOT / "static", static)
    manifest = write_manifest(static, tmp_path / "assets.json")
    return static, tmp_path / "assets.json", manifest


def app_with(**settings):
    """The test app with some settings changed."""
    return create_app(make_config(**settings))


def test_pages_name_the_hashed_copies_which_are_kept_a_year(released_static):
    static, manifest_path, manifest = released_static
    app = app_with(STATIC_FOLDER=static, ASSET_MANIFEST=manifest_path)
    hashed = manifest["css/forum.css"]
    assert (
        hashed != "css/forum.css"
        and (static / hashed).read_bytes() == (static / "css/forum.css").read_bytes()
    )
    client = app.test_client()
    page = client.get("/threads")
    assert f'href="/static/{hashed}"' in page.text and 'href="/static/css/forum.css"' not in page.text

    served = client.get(f"/static/{hashed}")
    assert served.status_code == 200
    assert served.cache_control.max_age == 365 * 24 * 3600
    assert served.cache_control.public and served.cache_control.immutable
    # The original name still answers (a source map names its script so), without the year-long promise.
    original = client.get("/static/css/forum.css")
    assert original.status_code == 200 and not original.cache_control.immutable


def test_a_changed_file_gets_a_new_name(tmp_path, released_static):
    static, _, manifest = released_static
    (static / "js" / "live.js").write_text("// changed\n")
    again = write_manifest(static, tmp_path / "again.json")
    assert again["js/live.js"] != manifest["js/live.js"]
    assert again["css/forum.css"] == manifest["css/forum.css"]


def test_without_a_manifest_files_keep_their_names(tmp_path):
    app = app_with(ASSET_MANIFEST=tmp_path / "none.json")
    page = app.test_client().get("/threads")
    assert 'href="/static/css/forum.css"' in page.text
