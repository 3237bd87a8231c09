"""validate_table / check_table: every problem collected, warnings apart from errors."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from finloom.data import ColumnKind, ColumnMeta, Metadata, check_table, validate_table
from finloom.errors import InvalidDataError


def _meta(*cols: tuple[str, str], primary_key: str | None = None, **formats: str) -> Metadata:
    return Metadata(
        columns=[ColumnMeta(n, ColumnKind(k), datetime_format=formats.get(n)) for n, k in cols],
        primary_key=primary_key,
    )


def _messages(df: pd.DataFrame, meta: Metadata | None = None) -> list[str]:
    return [e.message for e in validate_table(df, meta).errors]


def test_validate_table_clean_table_is_ok():
    df = pd.DataFrame({"id": [1, 2, 3], "amount": [1.0, 2.5, 3.0]})
    report = validate_table(df, Metadata.infer(df))
    assert report.ok
    assert report.to_dict() == {"ok": True, "n_rows": 3, "n_cols": 2, "errors": [], "warnings": []}


def test_validate_table_empty_table():
    assert _messages(pd.DataFrame({"a": []})) == [
        "table must have at least one row and one column; got 0 rows and 1 columns."
    ]


def test_validate_table_missing_and_unknown_columns_did_you_mean():
    df = pd.DataFrame({"amount": [1.0, 2.0], "age": [30, 40]})
    meta = _meta(("amount", "numerical"), ("agee", "numerical"))
    assert _messages(df, meta) == [
        "column 'agee' is described in the metadata but missing from the table. Did you mean 'age'?",
        "column 'age' is in the table but not in the metadata. Did you mean 'agee'? Add it to the "
        "metadata or drop it.",
    ]


def test_validate_table_duplicated_columns():
    df = pd.DataFrame([[1, 2, 3]], columns=["a", "a", "b"])
    assert _messages(df) == [
        "column names must be unique; got 'a' 2 times. Rename or drop the duplicates."
    ]


def test_validate_table_mixed_python_types():
    df = pd.DataFrame({"x": pd.Series([1, 2.5, "abc", "n/a", 4], dtype=object)})
    (issue,) = validate_table(df).errors
    assert issue.message == (
        "column 'x' must hold values of one type; got 3 number, 2 text values (e.g. 'abc', "
        "'n/a'). Convert the odd values or leave those cells empty."
    )
    assert (issue.code, issue.count, issue.examples) == ("mixed_types", 2, ("abc", "n/a"))


def test_validate_table_numbers_and_words_in_text_column():
    df = pd.DataFrame({"income": ["100", "200", "300", "400", "unknown"]})
    assert _messages(df) == [
        "column 'income' mixes numbers and text: 1 of 5 values are not numbers (e.g. 'unknown'). "
        "Replace them with numbers or leave those cells empty, or set the column's kind to "
        "'text' to keep them as they are."
    ]
    assert _messages(df, _meta(("income", "text"))) == []
    numerical = _meta(("income", "numerical"))
    assert _messages(df.assign(income=["1", "a", "b", "c", "d"]), numerical) == [
        "column 'income' mixes numbers and text: 4 of 5 values are not numbers (e.g. 'a', 'b', "
        "'c'). Replace them with numbers or leave those cells empty."
    ]


def test_validate_table_categorical_words_are_not_mixed():
    df = pd.DataFrame({"grade": ["A", "B", "1", "C"]})
    assert _messages(df, _meta(("grade", "categorical"))) == []


def test_validate_table_unparseable_dates():
    df = pd.DataFrame({"when": ["2024-01-31", "2024-13-45", "yesterday", None, "2024-02-01"]})
    (issue,) = validate_table(df, _meta(("when", "datetime"))).errors
    assert issue.message == (
        "column 'when' must hold dates in format '%Y-%m-%d'; got 2 value(s) that are not (e.g. "
        "'2024-13-45', 'yesterday'). Fix them, set the column's datetime_format, or change its kind."
    )
    explicit = _meta(("when", "datetime"), when="%d.%m.%Y")
    assert "must hold dates in format '%d.%m.%Y'; got 4 value(s)" in _messages(df, explicit)[0]


def test_validate_table_invalid_booleans():
    df = pd.DataFrame({"ok": ["yes", "no", "maybe"]})
    assert _messages(df, _meta(("ok", "boolean"))) == [
        "column 'ok' must hold yes/no or true/false values; got 1 other value(s) (e.g. 'maybe'). "
        "Fix them or change the column's kind."
    ]


def test_validate_table_all_null_is_error_and_constant_is_warning():
    df = pd.DataFrame({"empty": [None, None, None], "same": ["x", "x", "x"], "v": [1, 2, 3]})
    report = validate_table(df)
    assert [e.message for e in report.errors] == [
        "column 'empty' must have at least one value; got 3 missing values. Drop the column or fill it."
    ]
    assert [w.message for w in report.warnings] == [
        "column 'same' has the same value ('x') in every row; it carries no information."
    ]
    assert report.to_dict()["warnings"][0]["code"] == "constant_column"


def test_validate_table_infinite_values():
    df = pd.DataFrame({"x": [1.0, np.inf, -np.inf, 2.0]})
    assert _messages(df) == [
        "column 'x' must hold finite numbers; got 2 infinite value(s) (rows 1, 2, 0-based). "
        "Replace them with NaN or a finite number."
    ]


def test_validate_table_primary_key_duplicates_and_missing():
    df = pd.DataFrame({"id": ["a", "b", "a", None, "c", "c"], "v": [1, 2, 3, 4, 5, 6]})
    meta = _meta(("id", "id"), ("v", "numerical"), primary_key="id")
    assert _messages(df, meta) == [
        "primary key 'id' must have a value in every row; got 1 missing (rows 3, 0-based). "
        "Fill them or drop those rows.",
        "primary key 'id' must be unique; got 2 value(s) used more than once (e.g. 'a', 'c') in "
        "4 rows. Drop duplicated rows or choose another primary key.",
    ]


def test_validate_table_metadata_roles_must_name_columns():
    df = pd.DataFrame({"a": [1, 2]})
    meta = Metadata(columns=[ColumnMeta("a", ColumnKind.NUMERICAL)], target="b")
    assert _messages(df, meta) == ["target must name a column; got 'b'."]


def test_check_table_two_problems_raise_one_error_listing_both():
    df = pd.DataFrame({"id": [1, 1], "x": [None, None]})
    meta = _meta(("id", "id"), ("x", "numerical"), primary_key="id")
    with pytest.raises(InvalidDataError) as info:
        check_table(df, meta)
    assert str(info.value) == (
        "The data has 2 problems:\n"
        "  - column 'x' must have at least one value; got 2 missing values. Drop the column or fill it.\n"
        "  - primary key 'id' must be unique; got 1 value(s) used more than once (e.g. 1) in 2 "
        "rows. Drop duplicated rows or choose another primary key."
    )


def test_check_table_returns_report_with_warnings():
    df = pd.DataFrame({"a": [1, 2], "b": [0, 0]})
    assert [w.column for w in check_table(df).warnings] == ["b"]


def test_validate_table_leaves_input_unchanged():
    df = pd.DataFrame({"id": [1, 1], "x": [np.inf, None], "d": ["2024-01-01", "bad"]})
    snapshot = df.copy()
    validate_table(df, _meta(("id", "id"), ("x", "numerical"), ("d", "datetime"), primary_key="id"))
    pd.testing.assert_frame_equal(df, snapshot)


def test_wide_table_reports_each_column_as_if_alone():
    """Checks run for all columns at once must not mix columns up: same issues as one by one."""
    from finloom.data import infer_metadata

    rng = np.random.default_rng(3)
    pools = [["1", "2", "x"], ["2024-01-01", "nope"], ["k"], ["1.5", "inf"], [None], ["a b", "c"], ["t", "f", "maybe"]]
    columns = {f"c{i}": list(rng.choice(np.array(pools[i % len(pools)], dtype=object), 12)) for i in range(70)}
    df = pd.DataFrame(columns, dtype="str")
    df["n"] = rng.normal(size=12)
    df.loc[3, "n"] = np.inf
    meta = infer_metadata(df.fillna("0"))
    for i in range(0, 70, 7):  # force a few kinds so the date and boolean checks run too
        meta = meta.with_kind(f"c{i + 1}", "datetime").with_kind(f"c{i + 6}", "boolean")
    whole = validate_table(df, meta)
    alone = [validate_table(df[[c]], Metadata(columns=[meta.column(c)])) for c in df.columns]
    assert [e.message for e in whole.errors] == [e.message for r in alone for e in r.errors]
    assert [w.message for w in whole.warnings] == [w.message for r in alone for w in r.warnings]
    assert {e.code for e in whole.errors} >= {"all_null", "mixed_types", "unparseable_date", "invalid_boolean",
                                             "infinite_values"}


def test_clean_wide_table_needs_no_per_column_pandas_work(monkeypatch):
    """Validation and coercion read clean columns only through bulk passes: the number of
    single-column lookups does not grow with the number of columns (no O(n) pandas calls per column)."""
    from pandas.core.indexing import _iLocIndexer

    from finloom.data import coerce_table, infer_metadata

    lookups = []
    real = _iLocIndexer.__getitem__
    monkeypatch.setattr(_iLocIndexer, "__getitem__", lambda self, key: lookups.append(key) or real(self, key))
    counts = []
    for n_cols in (6, 300):
        rng = np.random.default_rng(0)
        df = pd.DataFrame({f"c{i}": rng.normal(size=8) if i % 2 else rng.choice(["a", "b", "c"], 8)
                           for i in range(n_cols)}).astype({f"c{i}": "str" for i in range(0, n_cols, 2)})
        meta = infer_metadata(df)
        lookups.clear()
        validate_table(df, meta)
        coerce_table(df, meta)
        counts.append(len(lookups))
    assert counts[0] == counts[1]
