"""Batch back-tests over paths × parameter sets, chunked over paths, plus a plain reference loop."""

from __future__ import annotations

import math
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import numpy as np

from finloom._base import ProgressCallback, noop_progress
from finloom.apps.strategy_lab._engine import METRICS, TRADING_DAYS, compute_metrics, net_returns
from finloom.apps.strategy_lab._strategies import Strategy, positions_for
from finloom.errors import InvalidDataError

__all__ = ["BacktestResult", "backtest", "reference_ma_crossover"]


@dataclass
class BacktestResult:
    """Metrics shaped ``(paths, params)`` for every name in :data:`METRICS`, and the grid."""

    metrics: dict[str, np.ndarray]
    grid: list[dict[str, Any]]
    n_days: int

    @property
    def n_backtests(self) -> int:
        return int(self.metrics["sharpe"].size)


def _check_prices(prices: np.ndarray) -> np.ndarray:
    px = np.asarray(prices, dtype=np.float64)
    px = px[None, :] if px.ndim == 1 else px
    if px.ndim != 2 or px.shape[1] < 3:
        raise InvalidDataError(f"prices must be shaped (paths, days) with at least 3 days; got {px.shape}. "
                               "Pass MarketPaths.prices[..., 0].")
    if not np.isfinite(px).all() or (px <= 0).any():
        raise InvalidDataError("prices must be finite and positive; got NaN, inf or values <= 0. "
                               "Clean the series first.")
    return px


def backtest(
    prices: np.ndarray,
    strategy: str | Strategy,
    grid: Sequence[dict[str, Any]],
    *,
    cost: float = 0.0,
    slippage: float = 0.0,
    chunk_size: int = 2,
    n_jobs: int = 1,
    progress: ProgressCallback = noop_progress,
) -> BacktestResult:
    """Run ``strategy`` with every parameter set of ``grid`` on every price path.

    Parameters
    ----------
    prices : (paths, days) prices (a single series may be 1-D).
    strategy : a name in ``STRATEGIES`` or a signal function ``f(prices, **params) -> (P, T)``.
    grid : parameter sets, e.g. ``make_grid(fast=[5, 10], slow=[50, 100])``.
    cost, slippage : fractions of traded notional charged per unit of |Δposition|.
    chunk_size : paths per chunk (keeps arrays in cache); ``n_jobs`` threads share the chunks.

    Examples
    --------
    >>> px = 100 * np.exp(np.cumsum(np.random.default_rng(0).normal(0, .01, (3, 300)), axis=1))
    >>> res = backtest(px, "ma_crossover", [{"fast": 5, "slow": 20}], cost=1e-4)
    >>> res.metrics["sharpe"].shape
    (3, 1)
    """
    px = _check_prices(prices)
    grid = list(grid) or [{}]
    starts = list(range(0, px.shape[0], chunk_size))
    out = {m: np.empty((px.shape[0], len(grid))) for m in METRICS}

    def run(start: int) -> None:
        chunk = px[start:start + chunk_size]
        pos = positions_for(strategy, chunk, grid)
        metrics = compute_metrics(net_returns(chunk, pos, cost=cost, slippage=slippage), pos)
        for m in METRICS:
            out[m][start:start + chunk_size] = metrics[m]

    if n_jobs > 1:
        with ThreadPoolExecutor(max_workers=n_jobs) as pool:
            for i, _ in enumerate(pool.map(run, starts)):
                progress((i + 1) / len(starts), "back-testing")
    else:
        for i, start in enumerate(starts):
            run(start)
            progress((i + 1) / len(starts), "back-testing")
    return BacktestResult(metrics=out, grid=grid, n_days=px.shape[1])


def reference_ma_crossover(prices: Sequence[float], fast: int, slow: int, *, cost: float = 0.0,
                           slippage: float = 0.0) -> dict[str, float]:
    """Plain-Python, bar-by-bar MA-crossover back-test used to check the vectorised engine.

    Examples
    --------
    >>> ref = reference_ma_crossover([1.0, 2.0, 3.0, 2.0, 1.0], 1, 2)
    >>> round(ref["total_return"], 4)
    0.0
    """
    px = [float(p) for p in prices]
    base = px[0]
    pos = []
    for t in range(len(px)):
        if t < max(fast, slow) - 1:
            pos.append(0.0)
            continue
        ma_f = sum(p / base for p in px[t - fast + 1:t + 1]) / fast
        ma_s = sum(p / base for p in px[t - slow + 1:t + 1]) / slow
        pos.append(1.0 if ma_f > ma_s else 0.0)
    rets = []
    for t in range(1, len(px)):
        trade_cost = (cost + slippage) * abs(pos[t] - pos[t - 1])
        if t == 1:
            trade_cost += (cost + slippage) * abs(pos[0])
        rets.append(pos[t - 1] * (px[t] / px[t - 1] - 1.0) - trade_cost)
    return _reference_metrics(rets, pos)


def _reference_metrics(rets: list[float], pos: list[float]) -> dict[str, float]:
    n = len(rets)
    equity, peak, mdd, value = [], 1.0, 0.0, 1.0
    for r in rets:
        value *= 1.0 + r
        equity.append(value)
        peak = max(peak, value)
        mdd = max(mdd, 1.0 - value / peak)
    mean = sum(rets) / n
    std = math.sqrt(sum((r - mean) ** 2 for r in rets) / n)
    down = math.sqrt(sum(min(r, 0.0) ** 2 for r in rets) / n)
    years = n / TRADING_DAYS
    cagr = value ** (1.0 / years) - 1.0 if value > 0 else -1.0
    active = [t for t in range(n) if pos[t] != 0]
    hits = sum(1 for t in active if rets[t] > 0)
    turnover = (abs(pos[0]) + sum(abs(pos[t] - pos[t - 1]) for t in range(1, len(pos)))) / years
    return {
        "cagr": cagr, "volatility": std * math.sqrt(TRADING_DAYS),
        "sharpe": mean / std * math.sqrt(TRADING_DAYS) if std > 0 else 0.0,
        "sortino": mean / down * math.sqrt(TRADING_DAYS) if down > 0 else 0.0,
        "max_drawdown": mdd, "calmar": cagr / mdd if mdd > 0 else 0.0,
        "hit_rate": hits / len(active) if active else 0.0, "turnover": turnover,
        "total_return": value - 1.0,
    }
