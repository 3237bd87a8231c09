"""Facts about many text columns at once: one Arrow kernel call per question, not one per column.

Reading and checking a table used to run a dozen pandas string operations per column, which
made a 5,000-column file take minutes. :class:`TextGrid` lays every text column of a table out
as one flat Arrow array (column after column), answers each question (is it a number? a
boolean token? how many distinct values?) for all cells in one call, and reduces the answers
per column with NumPy on a ``(columns, rows)`` grid.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["NUMBER_PATTERN", "WORDS_SHARE", "TableFacts", "TextGrid", "is_text_dtype", "table_facts"]

WORDS_SHARE = 0.2  # a text column with at most this share of non-numbers is a dirty numeric column
# What counts as a number in text: 12, -1.5, .5, 1e-3, inf (Python re and RE2 read it alike)
NUMBER_PATTERN = r"[+-]?(?:(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?|(?i:inf|infinity))"


def is_text_dtype(dtype: Any) -> bool:
    """True for pandas' string dtypes and for object columns (which may hold text)."""
    return pd.api.types.is_object_dtype(dtype) or (
        pd.api.types.is_string_dtype(dtype) and not isinstance(dtype, pd.CategoricalDtype)
    )


def _flat_strings(block: np.ndarray) -> Any:
    """A (rows, cols) object block as one column-major Arrow string array, missing as null."""
    import pyarrow as pa

    flat = block.T.ravel()
    try:
        return pa.array(flat, type=pa.large_string(), from_pandas=True)
    except (pa.ArrowTypeError, pa.ArrowInvalid):  # object columns holding numbers, dates, ...
        missing = pd.isna(flat)
        texts = [None if m else str(v) for v, m in zip(flat, missing, strict=True)]
        return pa.array(texts, type=pa.large_string())


@dataclass
class TextGrid:
    """The text columns of a table as one flat Arrow array plus its ``(columns, rows)`` shape.

    Examples
    --------
    >>> df = pd.DataFrame({"a": ["1", " 2 ", None], "b": ["x", "1", "y"]})
    >>> grid = TextGrid.of(df)
    >>> grid.every(grid.matches(r"\\d+")).tolist(), grid.n_unique().tolist()
    ([True, False], [2, 3])
    """

    positions: list[int]  # column positions in the table
    n_rows: int
    values: Any  # pyarrow.LargeStringArray, column-major, null where missing
    stripped: Any  # the same values with surrounding whitespace removed
    valid: np.ndarray  # (columns, rows) bool: the cell has a value

    @classmethod
    def of(cls, df: pd.DataFrame, positions: list[int] | None = None) -> TextGrid:
        """Collect the columns at ``positions`` (default: every text column of ``df``)."""
        import pyarrow.compute as pc

        if positions is None:
            positions = [i for i, dtype in enumerate(df.dtypes) if is_text_dtype(dtype)]
        block = df.iloc[:, positions].to_numpy(dtype=object) if positions else np.empty((len(df), 0), object)
        values = _flat_strings(block)
        valid = np.asarray(pc.is_valid(values)).reshape(len(positions), len(df))
        return cls(positions, len(df), values, pc.utf8_trim_whitespace(values), valid)

    def grid(self, flat: Any) -> np.ndarray:
        """A flat boolean Arrow or NumPy array as a ``(columns, rows)`` grid, False where missing."""
        out = np.asarray(flat.fill_null(False) if hasattr(flat, "fill_null") else flat, dtype=bool)
        return out.reshape(len(self.positions), self.n_rows) & self.valid

    def matches(self, pattern: str, *, stripped: bool = True) -> np.ndarray:
        """Cells whose (stripped) value matches ``pattern`` entirely (RE2 syntax)."""
        import pyarrow.compute as pc

        source = self.stripped if stripped else self.values
        return self.grid(pc.match_substring_regex(source, f"^(?:{pattern})$"))

    def contains(self, pattern: str) -> np.ndarray:
        """Cells whose raw value contains a match of ``pattern`` (RE2 syntax)."""
        import pyarrow.compute as pc

        return self.grid(pc.match_substring_regex(self.values, pattern))

    def lower_in(self, tokens: set[str]) -> np.ndarray:
        """Cells whose stripped, lower-cased value is one of ``tokens``."""
        import pyarrow as pa
        import pyarrow.compute as pc

        lowered = pc.utf8_lower(self.stripped)
        return self.grid(pc.is_in(lowered, value_set=pa.array(sorted(tokens), type=pa.large_string())))

    def lengths(self) -> np.ndarray:
        """Characters per cell, ``(columns, rows)``, 0 where missing."""
        import pyarrow.compute as pc

        lengths = np.asarray(pc.utf8_length(self.values).fill_null(0), dtype=np.int64)
        return lengths.reshape(len(self.positions), self.n_rows)

    def counts(self) -> np.ndarray:
        """Non-missing cells per column."""
        return np.asarray(self.valid.sum(axis=1))

    def every(self, cells: np.ndarray) -> np.ndarray:
        """Per column: every non-missing cell is in ``cells`` (True for an all-missing column)."""
        return np.asarray((cells | ~self.valid).all(axis=1))

    def n_unique(self) -> np.ndarray:
        """Distinct non-missing values per column (one hash of the whole table, then a sort)."""
        if not self.positions:
            return np.zeros(0, dtype=np.int64)
        codes, _ = pd.factorize(self.values.to_numpy(zero_copy_only=False), use_na_sentinel=True)
        grid = np.sort(codes.reshape(len(self.positions), self.n_rows), axis=1)
        changes = np.diff(grid, axis=1) != 0
        distinct = changes.sum(axis=1) + 1
        return np.where(self.valid.any(axis=1), distinct - (grid[:, 0] < 0), 0)

    def column_values(self, k: int) -> pd.Series:
        """The stripped non-missing values of the ``k``-th collected column (for rare slow paths)."""
        start = k * self.n_rows
        chunk = self.stripped.slice(start, self.n_rows).to_pandas()
        return chunk[self.valid[k]]


