"""Jobs for market simulation (paths + stylized-facts report) and the strategy lab."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from finloom._io import atomic_write_text
from finloom.data import write_csv
from finloom.errors import ConfigError, did_you_mean
from finloom.jobs import JobContext

__all__ = ["SIMULATORS", "lab_run_job", "load_series", "market_simulate_job"]

SIMULATORS = {
    "bootstrap": "StationaryBootstrap",
    "garch": "GARCHSimulator",
    "hybrid": "HybridFHSSimulator",
    "quantgan": "QuantGANSimulator",
}


def load_series(ctx: JobContext, source: str) -> pd.DataFrame:
    """Prices to fit: ``"sp500"`` (the arch package's S&P 500) or a dataset with a datetime column."""
    from finloom.synth.market import load_sp500

    if source == "sp500":
        return load_sp500()
    df, meta = ctx.datasets().load(source)
    dates = meta.names_of("datetime")
    if not dates:
        raise ConfigError(f"dataset {source!r} must have a datetime column to use as the price index; got none. Set a column's kind to datetime.")
    numeric = meta.names_of("numerical")
    return df.set_index(dates[0])[numeric].sort_index()


def _simulator(name: str, params: dict[str, Any]) -> Any:
    import finloom.synth.market as market

    if name not in SIMULATORS:
        raise ConfigError(f"model must be one of {sorted(SIMULATORS)}; got {name!r}.{did_you_mean(name, SIMULATORS)}")
    return getattr(market, SIMULATORS[name])(**params)


def market_simulate_job(ctx: JobContext) -> dict[str, Any]:
    """Fit a simulator on a price series, simulate paths, write the stylized-facts report and save the model.

    ``params``: source ('sp500' or a dataset), model ('bootstrap'|'garch'|'hybrid'), params?, n_paths
    (500), n_days (252), regime? ('calm'|'stressed'), seed?, name?.
    """
    from finloom.evaluate._stylized_report import stylized_facts_report

    p = ctx.params
    n_paths, n_days = int(p.get("n_paths", 500)), int(p.get("n_days", 252))
    if not 1 <= n_paths <= 20_000 or not 5 <= n_days <= 5000:
        raise ConfigError(f"n_paths must be in [1, 20000] and n_days in [5, 5000]; got {n_paths} and {n_days}.")
    source = str(p.get("source", "sp500"))
    prices = load_series(ctx, source)
    model_name = str(p.get("model", "hybrid"))
    sim = _simulator(model_name, dict(p.get("params") or {}))
    ctx.progress(0.05, f"fitting {type(sim).__name__} on {len(prices)} days")
    sim.fit(prices)
    ctx.progress(0.4, f"simulating {n_paths} paths × {n_days} days")
    paths = sim.sample(n_paths, n_days, random_state=int(p.get("seed", 0)), regime=p.get("regime"))
    out = ctx.output_dir()
    ctx.progress(0.6, "stylized facts")
    report = stylized_facts_report(sim.returns_[:, 0], paths.returns[..., 0], synthetic_prices=paths.prices[..., 0])
    atomic_write_text(out / "report.html", report.to_html())
    median = pd.DataFrame(np.median(paths.prices, axis=0), index=paths.index, columns=paths.columns)
    write_csv(median, out / "median_path.csv")
    name = str(p.get("name") or f"{source}-{model_name}")
    summary = report.to_dict()
    saved = ctx.artifacts().save(
        name, sim, metrics=summary.get("scores", {}), job_id=ctx.job_id, created_by=ctx.created_by,
        lineage={"source": source, "days": len(prices), "last_date": str(sim.last_date_.date())},
        licences=["S&P 500 data from the arch package (NCSA licence)"] if source == "sp500" else [],
    )
    return {"model": saved.name, "version": saved.version, "scores": summary.get("scores", {}), "paths": n_paths, "days": n_days}


def lab_run_job(ctx: JobContext) -> dict[str, Any]:
    """Walk-forward strategy test: fit on history minus ``test_days``, back-test on synthetic and real.

    ``params``: source, model, strategy ('ma_crossover', 'momentum', ...), grid (list of param
    dicts), test_days (252), n_paths (1000), cost (0.0005), seed.
    """
    from finloom.apps.strategy_lab.service import walk_forward

    p = ctx.params
    grid = p.get("grid") or [{"fast": 20, "slow": 100}]
    if not isinstance(grid, list) or not all(isinstance(g, dict) for g in grid):
        raise ConfigError(f"grid must be a list of parameter dicts; got {grid!r}.")
    prices = load_series(ctx, str(p.get("source", "sp500")))
    sim = _simulator(str(p.get("model", "hybrid")), dict(p.get("params") or {}))
    result = walk_forward(
        prices, sim, str(p.get("strategy", "ma_crossover")), grid, test_days=int(p.get("test_days", 252)),
        n_paths=int(p.get("n_paths", 1000)), cost=float(p.get("cost", 0.0005)), random_state=int(p.get("seed", 0)),
        progress=lambda f, m="": ctx.progress(0.9 * f, m),
    )
    atomic_write_text(ctx.output_dir() / "report.html", result.to_html())
    return {"train_end": result.train_end, "test_days": result.test_days, "summary": result.summary()}
