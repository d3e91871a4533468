"""`make release`: build a release that `make serve` starts without installing or building anything.

Usage: python3 scripts/build_release.py TARGET

TARGET gets a copy of the code (the checkout's files that git tracks or would track), a virtualenv of its
own with the project's dependencies and none of the `dev` extra (pytest, playwright, ruff), the compiled
translations, the front-end files under content-hashed names with their manifest (forum.assets), and
the code compiled to bytecode. `release.json`, written last, marks it complete: `make serve` refuses a
folder without it. Nothing in the checkout changes under the processes of a release; a new version is
built in a new folder (docs/deploy.md, Upgrades). Standard library only: it runs before any virtualenv.
"""

import json
import os
import shutil
import subprocess
import sys
import venv
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MARK = "release.json"
BUILDING = ".building"
# Built from npm by `make assets` and ignored by git, but part of what the pages load.
BUILT_ASSETS = "static/vendor"
# Built from npm by `make assets` too: DB-IP's IP-to-country data. The forum runs without it (sessions then
# show no place of sign-in), so a release without it is built, with a warning.
IP_COUNTRY = "forum/data/ip_country.bin"


def fail(message):
    """Stop the build with `message`."""
    sys.exit(f"make release: {message}")


def run(*command, cwd=None):
    """Run a command, failing the build when it fails."""
    done = subprocess.run(command, cwd=cwd, check=False)
    if done.returncode:
        fail(f"{' '.join(map(str, command))} exited with {done.returncode}")


def source_files(target):
    """The checkout's files git tracks or would track (not ignored ones: .venv, instance/, releases)."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=False,
    )
    if listed.returncode:
        fail(f"the code is copied from a git checkout: {listed.stderr.decode().strip()}")
    names = [name for name in listed.stdout.decode().split("\0") if name]
    return [name for name in names if (ROOT / name).is_file() and target not in (ROOT / name).parents]


def prepare(target):
    """An empty TARGET: made, or emptied when it holds an earlier or unfinished release, else refused."""
    if target.exists():
        if not ((target / MARK).exists() or (target / BUILDING).exists() or not any(target.iterdir())):
            fail(f"{target} exists and is not a release: choose another RELEASE folder")
        shutil.rmtree(target)
    target.mkdir(parents=True)
    (target / BUILDING).touch()


def copy_code(target):
    """Copy the code, the built front-end files and the IP-to-country data into TARGET."""
    for name in source_files(target):
        destination = target / name
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, destination)
    if not (ROOT / BUILT_ASSETS).is_dir():
        fail(f"{BUILT_ASSETS} is missing: run `make assets` first")
    shutil.copytree(ROOT / BUILT_ASSETS, target / BUILT_ASSETS, ignore=shutil.ignore_patterns(".*"))
    if (ROOT / IP_COUNTRY).is_file():
        shutil.copy2(ROOT / IP_COUNTRY, target / IP_COUNTRY)
    else:
        print(f"make release: no {IP_COUNTRY}: sessions will show no place of sign-in", file=sys.stderr)


def install(target):
    """A virtualenv in TARGET/venv with the project (editable: it runs from TARGET) and no dev extra."""
    venv.EnvBuilder(with_pip=True).create(target / "venv")
    bin_dir = target / "venv" / "bin"
    run(bin_dir / "pip", "install", "--quiet", "--disable-pip-version-check", "-e", str(target))
    run(bin_dir / "pybabel", "-q", "compile", "-d", str(target / "forum" / "translations"))
    manifest = target / "assets.json"
    run(bin_dir / "python", "-m", "forum.assets", str(target / "static"), str(manifest), cwd=target)
    # Bytecode now, so that starting writes nothing into the release.
    run(bin_dir / "python", "-m", "compileall", "-q", "-x", "/venv/", str(target))


def describe():
    """Which code this is: the commit, and whether the checkout had changes beyond it."""
    commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    status = subprocess.run(["git", "status", "--porcelain"], cwd=ROOT, capture_output=True, text=True)
    return {"commit": commit.stdout.strip(), "uncommitted_changes": bool(status.stdout.strip())}


def main():
    """Build the release named on the command line."""
    if len(sys.argv) != 2:
        fail("usage: scripts/build_release.py TARGET")
    target = Path(sys.argv[1]).resolve()
    if target == ROOT or target in ROOT.parents:
        fail(f"{target} would hold the checkout itself: choose another RELEASE folder")
    prepare(target)
    copy_code(target)
    install(target)
    built = {**describe(), "built_at": datetime.now(UTC).isoformat(timespec="seconds"), "python": sys.version}
    (target / MARK).write_text(json.dumps(built, indent=1) + "\n")
    os.remove(target / BUILDING)
    print(f"Release built in {target} ({built['commit'][:12]}); start it with `make serve RELEASE={target}`")


if __name__ == "__main__":
    main()
