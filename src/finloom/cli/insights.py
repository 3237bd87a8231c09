"""``finloom insights DATASET``: tested, ranked insights of a registered dataset as a guarded report."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from finloom.cli._common import console, handle_errors, key_values
from finloom.cli._jobs import Wait, job_folder, job_workbench, publish_file, run_job
from finloom.errors import ConfigError


@handle_errors
def insights(
    dataset: Annotated[str, typer.Argument(help="A registered dataset (finloom datasets list).")],
    lang: Annotated[str, typer.Option(help="'en' or 'zh'.")] = "en",
    out: Annotated[
        Path,
        typer.Option(
            "--out",
            "-o",
            help="insights.html, insights.pdf (full report) or "
            "summary.html/.pdf (one page, by name).",
        ),
    ] = Path("insights.html"),
    question: Annotated[
        str | None,
        typer.Option("--question", "-q", help="Drill down: 'why did defaults rise in March?'"),
    ] = None,
    where: Annotated[
        list[str] | None,
        typer.Option("--where", "-w", help="Slice filter column=value (repeatable)."),
    ] = None,
    target: Annotated[
        str | None, typer.Option(help="Outcome column (inferred when omitted).")
    ] = None,
    time: Annotated[str | None, typer.Option(help="Date column (inferred when omitted).")] = None,
    alpha: Annotated[float, typer.Option(help="False discovery rate.")] = 0.05,
    top: Annotated[int, typer.Option(help="Most insights to report.")] = 10,
    wait: Wait = True,
) -> None:
    """Insights of DATASET: trends, breaks, changes and what drove them, segments, drivers, anomalies and
    correlations, tested with false-discovery control and told in guarded sentences (an 'insights.run'
    job; --out gets the full report, or the one-page summary when its name starts with 'summary')."""
    suffix = out.suffix.lower()
    if suffix not in (".html", ".pdf"):
        raise ConfigError(
            f"--out must end in .html or .pdf; got {out.name!r}. Write e.g. --out insights.pdf."
        )
    params = {
        "dataset": dataset,
        "lang": lang,
        "question": question,
        "target": target,
        "time": time,
        "alpha": alpha,
        "top": top,
        "where": key_values(where or [], "--where", value=lambda k, v: v, example="region=North"),
    }
    wb = job_workbench()
    job = run_job(
        wb,
        "insights.run",
        {k: v for k, v in params.items() if v is not None},
        wait=wait,
        title="insights",
    )
    if job is None:
        return
    kind = "summary" if out.stem.startswith("summary") else "report"
    publish_file(job_folder(wb, job) / f"{kind}{suffix}", out)
    result = job.result or {}
    for i, sentence in enumerate(result.get("sentences", []), start=1):
        console.print(f"{i}. {sentence}", highlight=False, soft_wrap=True)
    if result.get("none"):
        console.print(result["none"], highlight=False, soft_wrap=True)
    console.print(
        f"wrote {out} ({result.get('insights', 0)} insight(s) from {result.get('n_candidates', 0)} candidates; "
        f"job {job.id[:8]})",
        highlight=False,
    )
