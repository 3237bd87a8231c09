"""``finloom report market|portfolio``: guarded market and portfolio reports as PDF or HTML."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Annotated

import typer

from finloom.cli._common import console, handle_errors
from finloom.cli._jobs import Wait, job_folder, job_workbench, publish_file, run_job
from finloom.errors import ConfigError

app = typer.Typer(help="Market and portfolio reports (HTML/PDF, English or Chinese); every number is "
                       "checked against the data.", no_args_is_help=True)


def _split(values: list[str]) -> list[str]:
    return [v.strip() for item in values for v in item.split(",") if v.strip()]


def _weights(value: str) -> dict[str, float]:
    out = {}
    for item in value.split(","):
        name, sep, weight = item.partition("=")
        try:
            out[name.strip()] = float(weight)
        except ValueError:
            sep = ""
        if not sep:
            raise ConfigError(f"--weights must look like 'SP500=0.6,WTI=0.4'; got {value!r}.")
    return out


def _output_format(out: Path) -> str:
    fmt = out.suffix.lower().lstrip(".")
    if fmt not in ("pdf", "html"):
        raise ConfigError(f"--out must end in .pdf or .html; got {out.name!r}. Write e.g. --out report.pdf.")
    return fmt


def _run(kind: str, title: str, params: Mapping[str, object], out: Path, wait: bool) -> None:
    """Run the report job; copy its PDF or HTML (as ``out`` ends) to ``out``."""
    fmt = _output_format(out)
    wb = job_workbench()
    job = run_job(wb, kind, {k: v for k, v in params.items() if v is not None}, wait=wait, title=title)
    if job is None:
        return
    publish_file(job_folder(wb, job) / f"report.{fmt}", out)
    console.print(f"wrote {out} ({fmt}); narrative from {(job.result or {}).get('narrative_source', 'template')}, guard score "
                  f"{(job.result or {}).get('guard_score', 0.0):.2f} (job {job.id[:8]})", highlight=False)


@app.command()
@handle_errors
def market(
    tickers: Annotated[list[str], typer.Option("--tickers", "-t", help="Demo tickers: SP500, NASDAQ, WTI, VIX (comma-separated or repeated).")],
    start: Annotated[str | None, typer.Option(help="First day, YYYY-MM-DD.")] = None,
    end: Annotated[str | None, typer.Option(help="Last day, YYYY-MM-DD.")] = None,
    lang: Annotated[str, typer.Option(help="'en' or 'zh'.")] = "en",
    out: Annotated[Path, typer.Option("--out", "-o", help="report.pdf or report.html")] = Path("report.pdf"),
    seed: Annotated[int, typer.Option(help="Wording variant (never changes a number).")] = 0,
    wait: Wait = True,
) -> None:
    """Market report: returns, volatility, drawdown, top movers, correlation and regime (a
    'report.market' job; the job keeps both report.html and report.pdf)."""
    params = {"tickers": _split(tickers), "start": start, "end": end, "lang": lang, "seed": seed}
    _run("report.market", "market report", params, out, wait)


@app.command()
@handle_errors
def portfolio(
    weights: Annotated[str, typer.Option(help="Holdings and weights, e.g. 'SP500=0.6,WTI=0.4'.")],
    start: Annotated[str | None, typer.Option(help="First day, YYYY-MM-DD.")] = None,
    end: Annotated[str | None, typer.Option(help="Last day, YYYY-MM-DD.")] = None,
    lang: Annotated[str, typer.Option(help="'en' or 'zh'.")] = "en",
    out: Annotated[Path, typer.Option("--out", "-o", help="report.pdf or report.html")] = Path("portfolio.pdf"),
    seed: int = 0,
    wait: Wait = True,
) -> None:
    """Portfolio report (constant weights): return, volatility, drawdown and contributions (a
    'report.portfolio' job)."""
    params = {"weights": _weights(weights), "start": start, "end": end, "lang": lang, "seed": seed}
    _run("report.portfolio", "portfolio report", params, out, wait)
