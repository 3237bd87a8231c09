"""CSV export for people: formula-like cells are neutralised by one helper used everywhere."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pandas as pd
import pytest

from finloom.data import formula_guard_setting, neutralise_formulas, write_csv

SRC = Path(__file__).resolve().parents[2] / "src" / "finloom"


def _table() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "note": ["=HYPERLINK(\"http://x\")", "+1+2", "-2+3+cmd|' /C calc'!A0", "@SUM(A1)", "\tx", "\r=1", "ok", None],
            "signed": ["-1.5", "+3", "-inf", "1e-3", "-", "+", "a", "b"],
            "amount": [-1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0],
        }
    )


def test_write_csv_neutralises_every_formula_trigger():
    df = _table()
    out = neutralise_formulas(df)
    assert out["note"].tolist()[:7] == [
        "'=HYPERLINK(\"http://x\")", "'+1+2", "'-2+3+cmd|' /C calc'!A0", "'@SUM(A1)", "'\tx", "'\r=1", "ok"
    ]
    assert pd.isna(out["note"].iloc[7])
    back = pd.read_csv(io.StringIO(write_csv(df.drop(index=5), index=False)), keep_default_na=False)
    assert back["note"].tolist() == [*out["note"].tolist()[:5], "ok", ""]
    assert out["signed"].tolist() == ["-1.5", "+3", "-inf", "1e-3", "'-", "'+", "a", "b"]  # numbers stay numbers
    assert out["amount"].tolist() == df["amount"].tolist()
    pd.testing.assert_frame_equal(df, _table())  # input untouched


def test_header_index_categories_and_object_columns_are_neutralised():
    index = pd.Index(["+i", "j"], name="k")
    df = pd.DataFrame({"=x": pd.Categorical(["=a", "b"]), "o": pd.Series(["@b", 1], dtype=object, index=index)},
                      index=index)
    out = neutralise_formulas(df)
    assert list(out.columns) == ["'=x", "o"] and list(out.index) == ["'+i", "j"]
    assert out["'=x"].tolist() == ["'=a", "b"] and out["o"].tolist() == ["'@b", 1]


def test_guard_follows_the_setting_and_can_be_turned_off(monkeypatch, tmp_path):
    df = pd.DataFrame({"a": ["=1+1"]})
    monkeypatch.setenv("FINLOOM_CSV_FORMULA_GUARD", "false")  # read at the boundary, never by write_csv
    assert write_csv(df, index=False) == "a\n'=1+1\n"
    with formula_guard_setting(False):
        assert write_csv(df, index=False) == "a\n=1+1\n"
        assert write_csv(df, index=False, formula_guard=True) == "a\n'=1+1\n"
    assert write_csv(df, index=False, formula_guard=False) == "a\n=1+1\n"
    write_csv(df, tmp_path / "x.csv", index=False)
    assert (tmp_path / "x.csv").read_text() == "a\n'=1+1\n"


def test_every_csv_finloom_writes_goes_through_write_csv():
    offenders = []
    for path in SRC.rglob("*.py"):
        if path.name == "_export.py":
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            code = line.split("#")[0]
            if re.search(r"\.to_csv\(|csv\.(Dict)?[wW]riter\(", code) and ">>>" not in code:
                offenders.append(f"{path.relative_to(SRC)}:{n}")
    assert offenders == [], "write CSV files with finloom.data.write_csv: " + ", ".join(offenders)


@pytest.mark.parametrize("text", ["=1", "+1+1", "-1-1", "@x", "\t1"])
def test_write_csv_round_trip_keeps_the_text_after_the_apostrophe(text):
    back = pd.read_csv(io.StringIO(write_csv(pd.DataFrame({"a": [text]}), index=False)), dtype=str)
    assert back["a"].iloc[0] == "'" + text
