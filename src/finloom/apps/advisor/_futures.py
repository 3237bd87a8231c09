"""The proposal over thousands of synthetic multi-asset futures: wealth, goal, drawdowns, VaR/CVaR, fan chart."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from finloom.apps.advisor._backtest import drawdown_stats
from finloom.apps.advisor._returns import products_from_assets
from finloom.apps.advisor._shelf import Product

__all__ = ["FutureStats", "allocation_chart_png", "fan_chart_png", "simulate_futures"]

TRADING_DAYS = 252
_QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)


@dataclass
class FutureStats:
    """Figures over the simulated paths (wealth in currency; losses as positive fractions)."""

    n_paths: int
    years: float
    initial: float
    goal: float
    terminal_quantiles: dict[str, float]
    prob_goal: float
    max_drawdown_median: float
    max_drawdown_p95: float
    var95: float  # 1-year loss not exceeded with 95 % probability
    cvar95: float  # mean 1-year loss in the worst 5 %
    time_under_water: float  # mean share of days below the previous peak
    longest_under_water_days: float  # median longest spell
    expected_annual_return: float  # median annualised return
    fan: dict[str, list[float]] = field(default_factory=dict)  # quantile -> wealth at each month

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready copy."""
        return dict(self.__dict__)


def simulate_futures(
    simulator: Any,
    weights: np.ndarray,
    products: list[Product],
    *,
    initial: float,
    goal: float,
    years: float,
    n_paths: int = 1000,
    random_state: int = 0,
    chunk: int = 250,
    regime: str | None = None,
) -> FutureStats:
    """Run ``n_paths`` futures of ``years`` years from a fitted multi-asset ``simulator`` (columns = assets),
    holding ``weights`` on ``products`` rebalanced daily (constant mix), and summarise them.

    Examples
    --------
    >>> import pandas as pd
    >>> from finloom.synth.market import StationaryBootstrap
    >>> from finloom.apps.advisor._shelf import load_shelf
    >>> g = np.random.default_rng(0)
    >>> px = pd.DataFrame({"SP500": 100 * np.exp(np.cumsum(g.normal(3e-4, .01, 300)))},
    ...                   index=pd.bdate_range("2020-01-01", periods=300))
    >>> sim = StationaryBootstrap().fit(px)
    >>> shelf = load_shelf()
    >>> st = simulate_futures(sim, np.array([0.5, 0.5]), [shelf.by_id("ETF-SP500"), shelf.by_id("DEP-1Y")],
    ...                       initial=1000, goal=1100, years=1, n_paths=50)
    >>> st.n_paths, 0 <= st.prob_goal <= 1
    (50, True)
    """
    rng = np.random.default_rng(random_state)
    n_days = max(int(round(years * TRADING_DAYS)), 1)
    months = list(range(0, n_days + 1, 21))
    terminal, mdd, under, longest, year_ret, fan_rows = [], [], [], [], [], []
    for start in range(0, n_paths, chunk):
        size = min(chunk, n_paths - start)
        paths = simulator.sample(size, n_days, random_state=rng, regime=regime)
        asset_simple = np.expm1(paths.returns)  # (P, T, A)
        daily = (
            products_from_assets(asset_simple, list(paths.columns), products) @ weights
        )  # (P, T)
        wealth = initial * np.cumprod(1.0 + daily, axis=1)
        wealth = np.concatenate([np.full((size, 1), initial), wealth], axis=1)
        terminal.append(wealth[:, -1])
        fan_rows.append(wealth[:, months])
        horizon = min(TRADING_DAYS, n_days)
        year_ret.append(wealth[:, horizon] / initial - 1.0)
        for row in wealth:
            d, u, lng = drawdown_stats(row)
            mdd.append(d)
            under.append(u)
            longest.append(lng)
    term = np.concatenate(terminal)
    yr = np.concatenate(year_ret)
    fan = np.concatenate(fan_rows)
    var = float(-np.quantile(yr, 0.05))
    tail = yr[yr <= np.quantile(yr, 0.05)]
    cagr = (term / initial) ** (1.0 / max(years, 1e-9)) - 1.0
    return FutureStats(
        n_paths=n_paths,
        years=float(years),
        initial=float(initial),
        goal=float(goal),
        terminal_quantiles={f"p{int(q * 100)}": float(np.quantile(term, q)) for q in _QUANTILES},
        prob_goal=float((term >= goal).mean()),
        max_drawdown_median=float(np.median(mdd)),
        max_drawdown_p95=float(np.quantile(mdd, 0.95)),
        var95=max(var, 0.0),
        cvar95=max(float(-tail.mean()), 0.0),
        time_under_water=float(np.mean(under)),
        longest_under_water_days=float(np.median(longest)),
        expected_annual_return=float(np.median(cagr)),
        fan={f"p{int(q * 100)}": np.quantile(fan, q, axis=0).round(2).tolist() for q in _QUANTILES}
        | {"month": [m / 21 for m in months]},
    )


def fan_chart_png(stats: FutureStats, *, title: str = "", lang: str = "en") -> bytes:
    """A fan chart (5–95 % and 25–75 % bands, median, goal line) as PNG bytes (matplotlib, Agg).

    Examples
    --------
    >>> st = FutureStats(10, 1.0, 100.0, 110.0, {}, 0.5, 0.1, 0.2, 0.1, 0.15, 0.3, 20.0, 0.04,
    ...                  fan={"p5": [100, 90], "p25": [100, 98], "p50": [100, 104], "p75": [100, 110],
    ...                       "p95": [100, 120], "month": [0, 12]})
    >>> fan_chart_png(st)[:4] == b"\\x89PNG"
    True
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    x = np.asarray(stats.fan["month"]) / 12.0
    fig, ax = plt.subplots(figsize=(7, 3.6), dpi=100)
    ax.fill_between(x, stats.fan["p5"], stats.fan["p95"], color="#9ecae1", alpha=0.6, label="5–95%")
    ax.fill_between(
        x, stats.fan["p25"], stats.fan["p75"], color="#4292c6", alpha=0.7, label="25–75%"
    )
    ax.plot(
        x, stats.fan["p50"], color="#08306b", lw=2, label="median" if lang == "en" else "Median"
    )
    ax.axhline(
        stats.goal, color="#cb181d", ls="--", lw=1.2, label="goal" if lang == "en" else "Goal"
    )
    ax.set_xlabel("years" if lang == "en" else "Years")
    ax.set_ylabel("wealth" if lang == "en" else "Wealth")
    ax.set_title(title or f"{stats.n_paths} simulated futures")
    ax.legend(loc="upper left", fontsize=8)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    plt.close(fig)
    return buf.getvalue()


def allocation_chart_png(labels: list[str], weights: list[float]) -> bytes:
    """A horizontal bar chart of the allocation as PNG bytes.

    Examples
    --------
    >>> allocation_chart_png(["A", "B"], [0.6, 0.4])[:4] == b"\\x89PNG"
    True
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 0.45 * len(labels) + 1.0), dpi=100)
    ax.barh(labels[::-1], [w * 100 for w in weights[::-1]], color="#2171b5")
    for i, w in enumerate(weights[::-1]):
        ax.text(w * 100 + 0.5, i, f"{w:.1%}", va="center", fontsize=8)
    ax.set_xlabel("%")
    ax.set_xlim(0, max(weights) * 100 * 1.25 + 1)
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    plt.close(fig)
    return buf.getvalue()
