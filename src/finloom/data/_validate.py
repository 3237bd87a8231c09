"""Table validation against its metadata: collect every problem, then report or raise once."""

from __future__ import annotations

import datetime as dt
import numbers
from collections import Counter
from typing import Any

import numpy as np
import pandas as pd

from finloom.data._csv import NUMBER_PATTERN
from finloom.data._dates import parse_dates
from finloom.data._metadata import ColumnKind, Metadata
from finloom.data._report import (
    N_EXAMPLES,
    Issue,
    ValidationReport,
    as_jsonable,
    show_values,
    unique_examples,
)
from finloom.errors import InvalidDataError, did_you_mean

__all__ = ["check_table", "validate_table"]

TRUE_TOKENS = frozenset({"true", "t", "yes", "y", "1", "1.0"})
FALSE_TOKENS = frozenset({"false", "f", "no", "n", "0", "0.0"})
# A text column where at most this share of the values are not numbers is a dirty numeric column
_WORDS_SHARE = 0.2


def _family(value: Any) -> str:
    if isinstance(value, bool | np.bool_):
        return "boolean"
    if isinstance(value, numbers.Number):
        return "number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, dt.date | dt.datetime | pd.Timestamp):
        return "date"
    return type(value).__name__


def _check_names(df: pd.DataFrame, meta: Metadata | None) -> list[Issue]:
    issues = []
    names = [str(c) for c in df.columns]
    for name, n in Counter(names).items():
        if n > 1:
            issues.append(
                Issue(
                    "duplicated_column",
                    f"column names must be unique; got '{name}' "
                    f"{n} times. Rename or drop the duplicates.",
                    column=name,
                    count=n,
                )
            )
    blank = [i + 1 for i, name in enumerate(names) if not name.strip()]
    if blank:
        issues.append(
            Issue(
                "blank_column_name",
                "column names must not be blank; got blank "
                f"name(s) at position(s) {show_values(blank)}. Name every column.",
            )
        )
    if meta is None:
        return issues
    for name in meta.names:
        if name not in names:
            issues.append(
                Issue(
                    "missing_column",
                    f"column '{name}' is described in the metadata but "
                    f"missing from the table.{did_you_mean(name, names)}",
                    column=name,
                )
            )
    for name in dict.fromkeys(names):
        if name not in meta.names:
            issues.append(
                Issue(
                    "unknown_column",
                    f"column '{name}' is in the table but not in the "
                    f"metadata.{did_you_mean(name, meta.names)} Add it to the metadata "
                    "or drop it.",
                    column=name,
                )
            )
    try:
        meta.check()
    except InvalidDataError as err:
        issues.extend(Issue("invalid_metadata", p) for p in err.problems)
    return issues


def _mixed_python_types(name: str, values: pd.Series) -> list[Issue]:
    families = values.map(_family)
    counts = Counter(families)
    if len(counts) < 2:
        return []
    minority = families != counts.most_common(1)[0][0]
    examples = unique_examples(values[minority])
    summary = ", ".join(f"{n} {fam}" for fam, n in counts.most_common())
    message = (
        f"column '{name}' must hold values of one type; got {summary} values (e.g. "
        f"{show_values(examples)}). Convert the odd values or leave those cells empty."
    )
    return [Issue("mixed_types", message, name, int(minority.sum()), examples)]


def _words_among_numbers(name: str, values: pd.Series, kind: ColumnKind | None) -> list[Issue]:
    not_num = ~values.astype(str).str.strip().str.fullmatch(NUMBER_PATTERN).astype(bool)
    n_bad = int(not_num.sum())
    if n_bad == 0 or (kind is not ColumnKind.NUMERICAL and n_bad > _WORDS_SHARE * len(values)):
        return []
    bad = unique_examples(values[not_num])
    remedy = "Replace them with numbers or leave those cells empty"
    if kind is not ColumnKind.NUMERICAL:
        remedy += ", or set the column's kind to 'text' to keep them as they are"
    message = (
        f"column '{name}' mixes numbers and text: {n_bad} of {len(values)} values are not "
        f"numbers (e.g. {show_values(bad)}). {remedy}."
    )
    return [Issue("mixed_types", message, name, n_bad, bad)]


