"""Vectorised dtype inference agrees with the per-column rules it replaced, on tricky values."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from finloom.data._dtypes import NUMBER_PATTERN, infer_dtypes

_DECIMAL_COMMA = r"[+-]?\d{1,3}(?:\.\d{3})*,\d+|[+-]?\d+,\d+"


def _reference(series: pd.Series, decimal_comma: bool) -> pd.Series:
    """The per-column rules, one pandas call after another (slow, obviously right)."""
    values = series.dropna()
    if values.empty:
        return series
    text = values.str.strip()
    if text.str.lower().isin(["true", "false"]).all():
        return series.str.strip().str.lower().map({"true": True, "false": False}).astype(
            "boolean" if series.isna().any() else bool)
    is_number = text.str.fullmatch(NUMBER_PATTERN)
    if not is_number.all():
        comma = text.str.fullmatch(_DECIMAL_COMMA)
        if not decimal_comma or not (is_number | comma).all():
            return series
        text = text.where(~comma, text.str.replace(".", "", regex=False).str.replace(",", "."))
    numbers = pd.to_numeric(text, errors="coerce").astype("float64")
    if numbers.isna().any() or text.str.match(r"[+-]?0\d").any() or text.str.fullmatch(r"[+-]?\d{16,}").any():
        return series
    full = numbers.reindex(series.index)
    whole = bool((numbers == numbers.round()).all()) and np.isfinite(numbers).all()
    if whole and not text.str.contains(r"[.eE]").any() and not series.isna().any():
        return full.astype("int64")
    return full.astype("float64")


POOL = ["1", "-2", "+3", " 4 ", "0", "007", "1.5", ".5", "5.", "1e3", "-1E-3", "inf", "-Infinity",
        "1,5", "1.234,5", "12,000", "true", "False", " TRUE", "t", "yes", "x", "", "NaN",
        "1234567890123456", "0.30000000000000004", "9.9", "-0", "0.0", None]


@pytest.mark.parametrize("decimal_comma", [False, True])
def test_infer_dtypes_matches_the_per_column_rules(decimal_comma):
    rng = np.random.default_rng(0)
    columns = {}
    for c in range(400):
        width = rng.integers(1, 4)  # a few kinds of value per column, so many columns convert
        kinds = rng.choice(len(POOL), size=width, replace=False)
        columns[f"c{c}"] = [POOL[k] for k in rng.choice(kinds, size=6)]
    df = pd.DataFrame(columns, dtype="str")
    out = infer_dtypes(df, decimal_comma=decimal_comma)
    for name in df.columns:
        expected = _reference(df[name], decimal_comma)
        assert str(out[name].dtype) == str(expected.dtype), (name, df[name].tolist())
        pd.testing.assert_series_equal(out[name], expected, check_names=False, obj=name)


def test_infer_dtypes_leaves_other_columns_and_input_alone():
    df = pd.DataFrame({"n": [1, 2], "s": ["1", "2"], "d": pd.to_datetime(["2024-01-01", "2024-01-02"])})
    before = df.copy()
    out = infer_dtypes(df)
    assert out.dtypes.astype(str).tolist() == ["int64", "int64", "datetime64[us]"]
    pd.testing.assert_frame_equal(df, before)


def test_infer_dtypes_runs_a_fixed_number_of_arrow_calls(monkeypatch):
    """Linear, vectorised: the regex kernel runs the same number of times for 5 or 500 columns."""
    import pyarrow.compute as pc

    calls = []
    real = pc.match_substring_regex

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(pc, "match_substring_regex", counting)
    counts = []
    for n_cols in (5, 500):
        calls.clear()
        infer_dtypes(pd.DataFrame({f"c{i}": ["1.5", "x" if i % 2 else "2"] for i in range(n_cols)}, dtype="str"),
                     decimal_comma=True)
        counts.append(len(calls))
    assert counts[0] == counts[1] > 0
