"""Loaded text classifiers kept per (name, version), each behind a micro-batcher."""

from __future__ import annotations

import threading
from typing import Any

from finloom.errors import ConfigError
from finloom.workbench import Workbench

__all__ = ["ClassifierCache"]

SERVABLE = ("TextClassifier", "OnnxClassifier")  # a trained classifier and its ONNX Runtime copy


class ClassifierCache:
    """Load a saved text classifier (torch or ONNX Runtime) once and serve it through a
    MicroBatcher (batch 64, 5 ms)."""

    def __init__(self, max_models: int = 4) -> None:
        self.max_models = max_models
        self._batchers: dict[tuple[str, int], Any] = {}
        self._lock = threading.Lock()

    def batcher(self, workbench: Workbench, name: str, version: int | None = None) -> Any:
        from finloom.nlp import MicroBatcher

        info = workbench.artifacts.get(name, version)
        if info.kind not in SERVABLE:
            raise ConfigError(f"model must be a text classifier; got {name!r}, a {info.kind}.")
        key = (info.name, info.version)
        with self._lock:
            if key not in self._batchers:
                model = workbench.artifacts.load(info.name, info.version)

                def predict(texts: list[str], model: Any = model) -> list[dict[str, Any]]:
                    proba = model.predict_proba(texts)
                    return [
                        {"label": str(model.classes_[int(row.argmax())]), "score": float(row.max()),
                         "scores": {str(c): round(float(p), 6) for c, p in zip(model.classes_, row, strict=True)}}
                        for row in proba
                    ]

                if len(self._batchers) >= self.max_models:
                    _, oldest = self._batchers.popitem()
                    oldest.close()
                self._batchers[key] = MicroBatcher(predict, max_batch=64, max_wait_ms=5)
            return self._batchers[key]

    def close(self) -> None:
        with self._lock:
            for batcher in self._batchers.values():
                batcher.close()
            self._batchers.clear()