def _check_mixed(name: str, s: pd.Series, kind: ColumnKind | None) -> list[Issue]:
    """Python objects of several types, or a few words in a column of numbers."""
    values = s.dropna()
    if values.empty:
        return []
    if pd.api.types.is_object_dtype(s):
        inferred = pd.api.types.infer_dtype(values, skipna=True)
        if inferred in ("mixed", "mixed-integer"):
            return _mixed_python_types(name, values)
        if inferred != "string":
            return []
    elif not pd.api.types.is_string_dtype(s):
        return []
    if kind not in (None, ColumnKind.NUMERICAL, ColumnKind.CATEGORICAL):
        return []
    return _words_among_numbers(name, values, kind)


def _check_dates(name: str, s: pd.Series, fmt: str | None) -> list[Issue]:
    if pd.api.types.is_datetime64_any_dtype(s) or pd.api.types.is_numeric_dtype(s):
        return []
    values = s.dropna().astype(str)
    parsed, fmt = parse_dates(values, fmt)
    bad = values[parsed.isna()]
    if bad.empty:
        return []
    expected = f"format '{fmt}'" if fmt else "a date format such as '%Y-%m-%d'"
    return [
        Issue(
            "unparseable_date",
            f"column '{name}' must hold dates in {expected}; got "
            f"{len(bad)} value(s) that are not (e.g. {show_values(unique_examples(bad))}). Fix them, "
            "set the column's datetime_format, or change its kind.",
            name,
            len(bad),
            unique_examples(bad),
        )
    ]


def _check_booleans(name: str, s: pd.Series) -> list[Issue]:
    if pd.api.types.is_bool_dtype(s):
        return []
    values = s.dropna()
    tokens = values.map(lambda v: str(v).strip().lower())
    bad = values[~tokens.isin(TRUE_TOKENS | FALSE_TOKENS)]
    if bad.empty:
        return []
    return [
        Issue(
            "invalid_boolean",
            f"column '{name}' must hold yes/no or true/false values; "
            f"got {len(bad)} other value(s) (e.g. {show_values(unique_examples(bad))}). Fix them or "
            "change the column's kind.",
            name,
            len(bad),
            unique_examples(bad),
        )
    ]


def _check_values(name: str, s: pd.Series, n_rows: int) -> tuple[list[Issue], list[Issue]]:
    errors: list[Issue] = []
    warns: list[Issue] = []
    n_null = int(s.isna().sum())
    if n_null == n_rows:
        errors.append(
            Issue(
                "all_null",
                f"column '{name}' must have at least one value; got "
                f"{n_rows} missing values. Drop the column or fill it.",
                name,
                n_rows,
            )
        )
        return errors, warns
    if n_rows > 1 and s.nunique(dropna=False) == 1:
        value = s.iloc[0]
        warns.append(
            Issue(
                "constant_column",
                f"column '{name}' has the same value "
                f"({show_values([value])}) in every row; it carries no information.",
                name,
                n_rows,
                (as_jsonable(value),),
            )
        )
    if pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s):
        is_inf = np.isinf(s.to_numpy(dtype="float64", na_value=np.nan))
        if is_inf.any():
            rows = np.flatnonzero(is_inf)[:N_EXAMPLES].tolist()
            errors.append(
                Issue(
                    "infinite_values",
                    f"column '{name}' must hold finite numbers; got "
                    f"{int(is_inf.sum())} infinite value(s) (rows {show_values(rows)}, 0-based). "
                    "Replace them with NaN or a finite number.",
                    name,
                    int(is_inf.sum()),
                    tuple(rows),
                )
            )
    return errors, warns


