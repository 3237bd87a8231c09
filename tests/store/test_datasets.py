"""Dataset registry on SQLite and PostgreSQL: versions, validation, deletion."""

from __future__ import annotations

import multiprocessing
import threading
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

import pandas as pd
import pytest

from finloom.data import content_hash, read_dataset_version
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


# -- concurrent writers ------------------------------------------------------------------
N_WRITERS = 6


def _variant(i: int) -> pd.DataFrame:
    return _df().assign(amount=[float(i), i + 0.5, i + 0.25])


def _run_together(n: int, fn) -> list[object]:
    """Call ``fn(i)`` in ``n`` threads released at once; return each result or exception."""
    barrier = threading.Barrier(n)

    def call(i: int) -> object:
        barrier.wait()
        try:
            return fn(i)
        except Exception as exc:  # collected and asserted on by the caller
            return exc

    with ThreadPoolExecutor(n) as pool:
        return list(pool.map(call, range(n)))


def _assert_consistent(reg: DatasetRegistry, name: str, versions: list[int]) -> None:
    """Every row's folder is complete and holds the data its row describes; no stray folders."""
    assert reg.get(name).n_versions == len(versions)
    for v in versions:
        info = reg.get(name, v)
        df, _ = read_dataset_version(info.path, verify=True)
        assert content_hash(df) == info.content_hash
    folders = sorted(p.name for p in (reg.root / name).iterdir())
    assert folders == sorted(f"v{v}" for v in versions)


def test_concurrent_uploads_of_a_new_name_keep_one_complete_version(session_factory, tmp_path):
    reg = DatasetRegistry(tmp_path, session_factory)
    results = _run_together(N_WRITERS, lambda i: reg.add("loans", _variant(i)))
    won = [r for r in results if not isinstance(r, Exception)]
    lost = [r for r in results if isinstance(r, Exception)]
    assert len(won) == 1 and all(isinstance(e, ConflictError) for e in lost), results
    assert all("dataset name must be new; got 'loans'" in str(e) for e in lost)
    _assert_consistent(reg, "loans", [1])


def test_concurrent_new_versions_get_distinct_numbers(session_factory, tmp_path):
    reg = DatasetRegistry(tmp_path, session_factory)
    reg.add("loans", _variant(0))
    results = _run_together(N_WRITERS, lambda i: reg.add("loans", _variant(i + 1), new_version=True))
    assert not [r for r in results if isinstance(r, Exception)], results
    assert sorted(r.version for r in results) == list(range(2, N_WRITERS + 2))
    _assert_consistent(reg, "loans", list(range(1, N_WRITERS + 2)))


def _add_in_process(url: str, workspace: str, i: int, barrier) -> list[str]:
    """In a spawned process: try to create 'shared', then add two versions; report outcomes."""
    from finloom.store import make_engine, make_session_factory

    engine = make_engine(url)
    reg = DatasetRegistry(workspace, make_session_factory(engine))
    outcomes = []
    try:
        for new_version in (False, True, True):
            barrier.wait()  # every process writes at the same moment
            try:
                outcomes.append(f"v{reg.add('shared', _variant(i), new_version=new_version).version}")
            except ConflictError:
                outcomes.append("conflict")
            except Exception as exc:  # reported, so the other processes are not left at the barrier
                outcomes.append(f"error {exc!r}")
    finally:
        engine.dispose()
    return outcomes


def test_concurrent_uploads_from_processes(db_url, tmp_path):
    n = 3
    context = multiprocessing.get_context("spawn")
    with context.Manager() as manager, ProcessPoolExecutor(n, mp_context=context) as pool:
        barrier = manager.Barrier(n, timeout=120)
        args = ([db_url] * n, [str(tmp_path)] * n, range(n), [barrier] * n)
        outcomes = [o for out in pool.map(_add_in_process, *args) for o in out]
    versions = sorted(int(o[1:]) for o in outcomes if o.startswith("v"))
    assert outcomes.count("conflict") == n - 1 and versions == list(range(1, 2 * n + 2)), outcomes
    from finloom.store import make_engine, make_session_factory

    engine = make_engine(db_url)
    _assert_consistent(DatasetRegistry(tmp_path, make_session_factory(engine)), "shared", versions)
    engine.dispose()


def test_failed_upload_releases_its_reservation(session_factory, tmp_path, monkeypatch):
    reg = DatasetRegistry(tmp_path, session_factory)

    def disk_full(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr("finloom.data.write_dataset_version", disk_full)
    with pytest.raises(OSError, match="disk full"):
        reg.add("loans", _df())
    monkeypatch.undo()
    assert reg.list() == [] and reg.add("loans", _df()).version == 1  # the name is free again
    _assert_consistent(reg, "loans", [1])


def test_remove_partial_spares_recent_writes(session_factory, tmp_path):
    reg = DatasetRegistry(tmp_path, session_factory)
    reg.add("loans", _df())
    leftover = tmp_path / "datasets" / "loans" / ".v2.abc.tmp"
    leftover.mkdir()
    assert reg.remove_partial() == 0 and leftover.exists()
    assert reg.remove_partial(older_than=0) == 1 and not leftover.exists()
    _assert_consistent(reg, "loans", [1])


def test_remove_partial_frees_a_name_a_killed_upload_reserved(session_factory, tmp_path):
    from finloom.store._datasets import _Entry, _Mode

    reg = DatasetRegistry(tmp_path, session_factory)
    reg._reserve_once("loans", _Entry("", "", "", ""), _Mode.CREATE)  # as a process killed mid-upload
    assert reg.list() == []
    with pytest.raises(ConflictError):
        reg.add("loans", _df())
    assert reg.remove_partial() == 0  # might still be writing
    assert reg.remove_partial(older_than=0) == 2  # its pending row and its dataset row
    assert reg.add("loans", _df()).version == 1
