"""The code's layers: every module imports on its own, and the infrastructure imports no feature."""

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FORUM = ROOT / "forum"
FEATURES = (
    "accounts",
    "api",
    "admin",
    "hub",
    "insights",
    "mail",
    "main",
    "moderation",
    "notifications",
    "qa",
    "report",
    "search",
    "synthesis",
    "threads",
)
# Infrastructure: features register with it (room kinds, event renderers, webhook events, the
# session's claim, template globals); it never reaches up to them.
INFRASTRUCTURE = (
    "realtime",
    "webhooks",
    "urls.py",
    "database.py",
    "policy.py",
    "permissions.py",
    "caching.py",
    "pdfs.py",
    "shared.py",
    "templating.py",
)


def modules():
    """Every module of the forum package, by dotted name."""
    names = []
    for path in sorted(FORUM.rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return names


def test_every_module_imports_on_its_own():
    # One interpreter, the forum's modules forgotten before each import: an import cycle that only
    # works in the app's own order fails here.
    script = (
        "import importlib, sys\n"
        "failed = []\n"
        f"for name in {modules()!r}:\n"
        "    for loaded in [m for m in sys.modules if m == 'forum' or m.startswith('forum.')]:\n"
        "        del sys.modules[loaded]\n"
        "    try:\n"
        "        importlib.import_module(name)\n"
        "    except ImportError as error:\n"
        "        failed.append(f'{name}: {error}')\n"
        "print('\\n'.join(failed))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""


def _imported(path):
    """The forum modules a file imports, at its top or inside functions."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("forum"):
            found |= {node.module, *(f"{node.module}.{alias.name}" for alias in node.names)}
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name.startswith("forum")}
    return found


def test_the_infrastructure_imports_no_feature():
    reaching_up = {}
    for entry in INFRASTRUCTURE:
        for path in [FORUM / entry] if entry.endswith(".py") else sorted((FORUM / entry).rglob("*.py")):
            features = {
                name for name in _imported(path) if name.split(".")[1:2] and name.split(".")[1] in FEATURES
            }
            if features:
                reaching_up[str(path.relative_to(ROOT))] = sorted(features)
    assert reaching_up == {}
