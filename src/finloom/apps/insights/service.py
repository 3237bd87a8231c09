"""Insights for a registered dataset: the job that writes the summary, the full report and JSON."""

from __future__ import annotations

import json
from typing import Any

import pandas as pd

from finloom._base import ProgressCallback, noop_progress
from finloom._io import atomic_write_text
from finloom.apps.insights._drill import drill_down
from finloom.apps.insights._find import InsightSet, find_insights
from finloom.apps.insights._report import InsightReport, build_report, write_report
from finloom.apps.insights.schemas import InsightsParams
from finloom.data import Metadata
from finloom.jobs import JobContext

__all__ = ["insights_for", "insights_job"]

OUTPUTS = ("summary.html", "summary.pdf", "report.html", "report.pdf", "insights.json")


def insights_for(
    df: pd.DataFrame,
    metadata: Metadata | None,
    p: InsightsParams,
    *,
    progress: ProgressCallback = noop_progress,
) -> InsightSet:
    """Run the search (or the drill-down when ``p`` has a question or a filter) with ``p``'s options.

    Examples
    --------
    >>> df = pd.DataFrame({"g": list("ab") * 20, "y": [1.0, 5.0, 1.2, 5.1] * 10})
    >>> insights_for(df, None, InsightsParams(dataset="t")).insights[0].kind
    'segment'
    """
    roles: dict[str, Any] = {
        "target": p.target,
        "time": p.time,
        "measures": p.measures,
        "dimensions": p.dimensions,
    }
    if p.question or p.where:
        progress(0.1, "drilling down")
        return drill_down(
            df,
            metadata,
            question=p.question,
            where=p.where,
            alpha=p.alpha,
            top=p.top,
            seed=p.seed,
            **roles,
        )
    return find_insights(
        df,
        metadata,
        alpha=p.alpha,
        top=p.top,
        min_support=p.min_support,
        seed=p.seed,
        progress=progress,
        **roles,
    )


def insights_job(ctx: JobContext, p: InsightsParams) -> dict[str, Any]:
    """Insights of a registered dataset: summary and full report (HTML and PDF) and insights.json."""
    df, metadata = ctx.datasets().load(p.dataset, p.version)
    found = insights_for(df, metadata, p, progress=lambda f, m="": ctx.progress(0.6 * f, m))
    ctx.progress(0.65, "writing sentences and charts")
    report: InsightReport = build_report(
        found, p.dataset, lang=p.lang, data=df, question=p.question, seed=p.seed
    )
    out = ctx.output_dir()
    write_report(report, out / "summary.html", full=False)
    write_report(report, out / "report.html")
    ctx.progress(0.8, "rendering PDF")
    write_report(report, out / "summary.pdf", full=False)
    write_report(report, out / "report.pdf")
    summary = report.to_dict()
    atomic_write_text(
        out / "insights.json", json.dumps(summary, ensure_ascii=False, indent=2, default=str)
    )
    ctx.progress(1.0, f"{len(found.insights)} insight(s)")
    return {
        "dataset": p.dataset,
        "insights": len(found.insights),
        "n_candidates": found.n_candidates,
        "unsupported_numbers": report.unsupported_numbers,
        "files": list(OUTPUTS),
        "sentences": [i["text"] for i in summary["insights"]],
        "none": summary["none"],
    }
