"""Loaded text models kept per (name, version), each behind a micro-batcher."""

from __future__ import annotations

import functools
import threading
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
    :meth:`tagger_batcher`."""

    def __init__(self, max_models: int = 4) -> None:
        self.max_models = max_models
        self._batchers: dict[tuple[str, int], Any] = {}
        self._lock = threading.Lock()

    def batcher(self, workbench: Workbench, name: str, version: int | None = None) -> Any:
        """The micro-batcher of a classifier: each text -> {label, score, scores}."""
        return self._get(workbench, name, version, SERVABLE, "a text classifier", _classify)

    def tagger_batcher(self, workbench: Workbench, name: str, version: int | None = None) -> Any:
        """The micro-batcher of an entity tagger: each text -> a list of spans."""
        return self._get(workbench, name, version, TAGGERS, "an entity tagger", _tag)

    def _get(self, workbench: Workbench, name: str, version: int | None, kinds: tuple[str, ...],
             what: str, make: Callable[[Any], Callable[[list[str]], list[Any]]]) -> Any:
        from finloom.nlp import MicroBatcher

        info = workbench.artifacts.get(name, version)
        if info.kind not in kinds:
            raise ConfigError(f"model must be {what}; got {name!r}, a {info.kind}.")
        key = (info.name, info.version)
        with self._lock:
            if key not in self._batchers:
                model = workbench.artifacts.load(info.name, info.version)
                if len(self._batchers) >= self.max_models:
                    _, oldest = self._batchers.popitem()
                    oldest.close()
                self._batchers[key] = MicroBatcher(make(model), max_batch=64, max_wait_ms=5)
            return self._batchers[key]

    def close(self) -> None:
        with self._lock:
            for batcher in self._batchers.values():
                batcher.close()
            self._batchers.clear()
