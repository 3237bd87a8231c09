"""Evaluation: classification report (F1s, confusions, calibration); NER entity scores live in
:mod:`finloom.nlp._ner_metrics` and are re-exported here."""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from finloom._io import atomic_write_text
from finloom._serialization import to_jsonable
from finloom.errors import InvalidDataError
from finloom.nlp._ner_metrics import NERReport, entity_scores, extract_entities

__all__ = [
    "ClassificationReport",
    "NERReport",
    "classification_report",
    "entity_scores",
    "expected_calibration_error",
    "extract_entities",
]


def expected_calibration_error(proba: np.ndarray, y_idx: np.ndarray, *, n_bins: int = 15) -> float:
    """ECE of the top-class confidence over equal-width bins.

    Examples
    --------
    >>> p = np.array([[0.9, 0.1], [0.6, 0.4]])
    >>> round(expected_calibration_error(p, np.array([0, 1])), 3)
    0.35
    """
    conf = proba.max(1)
    correct = (proba.argmax(1) == y_idx).astype(float)
    bins = np.minimum((conf * n_bins).astype(int), n_bins - 1)
    ece = 0.0
    for b in np.unique(bins):
        m = bins == b
        ece += m.mean() * abs(correct[m].mean() - conf[m].mean())
    return float(ece)


