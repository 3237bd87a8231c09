"""The ``tools`` section of the assistant benchmark: the tool router's first-turn choice on
``tools_*.jsonl`` sets (``{id, lang, text, tool, role}``; tool = one of the eight names or "none")."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import numpy as np

from finloom.apps.customer_service._tool_router import TOOL_NAMES, route_tool

__all__ = ["score_tools"]


def _share(hits: list[bool]) -> float | None:
    return round(sum(hits) / len(hits), 4) if hits else None


def score_tools(path: Path, *, datasets: tuple[str, ...] = ()) -> dict[str, Any]:
    """Accuracy, per-tool recall and precision, none-precision (the share of predicted tools that
    were right), by language and by role, and the router's p95 latency, on one set."""
    items = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    rows, ms = [], []
    for it in items:
        start = time.perf_counter()
        found = route_tool(it["text"], datasets=datasets)
        ms.append((time.perf_counter() - start) * 1000)
        rows.append((it, found.tool if found else "none"))
    labels = sorted({*TOOL_NAMES, "none"})
    said_tool = [(it, got) for it, got in rows if got != "none"]
    return {
        "utterances": len(rows),
        "accuracy": _share([it["tool"] == got for it, got in rows]),
        "none_precision": _share([it["tool"] == got for it, got in said_tool]),
        "recall": {k: _share([got == k for it, got in rows if it["tool"] == k]) for k in labels},
        "precision": {k: _share([it["tool"] == k for it, got in rows if got == k]) for k in labels},
        "by_lang": {lang: _share([it["tool"] == got for it, got in rows if it["lang"] == lang])
                    for lang in sorted({it["lang"] for it in items})},
        "by_role": {role: _share([it["tool"] == got for it, got in rows if it.get("role") == role])
                    for role in sorted({str(it.get("role")) for it in items})},
        "router_p95_ms": round(float(np.percentile(ms, 95)), 3) if ms else None,
    }
