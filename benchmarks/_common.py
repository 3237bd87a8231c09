"""Shared helpers for benchmark scripts: data location, machine description, result writing."""

from __future__ import annotations

import datetime as _dt
import functools
import hashlib
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
SOURCE = ROOT.parent / "src" / "finloom"
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


def provenance() -> dict[str, Any]:
    """Where and when a figure was measured: commit, date and machine (stamped on every results row)."""
    m = machine()
    return {"commit": m["commit"], "date": m["date"],
            "machine": {k: m[k] for k in ("cpu_count", "memory_gib", "processor", "platform", "python")}}


def _stamp(rows: Any, stamp: dict[str, Any]) -> Any:
    """``rows`` (a list of dicts, or a dict of dicts) with ``provenance`` added where it is missing."""
    if isinstance(rows, list):
        return [{**r, "provenance": r.get("provenance") or stamp} if isinstance(r, dict) else r for r in rows]
    if isinstance(rows, dict):
        return {k: _stamp([v], stamp)[0] for k, v in rows.items()}
    return rows


def write_results(name: str, payload: dict[str, Any]) -> Path:
    """Write ``benchmarks/results/<name>.json`` atomically with the machine description; every row of
    ``rows`` or ``runs`` carries its own ``provenance`` (commit, date, machine; this run's when it has none)."""
    document = to_jsonable(payload)
    now = provenance()
    document = {**document, **{k: _stamp(document[k], now) for k in ("rows", "runs") if k in document},
                "machine": machine()}
    path = RESULTS / f"{name}.json"
    atomic_write_text(path, json.dumps(document, indent=2, ensure_ascii=False) + "\n")
    return path


def committed_rows(name: str, key: Sequence[str], fresh: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows of the committed ``results/<name>.json`` merged with ``fresh`` ones (fresh win per ``key``).

    Run files live outside git, so a new machine must not lose the figures measured on an earlier one.
    A committed row without its own provenance gets the committed file's machine description.
    """
    path = RESULTS / f"{name}.json"
    document = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    earlier = document.get("machine") or {}
    stamp = {"commit": earlier.get("commit", "unknown"), "date": earlier.get("date", "unknown"),
             "machine": {k: v for k, v in earlier.items() if k not in ("commit", "date")}}
    old = _stamp(document.get("rows", []), stamp)
    merged = {tuple(str(r.get(k)) for k in key): r for r in old}
    merged.update({tuple(str(r.get(k)) for k in key): r for r in fresh})
    return list(merged.values())


@functools.lru_cache(maxsize=1)
def code_version() -> str:
    """A hash of finloom's source and the benchmark scripts: a cached run is reused only while it holds."""
    digest = hashlib.sha256()
    for root in (SOURCE, ROOT):
        for path in sorted(p for p in root.rglob("*.py") if "results" not in p.relative_to(root).parts):
            digest.update(path.relative_to(root.parent).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]


def encoder_version(path: str | os.PathLike[str] | None) -> str:
    """Which encoder a run used: the folder's name and a hash of its config and weight-file sizes
    (``None``: the bundled MiniLM)."""
    from finloom.nlp import resolve_encoder_path

    folder = resolve_encoder_path(path)
    digest = hashlib.sha256((folder / "config.json").read_bytes())
    for weights in sorted(folder.glob("*.safetensors")) + sorted(folder.glob("*.bin")):
        digest.update(f"{weights.name}:{weights.stat().st_size}".encode())
    return f"{folder.name if path is not None else 'bundled-minilm'}-{digest.hexdigest()[:8]}"


def run_key(*, encoders: Sequence[str | os.PathLike[str] | None] = (), **settings: Any) -> str:
    """The key of a cached run: the code version, the encoders it used (``None``: the bundled MiniLM)
    and its ``settings``."""
    parts = {"code": code_version(), "encoders": [encoder_version(e) for e in encoders],
             **{k: str(v) for k, v in sorted(settings.items())}}
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()[:16]


def read_run(path: Path, key: str) -> dict[str, Any] | None:
    """The cached run at ``path`` if it was written under ``key`` (same code, encoder and settings), else None."""
    if not path.is_file():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    return data if isinstance(data, dict) and data.get("cache_key") == key else None


def write_run(path: Path, result: dict[str, Any], key: str) -> dict[str, Any]:
    """Write one run's result atomically with its ``cache_key`` and ``provenance``; return what was written."""
    stamped = {**to_jsonable(result), "cache_key": key, "code": code_version(), "provenance": provenance()}
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_text(path, json.dumps(stamped, indent=2, ensure_ascii=False) + "\n")
    return stamped


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
