"""A small learned tool classifier: multinomial logistic regression on hashed word uni/bigrams and
character n-grams (1-3 for Chinese, 3-5 inside Latin words), stored as safetensors + JSON.

It scores an opening message over the eight tools and ``none``; the rule router stays first and
the classifier only speaks where the rules are silent (see ``_tool_router.route_tool``).
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from finloom._serialization import load_state, save_state
from finloom.apps.customer_service._lang import normalize_text

__all__ = ["ToolModel", "tool_features"]

_KIND = "ToolModel"
_LATIN = re.compile(r"[a-z0-9]+(?:['_.-][a-z0-9]+)*")
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")


def _bucket(feature: str, dim: int) -> int:
    return zlib.crc32(feature.encode("utf-8")) % dim


def tool_features(text: str, dim: int) -> tuple[np.ndarray, np.ndarray]:
    """Hashed features of one message: bucket indices and L2-normalised log counts.

    Examples
    --------
    >>> idx, val = tool_features("Show me a chart of gold 给我看走势图", 4096)
    >>> len(idx) == len(val) > 10, round(float(np.sum(val ** 2)), 3)
    (True, 1.0)
    >>> tool_features("", 64)[0].size
    0
    """
    clean = normalize_text(text).lower()
    words = _LATIN.findall(clean)
    feats = [f"w:{w}" for w in words]
    feats += [f"b:{a} {b}" for a, b in zip(words, words[1:], strict=False)]
    for w in words:
        padded = f"<{w}>"
        feats += [f"c:{padded[i:i + n]}" for n in (3, 4, 5) for i in range(len(padded) - n + 1)]
    for run in _CJK.findall(clean):
        padded = f"<{run}>"
        feats += [f"z:{padded[i:i + n]}" for n in (1, 2, 3) for i in range(len(padded) - n + 1)
                  if n > 1 or padded[i] not in "<>"]
    counts: dict[int, float] = {}
    for f in feats:
        key = _bucket(f, dim)
        counts[key] = counts.get(key, 0.0) + 1.0
    if not counts:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
    idx = np.fromiter(counts, dtype=np.int64, count=len(counts))
    val = np.log1p(np.fromiter(counts.values(), dtype=np.float32, count=len(counts)))
    return idx, val / np.float32(np.linalg.norm(val))


@dataclass(frozen=True)
class ToolModel:
    """Weights of the classifier: ``coef`` (classes x dim), ``intercept`` (classes,), ``classes``.

    Examples
    --------
    >>> m = ToolModel.fit(["chart of gold", "gold price chart", "hello there", "hi, good day"],
    ...                   ["price_chart", "price_chart", "none", "none"], dim=1024, c=10.0)
    >>> m.predict("draw me a gold chart")[0]
    'price_chart'
    >>> sorted(m.proba("hi there"))[:2]
    ['none', 'price_chart']
    """

    classes: tuple[str, ...]
    coef: np.ndarray
    intercept: np.ndarray

    @property
    def dim(self) -> int:
        return int(self.coef.shape[1])

    @classmethod
    def fit(cls, texts: Sequence[str], labels: Sequence[str], *, dim: int = 1 << 14, c: float = 10.0,
            class_weight: str | None = None) -> ToolModel:
        """Train on messages and their labels (a tool name or ``"none"``); needs scikit-learn."""
        from scipy.sparse import csr_matrix
        from sklearn.linear_model import LogisticRegression

        rows, cols, vals = [], [], []
        for r, text in enumerate(texts):
            idx, val = tool_features(text, dim)
            rows += [r] * len(idx)
            cols += idx.tolist()
            vals += val.tolist()
        x = csr_matrix((vals, (rows, cols)), shape=(len(texts), dim), dtype=np.float64)
        lr = LogisticRegression(C=c, max_iter=3000, class_weight=class_weight).fit(x, list(labels))
        coef, intercept = lr.coef_, lr.intercept_
        if len(lr.classes_) == 2:  # one logit for the second class; softmax over (0, logit) is the same
            coef, intercept = np.vstack([np.zeros_like(coef), coef]), np.concatenate([[0.0], intercept])
        return cls(tuple(str(k) for k in lr.classes_), coef.astype(np.float32), intercept.astype(np.float32))

    def proba(self, text: str) -> dict[str, float]:
        """Class probabilities for one message."""
        idx, val = tool_features(text, self.dim)
        logits = self.intercept + (self.coef[:, idx] @ val if idx.size else 0.0)
        p = np.exp(logits - logits.max())
        p /= p.sum()
        return {k: float(v) for k, v in zip(self.classes, p, strict=True)}

    def predict(self, text: str) -> tuple[str, float]:
        """The most likely label and its probability."""
        p = self.proba(text)
        best = max(p, key=p.__getitem__)
        return best, p[best]

    def save(self, path: str | Path) -> Path:
        """Write ``config.json`` + ``model.safetensors`` (weights as float16)."""
        return save_state(path, kind=_KIND, config={"classes": list(self.classes), "dim": self.dim},
                          tensors={"coef": self.coef.astype(np.float16), "intercept": self.intercept})

    @classmethod
    def load(cls, path: str | Path) -> ToolModel:
        """Read a directory written by :meth:`save`."""
        state = load_state(path, kind=_KIND)
        t = state["tensors"]
        return cls(tuple(state["config"]["classes"]), np.asarray(t["coef"], dtype=np.float32),
                   np.asarray(t["intercept"], dtype=np.float32))
