"""Column roles for insights (measures, time, dimensions, target), inferred from a dataset's metadata.

The table is checked once here: every later step can rely on a parsed time column, numeric
measures, and dimensions with a handful of levels.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from finloom.data import ColumnKind, Metadata
from finloom.errors import ConfigError, InvalidDataError, did_you_mean

__all__ = ["MAX_COLUMNS", "Roles", "infer_roles", "prepare_frame"]

MAX_COLUMNS = 500  # wider tables: pick the columns to analyse first
MIN_ROWS = 10
MAX_LEVELS = 50  # a dimension with more distinct values is an identifier or free text
_TARGET_NAME = re.compile(
    r"(default|churn|fraud|target|label|outcome|^is_|_flag$|^flag|delinq|bad)", re.I
)


@dataclass(frozen=True)
class Roles:
    """Which columns insights treat as measures, time, dimensions and target.

    Examples
    --------
    >>> Roles(measures=("amount",), time="date", dimensions=("region",)).to_dict()["time"]
    'date'
    """

    measures: tuple[str, ...] = ()
    time: str | None = None
    dimensions: tuple[str, ...] = ()
    target: str | None = None
    binary_target: bool = field(default=False, compare=False)

    @property
    def series(self) -> tuple[str, ...]:
        """Columns followed over time: the target first (a rate when binary), then the measures."""
        return ((self.target,) if self.target else ()) + self.measures

    def to_dict(self) -> dict[str, Any]:
        """JSON-able view."""
        return {
            "measures": list(self.measures),
            "time": self.time,
            "dimensions": list(self.dimensions),
            "target": self.target,
            "binary_target": self.binary_target,
        }


def _is_binary(series: pd.Series) -> bool:
    values = pd.unique(series.dropna())
    if len(values) != 2:
        return False
    if pd.api.types.is_bool_dtype(series):
        return True
    return pd.api.types.is_numeric_dtype(series) and set(np.asarray(values, dtype=float)) <= {
        0.0,
        1.0,
    }


def _guess_target(df: pd.DataFrame, meta: Metadata) -> str | None:
    for col in meta.columns:
        if (
            col.kind in (ColumnKind.BOOLEAN, ColumnKind.NUMERICAL)
            and _TARGET_NAME.search(col.name)
            and _is_binary(df[col.name])
        ):
            return col.name
    return None


def _check_named(names: Sequence[str] | str | None, columns: Sequence[str], what: str) -> None:
    for name in [names] if isinstance(names, str) else list(names or []):
        if name not in columns:
            raise ConfigError(
                f"{what} must name a column of the dataset; got {name!r}.{did_you_mean(name, columns)}"
            )


def infer_roles(
    df: pd.DataFrame,
    meta: Metadata | None = None,
    *,
    measures: Sequence[str] | None = None,
    time: str | None = None,
    dimensions: Sequence[str] | None = None,
    target: str | None = None,
) -> Roles:
    """Roles of ``df``'s columns: the ones given, the rest inferred from the metadata's column kinds.

    Time is the first datetime column; the target is the metadata's target, else a 0/1 or boolean
    column named like an outcome (``default``, ``churn``, ``is_…``); measures are the other numeric
    columns (not ids); dimensions are categorical or boolean columns with 2–50 levels.

    Examples
    --------
    >>> df = pd.DataFrame({"date": pd.date_range("2024-01-01", periods=4), "region": list("NSNS"),
    ...                    "amount": [1.0, 2, 3, 4], "default": [0, 1, 0, 0]})
    >>> r = infer_roles(df)
    >>> r.time, r.dimensions, r.measures, r.target
    ('date', ('region',), ('amount',), 'default')
    """
    meta = meta or Metadata.infer(df)
    cols = list(df.columns)
    for names, what in (
        (measures, "measures"),
        (time, "time"),
        (dimensions, "dimensions"),
        (target, "target"),
    ):
        _check_named(names, cols, what)
    if time is None:
        time = next((c.name for c in meta.columns if c.kind == ColumnKind.DATETIME), None)
    if target is None:
        target = meta.target if meta.target in cols else _guess_target(df, meta)
    if dimensions is None:
        kinds = (ColumnKind.CATEGORICAL, ColumnKind.BOOLEAN)
        dimensions = [
            c.name
            for c in meta.columns
            if c.kind in kinds
            and c.name not in (target, time)
            and 2 <= df[c.name].nunique() <= MAX_LEVELS
        ]
    if measures is None:
        skip = {target, time, meta.primary_key, *dimensions}
        measures = [
            c.name
            for c in meta.columns
            if c.kind == ColumnKind.NUMERICAL
            and c.name not in skip
            and pd.api.types.is_numeric_dtype(df[c.name])
            and df[c.name].nunique() > 2
        ]
    binary = bool(target) and _is_binary(df[target])
    if target and not binary and not pd.api.types.is_numeric_dtype(df[target]):
        raise ConfigError(
            f"target must be numeric or have two values; got {target!r} with "
            f"{df[target].nunique()} distinct values. Pick a 0/1 or numeric column."
        )
    return Roles(tuple(measures), time, tuple(dimensions), target, binary)


def _parse_time(series: pd.Series, name: str) -> pd.Series:
    """Parse a date column, refusing one whose values use several formats (01/02 vs 2024-02-01)."""
    if pd.api.types.is_datetime64_any_dtype(series):
        return series.dt.tz_localize(None) if getattr(series.dt, "tz", None) is not None else series
    text = series.dropna().astype(str)
    if text.empty:
        raise InvalidDataError(
            [
                f"time column {name!r} must hold dates; got only empty values. Pick another time column."
            ]
        )
    from pandas.tseries.api import guess_datetime_format

    fmt = guess_datetime_format(text.iloc[0])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        parsed = (
            pd.to_datetime(text, format=fmt, errors="coerce")
            if fmt
            else pd.to_datetime(text, errors="coerce")
        )
    bad = text[parsed.isna()]
    if len(bad):
        raise InvalidDataError(
            [
                f"time column {name!r} must use one date format; got {len(bad):,} of {len(text):,} values that do not "
                f"match {fmt or 'the first value'} (e.g. {bad.iloc[0]!r} vs {text.iloc[0]!r}). Convert them to YYYY-MM-DD."
            ]
        )
    out = pd.Series(pd.NaT, index=series.index, dtype="datetime64[ns]")
    out.loc[parsed.index] = parsed
    return out


def prepare_frame(df: pd.DataFrame, roles: Roles) -> pd.DataFrame:
    """A copy holding only the role columns: time parsed, target as 0/1 floats, dimensions as text.

    Raises :class:`InvalidDataError` naming every problem (too few rows, no measure, too many
    columns, a time column with mixed date formats).

    Examples
    --------
    >>> df = pd.DataFrame({"d": ["2024-01-01"] * 12, "x": range(12)})
    >>> prepare_frame(df, Roles(measures=("x",), time="d")).dtypes["d"]
    dtype('<M8[ns]')
    """
    problems = []
    if len(df.columns) > MAX_COLUMNS:
        problems.append(
            f"dataset must have at most {MAX_COLUMNS:,} columns for insights; got {len(df.columns):,}. "
            "Choose the columns to analyse (measures=, dimensions=) or register a narrower table."
        )
    if len(df) < MIN_ROWS:
        problems.append(
            f"dataset must have at least {MIN_ROWS} rows for insights; got {len(df):,}. "
            "Register more data."
        )
    if not roles.series:
        problems.append(
            "dataset must have at least one numeric column (a measure or a target); got none. "
            "Mark a numeric column as 'numerical' in the dataset's metadata."
        )
    if problems:
        raise InvalidDataError(problems)
    keep = list(
        dict.fromkeys(
            [c for c in (roles.time, roles.target, *roles.measures, *roles.dimensions) if c]
        )
    )
    out = df.loc[:, keep].copy()
    if roles.time:
        out[roles.time] = _parse_time(out[roles.time], roles.time)
    if roles.target:
        out[roles.target] = (
            out[roles.target].astype(float)
            if not roles.binary_target
            else (out[roles.target] == sorted(pd.unique(out[roles.target].dropna()))[-1])
            .astype(float)
            .where(out[roles.target].notna())
        )
    for name in roles.measures:
        out[name] = pd.to_numeric(out[name], errors="coerce").astype(float)
    for name in roles.dimensions:
        out[name] = out[name].astype("string").fillna("(missing)").astype(str)
    return out
