"""Market and portfolio statistics turned into typed facts."""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping

import numpy as np
import pandas as pd

from finloom.errors import InvalidDataError
from finloom.textgen import Fact, Period

__all__ = ["REGIME_WINDOW", "market_facts", "portfolio_facts", "regime_name"]

REGIME_WINDOW = 20
TRADING_DAYS = 252


def _direction(value: float, decimals: int) -> str:
    rounded = round(value, decimals)
    return "up" if rounded > 0 else "down" if rounded < 0 else "flat"


def _series_facts(name: str, p: pd.Series, period: Period) -> list[Fact]:
    r = p.pct_change().dropna()
    total = (p.iloc[-1] / p.iloc[0] - 1) * 100
    vol = float(r.std(ddof=1) * math.sqrt(TRADING_DAYS) * 100)
    dd = 1 - p / p.cummax()
    trough = pd.Timestamp(dd.idxmax())  # type: ignore[arg-type]
    best = pd.Timestamp(r.idxmax())  # type: ignore[arg-type]
    facts = [
        Fact(f"{name}:return", float(total), unit="%", period=period, entity=name,
             direction=_direction(total, 2), label="return"),  # type: ignore[arg-type]
        Fact(f"{name}:close", float(p.iloc[-1]), unit="points", period=period, entity=name, label="close"),
        Fact(f"{name}:volatility", vol, unit="%", period=period, entity=name, label="volatility"),
        Fact(f"{name}:max_drawdown", float(dd.max() * 100), unit="%", period=period, entity=name,
             label="max drawdown", date=trough.date()),
        Fact(f"{name}:best_day", float(r.max() * 100), unit="%", period=period, entity=name,
             direction=_direction(float(r.max() * 100), 2), label="best day", date=best.date()),  # type: ignore[arg-type]
    ]
    if len(r) >= 2 * REGIME_WINDOW:
        recent = float(r.iloc[-REGIME_WINDOW:].std(ddof=1) * math.sqrt(TRADING_DAYS) * 100)
        facts.append(Fact(f"{name}:regime", recent / vol if vol > 0 else 1.0, unit="ratio", period=period,
                          entity=name, label="volatility regime"))
    return facts


def regime_name(ratio: float) -> str:
    """"high", "normal" or "low" volatility regime from the recent/period volatility ratio.

    Examples
    --------
    >>> regime_name(1.5), regime_name(1.0), regime_name(0.5)
    ('high', 'normal', 'low')
    """
    return "high" if ratio > 1.25 else "low" if ratio < 0.8 else "normal"


def market_facts(prices: pd.DataFrame) -> tuple[list[Fact], dict[str, object]]:
    """Facts for a market report plus the template context (order, movers, pairs, regimes).

    Examples
    --------
    >>> idx = pd.bdate_range("2024-01-01", periods=60)
    >>> p = pd.DataFrame({"A": np.linspace(100, 110, 60), "B": np.linspace(50, 45, 60)}, index=idx)
    >>> facts, ctx = market_facts(p)
    >>> round(next(f for f in facts if f.id == "A:return").value, 2), ctx["best"], ctx["worst"]
    (10.0, 'A', 'B')
    """
    if prices.shape[1] < 1 or len(prices) < 2:
        raise InvalidDataError("prices must have at least one column and two rows; got "
                               f"shape {prices.shape}. Pass daily closes.")
    period = Period(prices.index[0].date(), prices.index[-1].date())
    names = [str(c) for c in prices.columns]
    facts: list[Fact] = []
    for name in names:
        facts += _series_facts(name, prices[name].astype(float), period)
    facts.append(Fact("regime_window", float(REGIME_WINDOW), unit="days", label="regime window"))
    rets = prices.pct_change().dropna()
    pairs = []
    for a, b in itertools.combinations(names, 2):
        c = float(rets[a].corr(rets[b]))
        if np.isfinite(c):
            facts.append(Fact(f"corr:{a}|{b}", c, unit="ratio", period=period, entity=a, peers=(b,),
                              label="correlation"))
            pairs.append(f"corr:{a}|{b}")
    by_id = {f.id: f for f in facts}
    order = sorted(names, key=lambda n: by_id[f"{n}:return"].value)
    regimes = {n: regime_name(by_id[f"{n}:regime"].value) for n in names if f"{n}:regime" in by_id}
    zh = {"high": "高", "normal": "正常", "low": "低"}
    ctx: dict[str, object] = {
        "instruments": names, "best": order[-1], "worst": order[0], "correlations": pairs[:6],
        "all_fell": by_id[f"{order[-1]}:return"].value < 0,  # then the "best" is the smallest decline
        "regimes": regimes, "regimes_zh": {k: zh[v] for k, v in regimes.items()},
    }
    return facts, ctx


