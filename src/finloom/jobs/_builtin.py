"""Built-in job functions: a counting demo job and a dataset profile."""

from __future__ import annotations

import time
from typing import Any

from finloom.errors import ConfigError
from finloom.jobs._context import JobContext

__all__ = ["count_job", "profile_dataset_job"]


def count_job(ctx: JobContext) -> dict[str, Any]:
    """Count to ``steps`` with ``delay`` seconds per step; ``fail_at`` raises at that step.

    Examples
    --------
    >>> from pathlib import Path
    >>> count_job(JobContext("j", {"steps": 3, "delay": 0}, Path("/tmp")))
    {'counted': 3}
    """
    steps = int(ctx.params.get("steps", 10))
    delay = float(ctx.params.get("delay", 0.2))
    fail_at = ctx.params.get("fail_at")
    if steps < 1 or delay < 0:
        raise ConfigError(f"steps must be >= 1 and delay >= 0; got steps={steps}, delay={delay}.")
    for i in range(steps):
        if fail_at is not None and i == int(fail_at):
            raise RuntimeError(f"demo failure at step {i}")
        time.sleep(delay)
        ctx.progress((i + 1) / steps, f"step {i + 1} of {steps}")
    return {"counted": steps}


def profile_dataset_job(ctx: JobContext) -> dict[str, Any]:
    """Per-column statistics of a registered dataset (``params: dataset, version?``)."""
    name = str(ctx.params.get("dataset", ""))
    df, meta = ctx.datasets().load(name, ctx.params.get("version"))
    columns: list[dict[str, Any]] = []
    for i, col in enumerate(meta.columns):
        series = df[col.name]
        entry: dict[str, Any] = {
            "name": col.name,
            "kind": col.kind.value,
            "null_rate": float(series.isna().mean()) if len(series) else 0.0,
            "distinct": int(series.nunique()),
        }
        if col.kind.value == "numerical":
            desc = series.describe()
            entry.update({k: float(desc[k]) for k in ("mean", "std", "min", "max") if k in desc})
        else:
            top = series.astype("string").value_counts().head(5)
            entry["top"] = {str(k): int(v) for k, v in top.items()}
        columns.append(entry)
        ctx.progress((i + 1) / len(meta.columns), f"profiled {col.name}")
    return {"dataset": name, "rows": len(df), "columns": columns}
