"""Demo market data shipped by the ``arch`` package, aligned into one price table."""

from __future__ import annotations

import datetime as dt
import importlib
from dataclasses import dataclass

import pandas as pd

from finloom._optional import require
from finloom.errors import InvalidDataError, NotFoundError, did_you_mean

__all__ = ["DEMO_INSTRUMENTS", "Instrument", "load_demo_prices", "slice_prices"]


@dataclass(frozen=True)
class Instrument:
    """A demo series: the ``arch.data`` module, its column and display names (en, zh)."""

    module: str
    column: str
    en: str
    zh: str


DEMO_INSTRUMENTS = {
    "SP500": Instrument("sp500", "Adj Close", "S&P 500", "标普500指数"),
    "NASDAQ": Instrument("nasdaq", "Adj Close", "NASDAQ Composite", "纳斯达克综合指数"),
    "WTI": Instrument("wti", "DCOILWTICO", "WTI crude oil", "WTI原油"),
    "VIX": Instrument("vix", "vix", "VIX index", "VIX波动率指数"),
}


def load_demo_prices(tickers: list[str] | None = None) -> pd.DataFrame:
    """Daily closes of the demo instruments (S&P 500, NASDAQ, WTI, VIX from ``arch.data``).

    Rows are the dates every requested series has a value (gaps forward-filled first).

    Examples
    --------
    >>> load_demo_prices(["SP500"]).loc["2018-12-31"].round(2).tolist()
    [2506.85]
    """
    tickers = list(tickers or DEMO_INSTRUMENTS)
    require("arch", feature="the demo market data")
    columns = {}
    for t in tickers:
        if t not in DEMO_INSTRUMENTS:
            raise NotFoundError(
                f"ticker must be one of {sorted(DEMO_INSTRUMENTS)}; got {t!r}.{did_you_mean(t, DEMO_INSTRUMENTS)}"
                " Pass your own prices DataFrame for other instruments.")
        inst = DEMO_INSTRUMENTS[t]
        frame = importlib.import_module(f"arch.data.{inst.module}").load()
        columns[t] = pd.to_numeric(frame[inst.column], errors="coerce")
    prices = pd.concat(columns, axis=1).sort_index()
    first_valid = max(prices[c].first_valid_index() for c in prices.columns)
    prices = prices.loc[first_valid:].dropna()
    prices.index = pd.DatetimeIndex(prices.index).normalize()
    return prices


def slice_prices(prices: pd.DataFrame, start: str | dt.date | None, end: str | dt.date | None,
                 *, min_days: int = 21) -> pd.DataFrame:
    """Rows of ``prices`` in [start, end]; raises when fewer than ``min_days`` remain.

    Examples
    --------
    >>> idx = pd.bdate_range("2024-01-01", periods=40)
    >>> len(slice_prices(pd.DataFrame({"A": range(1, 41)}, index=idx), "2024-01-08", None))
    35
    """
    if not isinstance(prices, pd.DataFrame) or prices.empty:
        raise InvalidDataError("prices must be a non-empty DataFrame of daily closes; got an empty input.")
    out = prices.loc[pd.Timestamp(start) if start else None : pd.Timestamp(end) if end else None]
    out = out.dropna(how="any")
    if len(out) < min_days:
        span = f"{prices.index.min().date()}..{prices.index.max().date()}"
        raise InvalidDataError(
            f"the period must contain at least {min_days} trading days; got {len(out)} between "
            f"{start} and {end}. Data covers {span}; widen the window.")
    if (out <= 0).any().any():
        raise InvalidDataError("prices must be positive; got zero or negative values. Pass price levels, not returns.")
    return out.copy()