@dataclass
class TableFacts:
    """Per-column facts about a whole table, each computed for all columns in one pass."""

    n_rows: int
    nulls: np.ndarray  # missing values per column
    constant: np.ndarray  # one distinct value (missing counts as a value) per column
    infinite: dict[int, np.ndarray]  # rows holding +-inf, for the numeric columns that have some
    words: dict[int, np.ndarray]  # non-number cells of mostly-numeric text columns (see _text_facts)


def _numeric_facts(df: pd.DataFrame, positions: list[int], facts: TableFacts) -> None:
    if not positions:
        return
    block = df.iloc[:, positions].to_numpy(dtype="float64", na_value=np.nan)
    missing = np.isnan(block)
    same = (block == block[0]) | (missing & missing[0])
    facts.constant[positions] = same.all(axis=0)
    infinite = np.isinf(block)
    for j in np.flatnonzero(infinite.any(axis=0)):
        facts.infinite[positions[j]] = infinite[:, j]


def _text_facts(df: pd.DataFrame, positions: list[int], kinds: list[Any], facts: TableFacts) -> None:
    """Constant text columns, and numbers with a few words among them (all words count when the
    column's kind is numerical; text, date and other kinds are not checked for this)."""
    if not positions:
        return
    grid = TextGrid.of(df, positions)
    facts.constant[positions] = grid.n_unique() + (facts.nulls[positions] > 0) == 1
    not_number = grid.valid & ~grid.matches(NUMBER_PATTERN)
    n_bad, n_values = not_number.sum(axis=1), grid.counts()
    for k, i in enumerate(positions):
        if kinds[i] not in (None, "numerical", "categorical") or not n_bad[k]:
            continue
        if kinds[i] == "numerical" or n_bad[k] <= WORDS_SHARE * n_values[k]:
            facts.words[i] = not_number[k]


def table_facts(df: pd.DataFrame, kinds: list[Any]) -> TableFacts:
    """Missing values, constant columns, infinite numbers and non-numbers in text, for all columns.

    ``kinds`` holds each column's :class:`ColumnKind` (or None); text columns of kind None,
    numerical or categorical are checked for cells that are not numbers.

    Examples
    --------
    >>> df = pd.DataFrame({"a": [1.0, float("inf")], "b": ["1", "x"], "c": ["k", "k"]})
    >>> facts = table_facts(df, [None, "numerical", None])
    >>> facts.constant.tolist(), sorted(facts.infinite), sorted(facts.words)
    ([False, False, True], [0], [1])
    """
    dtypes = list(df.dtypes)
    n_cols = len(dtypes)
    facts = TableFacts(len(df), df.isna().sum().to_numpy(), np.zeros(n_cols, dtype=bool), {}, {})
    numeric = [i for i, d in enumerate(dtypes) if pd.api.types.is_numeric_dtype(d) and not pd.api.types.is_bool_dtype(d)]
    text = [i for i, d in enumerate(dtypes) if is_text_dtype(d)]
    _numeric_facts(df, numeric, facts)
    _text_facts(df, [i for i in text if not pd.api.types.is_object_dtype(dtypes[i])], kinds, facts)
    for i in (i for i in text if pd.api.types.is_object_dtype(dtypes[i])):  # mixed objects: per column
        facts.constant[i] = df.iloc[:, i].nunique(dropna=False) == 1
    for i in set(range(n_cols)) - set(numeric) - set(text):  # bool, datetime, category, ...
        facts.constant[i] = df.iloc[:, i].nunique(dropna=False) == 1
    return facts
