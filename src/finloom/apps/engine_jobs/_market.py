"""Jobs for market simulation (paths + stylized-facts report) and the strategy lab."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from finloom._io import atomic_write_text
from finloom.apps.engine_jobs.schemas import LabRunParams, MarketSimulateParams
from finloom.data import write_csv
from finloom.errors import ConfigError
from finloom.jobs import JobContext

__all__ = ["SIMULATORS", "lab_run_job", "load_series", "market_simulate_job"]

SIMULATORS = {  # the same names as 'finloom market fit --model'
    "fhs": "HybridFHSSimulator",
    "garch": "GARCHSimulator",
    "bootstrap": "StationaryBootstrap",
    "ddpm": "DiffusionSimulator",
    "quantgan": "QuantGANSimulator",
}


def load_series(ctx: JobContext, source: str) -> pd.DataFrame:
    """Prices to fit: ``"sp500"`` (the arch package's S&P 500) or a dataset with a datetime column."""
    from finloom.synth.market import load_sp500

    if source.lower() == "sp500":
        return load_sp500()
    df, meta = ctx.datasets().load(source)
    dates = meta.names_of("datetime")
    if not dates:
        raise ConfigError(f"dataset {source!r} must have a datetime column to use as the price index; got none. Set a column's kind to datetime.")
    numeric = meta.names_of("numerical")
    if not numeric:
        raise ConfigError(f"dataset {source!r} must have price columns (numbers) besides its date; got none. "
                          "Pick a table of daily prices: a date column and one column per instrument.")
    return df.set_index(dates[0])[numeric].sort_index()


def _simulator(name: str) -> Any:
    """A fresh simulator of family ``name`` (one of ``SIMULATORS``, as the params model allows)."""
    import finloom.synth.market as market

    return getattr(market, SIMULATORS[name])()


def market_simulate_job(ctx: JobContext, p: MarketSimulateParams) -> dict[str, Any]:
    """Fit a simulator on a price series, simulate paths, write the stylized-facts report and save the model."""
    from finloom.evaluate._stylized_report import stylized_facts_report

    prices = load_series(ctx, p.source)
    sim = _simulator(p.model)
    ctx.progress(0.05, f"fitting {type(sim).__name__} on {len(prices)} days")
    sim.fit(prices)
    ctx.progress(0.4, f"simulating {p.n_paths} paths × {p.n_days} days")
    paths = sim.sample(p.n_paths, p.n_days, random_state=p.seed, regime=p.regime)
    out = ctx.output_dir()
    ctx.progress(0.6, "stylized facts")
    report = stylized_facts_report(sim.returns_[:, 0], paths.returns[..., 0], synthetic_prices=paths.prices[..., 0])
    atomic_write_text(out / "report.html", report.to_html())
    median = pd.DataFrame(np.median(paths.prices, axis=0), index=paths.index, columns=paths.columns)
    write_csv(median, out / "median_path.csv")
    summary = report.to_dict()
    saved = ctx.artifacts().save(
        p.name or f"{p.source}-{p.model}", sim, metrics=summary.get("scores", {}), job_id=ctx.job_id,
        created_by=ctx.created_by,
        lineage={"source": p.source, "days": len(prices), "last_date": str(sim.last_date_.date())},
        licences=["S&P 500 data from the arch package (NCSA licence)"] if p.source.lower() == "sp500" else [],
    )
    return {"model": saved.name, "version": saved.version, "scores": summary.get("scores", {}),
            "paths": p.n_paths, "days": p.n_days}


def lab_run_job(ctx: JobContext, p: LabRunParams) -> dict[str, Any]:
    """Walk-forward strategy test: fit on history minus ``test_days``, back-test on synthetic and real."""
    from finloom.apps.strategy_lab.service import walk_forward

    result = walk_forward(
        load_series(ctx, p.source), _simulator(p.model), p.strategy, p.grid, test_days=p.test_days,
        n_paths=p.n_paths, cost=p.cost, random_state=p.seed, progress=lambda f, m="": ctx.progress(0.9 * f, m),
    )
    atomic_write_text(ctx.output_dir() / "report.html", result.to_html())
    return {"train_end": result.train_end, "test_days": result.test_days, "summary": result.summary()}
