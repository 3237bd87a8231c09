"""Date parsing helpers: guess a strftime format from sample values, parse with it."""

from __future__ import annotations

import warnings

import pandas as pd

__all__ = ["guess_datetime_format", "parse_dates"]


def guess_datetime_format(values: pd.Series) -> str | None:
    """The strftime format, guessed by pandas from sample values, that parses most of them.

    Day-first and month-first guesses both compete, so "31/01/2024" picks ``%d/%m/%Y``.
    """
    from pandas.tseries.api import guess_datetime_format as guess

    sample = values.dropna().astype(str).head(50)
    candidates: dict[str, None] = {}
    with warnings.catch_warnings():  # pandas warns when a guess is day-first
        warnings.simplefilter("ignore", UserWarning)
        for value in sample.head(20):
            for dayfirst in (False, True):
                fmt = guess(value, dayfirst=dayfirst)
                if fmt is not None:
                    candidates[fmt] = None
    if not candidates:
        return None
    hits = {
        fmt: int(pd.to_datetime(sample, format=fmt, errors="coerce").notna().sum())
        for fmt in candidates
    }
    return max(candidates, key=lambda fmt: hits[fmt])


def parse_dates(values: pd.Series, fmt: str | None) -> tuple[pd.Series, str | None]:
    """Parse strings as dates with ``fmt`` (guessed when None); unparseable values become NaT."""
    fmt = fmt or guess_datetime_format(values)
    with warnings.catch_warnings():  # "mixed" parsing warns about dayfirst; the report covers it
        warnings.simplefilter("ignore", UserWarning)
        parsed = pd.to_datetime(values.astype(str), format=fmt or "mixed", errors="coerce")
    return parsed.where(values.notna()), fmt
