"""Shared helpers for benchmark scripts: data location, machine description, result writing."""

from __future__ import annotations

import datetime as _dt
import json
import os
import platform
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from finloom._io import atomic_write_text
from finloom._serialization import to_jsonable

ROOT = Path(__file__).resolve().parent
RESULTS = ROOT / "results"
SHARED_DATA = Path(os.environ.get("FINLOOM_SHARED_DATA", ROOT.parent.parent / "shared" / "data"))


def git_commit() -> str:
    """The commit the figures were measured at (``+dirty`` when the tree had changes)."""
    import subprocess

    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                              check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT,
                               capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return head + ("+dirty" if dirty else "")


def machine() -> dict[str, Any]:
    """Describe the machine the figures were measured on (and the commit they were measured at)."""
    try:
        import psutil

        mem_gib = round(psutil.virtual_memory().total / 2**30, 1)
    except ImportError:  # pragma: no cover - psutil comes with dask
        mem_gib = None
    return {
        "cpu_count": os.cpu_count(),
        "memory_gib": mem_gib,
        "processor": platform.processor() or platform.machine(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "date": _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds"),
        "commit": git_commit(),
    }


def write_results(name: str, payload: dict[str, Any]) -> Path:
    """Write ``benchmarks/results/<name>.json`` atomically, adding the machine description."""
    document = {**to_jsonable(payload), "machine": machine()}
    path = RESULTS / f"{name}.json"
    atomic_write_text(path, json.dumps(document, indent=2, ensure_ascii=False) + "\n")
    return path


def committed_rows(name: str, key: Sequence[str], fresh: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows of the committed ``results/<name>.json`` merged with ``fresh`` ones (fresh win per ``key``).

    Run files live outside git, so a new machine must not lose the figures measured on an earlier one.
    """
    path = RESULTS / f"{name}.json"
    old = json.loads(path.read_text(encoding="utf-8")).get("rows", []) if path.exists() else []
    merged = {tuple(str(r.get(k)) for k in key): r for r in old}
    merged.update({tuple(str(r.get(k)) for k in key): r for r in fresh})
    return list(merged.values())


def print_table(title: str, headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """Print a Rich table (figures next to their anchors/targets)."""
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title)
    for h in headers:
        table.add_column(str(h))
    for row in rows:
        table.add_row(*[f"{v:.4g}" if isinstance(v, float) else str(v) for v in row])
    Console().print(table)


@contextmanager
def timer() -> Iterator[dict[str, float]]:
    """``with timer() as t: ...`` then ``t["seconds"]``."""
    out: dict[str, float] = {}
    start = time.perf_counter()
    try:
        yield out
    finally:
        out["seconds"] = time.perf_counter() - start


def progress_printer(every_s: float = 30.0) -> Callable[[float, str], None]:
    """A progress callback that prints at most every ``every_s`` seconds (and each validation)."""
    last = [0.0]

    def report(fraction: float, message: str = "") -> None:
        if time.time() - last[0] > every_s or "valid" in message:
            last[0] = time.time()
            print(f"  {fraction:6.1%} {message}", flush=True)

    return report
