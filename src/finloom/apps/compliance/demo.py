"""A seeded demo trade blotter with planted rule breaches (for the demo workspace and tutorials)."""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["demo_blotter"]

_SYMBOLS = ("AAPL", "MSFT", "JPM", "HSBA", "0700.HK", "600519.SS", "XOM", "NVDA")
_TRADERS = ("ann", "bo", "chen", "dev")


def demo_blotter(n_trades: int = 400, *, random_state: int = 0) -> pd.DataFrame:
    """Trades by four traders over a month of business days, with a few planted problems.

    Planted: trades in the restricted symbol ``XYZ``, after-hours trades, one wash-trade pair
    (a buy and a sell of the same size and price minutes apart in one account), and one
    oversized trade. Everything else is ordinary: market-hours times, lognormal sizes.

    Examples
    --------
    >>> df = demo_blotter(50)
    >>> list(df.columns)
    ['trade_id', 'timestamp', 'trader', 'account', 'symbol', 'side', 'quantity', 'price']
    >>> int((df["symbol"] == "XYZ").sum()) > 0
    True
    """
    rng = np.random.default_rng(random_state)
    days = pd.bdate_range("2024-03-01", periods=21)
    day = rng.choice(days, n_trades)
    minutes = rng.integers(9 * 60 + 35, 15 * 60 + 55, n_trades)
    traders = rng.choice(_TRADERS, n_trades)
    frame = pd.DataFrame({
        "trade_id": np.arange(1, n_trades + 1),
        "timestamp": pd.to_datetime(day) + pd.to_timedelta(minutes, unit="min"),
        "trader": traders,
        "account": [f"ACC-{t.upper()}" for t in traders],
        "symbol": rng.choice(_SYMBOLS, n_trades),
        "side": rng.choice(["BUY", "SELL"], n_trades),
        "quantity": np.maximum(1, rng.lognormal(4.5, 0.8, n_trades).round()).astype(int),
        "price": rng.uniform(20, 400, n_trades).round(2),
    })
    k = max(4, n_trades // 50)
    frame.loc[frame.index[:k], "symbol"] = "XYZ"  # restricted list
    late = frame.index[k:2 * k]
    frame.loc[late, "timestamp"] = frame.loc[late, "timestamp"].dt.normalize() + pd.Timedelta(hours=21, minutes=15)
    wash = frame.index[2 * k:2 * k + 2]
    for column, value in (("trader", "bo"), ("account", "ACC-BO"), ("symbol", "JPM"), ("quantity", 500), ("price", 190.5)):
        frame.loc[wash, column] = value
    frame.loc[wash, "side"] = ["BUY", "SELL"]
    frame.loc[wash[1], "timestamp"] = frame.loc[wash[0], "timestamp"] + pd.Timedelta(minutes=3)
    big = frame.index[2 * k + 2]  # one oversized trade
    frame.loc[big, "quantity"], frame.loc[big, "price"] = 250_000, 310.0
    frame["timestamp"] = frame["timestamp"].dt.strftime("%Y-%m-%d %H:%M")
    return frame.sort_values("timestamp", kind="stable").reset_index(drop=True)
