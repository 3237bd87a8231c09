"""Walk-forward back-test of an allocation method: periodic re-optimisation, rebalancing costs, fees."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

__all__ = ["BacktestResult", "drawdown_stats", "walk_forward"]

TRADING_DAYS = 252


def drawdown_stats(wealth: np.ndarray) -> tuple[float, float, int]:
    """(max drawdown as a positive fraction, share of days under water, longest spell under water in days).

    Examples
    --------
    >>> drawdown_stats(np.array([1.0, 1.2, 0.9, 1.0, 1.3]))
    (0.25, 0.4, 2)
    """
    peak = np.maximum.accumulate(wealth)
    dd = 1.0 - wealth / peak
    under = dd > 1e-12
    longest, run = 0, 0
    for u in under:
        run = run + 1 if u else 0
        longest = max(longest, run)
    return float(dd.max()), float(under.mean()), int(longest)


@dataclass
class BacktestResult:
    """Daily out-of-sample portfolio returns, the weights at each rebalance and summary figures."""

    returns: pd.Series
    weights: pd.DataFrame
    turnover: float  # mean one-way turnover per year
    costs: float  # total cost paid, fraction of wealth
    summary: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, float]:
        """The summary figures."""
        return dict(self.summary)


def _summary(r: pd.Series, turnover: float, risk_free: float) -> dict[str, float]:
    wealth = np.cumprod(1.0 + r.to_numpy())
    years = len(r) / TRADING_DAYS
    ann = float(wealth[-1] ** (1.0 / years) - 1.0) if years > 0 else 0.0
    vol = float(r.std(ddof=1) * np.sqrt(TRADING_DAYS))
    mdd, under, longest = drawdown_stats(np.r_[1.0, wealth])
    excess = r.to_numpy() - ((1 + risk_free) ** (1 / TRADING_DAYS) - 1)
    sharpe = (
        float(excess.mean() / excess.std(ddof=1) * np.sqrt(TRADING_DAYS))
        if excess.std() > 0
        else 0.0
    )
    return {
        "annual_return": ann,
        "volatility": vol,
        "sharpe": sharpe,
        "max_drawdown": mdd,
        "time_under_water": under,
        "longest_under_water_days": float(longest),
        "turnover": turnover,
        "days": float(len(r)),
    }


def walk_forward(
    returns: pd.DataFrame,
    weigh: Callable[[pd.DataFrame], pd.Series],
    *,
    start: str | pd.Timestamp,
    end: str | pd.Timestamp | None = None,
    lookback: int = 504,
    rebalance_days: int = 21,
    cost: float = 0.001,
    risk_free: float = 0.0,
    realised: pd.DataFrame | None = None,
) -> BacktestResult:
    """Re-weigh every ``rebalance_days`` from the previous ``lookback`` days only, hold with drift between
    rebalances, pay ``cost`` per unit of one-way turnover; returns cover ``start``..``end``. ``realised``
    (same shape) are the returns the portfolio earns when they differ from what ``weigh`` sees.

    Examples
    --------
    >>> idx = pd.bdate_range("2020-01-01", periods=300)
    >>> r = pd.DataFrame({"A": 0.001, "B": -0.0005}, index=idx)
    >>> res = walk_forward(r, lambda past: pd.Series(0.5, index=past.columns), start=idx[100], lookback=50)
    >>> len(res.returns), round(res.summary["annual_return"], 3) > 0
    (200, True)
    """
    dates = returns.index
    first = int(dates.searchsorted(pd.Timestamp(start)))
    last = len(dates) if end is None else int(dates.searchsorted(pd.Timestamp(end), side="right"))
    if first < lookback:
        first = lookback
    values = (returns if realised is None else realised.reindex_like(returns)).to_numpy()
    held = np.zeros(returns.shape[1])
    out = np.empty(last - first)
    rows, stamps, traded = [], [], 0.0
    for t in range(first, last):
        k = t - first
        if k % rebalance_days == 0:
            target = (
                weigh(returns.iloc[t - lookback : t])
                .reindex(returns.columns)
                .fillna(0.0)
                .to_numpy()
            )
            initial = held.sum() == 0
            trade = float(np.abs(target - held).sum()) / (1.0 if initial else 2.0)
            traded += (
                0.0 if initial else trade
            )  # the first purchase is paid for but is not turnover
            held = target.copy()
            rows.append(target)
            stamps.append(dates[t])
            paid = trade * cost
        else:
            paid = 0.0
        day = float(held @ values[t])
        out[k] = (1.0 + day) * (1.0 - paid) - 1.0
        grown = held * (1.0 + values[t])
        held = grown / grown.sum() if grown.sum() > 0 else held
    series = pd.Series(out, index=dates[first:last])
    years = max(len(out) / TRADING_DAYS, 1e-9)
    turnover = traded / years
    costs = (traded + 1.0) * cost
    return BacktestResult(
        series,
        pd.DataFrame(rows, index=stamps, columns=returns.columns),
        turnover,
        costs,
        _summary(series, turnover, risk_free),
    )
