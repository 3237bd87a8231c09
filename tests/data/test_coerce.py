"""coerce_table: metadata kinds applied to a copy, bad values collected."""

from __future__ import annotations

import pandas as pd
import pytest

from finloom.data import ColumnKind, ColumnMeta, Metadata, coerce_table
from finloom.errors import InvalidDataError


def _meta(**kinds: str) -> Metadata:
    return Metadata(columns=[ColumnMeta(n, ColumnKind(k)) for n, k in kinds.items()])


def test_coerce_table_applies_kinds_without_mutating():
    df = pd.DataFrame(
        {
            "when": ["31/01/2024", "29/02/2024", None],
            "ok": ["Yes", "no", None],
            "flag": ["TRUE", "false", "1"],
            "grade": [1.0, 2.0, None],
            "amount": ["1.5", "2", None],
            "code": [7, 8, 9],
            "other": ["x", "y", "z"],
        }
    )
    snapshot = df.copy()
    meta = _meta(
        when="datetime",
        ok="boolean",
        flag="boolean",
        grade="categorical",
        amount="numerical",
        code="id",
    )
    out = coerce_table(df, meta)
    pd.testing.assert_frame_equal(df, snapshot)
    assert out["when"].tolist()[:2] == [pd.Timestamp("2024-01-31"), pd.Timestamp("2024-02-29")]
    assert out["when"].isna().tolist() == [False, False, True]
    assert out["ok"].dtype == "boolean"
    assert out["ok"].tolist()[:2] == [True, False]
    assert out["flag"].tolist() == [True, False, True]
    assert out["flag"].dtype == bool
    assert out["grade"].tolist()[:2] == ["1", "2"] and pd.isna(out["grade"].iloc[2])
    assert out["amount"].dtype == "float64"
    assert out["code"].dtype == "int64"
    assert out["other"].tolist() == ["x", "y", "z"]


def test_coerce_table_uses_datetime_format():
    df = pd.DataFrame({"d": ["01.02.2024", "03.04.2024"]})
    meta = Metadata(columns=[ColumnMeta("d", ColumnKind.DATETIME, datetime_format="%d.%m.%Y")])
    assert coerce_table(df, meta)["d"].tolist() == [
        pd.Timestamp("2024-02-01"),
        pd.Timestamp("2024-04-03"),
    ]


def test_coerce_table_collects_every_bad_column():
    df = pd.DataFrame({"d": ["2024-01-01", "soon"], "b": ["yes", "perhaps"], "n": ["1", "x"]})
    with pytest.raises(InvalidDataError) as info:
        coerce_table(df, _meta(d="datetime", b="boolean", n="numerical"))
    assert info.value.problems == [
        "column 'd' must hold dates in format '%Y-%m-%d'; got 1 value(s) that are not (e.g. "
        "'soon'). Fix them or set the column's datetime_format.",
        "column 'b' must hold yes/no or true/false values; got 1 other value(s) (e.g. "
        "'perhaps'). Fix them or change the column's kind.",
        "column 'n' must hold numbers; got 1 value(s) that are not (e.g. 'x'). Fix them or set "
        "the column's kind to categorical.",
    ]
