"""Shared input checks and encodings for the evaluators: column roles, label codes, distance space."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from finloom._base import check_random_state
from finloom.data import ColumnKind, Metadata
from finloom.errors import ConfigError, InvalidDataError

__all__ = [
    "Roles",
    "as_text",
    "check_tables",
    "embed_minmax_onehot",
    "label_encode",
    "pandas_seed",
    "roles_of",
    "to_numeric_frame",
]

CONTINUOUS = (ColumnKind.NUMERICAL, ColumnKind.DATETIME)
DISCRETE = (ColumnKind.CATEGORICAL, ColumnKind.BOOLEAN)


@dataclass(frozen=True)
class Roles:
    """Column roles used by every metric: continuous, discrete, and the columns ignored."""

    continuous: list[str]
    discrete: list[str]
    ignored: list[str]

    @property
    def used(self) -> list[str]:
        return [c for c in self.continuous + self.discrete]


def roles_of(metadata: Metadata) -> Roles:
    """Split the metadata's columns into continuous, discrete and ignored (ids, free text).

    Examples
    --------
    >>> df = pd.DataFrame({"a": [1.0, 2.0], "b": ["x", "y"]})
    >>> roles_of(Metadata.infer(df)).continuous
    ['a']
    """
    continuous, discrete, ignored = [], [], []
    for col in metadata.columns:
        if col.kind in CONTINUOUS:
            continuous.append(col.name)
        elif col.kind in DISCRETE:
            discrete.append(col.name)
        else:
            ignored.append(col.name)
    return Roles(continuous, discrete, ignored)


def _table_problems(name: str, df: Any, metadata: Metadata, roles: Roles) -> list[str]:
    if not isinstance(df, pd.DataFrame):
        return [f"{name} must be a pandas DataFrame; got {type(df).__name__}. Pass a DataFrame."]
    problems = []
    if len(df) == 0:
        problems.append(f"{name} must have at least one row; got an empty table. Pass non-empty data.")
    missing = [c for c in metadata.names if c not in df.columns]
    extra = [str(c) for c in df.columns if c not in metadata.names]
    if missing or extra:
        problems.append(
            f"{name} columns must match the metadata; got missing {missing} and unexpected {extra}. "
            "Select the same columns in real and synthetic data."
        )
        return problems
    for col in roles.continuous:
        if metadata.kind_of(col) is ColumnKind.DATETIME:
            continue
        values = pd.to_numeric(df[col], errors="coerce")
        if df[col].notna().sum() != values.notna().sum():
            problems.append(
                f"{name} column '{col}' must be numeric; got non-numeric values. "
                "Fix the values or mark the column categorical in the metadata."
            )
        elif np.isinf(values.to_numpy(dtype=float, na_value=np.nan)).any():
            problems.append(
                f"{name} column '{col}' must hold finite numbers or nulls; got inf. "
                "Replace inf with NaN or a bound first."
            )
    if len(df):
        for col in roles.used:
            if df[col].isna().all():
                problems.append(
                    f"{name} column '{col}' must have at least one non-null value; got all nulls. "
                    "Drop the column from the data and the metadata."
                )
    return problems


def check_tables(
    metadata: Metadata, tables: dict[str, pd.DataFrame | None], *, need_used: bool = True
) -> Roles:
    """Validate every table against ``metadata``; raise one :class:`InvalidDataError` listing all problems.

    Nulls are allowed (they count as a value of their own); ``inf`` and non-numeric values in
    numerical columns, empty tables and mismatched columns are errors.

    Examples
    --------
    >>> df = pd.DataFrame({"a": [1.0, 2.0]})
    >>> check_tables(Metadata.infer(df), {"real": df, "synthetic": df.iloc[:0]})
    Traceback (most recent call last):
    ...
    finloom.errors.InvalidDataError: synthetic must have at least one row; got an empty table. Pass non-empty data.
    """
    if not isinstance(metadata, Metadata):
        raise ConfigError(
            f"metadata must be a finloom.data.Metadata; got {type(metadata).__name__}. "
            "Build it with Metadata.infer(real)."
        )
    roles = roles_of(metadata)
    problems = []
    for name, df in tables.items():
        if df is not None:
            problems.extend(_table_problems(name, df, metadata, roles))
    if need_used and not roles.used:
        problems.append(
            "metadata must describe at least one numerical, datetime, categorical or boolean column; "
            "got only id/text columns. Set column kinds with Metadata.with_kind."
        )
    if problems:
        raise InvalidDataError(problems)
    return roles


def pandas_seed(random_state: int | np.random.Generator | None) -> int | np.random.Generator:
    """Seed for ``DataFrame.sample``: an int passes through (so figures match other tools' scripts).

    Examples
    --------
    >>> pandas_seed(3)
    3
    """
    if isinstance(random_state, int | np.integer):
        return int(random_state)
    return check_random_state(random_state)


def to_numeric_frame(df: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """Continuous columns as float (datetimes as int64 nanoseconds), nulls kept as NaN.

    Examples
    --------
    >>> to_numeric_frame(pd.DataFrame({"a": [1, None]}), ["a"])["a"].tolist()
    [1.0, nan]
    """
    out = {}
    for col in columns:
        s = df[col]
        if pd.api.types.is_datetime64_any_dtype(s) or not pd.api.types.is_numeric_dtype(s):
            parsed = pd.to_datetime(s, errors="coerce") if not pd.api.types.is_numeric_dtype(s) else s
            if pd.api.types.is_datetime64_any_dtype(parsed):
                parsed = parsed.dt.tz_localize(None) if parsed.dt.tz is not None else parsed
                ns = parsed.astype("datetime64[ns]").astype("int64").astype(float)
                out[col] = ns.where(parsed.notna(), np.nan)
                continue
            s = pd.to_numeric(s, errors="coerce")
        out[col] = s.astype(float)
    return pd.DataFrame(out, index=df.index)


def as_text(values: pd.Series) -> pd.Series:
    """Values as strings with nulls as ``"nan"`` (pandas 3 keeps NaN through ``astype(str)``).

    Examples
    --------
    >>> as_text(pd.Series(["a", None, 1])).tolist()
    ['a', 'nan', '1']
    """
    return values.astype(object).where(values.notna(), "nan").astype(str)


def _categories(ref: pd.DataFrame, col: str) -> pd.Index:
    return pd.Index(sorted(as_text(ref[col]).unique()))


def label_encode(
    frames: list[pd.DataFrame], roles: Roles, ref: pd.DataFrame, columns: list[str]
) -> list[pd.DataFrame]:
    """Numeric frames for LightGBM: continuous as float, discrete as codes of ``ref``'s sorted values.

    Unseen categories get code -1; nulls of a discrete column are the category ``"nan"``.

    Examples
    --------
    >>> df = pd.DataFrame({"a": [1.0, 2.0, 3.0], "b": ["y", "x", "y"]})
    >>> roles = roles_of(Metadata.infer(df))
    >>> label_encode([df], roles, df, ["a", "b"])[0]["b"].tolist()
    [1, 0, 1]
    """
    cont = [c for c in columns if c in roles.continuous]
    disc = [c for c in columns if c in roles.discrete]
    cats = {c: _categories(ref, c) for c in disc}
    out = []
    for f in frames:
        enc = to_numeric_frame(f, cont)
        for c in disc:
            enc[c] = cats[c].get_indexer(pd.Index(as_text(f[c]))).astype("int64")
        out.append(enc[columns].reset_index(drop=True))
    return out


def embed_minmax_onehot(
    frames: list[pd.DataFrame], roles: Roles, train: pd.DataFrame
) -> list[np.ndarray]:
    """Distance space of the privacy metrics: min-max scaled numbers + one-hot categories.

    Ranges and category sets come from ``train``; nulls of numbers become 0, unseen categories
    an all-zero block.

    Examples
    --------
    >>> df = pd.DataFrame({"a": [0.0, 10.0, 5.0], "b": ["x", "y", "x"]})
    >>> embed_minmax_onehot([df], roles_of(Metadata.infer(df)), df)[0].tolist()
    [[0.0, 1.0, 0.0], [1.0, 0.0, 1.0], [0.5, 1.0, 0.0]]
    """
    num = roles.continuous
    ref = to_numeric_frame(train, num)
    lo = ref.min()
    span = (ref.max() - lo).replace(0, 1).fillna(1)
    cats = {c: _categories(train, c) for c in roles.discrete}
    out = []
    for f in frames:
        parts = [((to_numeric_frame(f, num) - lo) / span).fillna(0.0).to_numpy(dtype=float)]
        for c in roles.discrete:
            codes = cats[c].get_indexer(pd.Index(as_text(f[c])))
            onehot = np.zeros((len(f), len(cats[c])), dtype=float)
            ok = codes >= 0
            onehot[np.nonzero(ok)[0], codes[ok]] = 1.0
            parts.append(onehot)
        out.append(np.hstack(parts) if parts else np.zeros((len(f), 0)))
    return out
