"""Vectorised back-test engine: positions (paths, params, time) → net returns → metrics, in numpy.

Timing convention: the position decided at the close of day t (using prices up to t) is held over
day t+1; trading costs ``(cost + slippage) * |Δposition|`` are charged on day t.
"""

from __future__ import annotations

import numpy as np

__all__ = ["METRICS", "TRADING_DAYS", "compute_metrics", "net_returns"]

TRADING_DAYS = 252
METRICS = ("cagr", "volatility", "sharpe", "sortino", "max_drawdown", "calmar", "hit_rate",
           "turnover", "total_return")


def net_returns(prices: np.ndarray, positions: np.ndarray, *, cost: float = 0.0,
                slippage: float = 0.0) -> np.ndarray:
    """Daily net strategy returns ``(P, S, T-1)`` from prices ``(P, T)`` and positions ``(P, S, T)``.

    Examples
    --------
    >>> px = np.array([[100.0, 110.0, 99.0]])
    >>> pos = np.array([[[1.0, 1.0, 0.0]]])
    >>> net_returns(px, pos, cost=0.01).round(4).tolist()
    [[[0.09, -0.11]]]
    """
    asset = prices[:, None, 1:] / prices[:, None, :-1] - 1.0  # (P, 1, T-1)
    rets = positions[..., :-1] * asset  # position from close t-1 earns day t's move
    rate = cost + slippage
    if rate:
        trades = np.abs(np.diff(positions, axis=-1))  # (P, S, T-1): trade at close t, t >= 1
        trades *= rate
        rets -= trades
        rets[..., 0] -= rate * np.abs(positions[..., 0])  # the opening trade at close 0
    return rets


def compute_metrics(rets: np.ndarray, positions: np.ndarray | None = None) -> dict[str, np.ndarray]:
    """Performance metrics over the last axis of daily net returns ``(..., T)``.

    CAGR and volatility are annualised with 252 days; Sharpe/Sortino assume a zero risk-free rate;
    max drawdown is a positive fraction; hit rate counts winning days among days with a position;
    turnover is the annualised sum of |Δposition| (``positions`` has one more day than ``rets``).

    Examples
    --------
    >>> m = compute_metrics(np.array([0.1, -0.5, 0.2]))
    >>> round(float(m["max_drawdown"]), 4), round(float(m["total_return"]), 4)
    (0.5, -0.34)
    """
    n = rets.shape[-1]
    years = n / TRADING_DAYS
    equity = np.add(rets, 1.0)
    np.cumprod(equity, axis=-1, out=equity)
    final = equity[..., -1].copy()
    peak = np.maximum.accumulate(equity, axis=-1)
    np.maximum(peak, 1.0, out=peak)
    np.divide(equity, peak, out=peak)
    mdd = 1.0 - peak.min(axis=-1)
    del equity, peak
    mean = rets.sum(axis=-1) / n
    var = np.maximum(np.einsum("...t,...t->...", rets, rets) / n - mean**2, 0.0)
    std = np.sqrt(var)
    neg = np.minimum(rets, 0.0)
    downside = np.sqrt(np.einsum("...t,...t->...", neg, neg) / n)
    del neg
    with np.errstate(divide="ignore", invalid="ignore"):
        cagr = np.where(final > 0, np.abs(final) ** (1.0 / years) - 1.0, -1.0)
        sharpe = np.where(std > 0, mean / std * np.sqrt(TRADING_DAYS), 0.0)
        sortino = np.where(downside > 0, mean / downside * np.sqrt(TRADING_DAYS), 0.0)
        calmar = np.where(mdd > 0, cagr / mdd, 0.0)
    if positions is None:
        active = np.ones(rets.shape, dtype=bool)
        turnover = np.zeros(rets.shape[:-1])
    else:
        active = positions[..., :-1] != 0
        turnover = (np.abs(np.diff(positions, axis=-1)).sum(axis=-1) + np.abs(positions[..., 0])) / years
    n_active = np.count_nonzero(active, axis=-1)
    active &= rets > 0
    hits = np.count_nonzero(active, axis=-1)
    hit_rate = np.where(n_active > 0, hits / np.maximum(n_active, 1), 0.0)
    return {"cagr": cagr, "volatility": std * np.sqrt(TRADING_DAYS), "sharpe": sharpe,
            "sortino": sortino, "max_drawdown": mdd, "calmar": calmar, "hit_rate": hit_rate,
            "turnover": turnover, "total_return": final - 1.0}
