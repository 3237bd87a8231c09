"""Artifact registry: versions, manifest, atomic writes, no partial artifacts."""

from __future__ import annotations

import json
import multiprocessing
import threading
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

import numpy as np
import pytest

from finloom._serialization import load_state, save_state
from finloom.errors import ConfigError, NotFoundError
from finloom.store import ArtifactRegistry, make_engine, make_session_factory


class TinyModel:
    def __init__(self, w: float = 1.0) -> None:
        self.w = w

    def save(self, path):
        save_state(path, kind="TinyModel", config={"w": self.w}, tensors={"w": np.full(3, self.w)})


class CrashingModel:
    def save(self, path):
        save_state(path, kind="Crash", config={})
        raise RuntimeError("disk full")


def test_save_versions_and_manifest(session_factory, tmp_path):
    reg = ArtifactRegistry(tmp_path, session_factory)
    first = reg.save("m", TinyModel(1.0), metrics={"auc": 0.8}, lineage={"dataset": "loans@1"}, licences=["CC BY 4.0"])
    second = reg.save("m", TinyModel(2.0))
    assert (first.version, second.version) == (1, 2)
    assert reg.get("m").version == 2 and reg.get("m", 1).manifest["metrics"] == {"auc": 0.8}
    manifest = json.loads((first.path / "manifest.json").read_text())
    assert manifest["lineage"] == {"dataset": "loans@1"} and manifest["licences"] == ["CC BY 4.0"]
    state = load_state(first.model_path, kind="TinyModel")
    np.testing.assert_array_equal(state["tensors"]["w"], np.ones(3))
    assert not list(first.path.rglob("*.pkl"))


def test_failed_save_leaves_nothing(session_factory, tmp_path):
    reg = ArtifactRegistry(tmp_path, session_factory)
    with pytest.raises(RuntimeError, match="disk full"):
        reg.save("bad", CrashingModel())
    assert reg.list() == []
    assert not (tmp_path / "artifacts" / "bad" / "v1").exists()
    assert not list((tmp_path / "artifacts" / "bad").iterdir())


def test_get_unknown_suggests_a_name(session_factory, tmp_path):
    reg = ArtifactRegistry(tmp_path, session_factory)
    reg.save("credit-gan", TinyModel())
    with pytest.raises(NotFoundError, match="Did you mean 'credit-gan'"):
        reg.get("credit-gn")


def test_delete_removes_files_and_rows(session_factory, tmp_path):
    reg = ArtifactRegistry(tmp_path, session_factory)
    info = reg.save("m", TinyModel())
    assert reg.delete("m") == 1
    assert not info.path.exists() and reg.list() == []


def test_load_refuses_classes_outside_finloom(session_factory, tmp_path):
    reg = ArtifactRegistry(tmp_path, session_factory)
    reg.save("m", TinyModel())
    with pytest.raises(ConfigError, match="model class must live in the finloom package"):
        reg.load("m")


def test_bad_names_are_rejected(session_factory, tmp_path):
    reg = ArtifactRegistry(tmp_path, session_factory)
    with pytest.raises(ConfigError, match="model name must be"):
        reg.save("../escape", TinyModel())


def test_remove_partial_cleans_temp_dirs(session_factory, tmp_path):
    reg = ArtifactRegistry(tmp_path, session_factory)
    leftover = tmp_path / "artifacts" / "m" / ".v1.abc.tmp"
    leftover.mkdir(parents=True)
    assert reg.remove_partial() == 0 and leftover.exists()  # may be another process's save in progress
    assert reg.remove_partial(older_than=0) == 1 and not leftover.exists()


# -- concurrent saves --------------------------------------------------------------------
def _assert_versions(reg: ArtifactRegistry, name: str, weights: dict[int, float]) -> None:
    """Each version's row, manifest and model files agree; nothing else is in the folder."""
    assert sorted(i.version for i in reg.list(name)) == sorted(weights)
    for version, w in weights.items():
        info = reg.get(name, version)
        assert json.loads((info.path / "manifest.json").read_text())["version"] == version
        state = load_state(info.model_path, kind="TinyModel")
        np.testing.assert_array_equal(state["tensors"]["w"], np.full(3, w))
    assert sorted(p.name for p in (reg.root / name).iterdir()) == sorted(f"v{v}" for v in weights)


def test_concurrent_saves_get_distinct_versions(session_factory, tmp_path):
    reg = ArtifactRegistry(tmp_path, session_factory)
    n = 6
    barrier = threading.Barrier(n)

    def save(i: int):
        barrier.wait()
        return reg.save("m", TinyModel(float(i))).version, float(i)

    with ThreadPoolExecutor(n) as pool:
        saved = dict(pool.map(save, range(n)))
    assert sorted(saved) == list(range(1, n + 1))
    _assert_versions(reg, "m", saved)


def _save_in_process(url: str, workspace: str, i: int, barrier) -> list[tuple[int, float]]:
    from finloom.store import make_engine, make_session_factory

    engine = make_engine(url)
    reg = ArtifactRegistry(workspace, make_session_factory(engine))
    saved = []
    try:
        for j in range(2):
            barrier.wait()
            w = float(10 * i + j)
            try:
                saved.append((reg.save("m", TinyModel(w)).version, w))
            except Exception as exc:  # reported, so the other processes are not left at the barrier
                saved.append((-1, repr(exc)))
    finally:
        engine.dispose()
    return saved


def test_concurrent_saves_from_processes(db_url, tmp_path):
    n = 3
    context = multiprocessing.get_context("spawn")
    with context.Manager() as manager, ProcessPoolExecutor(n, mp_context=context) as pool:
        barrier = manager.Barrier(n, timeout=120)
        args = ([db_url] * n, [str(tmp_path)] * n, range(n), [barrier] * n)
        saved = dict(pair for out in pool.map(_save_in_process, *args) for pair in out)
    assert sorted(saved) == list(range(1, 2 * n + 1)), saved
    engine = make_engine(db_url)
    _assert_versions(ArtifactRegistry(tmp_path, make_session_factory(engine)), "m", saved)
    engine.dispose()


def test_failed_save_spares_a_version_another_save_committed(session_factory, tmp_path):
    reg = ArtifactRegistry(tmp_path, session_factory)
    reg.save("m", TinyModel(1.0))
    with pytest.raises(RuntimeError, match="disk full"):
        reg.save("m", CrashingModel())
    reg.save("m", TinyModel(3.0))
    _assert_versions(reg, "m", {1: 1.0, 2: 3.0})  # the failed save released v2; v1 intact


def test_remove_partial_drops_versions_a_killed_save_reserved(session_factory, tmp_path):
    reg = ArtifactRegistry(tmp_path, session_factory)
    assert reg._reserve_once("m", "TinyModel", "x:TinyModel", None, "") == 1  # killed before its files
    with pytest.raises(NotFoundError):
        reg.get("m")
    assert reg.remove_partial() == 0 and reg.remove_partial(older_than=0) == 1
    assert reg.save("m", TinyModel()).version == 1