def portfolio_facts(prices: pd.DataFrame, weights: Mapping[str, float]) -> tuple[list[Fact], dict[str, object], pd.Series]:
    """Facts of a constant-weight (daily rebalanced) portfolio: return, volatility, drawdown,
    weights and each holding's contribution (sum of weighted daily returns, in percentage points).

    Returns the facts, the template context and the portfolio's daily value series.

    Examples
    --------
    >>> idx = pd.bdate_range("2024-01-01", periods=30)
    >>> p = pd.DataFrame({"A": np.linspace(100, 110, 30), "B": np.full(30, 50.0)}, index=idx)
    >>> facts, ctx, value = portfolio_facts(p, {"A": 0.5, "B": 0.5})
    >>> round(float(value.iloc[-1])), ctx["holdings"]
    (105, ['A', 'B'])
    """
    _check_weights(weights, prices)
    w = pd.Series({str(k): float(v) for k, v in weights.items()})
    rets = prices[w.index].pct_change().dropna()
    port = rets @ w
    value = (1 + port).cumprod() * 100
    value = pd.concat([pd.Series([100.0], index=[prices.index[0]]), value])
    period = Period(prices.index[0].date(), prices.index[-1].date())
    total = (value.iloc[-1] / 100 - 1) * 100
    dd = 1 - value / value.cummax()
    facts = [
        Fact("portfolio:return", float(total), unit="%", period=period, entity="portfolio",
             direction=_direction(total, 2), label="return"),  # type: ignore[arg-type]
        Fact("portfolio:volatility", float(port.std(ddof=1) * math.sqrt(TRADING_DAYS) * 100), unit="%",
             period=period, entity="portfolio", label="volatility"),
        Fact("portfolio:max_drawdown", float(dd.max() * 100), unit="%", period=period, entity="portfolio",
             label="max drawdown", date=pd.Timestamp(dd.idxmax()).date()),  # type: ignore[arg-type]
    ]
    for name, weight in w.items():
        contrib = float((rets[name] * weight).sum() * 100)
        facts.append(Fact(f"{name}:weight", weight * 100, unit="%", entity=str(name), label="weight"))
        facts.append(Fact(f"{name}:contribution", contrib, unit="pp", period=period, entity=str(name),
                          direction=_direction(contrib, 2), label="contribution"))  # type: ignore[arg-type]
    return facts, {"holdings": list(w.index)}, value


def _check_weights(weights: Mapping[str, float], prices: pd.DataFrame) -> None:
    problems = []
    if not weights:
        problems.append("weights must name at least one holding; got none. Pass {'SP500': 0.6, ...}.")
    missing = [k for k in weights if k not in prices.columns]
    if missing:
        problems.append(f"weights must refer to price columns {list(prices.columns)}; got {missing}.")
    total = sum(float(v) for v in weights.values())
    if weights and not math.isclose(total, 1.0, abs_tol=1e-6):
        problems.append(f"weights must sum to 1; got {total:g}. Divide each weight by the total.")
    if any(float(v) < 0 for v in weights.values()):
        problems.append("weights must be non-negative (long-only); got a negative weight.")
    if problems:
        raise InvalidDataError(problems)
