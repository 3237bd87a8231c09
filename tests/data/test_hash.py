"""content_hash: same data, same hash, however the table was loaded."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd

from finloom.data import content_hash, read_table

CSV = b"id,x,n,ok,d\n001,1.5,1,true,2024-01-01\n002,,2,false,2024-06-30\n"


def _frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "id": ["001", "002"],
            "x": [1.5, None],
            "n": [1, 2],
            "ok": [True, False],
            "d": pd.to_datetime(["2024-01-01", "2024-06-30"]),
        }
    )


def test_content_hash_known_value_is_stable_across_runs():
    assert (
        content_hash(_frame()) == "29cbd96561160b7460ffada5b40779fe0c15b2598ebef551242ea9098eba37a0"
    )


def test_content_hash_same_for_csv_parquet_and_memory(tmp_path):
    from_csv = read_table(CSV).assign(d=lambda f: pd.to_datetime(f["d"]))
    buffer = io.BytesIO()
    _frame().to_parquet(buffer)
    from_parquet = read_table(buffer.getvalue())
    assert content_hash(from_csv) == content_hash(_frame()) == content_hash(from_parquet)


def test_content_hash_ignores_index_widths_units_and_missing_markers():
    df = _frame()
    variant = df.set_axis([10, 20]).astype({"n": "int32", "x": "float32"})
    variant["d"] = variant["d"].dt.as_unit("ns")
    variant["id"] = variant["id"].astype(object)
    assert content_hash(df) == content_hash(variant)
    assert content_hash(pd.DataFrame({"a": [None, "x"]})) == content_hash(
        pd.DataFrame({"a": [np.nan, "x"]})
    )
    assert content_hash(pd.DataFrame({"a": [0.0]})) == content_hash(pd.DataFrame({"a": [-0.0]}))


def test_content_hash_changes_with_values_names_types_and_order():
    base = content_hash(_frame())
    assert content_hash(_frame().assign(n=[1, 3])) != base
    assert content_hash(_frame().rename(columns={"n": "m"})) != base
    assert content_hash(_frame().astype({"n": "float64"})) != base
    assert content_hash(_frame()[["x", "id", "n", "ok", "d"]]) != base
    assert content_hash(_frame().iloc[::-1]) != base
    assert content_hash(pd.DataFrame({"a": ["ab", "c"]})) != content_hash(
        pd.DataFrame({"a": ["a", "bc"]})
    )
    assert content_hash(pd.DataFrame({"a": [1, None]})) != content_hash(
        pd.DataFrame({"a": [None, 1]})
    )


def test_content_hash_handles_tz_category_and_mixed_objects():
    tz = pd.DataFrame({"t": pd.to_datetime(["2024-01-01 12:00"]).tz_localize("Europe/Paris")})
    assert content_hash(tz) != content_hash(tz.assign(t=tz["t"].dt.tz_convert("UTC")))
    cat = pd.DataFrame({"c": pd.Categorical(["a", "b", "a"])})
    assert content_hash(cat) == content_hash(pd.DataFrame({"c": ["a", "b", "a"]}))
    mixed = pd.DataFrame({"m": pd.Series([1, "1"], dtype=object)})
    assert content_hash(mixed) != content_hash(
        pd.DataFrame({"m": pd.Series(["1", "1"], dtype=object)})
    )


def test_content_hash_demo_table_survives_csv_round_trip():
    from finloom.data import prepare_table
    from finloom.data.demo import credit_applications

    df = credit_applications(300, random_state=5)
    prepared = prepare_table(df.to_csv(index=False).encode(), primary_key="application_id")
    assert content_hash(prepared.df) == content_hash(df)
