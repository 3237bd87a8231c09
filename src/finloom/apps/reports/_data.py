"""Demo market data shipped by the ``arch`` package, aligned into one price table."""

from __future__ import annotations

import datetime as dt
import importlib
from dataclasses import dataclass

import pandas as pd

from finloom._optional import require
from finloom.errors import ConfigError, InvalidDataError, NotFoundError, did_you_mean

__all__ = ["DEMO_INSTRUMENTS", "Instrument", "canonical_ticker", "load_demo_prices", "parse_day", "slice_prices"]
FIRST_DAY, LAST_DAY = dt.date(1900, 1, 1), dt.date(2100, 12, 31)


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


def canonical_ticker(ticker: str) -> str:
    """A demo ticker in its listed spelling, whatever the case ("sp500" → "SP500"); others unchanged.

    Examples
    --------
    >>> canonical_ticker("sp500"), canonical_ticker(" Nasdaq "), canonical_ticker("ACME")
    ('SP500', 'NASDAQ', 'ACME')
    """
    upper = ticker.strip().upper()
    return upper if upper in DEMO_INSTRUMENTS else ticker


def parse_day(value: str | dt.date | None, what: str) -> dt.date | None:
    """A report window's day from ``YYYY-MM-DD`` text (None stays None), with a clear message.

    Examples
    --------
    >>> parse_day("2018-01-31", "start"), parse_day(None, "end")
    (datetime.date(2018, 1, 31), None)
    >>> parse_day(pd.Timestamp("2018-01-31"), "start")
    datetime.date(2018, 1, 31)
    >>> parse_day("2018-13-45", "start")
    Traceback (most recent call last):
    ...
    finloom.errors.ConfigError: start must be a date written YYYY-MM-DD between 1900-01-01 and 2100-12-31; got '2018-13-45'. Check the month (1-12) and the day, e.g. 2018-01-31.
    """
    if value is None or value == "":
        return None
    try:
        if isinstance(value, dt.datetime):  # also a pandas Timestamp
            day: dt.date | None = value.date()
        else:
            day = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value).strip())
    except ValueError:
        day = None
    if day is None or not FIRST_DAY <= day <= LAST_DAY:
        raise ConfigError(f"{what} must be a date written YYYY-MM-DD between {FIRST_DAY} and {LAST_DAY}; got "
                          f"{str(value)!r}. Check the month (1-12) and the day, e.g. 2018-01-31.")
    return day


def load_demo_prices(tickers: list[str] | None = None) -> pd.DataFrame:
    """Daily closes of the demo instruments (S&P 500, NASDAQ, WTI, VIX from ``arch.data``).

    Rows are the dates every requested series has a value (gaps forward-filled first).

    Examples
    --------
    >>> load_demo_prices(["SP500"]).loc["2018-12-31"].round(2).tolist()
    [2506.85]
    """
    tickers = [canonical_ticker(t) for t in tickers or DEMO_INSTRUMENTS]
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
    start, end = parse_day(start, "start"), parse_day(end, "end")
    if start and end and start > end:
        raise ConfigError(f"start must be on or before end; got start {start} and end {end}. Swap them.")
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