@dataclass
class ClassificationReport:
    """Accuracy, macro/weighted F1, per-class table, confusion matrix, calibration, errors."""

    classes: list[Any]
    accuracy: float
    macro_f1: float
    weighted_f1: float
    per_class: list[dict[str, Any]]
    confusion: np.ndarray
    top_confused: list[dict[str, Any]]
    misclassified: list[dict[str, Any]] = field(default_factory=list)
    ece: float | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-able dict (the misclassified examples are saved to their own file)."""
        return to_jsonable({
            "accuracy": self.accuracy, "macro_f1": self.macro_f1, "weighted_f1": self.weighted_f1,
            "ece": self.ece, "classes": self.classes, "per_class": self.per_class,
            "confusion": self.confusion, "top_confused": self.top_confused,
            "n_misclassified": len(self.misclassified),
        })

    def confusion_png(self) -> bytes:
        """The confusion matrix as a PNG (matplotlib Agg figure, no pyplot state)."""
        from finloom.evaluate._html import new_figure, png_bytes

        k = len(self.classes)
        size = min(4 + 0.18 * k, 22)
        with new_figure(size, size) as fig:
            ax = fig.add_subplot()
            norm = self.confusion / np.maximum(self.confusion.sum(1, keepdims=True), 1)
            ax.imshow(norm, cmap="Blues", vmin=0, vmax=1)
            font = 9 if k <= 20 else 5
            ax.set_xticks(range(k), [str(c) for c in self.classes], rotation=90, fontsize=font)
            ax.set_yticks(range(k), [str(c) for c in self.classes], fontsize=font)
            ax.set_xlabel("predicted")
            ax.set_ylabel("true")
            fig.tight_layout()
            return png_bytes(fig, dpi=90)

    def to_html(self) -> str:
        """A standalone HTML page (the reports' shared style) with the tables and the confusion matrix."""
        import base64

        from finloom.evaluate import _html

        png = base64.b64encode(self.confusion_png()).decode()
        per_class = [[r["label"], round(r["precision"], 3), round(r["recall"], 3), round(r["f1"], 3), r["support"]]
                     for r in self.per_class]
        pairs = [[p["true"], p["predicted"], p["count"]] for p in self.top_confused]
        headline = {"accuracy": self.accuracy, "macro F1": self.macro_f1, "weighted F1": self.weighted_f1,
                    "ECE": self.ece, "misclassified": len(self.misclassified)}
        return _html.page(
            "Evaluation report",
            _html.section("Summary", _html.key_value_table(headline)),
            _html.section("Per class", _html.table(["label", "precision", "recall", "F1", "support"], per_class)),
            _html.section("Most confused pairs", _html.table(["true", "predicted", "count"], pairs)),
            _html.section("Confusion matrix", f'<img alt="confusion matrix" src="data:image/png;base64,{png}">'),
        )

    def save(self, directory: str | os.PathLike[str]) -> Path:
        """Write ``report.json``, ``report.html`` and ``misclassified.csv`` into ``directory``."""
        root = Path(directory)
        root.mkdir(parents=True, exist_ok=True)
        atomic_write_text(root / "report.json", json.dumps(self.to_dict(), indent=2, ensure_ascii=False))
        atomic_write_text(root / "report.html", self.to_html())
        import pandas as pd

        from finloom.data import write_csv

        rows = pd.DataFrame(self.misclassified, columns=["text", "true", "predicted", "confidence"])
        atomic_write_text(root / "misclassified.csv", write_csv(rows, index=False) or "")
        return root


def classification_report(
    y_true: Sequence[Any],
    y_pred: Sequence[Any],
    *,
    proba: np.ndarray | None = None,
    classes: Sequence[Any] | None = None,
    texts: Sequence[str] | None = None,
    top_k: int = 10,
) -> ClassificationReport:
    """Build a :class:`ClassificationReport` for single-label predictions.

    ``proba`` columns must follow ``classes`` (as ``TextClassifier.predict_proba`` does).

    Examples
    --------
    >>> r = classification_report(["a", "a", "b", "b"], ["a", "b", "b", "b"])
    >>> r.accuracy, round(r.macro_f1, 3), r.top_confused[0]["true"]
    (0.75, 0.733, 'a')
    """
    from sklearn.metrics import f1_score, precision_recall_fscore_support

    y_true, y_pred = list(y_true), list(y_pred)
    if len(y_true) != len(y_pred) or not y_true:
        raise InvalidDataError(
            f"y_true and y_pred must be non-empty and equally long; got {len(y_true)} and {len(y_pred)}."
        )
    labels = list(classes) if classes is not None else sorted(set(y_true) | set(y_pred), key=str)
    index = {c: i for i, c in enumerate(labels)}
    t_idx = np.asarray([index[y] for y in y_true])
    p_idx = np.asarray([index[y] for y in y_pred])
    k = len(labels)
    confusion = np.zeros((k, k), dtype=np.int64)
    np.add.at(confusion, (t_idx, p_idx), 1)
    p, r, f, s = precision_recall_fscore_support(t_idx, p_idx, labels=range(k), zero_division=0)
    per_class = [{"label": labels[i], "precision": float(p[i]), "recall": float(r[i]),
                  "f1": float(f[i]), "support": int(s[i])} for i in range(k)]
    off = [(int(confusion[i, j]), i, j) for i in range(k) for j in range(k) if i != j and confusion[i, j]]
    top = [{"true": labels[i], "predicted": labels[j], "count": c}
           for c, i, j in sorted(off, key=lambda x: (-x[0], x[1], x[2]))[:top_k]]
    conf = proba.max(1) if proba is not None else np.full(len(y_true), np.nan)
    wrong = [{"text": texts[int(i)] if texts is not None else "", "true": y_true[i], "predicted": y_pred[i],
              "confidence": float(conf[i])} for i in np.flatnonzero(t_idx != p_idx)]
    present = sorted(set(t_idx.tolist()))
    return ClassificationReport(
        classes=labels,
        accuracy=float((t_idx == p_idx).mean()),
        macro_f1=float(f1_score(t_idx, p_idx, labels=present, average="macro", zero_division=0)),
        weighted_f1=float(f1_score(t_idx, p_idx, labels=present, average="weighted", zero_division=0)),
        per_class=per_class, confusion=confusion, top_confused=top, misclassified=wrong,
        ece=None if proba is None else expected_calibration_error(proba, t_idx),
    )


def label_counts(labels: Sequence[Any]) -> dict[str, int]:
    """Count labels (for model cards)."""
    return dict(Counter(map(str, labels)).most_common())
