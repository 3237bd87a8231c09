"""CSV files written for people: cells a spreadsheet would run as formulas are neutralised.

A cell such as ``=HYPERLINK(...)`` or ``@SUM(...)`` in an exported CSV runs as a formula when the
file is opened in Excel or LibreOffice (CSV or formula injection). Every CSV that finloom writes
for users goes through :func:`write_csv`, which prefixes such text cells with an apostrophe, the
spreadsheet convention for "this is text". Plain numbers such as ``-1.5`` are left alone.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import IO, Any

import pandas as pd

from finloom.data._csv import NUMBER_PATTERN

__all__ = ["FORMULA_TRIGGERS", "formula_guard_setting", "neutralise_formulas", "write_csv"]

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")  # OWASP's list of formula-starting characters
_GUARD = "'"
_NUMBER = re.compile(NUMBER_PATTERN)
# the csv_formula_guard setting in force; set only by formula_guard_setting at a process boundary
_GUARD_SETTING: ContextVar[bool] = ContextVar("finloom_csv_formula_guard", default=True)


@contextmanager
def formula_guard_setting(enabled: bool) -> Iterator[None]:
    """Within the block, ``write_csv(formula_guard=None)`` follows ``enabled``.

    The job runner applies the workspace's ``csv_formula_guard`` setting (from its worker config)
    around each job, and the CLI around each command; outside such a block the guard is on.

    Examples
    --------
    >>> df = pd.DataFrame({"a": ["=1+1"]})
    >>> with formula_guard_setting(False):
    ...     write_csv(df, index=False)
    'a\\n=1+1\\n'
    >>> write_csv(df, index=False)
    "a\\n'=1+1\\n"
    """
    token = _GUARD_SETTING.set(enabled)
    try:
        yield
    finally:
        _GUARD_SETTING.reset(token)


def _neutralise_value(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS) and not _NUMBER.fullmatch(value):
        return _GUARD + value
    return value


def _neutralise_text(values: pd.Series) -> pd.Series:
    """A text column with its formula-like cells guarded (vectorised for string dtypes)."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        values = values.astype(object)
    if pd.api.types.is_object_dtype(values):
        return values.map(_neutralise_value)
    risky = values.str.startswith(FORMULA_TRIGGERS) & ~values.str.fullmatch(NUMBER_PATTERN)
    risky = risky.fillna(False).astype(bool)
    return values.where(~risky, _GUARD + values) if risky.any() else values


def _is_text(values: pd.Series | pd.Index) -> bool:
    dtype = values.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        dtype = dtype.categories.dtype
    return pd.api.types.is_object_dtype(dtype) or pd.api.types.is_string_dtype(dtype)


def neutralise_formulas(df: pd.DataFrame) -> pd.DataFrame:
    """Return a copy of ``df`` whose text cells, column names and index cannot run as formulas.

    Text starting with ``= + - @``, a tab or a carriage return gets a leading apostrophe,
    unless it is a plain number (``-1.5``, ``+3``). Numeric, boolean and date columns are
    unchanged. ``df`` itself is never modified.

    Examples
    --------
    >>> df = pd.DataFrame({"note": ["=1+1", "@SUM(A1)", "-1.5", "ok"], "x": [-1, 2, 3, 4]})
    >>> neutralise_formulas(df)["note"].tolist()
    ["'=1+1", "'@SUM(A1)", '-1.5', 'ok']
    >>> df["note"].tolist()[0]
    '=1+1'
    """
    out = df.copy()
    for i in range(out.shape[1]):
        column = out.iloc[:, i]
        if _is_text(column):
            out.isetitem(i, _neutralise_text(column))  # type: ignore[arg-type]  # pandas-stubs
    out.columns = pd.Index([_neutralise_value(c) for c in out.columns])
    if _is_text(out.index):
        out.index = pd.Index([_neutralise_value(v) for v in out.index], name=out.index.name)
    return out


def write_csv(
    df: pd.DataFrame,
    path: str | os.PathLike[str] | IO[str] | None = None,
    *,
    formula_guard: bool | None = None,
    **to_csv: Any,
) -> str | None:
    """Write ``df`` as CSV for people to open, with formula-like cells neutralised.

    Parameters
    ----------
    df : pandas.DataFrame
        The table; never modified.
    path : path or text file object, optional
        Where to write; when None the CSV text is returned.
    formula_guard : bool, optional
        Neutralise formula-like cells (see :func:`neutralise_formulas`). None (the default)
        follows the ``csv_formula_guard`` setting applied by :func:`formula_guard_setting`
        (``FINLOOM_CSV_FORMULA_GUARD``), which is on unless set to false.
        Pass False only for files that engines read back, never for files given to people.
    **to_csv
        Passed to :meth:`pandas.DataFrame.to_csv` (``index``, ``mode``, ``header``, ...).

    Returns
    -------
    str or None
        The CSV text when ``path`` is None.

    Examples
    --------
    >>> print(write_csv(pd.DataFrame({"a": ["=cmd|' /C calc'!A0", "b"]}), index=False))
    a
    '=cmd|' /C calc'!A0
    b
    <BLANKLINE>
    """
    if formula_guard is None:
        formula_guard = _GUARD_SETTING.get()
    table = neutralise_formulas(df) if formula_guard else df
    result: str | None = table.to_csv(path, **to_csv)
    return result
