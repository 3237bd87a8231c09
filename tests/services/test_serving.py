"""The served-model cache: least recently used eviction, and loading outside the cache lock."""

from __future__ import annotations

import threading
from types import SimpleNamespace

import numpy as np
import pytest

from finloom.errors import ConfigError
from finloom.services.serving import ClassifierCache


class _Model:
    classes_ = np.array(["no", "yes"])

    def predict_proba(self, texts):
        return np.array([[0.25, 0.75] for _ in texts])


class _Artifacts:
    def __init__(self, gates=None):
        self.loads: list[str] = []
        self.gates = gates or {}

    def get(self, name, version=None):
        kind = "TokenTagger" if name.startswith("tagger") else "TextClassifier"
        return SimpleNamespace(name=name, version=version or 1, kind=kind)

    def load(self, name, version):
        self.loads.append(name)
        if name in self.gates:
            self.gates[name].wait(10)
        return _Model()


@pytest.fixture
def cache():
    c = ClassifierCache(max_models=2)
    yield c
    c.close()


def test_cache_evicts_the_least_recently_used_model(cache):
    wb = SimpleNamespace(artifacts=_Artifacts())
    a = cache.batcher(wb, "a")
    cache.batcher(wb, "b")
    assert cache.batcher(wb, "a") is a  # a is now the most recently used
    cache.batcher(wb, "c")
    assert cache.loaded() == [("a", 1), ("c", 1)]
    assert wb.artifacts.loads == ["a", "b", "c"]
    assert a.predict("hello", timeout=5)["label"] == "yes"


def test_evicted_batcher_is_closed(cache):
    wb = SimpleNamespace(artifacts=_Artifacts())
    first = cache.batcher(wb, "a")
    cache.batcher(wb, "b")
    cache.batcher(wb, "c")
    with pytest.raises(Exception, match="MicroBatcher must be open"):
        first.submit("x")


def test_a_slow_load_does_not_block_loaded_models(cache):
    gate = threading.Event()
    wb = SimpleNamespace(artifacts=_Artifacts({"slow": gate}))
    fast = cache.batcher(wb, "fast")
    loading = threading.Thread(target=cache.batcher, args=(wb, "slow"))
    loading.start()
    try:
        got: list[object] = []
        reader = threading.Thread(target=lambda: got.append(cache.batcher(wb, "fast")))
        reader.start()
        reader.join(timeout=3)
        assert got == [fast], "a cached model waited for another model's load"
    finally:
        gate.set()
        loading.join(timeout=10)
    assert ("slow", 1) in cache.loaded()


def test_concurrent_requests_load_a_model_once(cache):
    gate = threading.Event()
    wb = SimpleNamespace(artifacts=_Artifacts({"m": gate}))
    results: list[object] = []
    threads = [threading.Thread(target=lambda: results.append(cache.batcher(wb, "m"))) for _ in range(3)]
    for t in threads:
        t.start()
    gate.set()
    for t in threads:
        t.join(timeout=10)
    assert wb.artifacts.loads == ["m"] and len(results) == 3 and len({id(r) for r in results}) == 1


def test_wrong_kind_is_a_clear_error(cache):
    wb = SimpleNamespace(artifacts=_Artifacts())
    with pytest.raises(ConfigError, match="model must be a text classifier; got 'tagger-x', a TokenTagger"):
        cache.batcher(wb, "tagger-x")


def test_the_model_behind_a_batcher_is_handed_out_for_explanations(cache):
    wb = SimpleNamespace(artifacts=_Artifacts())
    model, folder = cache.model(wb, "a")
    assert isinstance(model, _Model) and folder is None
    assert cache.model(wb, "a")[0] is model and wb.artifacts.loads == ["a"]
