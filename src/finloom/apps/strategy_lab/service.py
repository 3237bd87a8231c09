"""Strategy lab service: walk-forward tests of a strategy on synthetic continuations and real history.

Fit a market simulator on a training window, simulate many continuations of the test window's
length, back-test the strategy on each and on the real out-of-sample window, and report the
distribution of every metric with the real value, probability of loss, VaR and ES of P&L.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from finloom._base import ProgressCallback, noop_progress, validate_param
from finloom._io import atomic_write_text
from finloom._serialization import to_jsonable
from finloom.apps.strategy_lab._engine import METRICS, compute_metrics, net_returns
from finloom.apps.strategy_lab._strategies import Strategy, positions_for
from finloom.errors import ConfigError, InvalidDataError
from finloom.evaluate import _html
from finloom.synth.market import MarketSimulator, load_prices
from finloom.synth.market._data import close_columns

__all__ = ["LabResult", "run_lab", "walk_forward"]


@dataclass
class LabResult:
    """Metric distributions over synthetic paths vs the real out-of-sample value, per parameter set.

    ``synthetic[metric]`` is ``(paths, params)``; ``real[metric]`` is ``(params,)``.
    """

    grid: list[dict[str, Any]]
    synthetic: dict[str, np.ndarray]
    real: dict[str, np.ndarray]
    train_end: str
    test_days: int
    level: float = 0.95

    def risk(self) -> list[dict[str, float]]:
        """Per parameter set: probability of loss, VaR and ES of total return at ``level``."""
        total = self.synthetic["total_return"]
        out = []
        for s in range(total.shape[1]):
            pnl = np.sort(total[:, s])
            var = -float(np.quantile(pnl, 1 - self.level))
            tail = pnl[pnl <= -var]
            out.append({"prob_loss": float((pnl < 0).mean()), "var": var,
                        "es": -float(tail.mean()) if tail.size else var,
                        "real_total_return": float(self.real["total_return"][s]),
                        "real_percentile": float((pnl <= self.real["total_return"][s]).mean())})
        return out

    def summary(self) -> list[dict[str, Any]]:
        """One row per parameter set: median synthetic and real value of every metric, plus risk."""
        rows = []
        for s, (params, risk) in enumerate(zip(self.grid, self.risk(), strict=True)):
            row: dict[str, Any] = {"params": params, **risk}
            for m in METRICS:
                row[f"{m}_median"] = float(np.median(self.synthetic[m][:, s]))
                row[f"{m}_real"] = float(self.real[m][s])
            rows.append(row)
        return rows

    def to_dict(self) -> dict[str, Any]:
        """JSON-able summary (per-path values are left out; use ``synthetic`` for them)."""
        return to_jsonable({"train_end": self.train_end, "test_days": self.test_days,
                            "n_paths": int(self.synthetic["sharpe"].shape[0]), "level": self.level,
                            "rows": self.summary()})  # type: ignore[no-any-return]

    def to_html(self, *, title: str = "Strategy lab", metrics: Sequence[str] = ("sharpe", "cagr",
                "max_drawdown", "total_return")) -> str:
        """HTML page: risk table and histograms of each metric with the real value marked."""
        headers = ["params", "P(loss)", "VaR", "ES", "real total return", "real percentile"]
        rows = [[str(p), r["prob_loss"], r["var"], r["es"], r["real_total_return"], r["real_percentile"]]
                for p, r in zip(self.grid, self.risk(), strict=True)]
        best = int(np.argmax(np.median(self.synthetic["sharpe"], axis=0)))
        with _html.new_figure(3.2 * len(metrics), 3) as fig:
            for i, m in enumerate(metrics):
                ax = fig.add_subplot(1, len(metrics), i + 1)
                ax.hist(self.synthetic[m][:, best], bins=40, alpha=0.7, label="synthetic paths")
                ax.axvline(float(self.real[m][best]), color="crimson", label="real history")
                ax.set_title(m)
            fig.axes[0].legend(fontsize=7)
            img = _html.figure_img(fig, "metric distributions over synthetic paths")
        return _html.page(title, _html.section(
            "Risk of strategy P&L", _html.table(headers, rows),
            note=f"VaR/ES at {self.level:.0%} of total return over {self.test_days} days."),
            _html.section(f"Metric distributions for {self.grid[best]}", img))


def walk_forward(
    prices: pd.DataFrame | pd.Series,
    simulator: MarketSimulator,
    strategy: str | Strategy,
    grid: Sequence[dict[str, Any]],
    *,
    test_days: int = 252,
    n_paths: int = 1000,
    cost: float = 0.0005,
    slippage: float = 0.0,
    warmup_days: int = 252,
    random_state: int | None = 0,
    progress: ProgressCallback = noop_progress,
) -> LabResult:
    """Fit ``simulator`` on all but the last ``test_days``, then back-test on both worlds.

    Each synthetic path is prefixed with the last ``warmup_days`` real training prices (rescaled),
    so indicators such as a 200-day average are ready on the first test day, exactly as for the
    real out-of-sample window; only the test days are scored.

    Examples
    --------
    >>> from finloom.synth.market import StationaryBootstrap
    >>> idx = pd.bdate_range("2015-01-01", periods=400)
    >>> px = pd.Series(100 * np.exp(np.cumsum(np.random.default_rng(0).normal(0, .01, 400))), idx)
    >>> res = walk_forward(px, StationaryBootstrap(), "ma_crossover", [{"fast": 5, "slow": 20}],
    ...                    test_days=60, n_paths=50, warmup_days=40)
    >>> res.synthetic["sharpe"].shape, res.real["sharpe"].shape
    ((50, 1), (1,))
    """
    owner = "walk_forward"
    validate_param(owner, "test_days", test_days, lambda v: int(v) >= 5, "an int >= 5")
    validate_param(owner, "n_paths", n_paths, lambda v: int(v) >= 1, "an int >= 1")
    frame = load_prices(prices)
    close = frame[close_columns(frame)[0]].to_numpy()
    if len(close) < test_days + warmup_days + 30:
        raise InvalidDataError(f"the series must have at least test_days + warmup_days + 30 = "
                               f"{test_days + warmup_days + 30} rows; got {len(close)}. "
                               "Lower test_days/warmup_days or provide a longer history.")
    train = frame.iloc[:-test_days]
    progress(0.05, "fitting the simulator")
    simulator.fit(train)
    progress(0.3, "simulating continuations")
    paths = simulator.sample(int(n_paths), int(test_days), random_state=random_state)
    warm = close[-test_days - warmup_days - 1: -test_days]  # ends on the last training day
    synth = np.concatenate([np.broadcast_to(warm, (n_paths, len(warm))),
                            paths.prices[:, :, 0] * warm[-1] / simulator.last_prices_[0]], axis=1)
    real = close[-test_days - warmup_days - 1:][None, :]
    progress(0.4, "back-testing")
    kw = {"cost": cost, "slippage": slippage}
    synth_res = _scored(synth, strategy, grid, warmup_days, kw)
    real_res = _scored(real, strategy, grid, warmup_days, kw)
    progress(1.0, "done")
    return LabResult(grid=list(grid), synthetic=synth_res, real={k: v[0] for k, v in real_res.items()},
                     train_end=str(train.index[-1].date()), test_days=int(test_days))


def _scored(prices: np.ndarray, strategy: str | Strategy, grid: Sequence[dict[str, Any]],
            warmup: int, kw: dict[str, float]) -> dict[str, np.ndarray]:
    """Positions use the warm-up history; metrics count only the test days.

    The account starts the test window flat, so the position taken at the last training close is an
    opening trade: it is charged (like every later trade) and counted in turnover.
    """
    pos = positions_for(strategy, prices, grid)[..., warmup:]
    rets = net_returns(prices[:, warmup:], pos, **kw)
    return compute_metrics(rets, pos)



def run_lab(params: dict[str, Any], progress: ProgressCallback = noop_progress,
            out_dir: str | Path = ".") -> dict[str, Any]:
    """Job entry point: walk-forward lab run; writes ``lab.html`` and ``lab.json`` to ``out_dir``.

    ``params``: ``data`` ("sp500" or CSV path), ``start``, ``end``, ``model`` (bootstrap | garch |
    fhs), ``model_params``, ``strategy``, ``grid`` (dict of name → list of values), ``test_days``,
    ``n_paths``, ``cost``, ``slippage``, ``seed``.

    Examples
    --------
    >>> import tempfile
    >>> out = run_lab({"data": "sp500", "start": "2015-01-01", "model": "bootstrap",
    ...                "strategy": "ma_crossover", "grid": {"fast": [10], "slow": [50]},
    ...                "test_days": 60, "n_paths": 20}, out_dir=tempfile.mkdtemp())
    >>> len(out["rows"])
    1
    """
    from finloom.apps.strategy_lab._strategies import make_grid
    from finloom.synth.market._service import MODELS, load_series

    name = str(params.get("model", "fhs"))
    if name not in MODELS:
        raise ConfigError(f"model must be one of {sorted(MODELS)}; got {name!r}.")
    frame = load_series(params.get("data", "sp500"), start=params.get("start"), end=params.get("end"))
    grid = make_grid(**{k: list(v) for k, v in dict(params.get("grid") or {}).items()}) or [{}]
    result = walk_forward(frame, MODELS[name](**dict(params.get("model_params") or {})),
                          str(params.get("strategy", "ma_crossover")), grid,
                          test_days=int(params.get("test_days", 252)),
                          n_paths=int(params.get("n_paths", 1000)),
                          cost=float(params.get("cost", 0.0005)),
                          slippage=float(params.get("slippage", 0.0)),
                          random_state=params.get("seed", 0), progress=progress)
    out = Path(out_dir)
    atomic_write_text(out / "lab.html", result.to_html())
    summary = result.to_dict()
    atomic_write_text(out / "lab.json", json.dumps(summary, indent=2))
    return {"report_path": str(out / "lab.html"), **summary}
