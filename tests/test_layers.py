"""The import rule: interfaces (api, web, cli) sit above the services and never import each other;
nothing below the interfaces imports them, the server that composes them, or the services."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import finloom

ROOT = Path(finloom.__file__).parent
INTERFACES = ("finloom.api", "finloom.web", "finloom.cli")
SERVER = "finloom.server"
SERVICES = "finloom.services"


def _module_name(path: Path, root: Path) -> str:
    parts = path.relative_to(root.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """Every finloom module ``path`` imports, at the top or inside a function."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found |= {node.module} | {f"{node.module}.{alias.name}" for alias in node.names}
    return {name for name in found if name == "finloom" or name.startswith("finloom.")}


def _within(name: str, package: str) -> bool:
    return name == package or name.startswith(package + ".")


def _package(name: str) -> str:
    return next((p for p in (*INTERFACES, SERVER, SERVICES) if _within(name, p)), "below")


def _forbidden(importer: str) -> tuple[str, ...]:
    """What a module of ``importer``'s layer must not import."""
    layer = _package(importer)
    if layer in INTERFACES:
        others = tuple(p for p in INTERFACES if p != layer)
        return others if layer == "finloom.cli" else (*others, SERVER)  # `finloom serve` runs the server
    if layer == SERVER:
        return ("finloom.cli",)
    if layer == SERVICES:
        return (*INTERFACES, SERVER)
    return (*INTERFACES, SERVER, SERVICES)


def violations(root: Path = ROOT) -> list[str]:
    """``importer -> imported`` for every import that breaks the rule."""
    out = []
    for path in sorted(root.rglob("*.py")):
        importer = _module_name(path, root)
        for imported in sorted(_imports(path)):
            if any(_within(imported, p) for p in _forbidden(importer)):
                out.append(f"{importer} -> {imported}")
    return out


def test_no_module_breaks_the_import_rule():
    assert violations() == []


@pytest.mark.parametrize(("importer", "source", "breaks"), [
    ("web/_pages.py", "from finloom.api.deps import WorkbenchDep\n", True),
    ("api/routes/x.py", "def f():\n    from finloom.web import mount_web\n", True),
    ("cli/x.py", "import finloom.api.schemas\n", True),
    ("cli/_serve.py", "from finloom.server import create_app\n", False),
    ("api/routes/x.py", "from finloom.services import jobs\n", False),
    ("services/x.py", "from finloom.api.schemas import JobOut\n", True),
    ("apps/x/service.py", "from finloom.services.jobs import submit_job\n", True),
    ("synth/x.py", "from finloom.cli._common import console\n", True),
    ("store/x.py", "from finloom.jobs import Job\n", False),
])
def test_the_rule_catches_what_it_forbids(tmp_path, importer, source, breaks):
    path = tmp_path / "finloom" / importer
    path.parent.mkdir(parents=True)
    path.write_text(source, encoding="utf-8")
    assert bool(violations(tmp_path / "finloom")) is breaks


def test_interfaces_leave_auditing_to_the_services():
    writers = ("finloom.store.record_audit", "finloom.store.AuditEntry", "finloom.store._audit")
    found = [f"{_module_name(path, ROOT)} -> {name}" for path in sorted(ROOT.rglob("*.py"))
             if _package(_module_name(path, ROOT)) in (*INTERFACES, SERVER)
             for name in _imports(path) if any(_within(name, w) for w in writers)]
    assert found == []
