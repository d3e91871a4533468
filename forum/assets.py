"""Front-end files under content-hashed names: a release's manifest, and long cache headers for them.

`make release` (scripts/build_release.py) copies every file under static/ to a name carrying a hash of
its content (js/live.js -> js/live.3f9a0c1b2d4e.js) and writes the manifest, ROOT/assets.json. Where the
manifest exists, `url_for("static", filename="js/live.js")` gives the hashed name, which a browser may
keep for a year: a new release's changed file has a new name, so no browser runs stale JavaScript
against new pages. Without a manifest (a checkout: `make run`, the tests) files keep their own names.
"""

import hashlib
import json
import re
import sys
from pathlib import Path

from flask import request

# A hashed name's cache lifetime: a year, and `immutable` (the content behind a name never changes).
HASHED_MAX_AGE = 365 * 24 * 3600
HASH_LENGTH = 12
HASHED = re.compile(rf"\.[0-9a-f]{{{HASH_LENGTH}}}(\.[^./]+)$")


def hashed_name(relative, content):
    """`relative` (e.g. js/live.js) with a hash of `content` before its last suffix."""
    digest = hashlib.sha256(content).hexdigest()[:HASH_LENGTH]
    path = Path(relative)
    return str(path.with_name(f"{path.stem}.{digest}{path.suffix}"))


def write_manifest(static, manifest):
    """Copy each file under `static` to its hashed name beside it and write {name: hashed name} to `manifest`.

    The originals stay, for what names them without the manifest (a source map beside its script).
    """
    static = Path(static)
    names = {}
    for path in sorted(p for p in static.rglob("*") if p.is_file()):
        relative = path.relative_to(static).as_posix()
        if HASHED.search(relative) or path.name.startswith("."):
            continue
        content = path.read_bytes()
        names[relative] = hashed_name(relative, content)
        (static / names[relative]).write_bytes(content)
    Path(manifest).write_text(json.dumps(names, indent=1, sort_keys=True) + "\n")
    return names


def init_app(app):
    """Serve static files from STATIC_FOLDER, under the manifest's hashed names when there is one."""
    app.static_folder = str(app.config["STATIC_FOLDER"])
    manifest_path = Path(app.config["ASSET_MANIFEST"])
    if not manifest_path.is_file():
        return
    manifest = json.loads(manifest_path.read_text())
    hashed = set(manifest.values())

    @app.url_defaults
    def _hashed_static_name(endpoint, values):
        """`url_for("static", filename=...)` names the file's hashed copy."""
        if endpoint == "static" and values.get("filename") in manifest:
            values["filename"] = manifest[values["filename"]]

    @app.after_request
    def _long_cache(response):
        """A hashed file may be kept a year by browsers and proxies alike."""
        name = (request.view_args or {}).get("filename")
        if request.endpoint == "static" and response.status_code in (200, 304) and name in hashed:
            response.cache_control.public = True
            response.cache_control.max_age = HASHED_MAX_AGE
            response.cache_control.immutable = True
        return response


if __name__ == "__main__":  # python -m forum.assets STATIC_DIR MANIFEST (scripts/build_release.py)
    print(f"{len(write_manifest(sys.argv[1], sys.argv[2]))} static files hashed")
