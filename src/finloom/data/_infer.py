"""Column kinds for every column of a table at once: the rules of ``infer_metadata``, vectorised.

Rules, in order: bool dtype or true/false strings -> boolean; datetime dtype or strings that
parse as dates -> datetime; unique integers/strings named like an id -> id; other numbers ->
numerical; few distinct strings -> categorical; long or wordy strings -> text; unique strings
-> id; anything else -> categorical. Text columns are examined together with :class:`TextGrid`.
"""

from __future__ import annotations

import re
import warnings
from typing import Any

import numpy as np
import pandas as pd

from finloom.data._columns import TextGrid, is_text_dtype
from finloom.data._metadata import ColumnKind, ColumnMeta, Metadata

__all__ = ["infer_kinds", "infer_metadata"]

_ID_NAME = re.compile(r"(^id$|_id$|^id_|uuid|guid|identifier)", re.IGNORECASE)
_BOOL_TOKENS = {"true", "false", "t", "f"}
_MAX_CATEGORIES = 50  # more distinct strings than this (and mostly unique) is free text or an id
_TEXT_MIN_MEAN_LEN = 30
_DATE_HINT = r"\d{1,4}[-/.:]\d{1,2}"  # every sampled value must contain one to be tried as a date
_DATE_SAMPLE = 200  # values per column tried as dates
_DATE_SHARE = 0.95  # share of the sample that must parse
_SPACE_OR_CJK = r"[\s\pZ\x{85}\x{4e00}-\x{9fff}]"  # several words, or Chinese script


def _other_kind(df: pd.DataFrame, i: int, dtype: Any) -> ColumnKind:
    """A column that is not text: its dtype decides, plus the id rule for unique integers."""
    if pd.api.types.is_bool_dtype(dtype):
        return ColumnKind.BOOLEAN
    if pd.api.types.is_datetime64_any_dtype(dtype):
        return ColumnKind.DATETIME
    n_rows = len(df)
    if pd.api.types.is_integer_dtype(dtype) and n_rows > 1 and _ID_NAME.search(str(df.columns[i])):
        series = df.iloc[:, i]  # only integer columns named like an id pay for this
        if series.notna().all() and series.nunique() == n_rows:
            return ColumnKind.ID
    return ColumnKind.NUMERICAL


def _date_columns(grid: TextGrid, candidates: np.ndarray) -> np.ndarray:
    """Columns whose first 200 values all look like dates and at least 95% of them parse."""
    rank = np.cumsum(grid.valid, axis=1)
    sample = grid.valid & (rank <= _DATE_SAMPLE) & candidates[:, None]
    hinted = grid.every(grid.contains(_DATE_HINT) | ~sample) & sample.any(axis=1)
    if not hinted.any():
        return hinted
    cells = sample & hinted[:, None]
    import pyarrow as pa

    texts = grid.values.filter(pa.array(cells.ravel())).to_numpy(zero_copy_only=False)
    with warnings.catch_warnings():  # "mixed" parsing warns about day-first guesses
        warnings.simplefilter("ignore", UserWarning)
        parsed = pd.to_datetime(pd.Series(texts, dtype=object), errors="coerce", format="mixed")
    owner = np.nonzero(cells)[0]  # the column of each sampled cell, in the same order
    good = np.bincount(owner, weights=parsed.notna().to_numpy(), minlength=len(grid.positions))
    return hinted & (good >= _DATE_SHARE * np.maximum(cells.sum(axis=1), 1))


def _text_kinds(df: pd.DataFrame, grid: TextGrid, dtypes: list[Any]) -> list[ColumnKind]:
    n_rows = len(df)
    counts, n_unique = grid.counts(), grid.n_unique()
    all_unique = (n_rows > 1) & (n_unique == counts) & (counts == n_rows)
    boolean = (n_unique > 0) & (n_unique <= 2) & grid.every(grid.lower_in(_BOOL_TOKENS))
    may_be_date = np.array([is_text_dtype(dtypes[i]) for i in grid.positions], dtype=bool)  # not category, timedelta, ...
    dates = _date_columns(grid, may_be_date & ~boolean)
    few = (n_unique <= max(_MAX_CATEGORIES, int(0.05 * n_rows))) & ~all_unique
    mean_len = grid.lengths().sum(axis=1) / np.maximum(counts, 1)
    wordy = grid.matches(f"(?s:.*){_SPACE_OR_CJK}(?s:.*)", stripped=True).sum(axis=1) >= 0.5 * counts
    text = (counts > 0) & ((mean_len >= _TEXT_MIN_MEAN_LEN) | wordy)
    kinds = []
    for k, i in enumerate(grid.positions):
        id_named = may_be_date[k] and bool(_ID_NAME.search(str(df.columns[i])))
        kinds.append(
            ColumnKind.BOOLEAN if boolean[k]
            else ColumnKind.DATETIME if dates[k]
            else ColumnKind.ID if all_unique[k] and id_named
            else ColumnKind.CATEGORICAL if few[k]
            else ColumnKind.TEXT if text[k]
            else ColumnKind.ID if all_unique[k]
            else ColumnKind.CATEGORICAL
        )
    return kinds


