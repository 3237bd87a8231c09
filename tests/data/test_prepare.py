"""prepare_table and the ingest_dataset job function."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from finloom.data import Metadata, ingest_dataset, prepare_table, read_dataset_version
from finloom.errors import InvalidDataError

CSV = "id;when;region;ok;amount\n001;31/01/2024;Málaga;true;1,5\n002;29/02/2024;Köln;false;2\n003;01/03/2024;Köln;true;3\n"


def test_prepare_table_latin1_semicolon_file(tmp_path):
    path = tmp_path / "t.csv"
    path.write_bytes(CSV.encode("latin-1"))
    seen: list[float] = []
    prepared = prepare_table(path, target="ok", progress=lambda f, m="": seen.append(f))
    df, meta = prepared.df, prepared.metadata
    assert prepared.source == {"format": "csv", "encoding": "cp1252", "sep": ";", "name": "t.csv"}
    assert df["region"].tolist() == ["Málaga", "Köln", "Köln"]
    assert df["when"].tolist()[0] == pd.Timestamp("2024-01-31")
    assert meta.primary_key == "id" and meta.target == "ok"
    assert meta.column("when").datetime_format == "%d/%m/%Y"
    assert meta.column("when").dtype == "datetime64[us]"
    assert seen[0] == 0.0 and seen[-1] == 1.0


def test_prepare_table_raises_one_error_with_every_problem():
    csv = b"id,amount,empty\n1,5,\n1,x,\n"
    meta = Metadata.infer(pd.DataFrame({"id": [1, 2], "amount": [1.0, 2.0], "empty": [1, 2]}))
    with pytest.raises(InvalidDataError) as info:
        prepare_table(csv, metadata=meta)
    assert [p.split(";")[0] for p in info.value.problems] == [
        "column 'amount' mixes numbers and text: 1 of 2 values are not numbers (e.g. 'x'). "
        "Replace them with numbers or leave those cells empty.",
        "column 'empty' must have at least one value",
        "primary key 'id' must be unique",
    ]


def test_prepare_table_does_not_mutate_dataframe():
    df = pd.DataFrame({"id": [1, 2], "d": ["2024-01-01", "2024-01-02"]})
    snapshot = df.copy()
    out = prepare_table(df).df
    pd.testing.assert_frame_equal(df, snapshot)
    assert str(out["d"].dtype).startswith("datetime64")


def test_ingest_dataset_writes_version(tmp_path):
    (tmp_path / "in.csv").write_text("id,amount,grade\n1,2.5,A\n2,3.0,B\n3,1.0,A\n")
    seen: list[tuple[float, str]] = []
    out = ingest_dataset(
        {"path": str(tmp_path / "in.csv"), "target": "grade"},
        lambda f, m="": seen.append((f, m)),
        tmp_path / "ds" / "v1",
    )
    assert out["files"]["n_rows"] == 3 and out["metadata"]["target"] == "grade"
    assert json.loads(json.dumps(out)) == out
    assert out["report"]["ok"] is True
    df, meta = read_dataset_version(tmp_path / "ds" / "v1", verify=True)
    assert df["grade"].tolist() == ["A", "B", "A"] and meta.target == "grade"
    assert [f for f, _ in seen] == sorted(f for f, _ in seen) and seen[-1] == (
        1.0,
        "dataset stored",
    )


def test_ingest_dataset_bad_file_leaves_nothing(tmp_path):
    (tmp_path / "in.csv").write_text("id,amount\n1,2\n3\n")
    with pytest.raises(InvalidDataError, match="at line\\(s\\) 3"):
        ingest_dataset({"path": str(tmp_path / "in.csv")}, lambda f, m="": None, tmp_path / "v1")
    assert not (tmp_path / "v1").exists()
