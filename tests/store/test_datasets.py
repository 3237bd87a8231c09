"""Dataset registry on SQLite and PostgreSQL: versions, validation, deletion."""

from __future__ import annotations

import pandas as pd
import pytest

from finloom.errors import ConfigError, ConflictError, InvalidDataError, NotFoundError
from finloom.store import DatasetRegistry


def _df():
    return pd.DataFrame({"id": [1, 2, 3], "amount": [1.5, 2.5, 3.5], "segment": ["a", "b", "a"]})


def test_add_load_and_version(session_factory, tmp_path):
    reg = DatasetRegistry(tmp_path, session_factory)
    df = _df()
    info = reg.add("loans", df, description="demo")
    assert (info.version, info.n_rows, info.n_cols) == (1, 3, 3)
    loaded, meta = reg.load("loans")
    pd.testing.assert_frame_equal(loaded.reset_index(drop=True), df, check_dtype=False)
    assert meta.primary_key == "id"
    second = reg.add("loans", df.assign(amount=[9.0, 8.0, 7.0]), new_version=True)
    assert second.version == 2 and second.content_hash != info.content_hash
    assert reg.get("loans", 1).content_hash == info.content_hash
    pd.testing.assert_frame_equal(df, _df())  # input untouched


def test_same_data_same_hash(session_factory, tmp_path):
    reg = DatasetRegistry(tmp_path, session_factory)
    a = reg.add("a", _df())
    b = reg.add("b", _df())
    assert a.content_hash == b.content_hash


def test_name_taken_and_missing(session_factory, tmp_path):
    reg = DatasetRegistry(tmp_path, session_factory)
    reg.add("loans", _df())
    with pytest.raises(ConflictError, match="dataset name must be new; got 'loans'"):
        reg.add("loans", _df())
    with pytest.raises(NotFoundError, match="Did you mean 'loans'"):
        reg.get("loan")


def test_invalid_table_stores_nothing(session_factory, tmp_path):
    reg = DatasetRegistry(tmp_path, session_factory)
    bad = pd.DataFrame({"id": [1, 1, 2], "x": [float("inf"), 1.0, 2.0], "empty": [None, None, None]})
    with pytest.raises(InvalidDataError) as info:
        reg.add("bad", bad, primary_key="id")
    assert len(info.value.problems) >= 3
    assert reg.list() == [] and not (tmp_path / "datasets" / "bad").exists()


def test_delete(session_factory, tmp_path):
    reg = DatasetRegistry(tmp_path, session_factory)
    info = reg.add("loans", _df())
    reg.delete("loans")
    assert reg.list() == [] and not info.path.exists()
    with pytest.raises(NotFoundError):
        reg.delete("loans")


def test_nul_in_free_text_is_a_config_error(session_factory, tmp_path):
    reg = DatasetRegistry(tmp_path, session_factory)
    with pytest.raises(ConfigError, match="source label must not contain NUL characters; got one at position 8"):
        reg.add("loans", _df(), source_label="upload:a\x00b.csv")
    with pytest.raises(ConfigError, match="description must not contain NUL"):
        reg.add("loans", _df(), description="x\x00")
    assert reg.list() == []


def test_preview_negative_rows_is_a_config_error(session_factory, tmp_path):
    reg = DatasetRegistry(tmp_path, session_factory)
    reg.add("loans", _df())
    assert len(reg.preview("loans", 0)) == 0
    with pytest.raises(ConfigError, match="rows must be a whole number >= 0; got -5"):
        reg.preview("loans", -5)