def infer_kinds(df: pd.DataFrame) -> list[ColumnKind]:
    """The kind of every column of ``df``, in order (see the module docstring for the rules).

    Examples
    --------
    >>> df = pd.DataFrame({"id": ["a1", "a2", "a3"], "when": ["2024-01-02", "2024-02-03", None],
    ...                    "ok": ["t", "f", "t"], "x": [1.5, 2.0, 0.5]})
    >>> [k.value for k in infer_kinds(df)]
    ['id', 'datetime', 'boolean', 'numerical']
    """
    dtypes = list(df.dtypes)
    text_positions = [
        i for i, dtype in enumerate(dtypes)
        if is_text_dtype(dtype) or not (
            pd.api.types.is_numeric_dtype(dtype) or pd.api.types.is_datetime64_any_dtype(dtype)
        )
    ]
    grid = TextGrid.of(df, text_positions)
    kinds = dict(zip(text_positions, _text_kinds(df, grid, dtypes), strict=True))
    return [kinds[i] if i in kinds else _other_kind(df, i, dtypes[i]) for i in range(df.shape[1])]


def infer_metadata(
    df: pd.DataFrame, *, target: str | None = None, primary_key: str | None = None
) -> Metadata:
    """Guess each column's kind from its dtype and values.

    Rules, in order: bool dtype or true/false strings -> boolean; datetime dtype or strings that
    parse as dates -> datetime; unique integers/strings named like an id -> id; other numbers ->
    numerical; few distinct strings -> categorical; long strings -> text; unique strings -> id.
    The first id column becomes the primary key unless ``primary_key`` is given. All columns
    are examined together (:func:`infer_kinds`), so the time grows linearly with the table.

    Examples
    --------
    >>> df = pd.DataFrame({"when": ["2024-01-02", "2024-02-03"], "city": ["Paris", "Paris"]})
    >>> [c.kind.value for c in infer_metadata(df).columns]
    ['datetime', 'categorical']
    """
    kinds = infer_kinds(df)
    columns = [ColumnMeta(str(n), kind, str(t)) for n, kind, t in zip(df.columns, kinds, df.dtypes, strict=True)]
    if primary_key is None:
        primary_key = next((c.name for c in columns if c.kind is ColumnKind.ID), None)
    meta = Metadata(columns=columns, primary_key=primary_key, target=target)
    if primary_key is not None:
        meta = meta.with_kind(primary_key, ColumnKind.ID)
    if target is not None and target in df.columns and target != primary_key:
        meta = meta.with_kind(target, _target_kind(df[target], meta))
    meta.check()
    return meta


def _target_kind(series: pd.Series, meta: Metadata) -> ColumnKind:
    """A target with two whole-number values is a class label, not a quantity: 0/1 -> boolean,
    any other pair (1/2, -1/1) -> categorical; every other target keeps its inferred kind.

    Examples
    --------
    >>> df = pd.DataFrame({"default.payment.next.month": [0, 1, 1, 0], "grade": [1, 2, 2, 1]})
    >>> _target_kind(df["default.payment.next.month"], infer_metadata(df)).value
    'boolean'
    >>> _target_kind(df["grade"], infer_metadata(df)).value
    'categorical'
    """
    kind = next(c.kind for c in meta.columns if c.name == str(series.name))
    if kind is not ColumnKind.NUMERICAL or not pd.api.types.is_numeric_dtype(series.dtype):
        return kind
    values = pd.unique(series.dropna())
    if len(values) != 2 or not all(float(v).is_integer() for v in values):
        return kind
    return ColumnKind.BOOLEAN if {float(v) for v in values} == {0.0, 1.0} else ColumnKind.CATEGORICAL
