"""Dataset versions on disk: round trip, atomicity, conflicts, integrity check."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from finloom.data import (
    Metadata,
    _storage,
    content_hash,
    read_dataset_files,
    read_dataset_version,
    write_dataset_version,
)
from finloom.errors import ConflictError, InvalidDataError, NotFoundError


def _frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "id": ["001", "002", "003"],
            "amount": [1.5, np.nan, 3.0],
            "when": pd.to_datetime(["2024-01-01", "2024-02-01", "2024-03-01"]),
            "ok": pd.array([True, None, False], dtype="boolean"),
        }
    )


def test_write_dataset_version_round_trip(tmp_path):
    df = _frame()
    snapshot = df.copy()
    meta = Metadata.infer(df, target="ok")
    files = write_dataset_version(df, meta, tmp_path / "v1")
    pd.testing.assert_frame_equal(df, snapshot)
    assert sorted(p.name for p in (tmp_path / "v1").iterdir()) == ["data.parquet", "metadata.json"]
    assert (files.n_rows, files.n_cols) == (3, 4)
    assert files.content_hash == content_hash(df)
    assert (
        files.size_bytes == files.path_parquet.stat().st_size + files.path_metadata.stat().st_size
    )
    back, back_meta = read_dataset_version(tmp_path / "v1", verify=True)
    pd.testing.assert_frame_equal(back, df)
    assert back_meta == meta
    assert read_dataset_files(tmp_path / "v1") == files
    document = json.loads(files.path_metadata.read_text())
    assert document["metadata"]["target"] == "ok" and document["content_hash"] == files.content_hash
    assert files.to_dict()["path_parquet"].endswith("data.parquet")


def test_write_dataset_version_failure_leaves_nothing(tmp_path, monkeypatch):
    def broken_dumps(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(_storage.json, "dumps", broken_dumps)
    with pytest.raises(RuntimeError, match="disk full"):
        write_dataset_version(_frame(), Metadata.infer(_frame()), tmp_path / "v1")
    assert list(tmp_path.iterdir()) == []


def test_write_dataset_version_invalid_table_is_refused(tmp_path):
    df = pd.DataFrame({"id": [1, 1], "x": [None, None]})
    meta = Metadata.infer(pd.DataFrame({"id": [1, 2], "x": [1.0, 2.0]}))
    with pytest.raises(InvalidDataError) as info:
        write_dataset_version(df, meta, tmp_path / "v1")
    assert len(info.value.problems) == 2
    assert list(tmp_path.iterdir()) == []


def test_write_dataset_version_unstorable_column(tmp_path):
    df = pd.DataFrame({"m": pd.Series([1, "a"], dtype=object)})
    meta = Metadata.infer(pd.DataFrame({"m": ["1", "a"]}))
    with pytest.raises(InvalidDataError, match="table must be storable as Parquet; got Arrow"):
        write_dataset_version(df, meta, tmp_path / "v1", validate=False)
    assert list(tmp_path.iterdir()) == []


def test_write_dataset_version_existing_directory_conflicts(tmp_path):
    df = pd.DataFrame({"a": [1, 2]})
    write_dataset_version(df, Metadata.infer(df), tmp_path / "v1")
    with pytest.raises(ConflictError) as info:
        write_dataset_version(df, Metadata.infer(df), tmp_path / "v1")
    assert str(info.value) == (
        f"dataset version directory must not exist yet; got existing '{tmp_path / 'v1'}'. "
        "Write a new version or pass overwrite=True."
    )
    files = write_dataset_version(
        df.assign(a=[3, 4]), Metadata.infer(df), tmp_path / "v1", overwrite=True
    )
    assert read_dataset_version(tmp_path / "v1")[0]["a"].tolist() == [3, 4]
    assert files.content_hash == content_hash(df.assign(a=[3, 4]))


def test_read_dataset_version_missing_and_tampered(tmp_path):
    with pytest.raises(
        NotFoundError, match="dataset version directory must hold data.parquet and metadata.json"
    ):
        read_dataset_version(tmp_path / "nope")
    df = pd.DataFrame({"a": [1, 2]})
    files = write_dataset_version(df, Metadata.infer(df), tmp_path / "v1")
    pd.DataFrame({"a": [1, 5]}).to_parquet(files.path_parquet, index=False)
    assert read_dataset_version(tmp_path / "v1")[0]["a"].tolist() == [1, 5]
    with pytest.raises(
        InvalidDataError, match="dataset files must match their recorded content hash"
    ):
        read_dataset_version(tmp_path / "v1", verify=True)
