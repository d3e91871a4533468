"""The code's layers: every module imports on its own, and the infrastructure imports no feature."""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

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
    "audit",
    "realtime",
    "webhooks",
    "urls.py",
    "database.py",
    "policy.py",
    "permissions.py",
    "states.py",
    "caching.py",
    "pdfs.py",
    "shared.py",
    "templating.py",
    "logging_setup.py",
)


def modules():
    """Every module of the forum package, by dotted name."""
    names = []
    for path in sorted(FORUM.rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return names


# Each shard imports a quarter of the modules (about 10 s of CPU): the test processes share them out.
SHARDS = 4


@pytest.mark.parametrize("shard", range(SHARDS))
def test_every_module_imports_on_its_own(shard):
    # One interpreter, the forum's modules forgotten before each import: an import cycle that only
    # works in the app's own order fails here.
    script = (
        "import importlib, sys\n"
        "failed = []\n"
        f"for name in {modules()[shard::SHARDS]!r}:\n"
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


def _unit(module):
    """The package (or top-level module) of the forum that `module` belongs to: forum.threads.services
    -> threads, forum.policy -> policy; None for the forum package itself."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else None


def _dependencies():
    """{unit: units it imports}, from every import of its files (at their top or inside functions)."""
    graph = {}
    for name in modules():
        unit = _unit(name)
        if unit is None:
            continue
        path = ROOT.joinpath(*name.split("."))
        path = path / "__init__.py" if path.is_dir() else path.with_suffix(".py")
        # `from forum import audit` names the unit in the alias; `from forum.audit import log` in the module.
        found = {_unit(imported) for imported in _imported(path)} - {None, unit}
        graph.setdefault(unit, set()).update(found & {_unit(m) for m in modules()})
    return graph


def _cycles(graph):
    """The strongly connected groups of more than one unit (Tarjan's algorithm), each sorted."""
    index, low, stack, on_stack, groups = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return groups


def test_no_two_packages_import_each_other_even_indirectly():
    # A lower package that needs a higher one offers a registry or a signal that the higher one fills.
    assert _cycles(_dependencies()) == []


def test_the_cycle_finder_finds_a_cycle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
