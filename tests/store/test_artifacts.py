"""Artifact registry: versions, manifest, atomic writes, no partial artifacts."""

from __future__ import annotations

import json

import numpy as np
import pytest

from finloom._serialization import load_state, save_state
from finloom.errors import ConfigError, NotFoundError
from finloom.store import ArtifactRegistry


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
    assert reg.remove_partial() == 1 and not leftover.exists()
