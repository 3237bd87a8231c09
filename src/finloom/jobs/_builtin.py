"""Built-in job kinds: a counting demo job and a dataset profile, with their parameters."""

from __future__ import annotations

import time
from typing import Any

from pydantic import Field

from finloom._io import atomic_write_text
from finloom.jobs._context import JobContext
from finloom.jobs._params import DatasetName, JobParams, Version

__all__ = ["CountParams", "ProfileParams", "count_job", "profile_dataset_job"]


class CountParams(JobParams):
    """Parameters of ``demo.count``."""

    kind = "demo.count"
    steps: int = Field(default=10, ge=1, le=100_000, description="Number of steps to count.")
    delay: float = Field(default=0.2, ge=0, le=60, description="Seconds to wait at each step.")
    fail_at: int | None = Field(default=None, ge=0, description="Step at which to fail on purpose (a demo of failures).")
    write: bool = Field(default=False, description="Also write each step to count.txt (a demo of job files).")


class ProfileParams(JobParams):
    """Parameters of ``dataset.profile``."""

    kind = "dataset.profile"
    dataset: DatasetName
    version: Version = None

    def check(self, ctx: JobContext) -> None:
        ctx.datasets().get(self.dataset, self.version)


def count_job(ctx: JobContext, p: CountParams) -> dict[str, Any]:
    """Count to ``steps`` with ``delay`` seconds per step; ``fail_at`` raises at that step.

    Examples
    --------
    >>> from pathlib import Path
    >>> count_job(JobContext("j", {}, Path("/tmp")), CountParams(steps=3, delay=0))
    {'counted': 3}
    """
    lines = ""
    for i in range(p.steps):
        if p.fail_at is not None and i == p.fail_at:
            raise RuntimeError(f"demo failure at step {i}")
        time.sleep(p.delay)
        if p.write:
            lines += f"step {i + 1}\n"
            atomic_write_text(ctx.output_dir() / "count.txt", lines)
        ctx.progress((i + 1) / p.steps, f"step {i + 1} of {p.steps}")
    return {"counted": p.steps}


def profile_dataset_job(ctx: JobContext, p: ProfileParams) -> dict[str, Any]:
    """Per-column statistics of a registered dataset."""
    df, meta = ctx.datasets().load(p.dataset, p.version)
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
    return {"dataset": p.dataset, "rows": len(df), "columns": columns}
