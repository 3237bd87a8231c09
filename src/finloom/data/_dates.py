"""Date parsing helpers: guess a strftime format from sample values, parse with it.

The batch functions handle many date columns at once: each distinct value is guessed once, and
the columns sharing a format are parsed in one ``pd.to_datetime`` call.
"""

from __future__ import annotations

import warnings
from collections.abc import Hashable, Mapping
from typing import TypeVar

import numpy as np
import pandas as pd

__all__ = ["guess_datetime_format", "guess_datetime_formats", "parse_date_columns", "parse_dates"]

K = TypeVar("K", bound=Hashable)
_GUESSED = 20  # values per column whose format pandas guesses
_SCORED = 50  # values per column each candidate format is tried on


def _candidates(values: list[str], cache: dict[tuple[str, bool], str | None]) -> list[str]:
    """Formats pandas guesses for the values, day-first and month-first (memoised in ``cache``)."""
    from pandas.tseries.api import guess_datetime_format as guess

    found: dict[str, None] = {}
    for value in values:
        for dayfirst in (False, True):
            if (value, dayfirst) not in cache:
                cache[(value, dayfirst)] = guess(value, dayfirst=dayfirst)
            fmt = cache[(value, dayfirst)]
            if fmt is not None:
                found[fmt] = None
    return list(found)


def _hits(samples: Mapping[K, pd.Series], tried: Mapping[str, list[K]]) -> dict[tuple[K, str], float]:
    """How many sample values each (column, format) pair parses: one parse per format."""
    hits: dict[tuple[K, str], float] = {}
    for fmt, keys in tried.items():
        flat = pd.concat([samples[k] for k in keys], ignore_index=True)
        ok = pd.to_datetime(flat, format=fmt, errors="coerce").notna().to_numpy()
        owner = np.repeat(np.arange(len(keys)), [len(samples[k]) for k in keys])
        counts = np.bincount(owner, weights=ok, minlength=len(keys))
        hits.update({(k, fmt): float(counts[j]) for j, k in enumerate(keys)})
    return hits


def guess_datetime_formats(columns: Mapping[K, pd.Series]) -> dict[K, str | None]:
    """:func:`guess_datetime_format` for many columns at once (same answers, shared work).

    Examples
    --------
    >>> cols = {"a": pd.Series(["31/01/2024", "01/02/2024"]), "b": pd.Series(["2024-01-31"])}
    >>> guess_datetime_formats(cols)
    {'a': '%d/%m/%Y', 'b': '%Y-%m-%d'}
    """
    samples = {k: s.dropna().astype(str).head(_SCORED) for k, s in columns.items()}
    cache: dict[tuple[str, bool], str | None] = {}
    with warnings.catch_warnings():  # pandas warns when a guess is day-first
        warnings.simplefilter("ignore", UserWarning)
        candidates = {k: _candidates(s.head(_GUESSED).tolist(), cache) for k, s in samples.items()}
        tried: dict[str, list[K]] = {}
        for k, formats in candidates.items():
            for fmt in formats:
                tried.setdefault(fmt, []).append(k)
        hits = _hits(samples, tried)
    return {k: max(c, key=lambda f: hits[(k, f)]) if c else None for k, c in candidates.items()}


def guess_datetime_format(values: pd.Series) -> str | None:
    """The strftime format, guessed by pandas from sample values, that parses most of them.

    Day-first and month-first guesses both compete, so "31/01/2024" picks ``%d/%m/%Y``.

    Examples
    --------
    >>> guess_datetime_format(pd.Series(["31/01/2024", "01/02/2024"]))
    '%d/%m/%Y'
    """
    return guess_datetime_formats({0: values})[0]


def _parse_group(columns: Mapping[K, pd.Series], keys: list[K], fmt: str | None) -> dict[K, pd.Series]:
    texts = [columns[k].astype(str) for k in keys]
    with warnings.catch_warnings():  # "mixed" parsing warns about dayfirst; the report covers it
        warnings.simplefilter("ignore", UserWarning)
        flat = pd.to_datetime(pd.concat(texts, ignore_index=True), format=fmt or "mixed", errors="coerce")
    out, start = {}, 0
    for k, text in zip(keys, texts, strict=True):
        part = flat.iloc[start : start + len(text)].set_axis(text.index)
        out[k] = part.where(columns[k].notna())
        start += len(text)
    return out


def parse_date_columns(
    columns: Mapping[K, pd.Series], formats: Mapping[K, str | None]
) -> dict[K, tuple[pd.Series, str | None]]:
    """:func:`parse_dates` for many columns: the columns sharing a format are parsed together.

    Columns without a format get a guessed one; mixed formats and time-zone formats are parsed
    column by column (their results depend on the whole column).

    Examples
    --------
    >>> out = parse_date_columns({"a": pd.Series(["2024-01-31", None])}, {"a": None})
    >>> out["a"][0].tolist(), out["a"][1]
    ([Timestamp('2024-01-31 00:00:00'), NaT], '%Y-%m-%d')
    """
    missing = {k: s for k, s in columns.items() if not formats.get(k)}
    guessed = guess_datetime_formats(missing) if missing else {}
    chosen = {k: formats.get(k) or guessed.get(k) for k in columns}
    groups: dict[str | None, list[K]] = {}
    for k, fmt in chosen.items():
        groups.setdefault(fmt, []).append(k)
    parsed: dict[K, pd.Series] = {}
    for fmt, keys in groups.items():
        alone = fmt is None or "%z" in fmt or "%Z" in fmt
        for batch in ([[k] for k in keys] if alone else [keys]):
            parsed.update(_parse_group(columns, batch, fmt))
    return {k: (parsed[k], chosen[k]) for k in columns}


def parse_dates(values: pd.Series, fmt: str | None) -> tuple[pd.Series, str | None]:
    """Parse strings as dates with ``fmt`` (guessed when None); unparseable values become NaT.

    Examples
    --------
    >>> parse_dates(pd.Series(["31/01/2024", "x"]), None)[0].tolist()
    [Timestamp('2024-01-31 00:00:00'), NaT]
    """
    return parse_date_columns({0: values}, {0: fmt})[0]
