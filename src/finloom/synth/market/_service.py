"""Service functions for jobs, API routes and the CLI: fit+save, sample, stylized-facts report.

Each takes a plain ``params`` dict, a ``progress(fraction, message)`` callback and an output
directory, and returns a JSON-able dict.
"""

from __future__ import annotations

import inspect
import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from finloom._base import ProgressCallback, noop_progress
from finloom._io import atomic_write_text
from finloom._serialization import state_kind
from finloom.data import write_csv
from finloom.errors import ConfigError, FinloomError
from finloom.synth.market._base import MarketSimulator
from finloom.synth.market._bootstrap import StationaryBootstrap
from finloom.synth.market._data import load_prices, load_sp500, log_returns
from finloom.synth.market._diffusion import DiffusionSimulator
from finloom.synth.market._garch import GARCHSimulator
from finloom.synth.market._hybrid import HybridFHSSimulator
from finloom.synth.market._quantgan import QuantGANSimulator

__all__ = ["MODELS", "fit_and_save", "load_model", "load_series", "report_and_save", "sample_and_save"]

MODELS: dict[str, type[MarketSimulator]] = {
    "bootstrap": StationaryBootstrap,
    "garch": GARCHSimulator,
    "fhs": HybridFHSSimulator,
    "ddpm": DiffusionSimulator,
    "quantgan": QuantGANSimulator,
}


def load_series(source: str | Path, *, start: str | None = None, end: str | None = None) -> pd.DataFrame:
    """``"sp500"`` (the demo series shipped by ``arch``) or a CSV path with a date column first.

    Examples
    --------
    >>> load_series("sp500", start="2018-12-20").shape[1]
    5
    """
    if str(source).lower() == "sp500":
        return load_sp500(start=start, end=end)
    return load_prices(Path(source)).loc[start:end]


def load_model(path: str | Path) -> MarketSimulator:
    """Load any market simulator saved by :func:`fit_and_save` (the kind is read from the file)."""
    kind = state_kind(path)
    by_kind = {cls.__name__: cls for cls in MODELS.values()}
    if kind not in by_kind:
        raise FinloomError(f"model kind must be one of {sorted(by_kind)}; got {kind!r} in {path}.")
    return by_kind[kind].load(path)


def fit_and_save(params: dict[str, Any], progress: ProgressCallback = noop_progress,
                 out_dir: str | Path = ".") -> dict[str, Any]:
    """Fit ``params["model"]`` (bootstrap | garch | fhs | quantgan) on ``params["data"]`` and save it.

    ``params``: ``model``, ``model_params`` (dict), ``data`` ("sp500" or CSV path), ``start``, ``end``.

    Examples
    --------
    >>> import tempfile
    >>> out = fit_and_save({"model": "bootstrap", "data": "sp500", "start": "2017-01-01"},
    ...                    out_dir=tempfile.mkdtemp())
    >>> out["kind"], out["columns"]
    ('StationaryBootstrap', ['Close'])
    """
    name = str(params.get("model", "fhs"))
    if name not in MODELS:
        raise ConfigError(f"model must be one of {sorted(MODELS)}; got {name!r}.")
    progress(0.05, "loading data")
    frame = load_series(params.get("data", "sp500"), start=params.get("start"), end=params.get("end"))
    progress(0.2, f"fitting {name}")
    model = MODELS[name](**dict(params.get("model_params") or {}))
    fit: Any = model.fit
    if "progress" in inspect.signature(fit).parameters:  # trained models report their epochs
        fit(frame, progress=lambda f, m="": progress(0.2 + 0.75 * f, m))
    else:
        fit(frame)
    path = Path(out_dir) / "model"
    model.save(path)
    progress(1.0, "saved")
    return {"model_path": str(path), "kind": type(model).__name__, "n_obs": int(len(frame)),
            "last_date": str(model.last_date_.date()), "columns": list(model.columns_)}


def sample_and_save(params: dict[str, Any], progress: ProgressCallback = noop_progress,
                    out_dir: str | Path = ".") -> dict[str, Any]:
    """Sample paths from a saved model; write ``paths.csv`` (long format) and fan quantiles.

    ``params``: ``model_path``, ``n_paths``, ``n_days``, ``seed``, ``regime``, ``shock`` (dict).
    """
    progress(0.05, "loading model")
    model = load_model(params["model_path"])
    paths = model.sample(int(params.get("n_paths", 100)), int(params.get("n_days", 252)),
                         random_state=params.get("seed"), regime=params.get("regime"),
                         shock=params.get("shock"))
    progress(0.7, "writing paths")
    out = Path(out_dir) / "paths.csv"
    out.parent.mkdir(parents=True, exist_ok=True)
    write_csv(paths.to_long(), out, index=False)
    fan = np.quantile(paths.prices[:, :, 0], [0.05, 0.25, 0.5, 0.75, 0.95], axis=0)
    progress(1.0, "done")
    return {"paths_path": str(out), "n_paths": paths.n_paths, "n_days": len(paths.index),
            "dates": [str(d.date()) for d in paths.index],
            "fan": {q: fan[i].tolist() for i, q in enumerate(("p05", "p25", "p50", "p75", "p95"))}}


def report_and_save(params: dict[str, Any], progress: ProgressCallback = noop_progress,
                    out_dir: str | Path = ".") -> dict[str, Any]:
    """Stylized-facts report of a saved model against a real series: ``report.html`` + ``.json``.

    ``params``: ``model_path``, ``data``, ``start``, ``end``, ``n_paths``, ``n_days``, ``seed``.
    """
    from finloom.evaluate._stylized_report import stylized_facts_report

    progress(0.05, "loading")
    model = load_model(params["model_path"])
    real = log_returns(load_series(params.get("data", "sp500"), start=params.get("start"),
                                   end=params.get("end"))).to_numpy()
    paths = model.sample(int(params.get("n_paths", 500)), int(params.get("n_days", 252)),
                         random_state=params.get("seed", 0))
    progress(0.4, "computing stylized facts")
    report = stylized_facts_report(real if real.shape[1] > 1 else real[:, 0],
                                   paths.returns if real.shape[1] > 1 else paths.returns[..., 0],
                                   synthetic_prices=paths.prices)
    out = Path(out_dir)
    atomic_write_text(out / "report.html", report.to_html())
    atomic_write_text(out / "report.json", json.dumps(report.to_dict(), indent=2))
    progress(1.0, "done")
    return {"report_path": str(out / "report.html"), "scores": report.to_dict()["scores"],
            "real": report.to_dict()["real"], "synthetic": report.to_dict()["synthetic"]}
