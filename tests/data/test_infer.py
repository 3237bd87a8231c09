"""Vectorised kind inference agrees with the per-column rules it replaced, on varied columns."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from finloom.data import ColumnKind, infer_metadata
from finloom.data._infer import infer_kinds

_ID_NAME = re.compile(r"(^id$|_id$|^id_|uuid|guid|identifier)", re.IGNORECASE)
_BOOL_TOKENS = {"true", "false", "t", "f"}
_MAX_CATEGORIES = 50
_TEXT_MIN_MEAN_LEN = 30


# -- the per-column rules as they were (the oracle) ----------------------------------------
def _looks_boolean(series: pd.Series) -> bool:
    if pd.api.types.is_bool_dtype(series):
        return True
    values = series.dropna().unique()
    if len(values) == 0 or len(values) > 2:
        return False
    return all(isinstance(v, str) and v.strip().lower() in _BOOL_TOKENS for v in values)


def _looks_datetime(series: pd.Series) -> bool:
    if pd.api.types.is_datetime64_any_dtype(series):
        return True
    if not (pd.api.types.is_object_dtype(series) or pd.api.types.is_string_dtype(series)):
        return False
    sample = series.dropna().astype(str).head(200)
    if sample.empty or not sample.str.contains(r"\d{1,4}[-/.:]\d{1,2}", regex=True).all():
        return False
    parsed = pd.to_datetime(sample, errors="coerce", format="mixed")
    return bool(parsed.notna().mean() >= 0.95)


def _looks_text(strings: pd.Series) -> bool:
    """Long values, or mostly several words or CJK script: free text rather than a code or an id."""
    if strings.str.len().mean() >= _TEXT_MIN_MEAN_LEN:
        return True
    words = strings.str.strip().str.contains(r"\s", regex=True)
    cjk = strings.str.contains(r"[\u4e00-\u9fff]", regex=True)
    return bool((words | cjk).mean() >= 0.5)  # per value, so mixed English/Chinese columns count


def _reference_kind(name: str, series: pd.Series, n_rows: int) -> ColumnKind:
    non_null = series.dropna()
    n_unique = non_null.nunique()
    all_unique = n_rows > 1 and n_unique == len(non_null) == n_rows
    if _looks_boolean(series):
        return ColumnKind.BOOLEAN
    if _looks_datetime(series):
        return ColumnKind.DATETIME
    is_int_like = pd.api.types.is_integer_dtype(series) or pd.api.types.is_string_dtype(series)
    if all_unique and is_int_like and _ID_NAME.search(name):
        return ColumnKind.ID
    if pd.api.types.is_numeric_dtype(series):
        return ColumnKind.NUMERICAL
    strings = non_null.astype(str)
    if n_unique <= max(_MAX_CATEGORIES, int(0.05 * n_rows)) and not all_unique:
        return ColumnKind.CATEGORICAL
    if len(strings) and _looks_text(strings):
        return ColumnKind.TEXT
    if all_unique:
        return ColumnKind.ID
    return ColumnKind.CATEGORICAL



def _column(rng: np.random.Generator, n: int) -> list:
    """One column of a random flavour: numbers, codes, dates, booleans, words, sentences, ids."""
    flavour = rng.integers(0, 11)
    pools = {
        0: [f"{v:.3f}" for v in rng.normal(size=n)],
        1: [str(v) for v in rng.integers(0, 5, n)],
        2: [f"2024-0{rng.integers(1, 10)}-1{rng.integers(0, 10)}" for _ in range(n)],
        3: list(rng.choice(["t", "f"], n)),
        4: list(rng.choice(["True", "false"], n)),
        5: list(rng.choice(["Paris", "Lyon", "Nice"], n)),
        6: [f"customer complained about fee number {i}" for i in range(n)],
        7: [f"A{i:04d}" for i in range(n)],
        8: list(rng.choice(["yes", "no", "maybe"], n)),
        9: [f"31/0{rng.integers(1, 10)}/2024 10:0{rng.integers(0, 10)}" for _ in range(n)],
        10: list(rng.choice(["贷款", "信用卡 申请", "x"], n)),
    }
    values = pools[int(flavour)]
    holes = rng.random(n) < rng.choice([0.0, 0.2])
    return [None if h else v for v, h in zip(values, holes, strict=True)]


def test_infer_kinds_matches_the_per_column_rules():
    rng = np.random.default_rng(1)
    for n_rows in (1, 3, 30, 120):
        names = [rng.choice(["id", "cust_id", "uuid", "x", "note", "when"]) + str(c) if c % 3 else "id"
                 for c in range(60)]
        df = pd.DataFrame({f"{name}#{c}" if c else "id": _column(rng, n_rows) for c, name in enumerate(names)},
                          dtype="str")
        df["amount"], df["flag"], df["n_id"] = rng.normal(size=n_rows), rng.random(n_rows) > 0.5, np.arange(n_rows)
        expected = [_reference_kind(str(name), df[name], len(df)) for name in df.columns]
        assert infer_kinds(df) == expected


def test_infer_kinds_object_and_category_columns():
    df = pd.DataFrame({
        "mixed": pd.Series(["a", 1, None, 2.5], dtype=object),
        "cat": pd.Categorical(["t", "f", "t", "t"]),
        "stamp": pd.Series([pd.Timestamp("2024-01-01"), None, pd.Timestamp("2024-01-03"), None], dtype=object),
    })
    assert infer_kinds(df) == [_reference_kind(c, df[c], len(df)) for c in df.columns]


def test_infer_metadata_many_columns_stays_vectorised(monkeypatch):
    """The per-column work does not grow with the table: Arrow kernels run a fixed number of times."""
    import pyarrow.compute as pc

    calls = []
    real = pc.match_substring_regex
    monkeypatch.setattr(pc, "match_substring_regex", lambda *a, **k: calls.append(1) or real(*a, **k))
    counts = []
    for n_cols in (4, 400):
        calls.clear()
        df = pd.DataFrame({f"c{i}": ["a b", "2024-01-0" + str(i % 9 + 1), "x"] for i in range(n_cols)}, dtype="str")
        meta = infer_metadata(df)
        counts.append(len(calls))
    assert counts[0] == counts[1] > 0 and meta.kind_of("c0") is ColumnKind.ID  # 3 distinct values in 3 rows


def test_a_two_valued_integer_target_is_a_class_label_not_a_number():
    import pandas as pd

    from finloom.data import infer_metadata

    df = pd.DataFrame({"LIMIT_BAL": [20000.0, 120000.0, 90000.0, 50000.0], "SEX": [2, 2, 1, 1],
                       "default.payment.next.month": [1, 1, 0, 0]})
    meta = infer_metadata(df, target="default.payment.next.month")
    kinds = {c.name: c.kind.value for c in meta.columns}
    assert kinds["default.payment.next.month"] == "boolean" and kinds["LIMIT_BAL"] == "numerical"
    assert infer_metadata(df, target="SEX").columns[1].kind.value == "categorical"
    assert infer_metadata(df, target="LIMIT_BAL").columns[0].kind.value == "numerical"  # a real quantity stays one
    assert infer_metadata(df).columns[2].kind.value == "numerical"  # not a target: unchanged
