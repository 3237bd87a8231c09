"""Market data loading and validation: the S&P 500 demo series and user price tables."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd

from finloom._optional import require
from finloom.data import read_table
from finloom.errors import InvalidDataError

__all__ = ["OHLCV_COLUMNS", "load_prices", "load_sp500", "log_returns", "validate_prices"]

OHLCV_COLUMNS = ("Open", "High", "Low", "Close", "Volume")
MIN_OBSERVATIONS = 30


def load_sp500(*, start: str | None = None, end: str | None = None) -> pd.DataFrame:
    """Return S&P 500 daily OHLCV prices shipped by the ``arch`` package (1999-2018).

    Parameters
    ----------
    start, end : optional inclusive date bounds such as ``"2009-05-01"``.

    Returns
    -------
    DataFrame with columns Open, High, Low, Close, Volume on a DatetimeIndex named ``Date``.

    Examples
    --------
    >>> df = load_sp500(start="2018-01-01")
    >>> list(df.columns), df.index.is_monotonic_increasing
    (['Open', 'High', 'Low', 'Close', 'Volume'], True)
    """
    sp500 = require("arch.data.sp500", feature="the S&P 500 demo series")
    raw = sp500.load()
    frame = raw[["Open", "High", "Low", "Adj Close", "Volume"]].rename(columns={"Adj Close": "Close"})
    frame = frame.astype("float64")
    frame.index = pd.DatetimeIndex(frame.index, name="Date")
    return frame.loc[start:end].copy()


def load_prices(
    source: pd.DataFrame | pd.Series | str | os.PathLike[str],
    *,
    date_column: str | None = None,
) -> pd.DataFrame:
    """Read and validate a price table (one column per asset, or OHLCV) from a frame or a CSV.

    Parameters
    ----------
    source : DataFrame/Series with a date index, or a CSV path whose first (or ``date_column``)
        column holds dates.
    date_column : name of the date column in a CSV or DataFrame; default: the index / first column.

    Returns
    -------
    A validated float64 copy with a sorted DatetimeIndex.

    Raises
    ------
    InvalidDataError
        Listing every problem: NaN or non-positive prices, unsorted/duplicated dates, too few rows.

    Examples
    --------
    >>> idx = pd.bdate_range("2024-01-01", periods=40)
    >>> load_prices(pd.DataFrame({"A": np.linspace(10, 12, 40)}, index=idx)).shape
    (40, 1)
    """
    if isinstance(source, str | os.PathLike):
        path = Path(source)
        if not path.is_file():
            raise InvalidDataError(f"price file must exist; got '{path}'. Check the path.")
        frame = read_table(path)
        date_column = date_column or str(frame.columns[0])
    elif isinstance(source, pd.Series):
        frame = source.to_frame(name=str(source.name) if source.name is not None else "price")
    elif isinstance(source, pd.DataFrame):
        frame = source.copy()
    else:
        raise InvalidDataError(
            f"prices must be a DataFrame, Series or CSV path; got {type(source).__name__}. "
            "Pass a DataFrame with a date index."
        )
    if date_column is not None:
        if date_column not in frame.columns:
            raise InvalidDataError(
                f"date_column must name a column; got '{date_column}'. Columns: {list(frame.columns)}."
            )
        frame = frame.set_index(date_column)
    return validate_prices(frame)


def _index_problems(frame: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    problems: list[str] = []
    try:
        frame.index = pd.DatetimeIndex(pd.to_datetime(frame.index))
    except (ValueError, TypeError) as exc:
        return frame, [f"the index must hold dates; got values that do not parse ({exc}). "
                       "Pass date_column= or set a DatetimeIndex."]
    duplicated = int(frame.index.duplicated().sum())
    if duplicated:
        first = frame.index[frame.index.duplicated()][0].date()
        problems.append(f"dates must be unique; got {duplicated} duplicated dates (first {first}). "
                        "Drop duplicates with df[~df.index.duplicated()].")
    if not frame.index.is_monotonic_increasing:
        problems.append("dates must be sorted ascending; got an unsorted index. Call df.sort_index().")
    return frame, problems


def validate_prices(frame: pd.DataFrame, *, min_rows: int = MIN_OBSERVATIONS) -> pd.DataFrame:
    """Check a price table and return a float64 copy; raise one error listing every problem.

    Examples
    --------
    >>> idx = pd.bdate_range("2024-01-01", periods=40)
    >>> bad = pd.DataFrame({"A": [np.nan] + [1.0] * 39}, index=idx)
    >>> validate_prices(bad)
    Traceback (most recent call last):
    ...
    finloom.errors.InvalidDataError: prices must have no missing values; got 1 NaN in column 'A'. Fill or drop them (df.ffill().dropna()).
    """
    frame, problems = _index_problems(frame.copy())
    numeric = frame.apply(pd.to_numeric, errors="coerce").astype("float64")
    for name in numeric.columns:
        column = numeric[name]
        nan = int(column.isna().sum())
        if nan:
            problems.append(f"prices must have no missing values; got {nan} NaN in column '{name}'. "
                            "Fill or drop them (df.ffill().dropna()).")
        nonpositive = int((column <= 0).sum()) if name != "Volume" else int((column < 0).sum())
        if nonpositive:
            what = "non-negative" if name == "Volume" else "positive"
            problems.append(f"prices must be {what}; got {nonpositive} zero or negative values in "
                            f"column '{name}'. Remove or correct those rows.")
    if len(numeric) < min_rows:
        problems.append(f"the series must have at least {min_rows} rows; got {len(numeric)}. "
                        "Provide a longer history.")
    if numeric.shape[1] == 0:
        problems.append("prices must have at least one column; got none. Pass one column per asset.")
    if problems:
        raise InvalidDataError(problems)
    return numeric


def close_columns(frame: pd.DataFrame) -> list[str]:
    """Return the columns holding closing prices: ``['Close']`` for OHLCV, else every column."""
    if "Close" in frame.columns and set(frame.columns) <= set(OHLCV_COLUMNS):
        return ["Close"]
    return [str(c) for c in frame.columns]


def log_returns(prices: pd.DataFrame) -> pd.DataFrame:
    """Daily log returns of the closing-price columns (first row dropped).

    Examples
    --------
    >>> idx = pd.bdate_range("2024-01-01", periods=3)
    >>> log_returns(pd.DataFrame({"A": [1.0, 2.0, 4.0]}, index=idx))["A"].round(4).tolist()
    [0.6931, 0.6931]
    """
    closes = prices[close_columns(prices)]
    return pd.DataFrame(np.log(closes), index=closes.index, columns=closes.columns).diff().iloc[1:]
