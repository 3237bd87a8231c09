"""Apply metadata column kinds to a table: dates parsed, booleans mapped, categories as strings."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from finloom.data._dates import parse_date_columns
from finloom.data._metadata import ColumnKind, Metadata
from finloom.data._validate import FALSE_TOKENS, TRUE_TOKENS
from finloom.errors import InvalidDataError

__all__ = ["coerce_table"]

_N_EXAMPLES = 3


def _examples(values: pd.Series) -> str:
    return ", ".join(repr(v) for v in pd.unique(values.astype(str))[:_N_EXAMPLES])


def _label(value: object) -> str:
    if isinstance(value, float | np.floating) and float(value).is_integer():
        return str(int(value))  # 1.0 read from a CSV with gaps is the category "1"
    return str(value)


def as_strings(series: pd.Series) -> pd.Series:
    """Values as strings, missing values kept missing (pandas' string dtype when available)."""
    if pd.api.types.is_string_dtype(series) and not pd.api.types.is_object_dtype(series):
        return series
    mapped = series.map(_label, na_action="ignore")
    if int(pd.__version__.split(".")[0]) >= 3:
        return mapped.astype("str")
    return mapped.astype(object).where(series.notna(), None)  # pragma: no cover - pandas 2


def _to_bool(name: str, s: pd.Series) -> pd.Series:
    if pd.api.types.is_bool_dtype(s):
        return s
    tokens = s.map(lambda v: str(v).strip().lower(), na_action="ignore")
    unknown = tokens.notna() & ~tokens.isin(TRUE_TOKENS | FALSE_TOKENS)
    if unknown.any():
        raise InvalidDataError(
            f"column '{name}' must hold yes/no or true/false values; got {int(unknown.sum())} "
            f"other value(s) (e.g. {_examples(s[unknown])}). Fix them or change the column's kind."
        )
    out = tokens.map(lambda v: v in TRUE_TOKENS, na_action="ignore")
    return out.astype("boolean" if s.isna().any() else bool)


def _dates_problem(name: str, s: pd.Series, parsed: pd.Series, fmt: str | None) -> str | None:
    bad = s.notna() & parsed.isna()
    if not bad.any():
        return None
    expected = f"format '{fmt}'" if fmt else "a date format such as '%Y-%m-%d'"
    return (
        f"column '{name}' must hold dates in {expected}; got {int(bad.sum())} value(s) that "
        f"are not (e.g. {_examples(s[bad])}). Fix them or set the column's datetime_format."
    )


def _to_dates(df: pd.DataFrame, dates: dict[int, str | None], problems: list[str]) -> dict[int, pd.Series]:
    """Every text date column parsed, the columns sharing a format in one call."""
    parsed = parse_date_columns({i: df.iloc[:, i] for i in dates}, dates)
    out = {}
    for i, (values, fmt) in parsed.items():
        problem = _dates_problem(str(df.columns[i]), df.iloc[:, i], values, fmt)
        if problem:
            problems.append(problem)
        out[i] = values
    return out


def _unchanged(kind: ColumnKind, dtype: Any) -> bool:
    """True when a column of this dtype already fits its kind (no per-column work needed)."""
    is_text = pd.api.types.is_string_dtype(dtype) and not pd.api.types.is_object_dtype(dtype)
    is_bool = pd.api.types.is_bool_dtype(dtype)
    return {
        ColumnKind.BOOLEAN: is_bool,
        ColumnKind.DATETIME: pd.api.types.is_datetime64_any_dtype(dtype),
        ColumnKind.NUMERICAL: pd.api.types.is_numeric_dtype(dtype) and not is_bool,
        ColumnKind.CATEGORICAL: is_text,
        ColumnKind.TEXT: is_text,
        ColumnKind.ID: is_text or pd.api.types.is_integer_dtype(dtype),
    }[kind]


def _to_number(name: str, s: pd.Series) -> pd.Series:
    if pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s):
        return s
    if pd.api.types.is_bool_dtype(s):
        return s.astype("float64" if s.isna().any() else "int64")
    out = pd.to_numeric(s, errors="coerce")
    bad = s.notna() & out.isna()
    if bad.any():
        raise InvalidDataError(
            f"column '{name}' must hold numbers; got {int(bad.sum())} value(s) that are not "
            f"(e.g. {_examples(s[bad])}). Fix them or set the column's kind to categorical."
        )
    return out


def _convert(name: str, s: pd.Series, kind: ColumnKind) -> pd.Series:
    converters: dict[ColumnKind, Callable[[], pd.Series]] = {
        ColumnKind.BOOLEAN: lambda: _to_bool(name, s),
        ColumnKind.NUMERICAL: lambda: _to_number(name, s),
        ColumnKind.CATEGORICAL: lambda: as_strings(s),
        ColumnKind.TEXT: lambda: as_strings(s),
        ColumnKind.ID: lambda: s if pd.api.types.is_integer_dtype(s) else as_strings(s),
    }
    return converters[kind]()


def coerce_table(df: pd.DataFrame, metadata: Metadata) -> pd.DataFrame:
    """Return a copy of ``df`` whose columns follow the kinds in ``metadata``.

    Datetime columns are parsed (with the column's ``datetime_format`` or a guessed one);
    boolean columns accept true/false, yes/no, y/n, t/f and 1/0 in any case; categorical, text
    and non-integer id columns become strings (``1.0`` becomes ``"1"``); numerical columns are
    parsed as numbers. Columns not described in ``metadata`` are left as they are. Every value
    that does not fit is collected and reported in one :class:`InvalidDataError`.

    Parameters
    ----------
    df : pandas.DataFrame
        The table; never modified.
    metadata : Metadata

    Returns
    -------
    pandas.DataFrame

    Examples
    --------
    >>> df = pd.DataFrame({"when": ["2024-01-31", "2024-02-29"], "ok": ["Yes", "no"],
    ...                    "grade": [1, 2]})
    >>> meta = Metadata.infer(df).with_kind("ok", "boolean").with_kind("grade", "categorical")
    >>> out = coerce_table(df, meta)
    >>> out.dtypes.astype(str).tolist(), out["ok"].tolist(), out["grade"].tolist()
    (['datetime64[us]', 'bool', 'str'], [True, False], ['1', '2'])
    >>> df["ok"].tolist()
    ['Yes', 'no']
    """
    problems: list[str] = []
    described = {c.name: c for c in metadata.columns}
    dates: dict[int, str | None] = {}
    converted: dict[int, pd.Series] = {}
    for i, (name, dtype) in enumerate(zip(map(str, df.columns), df.dtypes, strict=True)):
        col = described.get(name)
        if col is None or _unchanged(col.kind, dtype):
            continue
        if col.kind is ColumnKind.DATETIME:
            dates[i] = col.datetime_format
            continue
        try:
            converted[i] = _convert(name, df.iloc[:, i], col.kind)
        except InvalidDataError as err:
            problems.extend(err.problems)
    converted.update(_to_dates(df, dates, problems) if dates else {})
    if problems:
        raise InvalidDataError(sorted(problems, key=_column_order(df)))
    out = df.copy()
    for i, values in converted.items():
        out.isetitem(i, values)  # type: ignore[arg-type]  # pandas-stubs omit Series
    return out


def _column_order(df: pd.DataFrame) -> Callable[[str], int]:
    """Sort key putting each problem at its column's position (problems name their column)."""
    positions = {f"column '{name}'": i for i, name in enumerate(map(str, df.columns))}
    return lambda problem: positions.get(problem.split(" must", 1)[0], len(positions))
