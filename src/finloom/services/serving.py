"""Loaded text models kept per (name, version), each behind a micro-batcher (API and web pages share one)."""

from __future__ import annotations

import functools
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from finloom.errors import ConfigError
from finloom.workbench import Workbench

__all__ = ["ClassifierCache"]

SERVABLE = ("TextClassifier", "OnnxClassifier")  # a trained classifier and its ONNX Runtime copy
TAGGERS = ("TokenTagger",)


def _classify(model: Any) -> Callable[[list[str]], list[dict[str, Any]]]:
    def predict(texts: list[str]) -> list[dict[str, Any]]:
        proba = model.predict_proba(texts)
        return [
            {"label": str(model.classes_[int(row.argmax())]), "score": float(row.max()),
             "scores": {str(c): round(float(p), 6) for c, p in zip(model.classes_, row, strict=True)}}
            for row in proba
        ]

    return predict


def _tag(model: Any) -> Callable[[list[str]], list[list[dict[str, Any]]]]:
    from finloom.nlp._serving import spans_as_dicts

    return functools.partial(spans_as_dicts, model)


class ClassifierCache:
    """Load a saved text model once and serve it through a MicroBatcher (batch 64, 5 ms):
    classifiers (torch or ONNX Runtime) with :meth:`batcher`, entity taggers with
    :meth:`tagger_batcher`.

    At most ``max_models`` stay loaded; the least recently used one is closed to make room.
    Loading happens outside the cache-wide lock (one loader per model), so a slow load never
    holds up requests for models already loaded.
    """

    def __init__(self, max_models: int = 4) -> None:
        self.max_models = max_models
        self._batchers: OrderedDict[tuple[str, int], Any] = OrderedDict()  # oldest use first
        self._models: dict[tuple[str, int], tuple[Any, Any]] = {}  # key -> (model, folder) for explanations
        self._loading: dict[tuple[str, int], threading.Lock] = {}
        self._lock = threading.Lock()

    def batcher(self, workbench: Workbench, name: str, version: int | None = None) -> Any:
        """The micro-batcher of a classifier: each text -> {label, score, scores}."""
        return self._get(workbench, name, version, SERVABLE, "a text classifier", _classify)

    def tagger_batcher(self, workbench: Workbench, name: str, version: int | None = None) -> Any:
        """The micro-batcher of an entity tagger: each text -> a list of spans."""
        return self._get(workbench, name, version, TAGGERS, "an entity tagger", _tag)

    def model(self, workbench: Workbench, name: str, version: int | None = None) -> tuple[Any, Any]:
        """The loaded classifier behind :meth:`batcher` and its model folder (for explanations)."""
        batcher = self.batcher(workbench, name, version)
        with self._lock:
            for key, value in self._batchers.items():
                if value is batcher:
                    return self._models[key]
        raise ConfigError(f"model must stay loaded while it is explained; got {name!r} evicted. Try again.")

    def loaded(self) -> list[tuple[str, int]]:
        """The (name, version) of the loaded models, least recently used first."""
        with self._lock:
            return list(self._batchers)

    def _get(self, workbench: Workbench, name: str, version: int | None, kinds: tuple[str, ...],
             what: str, make: Callable[[Any], Callable[[list[str]], list[Any]]]) -> Any:
        info = workbench.artifacts.get(name, version)
        if info.kind not in kinds:
            raise ConfigError(f"model must be {what}; got {name!r}, a {info.kind}.")
        key = (info.name, info.version)
        with self._lock:
            hit = self._touch(key)
            if hit is not None:
                return hit
            loader = self._loading.setdefault(key, threading.Lock())
        with loader:  # one load per model; other models are served meanwhile
            with self._lock:
                hit = self._touch(key)
            if hit is not None:
                return hit
            model, batcher = self._load(workbench, key, make)
            with self._lock:
                self._batchers[key] = batcher
                self._models[key] = (model, getattr(info, "model_path", None))
                self._loading.pop(key, None)
                evicted = self._evict()
        for old in evicted:
            old.close()
        return batcher

    def _touch(self, key: tuple[str, int]) -> Any:
        """The cached batcher of ``key`` marked as just used, or None (call under the lock)."""
        if key not in self._batchers:
            return None
        self._batchers.move_to_end(key)
        return self._batchers[key]

    def _evict(self) -> list[Any]:
        """Drop least recently used batchers beyond ``max_models`` (call under the lock)."""
        evicted = []
        while len(self._batchers) > self.max_models:
            key, batcher = self._batchers.popitem(last=False)
            self._models.pop(key, None)
            evicted.append(batcher)
        return evicted

    @staticmethod
    def _load(workbench: Workbench, key: tuple[str, int],
              make: Callable[[Any], Callable[[list[str]], list[Any]]]) -> tuple[Any, Any]:
        from finloom.nlp import MicroBatcher

        model = workbench.artifacts.load(*key)
        return model, MicroBatcher(make(model), max_batch=64, max_wait_ms=5)

    def close(self) -> None:
        with self._lock:
            batchers = list(self._batchers.values())
            self._batchers.clear()
            self._models.clear()
        for batcher in batchers:
            batcher.close()
