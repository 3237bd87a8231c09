"""Table validation against its metadata: collect every problem, then report or raise once."""

from __future__ import annotations

import datetime as dt
import numbers
from collections import Counter
from typing import Any

import numpy as np
import pandas as pd

from finloom.data._columns import WORDS_SHARE, TableFacts, table_facts
from finloom.data._csv import NUMBER_PATTERN
from finloom.data._dates import parse_date_columns
from finloom.data._metadata import ColumnKind, ColumnMeta, Metadata
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
    present, described = set(names), set(meta.names)
    for name in meta.names:
        if name not in present:
            issues.append(
                Issue(
                    "missing_column",
                    f"column '{name}' is described in the metadata but "
                    f"missing from the table.{did_you_mean(name, names)}",
                    column=name,
                )
            )
    for name in dict.fromkeys(names):
        if name not in described:
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
    if n_bad == 0 or (kind is not ColumnKind.NUMERICAL and n_bad > WORDS_SHARE * len(values)):
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


def _check_object_mixed(name: str, s: pd.Series, kind: ColumnKind | None) -> list[Issue]:
    """Python objects of several types, or a few words among numbers, in an object column."""
    values = s.dropna()
    if values.empty:
        return []
    inferred = pd.api.types.infer_dtype(values, skipna=True)
    if inferred in ("mixed", "mixed-integer"):
        return _mixed_python_types(name, values)
    if inferred == "string" and kind in (None, ColumnKind.NUMERICAL, ColumnKind.CATEGORICAL):
        return _words_among_numbers(name, values, kind)
    return []


def _date_issues(name: str, s: pd.Series, parsed: pd.Series, fmt: str | None) -> list[Issue]:
    bad = s[s.notna() & parsed.isna()].astype(str)
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


def _value_issues(name: str, s: pd.Series, facts: TableFacts, i: int) -> tuple[list[Issue], list[Issue]]:
    """All-null columns (error), constant columns (warning) and infinite numbers (error)."""
    n_rows = facts.n_rows
    if facts.nulls[i] == n_rows:
        message = (f"column '{name}' must have at least one value; got "
                   f"{n_rows} missing values. Drop the column or fill it.")
        return [Issue("all_null", message, name, n_rows)], []
    warns = []
    if n_rows > 1 and facts.constant[i]:
        value = s.iloc[0]
        message = f"column '{name}' has the same value ({show_values([value])}) in every row; it carries no information."
        warns.append(Issue("constant_column", message, name, n_rows, (as_jsonable(value),)))
    if i not in facts.infinite:
        return [], warns
    is_inf = facts.infinite[i]
    rows = np.flatnonzero(is_inf)[:N_EXAMPLES].tolist()
    message = (
        f"column '{name}' must hold finite numbers; got {int(is_inf.sum())} infinite value(s) "
        f"(rows {show_values(rows)}, 0-based). Replace them with NaN or a finite number."
    )
    return [Issue("infinite_values", message, name, int(is_inf.sum()), tuple(rows))], warns


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


def _needs_a_look(i: int, facts: TableFacts, kind: ColumnKind | None, dates: dict[int, Any], dtype: Any) -> bool:
    """Whether column ``i`` may have an issue (the bulk facts clear most columns at once)."""
    return bool(
        facts.nulls[i] == facts.n_rows or facts.constant[i] or i in facts.infinite or i in facts.words
        or i in dates or kind is ColumnKind.BOOLEAN or pd.api.types.is_object_dtype(dtype)
    )


def _column_checks(df: pd.DataFrame, meta: Metadata | None) -> tuple[list[Issue], list[Issue]]:
    known = {c.name: c for c in meta.columns} if meta else {}
    names = [str(c) for c in df.columns]
    columns = [known.get(name) for name in names]
    kinds = [c.kind if c else None for c in columns]
    facts = table_facts(df, kinds)
    dates = _parsed_dates(df, columns, facts)
    errors: list[Issue] = []
    warns: list[Issue] = []
    firsts: dict[str, int] = {}
    for i, name in enumerate(names):
        firsts.setdefault(name, i)
    dtypes = list(df.dtypes)
    for i in firsts.values():  # the first column of each name
        name, col = names[i], columns[i]
        if not _needs_a_look(i, facts, kinds[i], dates, dtypes[i]):
            continue
        s = df.iloc[:, i]
        errs, col_warns = _value_issues(name, s, facts, i)
        errors += errs
        warns += col_warns
        if errs and errs[0].code == "all_null":
            continue
        if pd.api.types.is_object_dtype(s):
            errors += _check_object_mixed(name, s, kinds[i])
        elif i in facts.words:
            errors += _words_among_numbers(name, s.dropna(), kinds[i])
        if i in dates:
            errors += _date_issues(name, s, *dates[i])
        if col is not None and col.kind is ColumnKind.BOOLEAN:
            errors += _check_booleans(name, s)
    return errors, warns


def _parsed_dates(
    df: pd.DataFrame, columns: list[ColumnMeta | None], facts: TableFacts
) -> dict[int, tuple[pd.Series, str | None]]:
    """Every date column held as text, parsed (the columns sharing a format together)."""
    dtypes = list(df.dtypes)
    wanted = {
        i: col.datetime_format for i, col in enumerate(columns)
        if col is not None and col.kind is ColumnKind.DATETIME and facts.nulls[i] < facts.n_rows
        and not pd.api.types.is_datetime64_any_dtype(dtypes[i])
        and not pd.api.types.is_numeric_dtype(dtypes[i])
    }
    if not wanted:
        return {}
    return parse_date_columns({i: df.iloc[:, i] for i in wanted}, wanted)


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
