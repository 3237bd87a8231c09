"""Dtype inference for text read from CSV: numbers and booleans, for every column at once."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from finloom.data._columns import NUMBER_PATTERN, TextGrid

__all__ = ["NUMBER_PATTERN", "infer_dtypes"]

_DECIMAL_COMMA = r"[+-]?\d{1,3}(?:\.\d{3})*,\d+|[+-]?\d+,\d+"  # 1.234,5 or 2,5
_LEADING_ZERO = r"[+-]?0\d(?s:.*)"  # "007", "01234": codes, not numbers
_LONG_DIGITS = 16  # integers with more digits lose precision as float64: keep them as strings
_LONG_INTEGER = rf"[+-]?\d{{{_LONG_DIGITS},}}"  # card or account numbers; decimals never match
_BOOL_TOKENS = {"true", "false"}


def _normalised(grid: TextGrid, decimal_comma: bool) -> tuple[Any, np.ndarray]:
    """(cell texts with "1.234,5" rewritten as "1234.5", cells in decimal-comma form)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if not decimal_comma:
        return grid.stripped, np.zeros_like(grid.valid)
    comma = grid.matches(_DECIMAL_COMMA)
    rewritten = pc.replace_substring(pc.replace_substring(grid.stripped, ".", ""), ",", ".")
    return pc.if_else(pa.array(comma.ravel()), rewritten, grid.stripped), comma


def _parse_floats(text: Any, cells: np.ndarray) -> np.ndarray:
    """The flat ``cells`` of ``text`` as float64 (NaN elsewhere and where unparseable)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    out = np.full(cells.size, np.nan)
    chosen = pc.filter(text, pa.array(cells.ravel()))
    try:
        parsed = np.asarray(pc.cast(chosen, pa.float64()).to_numpy(zero_copy_only=False), dtype=float)
    except (pa.ArrowInvalid, pa.ArrowTypeError):  # a spelling Arrow's parser refuses
        parsed = pd.to_numeric(pd.Series(chosen.to_pylist()), errors="coerce").to_numpy(dtype=float)
    out[cells.ravel()] = parsed
    return out.reshape(cells.shape)


def _numeric_columns(grid: TextGrid, decimal_comma: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(columns that are numbers, their parsed values (columns, rows), columns that are integers)."""
    import pyarrow.compute as pc

    text, comma = _normalised(grid, decimal_comma)
    number = grid.matches(NUMBER_PATTERN)
    fits = grid.every(number) | (decimal_comma & grid.every(number | comma))

    def cells(pattern: str) -> np.ndarray:
        return grid.grid(pc.match_substring_regex(text, f"^(?:{pattern})$"))

    fits &= grid.counts() > 0
    fits &= ~(cells(_LEADING_ZERO) | cells(_LONG_INTEGER)).any(axis=1)
    values = _parse_floats(text, grid.valid & fits[:, None])
    fits &= ~(np.isnan(values) & grid.valid).any(axis=1)  # a spelling no parser reads
    finite = np.isfinite(values) | ~grid.valid
    whole = (np.where(grid.valid, values == np.round(values), True) & finite).all(axis=1)
    whole &= ~cells(r"(?s:.*)[.eE](?s:.*)").any(axis=1)
    return fits, values, whole & grid.valid.all(axis=1)


def _as_bool(grid: TextGrid, k: int, true_cells: np.ndarray) -> Any:
    """Column ``k`` as bool, or as pandas' nullable boolean when it has missing values."""
    if grid.valid[k].all():
        return true_cells[k].copy()
    return pd.arrays.BooleanArray(true_cells[k].copy(), ~grid.valid[k])


def infer_dtypes(df: pd.DataFrame, *, decimal_comma: bool = False) -> pd.DataFrame:
    """Convert string columns to numbers or booleans where every value fits.

    Columns with leading zeros ("007") or integers of 16 digits or more stay strings, as do
    columns mixing numbers and words (validation reports those). With ``decimal_comma`` (files
    not separated by commas), "1.234,5" and "2,5" are read as 1234.5 and 2.5. All columns are
    examined together (a few Arrow calls for the whole table), so the time grows linearly with
    the number of cells.

    Examples
    --------
    >>> raw = pd.DataFrame({"zip": ["01234", "90210"], "n": ["1", "2"], "ok": ["True", "false"]})
    >>> infer_dtypes(raw).dtypes.astype(str).tolist()
    ['str', 'int64', 'bool']
    """
    grid = TextGrid.of(df)
    lowered = grid.lower_in(_BOOL_TOKENS)
    has_values = grid.counts() > 0
    boolean = grid.every(lowered) & has_values
    true_cells = grid.lower_in({"true"})
    numeric, values, whole = _numeric_columns(grid, decimal_comma)
    return _assemble(df, grid, boolean, numeric & ~whole, numeric & whole, values, true_cells)


def _assemble(
    df: pd.DataFrame,
    grid: TextGrid,
    boolean: np.ndarray,
    floats: np.ndarray,
    ints: np.ndarray,
    values: np.ndarray,
    true_cells: np.ndarray,
) -> pd.DataFrame:
    """The converted table, built from a few blocks (not column by column)."""
    positions = np.asarray(grid.positions, dtype=np.int64)
    converted = set(positions[boolean | floats | ints].tolist())
    kept = [i for i in range(df.shape[1]) if i not in converted]
    parts = [df.iloc[:, kept].set_axis(kept, axis=1)]
    for mask, dtype in ((floats, np.float64), (ints, np.int64)):
        if mask.any():
            parts.append(pd.DataFrame(values[mask].T.astype(dtype), index=df.index, columns=positions[mask]))
    if boolean.any():
        bools = {int(positions[k]): _as_bool(grid, int(k), true_cells) for k in np.flatnonzero(boolean)}
        parts.append(pd.DataFrame(bools, index=df.index))
    out = pd.concat(parts, axis=1) if len(parts) > 1 else parts[0]
    return out.reindex(columns=range(df.shape[1])).set_axis(df.columns, axis=1)
