"""``finloom report market|portfolio``: guarded market and portfolio reports as PDF or HTML."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from finloom.cli._common import console, handle_errors
from finloom.cli._progress import progress_reporter as _progress
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


def _finish(report: object, out: Path) -> None:
    from finloom.apps.reports import write_report

    info = write_report(report, out)  # type: ignore[arg-type]
    pages = f", {info['pages']} pages" if info["pages"] else ""
    console.print(f"wrote {info['path']} ({info['format']}{pages}); "
                  f"narrative from {report.narrative_source}, guard score {report.guard.score:.2f}")  # type: ignore[attr-defined]


@app.command()
@handle_errors
def market(
    tickers: Annotated[list[str], typer.Option("--tickers", "-t", help="Demo tickers: SP500, NASDAQ, WTI, VIX (comma-separated or repeated).")],
    start: Annotated[str | None, typer.Option(help="First day, YYYY-MM-DD.")] = None,
    end: Annotated[str | None, typer.Option(help="Last day, YYYY-MM-DD.")] = None,
    lang: Annotated[str, typer.Option(help="'en' or 'zh'.")] = "en",
    out: Annotated[Path, typer.Option("--out", "-o", help="report.pdf or report.html")] = Path("report.pdf"),
    seed: Annotated[int, typer.Option(help="Wording variant (never changes a number).")] = 0,
) -> None:
    """Market report: returns, volatility, drawdown, top movers, correlation and regime."""
    from finloom.apps.reports import build_market_report

    with _progress("market report") as progress:
        report = build_market_report(_split(tickers), start, end, lang=lang, seed=seed, progress=progress)
    _finish(report, out)


@app.command()
@handle_errors
def portfolio(
    weights: Annotated[str, typer.Option(help="Holdings and weights, e.g. 'SP500=0.6,WTI=0.4'.")],
    start: Annotated[str | None, typer.Option(help="First day, YYYY-MM-DD.")] = None,
    end: Annotated[str | None, typer.Option(help="Last day, YYYY-MM-DD.")] = None,
    lang: Annotated[str, typer.Option(help="'en' or 'zh'.")] = "en",
    out: Annotated[Path, typer.Option("--out", "-o", help="report.pdf or report.html")] = Path("portfolio.pdf"),
    seed: int = 0,
) -> None:
    """Portfolio report (constant weights): return, volatility, drawdown and contributions."""
    from finloom.apps.reports import build_portfolio_report

    with _progress("portfolio report") as progress:
        report = build_portfolio_report(_weights(weights), start, end, lang=lang, seed=seed, progress=progress)
    _finish(report, out)