def _check_key(s: pd.Series, key: str) -> list[Issue]:
    issues = []
    missing = np.flatnonzero(s.isna().to_numpy())
    if len(missing):
        issues.append(
            Issue(
                "missing_key",
                f"primary key '{key}' must have a value in every row; "
                f"got {len(missing)} missing (rows {show_values(missing[:N_EXAMPLES].tolist())}, "
                "0-based). Fill them or drop those rows.",
                key,
                len(missing),
            )
        )
    present = s.dropna()
    dup = present[present.duplicated(keep=False)]
    if not dup.empty:
        ex = unique_examples(dup)
        issues.append(
            Issue(
                "duplicated_key",
                f"primary key '{key}' must be unique; got "
                f"{dup.nunique()} value(s) used more than once (e.g. {show_values(ex)}) in "
                f"{len(dup)} rows. Drop duplicated rows or choose another primary key.",
                key,
                int(dup.nunique()),
                ex,
            )
        )
    return issues


def _column_checks(df: pd.DataFrame, meta: Metadata | None) -> tuple[list[Issue], list[Issue]]:
    errors: list[Issue] = []
    warns: list[Issue] = []
    known = {c.name: c for c in meta.columns} if meta else {}
    seen: set[str] = set()
    for i, raw_name in enumerate(df.columns):
        name = str(raw_name)
        if name in seen:
            continue
        seen.add(name)
        s = df.iloc[:, i]
        col = known.get(name)
        errs, col_warns = _check_values(name, s, len(df))
        errors += errs
        warns += col_warns
        if errs and errs[0].code == "all_null":
            continue
        errors += _check_mixed(name, s, col.kind if col else None)
        if col is not None and col.kind is ColumnKind.DATETIME:
            errors += _check_dates(name, s, col.datetime_format)
        if col is not None and col.kind is ColumnKind.BOOLEAN:
            errors += _check_booleans(name, s)
    return errors, warns


def validate_table(df: pd.DataFrame, metadata: Metadata | None = None) -> ValidationReport:
    """Check ``df`` (and its agreement with ``metadata``) and return every problem found.

    Errors: empty table; duplicated, blank, missing or unknown columns; mixed types; dates that
    do not parse; booleans that are not yes/no or true/false; all-null columns; infinite numbers; missing or duplicated primary keys.
    Warnings: constant columns. ``df`` is never modified.

    Parameters
    ----------
    df : pandas.DataFrame
    metadata : Metadata, optional
        Without it only the table-level checks run (no kinds, no primary key).

    Returns
    -------
    ValidationReport

    Examples
    --------
    >>> df = pd.DataFrame({"id": [1, 1, 2], "x": [None, None, None]})
    >>> report = validate_table(df, Metadata.infer(df.assign(id=[1, 2, 3]), primary_key="id"))
    >>> [e.code for e in report.errors]
    ['all_null', 'duplicated_key']
    """
    report = ValidationReport(n_rows=int(df.shape[0]), n_cols=int(df.shape[1]))
    if df.shape[1] == 0 or df.shape[0] == 0:
        report.errors.append(
            Issue(
                "empty_table",
                "table must have at least one row and one "
                f"column; got {df.shape[0]} rows and {df.shape[1]} columns.",
            )
        )
    report.errors += _check_names(df, metadata)
    if df.shape[0] == 0:
        return report
    errors, warnings = _column_checks(df, metadata)
    report.errors += errors
    report.warnings += warnings
    key = metadata.primary_key if metadata else None
    if key is not None and key in set(map(str, df.columns)):
        position = [str(c) for c in df.columns].index(key)
        report.errors += _check_key(df.iloc[:, position], key)
    return report


def check_table(df: pd.DataFrame, metadata: Metadata | None = None) -> ValidationReport:
    """Validate ``df`` and raise one :class:`InvalidDataError` listing every error.

    Returns the report (with its warnings) when there is no error.

    Examples
    --------
    >>> df = pd.DataFrame({"a": [1.0, float("inf")], "b": [None, None]})
    >>> try:
    ...     check_table(df)
    ... except InvalidDataError as err:
    ...     print(len(err.problems))
    2
    """
    report = validate_table(df, metadata)
    report.raise_for_errors()
    return report
