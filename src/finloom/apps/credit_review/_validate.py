"""Input checks shared by the scorecard and the challenger: one error listing every problem."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from finloom.errors import InvalidDataError, PayloadTooLargeError, did_you_mean

__all__ = [
    "MAX_FILE_BYTES",
    "binary_target",
    "check_file_size",
    "check_training_frame",
    "coerce_scoring_frame",
    "feature_kinds",
]

MAX_FILE_BYTES = 1 << 30  # 1 GiB: an application file larger than this is refused before reading


def binary_target(y: Any, *, positive: Any = None) -> np.ndarray:
    """The target as 0/1 (1 = bad / default); refuses a target with one class or missing values.

    Examples
    --------
    >>> binary_target(pd.Series(["good", "bad", "good"]), positive="bad").tolist()
    [0, 1, 0]
    >>> binary_target([1, 1, 1])
    Traceback (most recent call last):
    ...
    finloom.errors.InvalidDataError: target must have two classes (good and bad); got one class: [1]. Check the target column and the rows selected.
    """
    s = pd.Series(y).reset_index(drop=True)
    if s.isna().any():
        raise InvalidDataError(
            f"target must have no missing values; got {int(s.isna().sum())} missing. "
            "Drop those rows first."
        )
    values = sorted(s.unique().tolist(), key=str)
    if len(values) != 2:
        kind = "one class" if len(values) == 1 else f"{len(values)} classes"
        raise InvalidDataError(
            f"target must have two classes (good and bad); got {kind}: {values[:5]}. "
            "Check the target column and the rows selected."
        )
    if positive is None:
        if set(values) <= {0, 1}:
            positive = 1
        else:
            raise InvalidDataError(
                f"positive must name the bad class of target {values}; got None. "
                f"Pass positive={values[0]!r} or positive={values[1]!r}."
            )
    if positive not in values:
        raise InvalidDataError(
            f"positive must be one of the target's values {values}; got {positive!r}."
        )
    return (s == positive).to_numpy(dtype=np.int64)


def feature_kinds(X: pd.DataFrame) -> dict[str, str]:
    """``numerical`` for number columns, ``categorical`` for the rest (text, booleans, categories)."""
    return {
        str(c): "numerical"
        if pd.api.types.is_numeric_dtype(X[c]) and not pd.api.types.is_bool_dtype(X[c])
        else "categorical"
        for c in X.columns
    }


def _text_in_numbers(s: pd.Series) -> str | None:
    """The first non-number of a text column whose values are otherwise (≥ 90 %) numbers."""
    present = s.dropna()
    if present.empty or pd.api.types.is_numeric_dtype(present):
        return None
    parsed = pd.to_numeric(present.astype(str).str.strip(), errors="coerce")
    if parsed.notna().mean() >= 0.9 and parsed.isna().any():
        return str(present[parsed.isna()].iloc[0])
    return None


def check_training_frame(X: Any, n_target: int | None = None) -> pd.DataFrame:
    """A copy of the features, checked: a DataFrame with rows, no all-missing column, no text
    mixed into a number column, and one row per target value.

    Examples
    --------
    >>> check_training_frame(pd.DataFrame({"a": [1, 2], "b": [None, None]}))
    Traceback (most recent call last):
    ...
    finloom.errors.InvalidDataError: feature 'b' must have at least one value; got all 2 missing. Drop the column.
    """
    if not isinstance(X, pd.DataFrame):
        raise InvalidDataError(
            f"features must be a pandas DataFrame; got {type(X).__name__}. "
            "Read the table with pandas first."
        )
    if X.shape[0] == 0 or X.shape[1] == 0:
        raise InvalidDataError(f"features must have rows and columns; got shape {X.shape}.")
    problems = []
    if n_target is not None and n_target != len(X):
        problems.append(
            f"target must have one value per row; got {n_target} values for {len(X)} rows."
        )
    for c in X.columns:
        if X[c].isna().all():
            problems.append(
                f"feature '{c}' must have at least one value; got all {len(X)} missing. Drop the column."
            )
            continue
        bad = _text_in_numbers(X[c])
        if bad is not None:
            problems.append(
                f"feature '{c}' must hold numbers; got text {bad!r}. Fix or blank that value."
            )
    if problems:
        raise InvalidDataError(problems)
    return X.copy()


def coerce_scoring_frame(
    X: Any,
    columns: Sequence[str],
    kinds: dict[str, str],
    categories: dict[str, set[str]],
    unseen: str = "error",
) -> pd.DataFrame:
    """The scoring rows with the model's columns: numbers numeric, categories as text; every
    missing column, text in a number column and unseen category reported at once
    (``unseen="missing"`` scores an unseen category as a missing value instead).

    Examples
    --------
    >>> coerce_scoring_frame(pd.DataFrame({"a": ["1", "x"]}), ["a"], {"a": "numerical"}, {})
    Traceback (most recent call last):
    ...
    finloom.errors.InvalidDataError: feature 'a' must hold numbers; got text 'x' in row 1. Fix or blank that value.
    """
    if not isinstance(X, pd.DataFrame):
        raise InvalidDataError(f"applications must be a pandas DataFrame; got {type(X).__name__}.")
    missing = [c for c in columns if c not in X.columns]
    problems = [
        f"applications must have the model's column '{c}'; it is missing."
        f"{did_you_mean(c, [str(k) for k in X.columns])}"
        for c in missing
    ]
    out = pd.DataFrame(index=range(len(X)))
    for c in columns:
        if c in missing:
            continue
        s = X[c].reset_index(drop=True)
        if kinds[c] == "numerical":
            num = pd.to_numeric(s, errors="coerce") if not pd.api.types.is_numeric_dtype(s) else s
            bad = num.isna() & s.notna()  # text that is not blank (only looked at when there is any)
            if bad.any():
                bad &= s.astype(str).str.strip() != ""
            if bad.any():
                row = int(np.flatnonzero(bad.to_numpy())[0])
                problems.append(
                    f"feature '{c}' must hold numbers; got text {str(s.iloc[row])!r} in row {row}. "
                    "Fix or blank that value."
                )
            out[c] = num.astype(float)
        else:
            text = s.astype(object).where(s.notna(), None)
            present = text.dropna()
            if pd.api.types.infer_dtype(present, skipna=False) not in ("string", "empty"):
                text = text.map(lambda v: None if v is None else str(v))  # numbers, dates, ...
            new = sorted({v for v in text.dropna().unique() if v not in categories[c]})
            if new and unseen == "missing":
                text = text.where(~text.isin(new), None)
            elif new:
                problems.append(
                    f"feature '{c}' must hold a category seen in training; got unseen {new[:5]}. "
                    f"Known: {sorted(categories[c])[:10]}. Map them to a known category or refit."
                )
            out[c] = text
    if problems:
        raise InvalidDataError(problems)
    return out


def check_file_size(path: str | os.PathLike[str], max_bytes: int = MAX_FILE_BYTES) -> Path:
    """Refuse, before reading it, a file larger than ``max_bytes``.

    Examples
    --------
    >>> import tempfile
    >>> f = tempfile.NamedTemporaryFile(suffix=".csv", delete=False); _ = f.write(b"a\\n1\\n"); f.close()
    >>> check_file_size(f.name, max_bytes=2)
    Traceback (most recent call last):
    ...
    finloom.errors.PayloadTooLargeError: application file must be at most 2 bytes; got 4 bytes. Split the file into smaller batches.
    """
    p = Path(path)
    if not p.is_file():
        raise InvalidDataError(f"application file must be an existing file; got '{p.name}'.")
    size = p.stat().st_size
    if size > max_bytes:
        raise PayloadTooLargeError(
            f"application file must be at most {max_bytes:,} bytes; got {size:,} bytes. "
            "Split the file into smaller batches."
        )
    return p
