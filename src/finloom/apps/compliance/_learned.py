"""A learned text classifier per compliance category, combined with the rules.

Hashed character and word n-grams (:class:`finloom.nlp.HashingEncoder`: characters carry Chinese,
words English) and one logistic regression per category. The combination only ever *adds* a
category the rules missed, and only above a high probability, so the rules' precision holds.

Measured on the out-of-sample dev set (``python -m benchmarks.compliance_classifier``), the
classifier did not add recall at equal precision on the blind half, so :func:`audit_text` leaves
it off unless a classifier is passed (``use_classifier=True`` loads the shipped one). With ~20
authors' sets, a veto of rule flags the classifier finds very unlikely plus an adder moved a
simulated fresh author (dev24 against the rules before its round) by F1 +0.012 only, below the
bar for turning it on (``benchmarks/compliance_learned_veto.py``).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from functools import cache
from importlib import resources
from pathlib import Path

import numpy as np

from finloom._base import BaseEstimator, validate_param
from finloom._serialization import load_state, save_state
from finloom.apps.compliance.schemas import Finding
from finloom.errors import InvalidDataError
from finloom.nlp._hashing import HashingEncoder

__all__ = ["CATEGORIES", "CategoryClassifier", "classifier_findings", "shipped_classifier"]

CATEGORIES = ("promissory", "risk_disclosure", "superlative", "pii", "suitability")
_SEVERITY = {"promissory": "critical", "risk_disclosure": "high", "superlative": "medium", "pii": "high",
             "suitability": "high"}


class CategoryClassifier(BaseEstimator):
    """One logistic regression per compliance category on hashed n-grams.

    Parameters
    ----------
    dim : int
        Hash buckets of the encoder.
    C : float
        Inverse L2 strength of each logistic regression.
    threshold : float
        Probability above which :func:`classifier_findings` adds a category the rules missed.

    Examples
    --------
    >>> texts = ["guaranteed 8% returns", "buy our fund", "the best bank", "card 4111 1111 1111 1111",
    ...          "retired? try 3x ETFs", "open a current account"] * 2
    >>> labels = [["promissory"], ["risk_disclosure"], ["superlative"], ["pii"], ["suitability"], []] * 2
    >>> clf = CategoryClassifier(dim=256).fit(texts, labels)
    >>> clf.predict_proba(["guaranteed returns"]).shape
    (1, 5)
    """

    def __init__(self, *, dim: int = 4096, C: float = 4.0, threshold: float = 0.9) -> None:
        self.dim = dim
        self.C = C
        self.threshold = threshold

    def _validate_params(self) -> None:
        name = type(self).__name__
        validate_param(name, "dim", self.dim, lambda v: isinstance(v, int) and v >= 16, "an int in [16, inf)")
        validate_param(name, "C", self.C, lambda v: float(v) > 0, "a float in (0, inf)")
        validate_param(name, "threshold", self.threshold, lambda v: 0 < v < 1, "a float in (0, 1)")

    def fit(self, texts: Sequence[str], labels: Sequence[Sequence[str]]) -> CategoryClassifier:
        """Learn from texts and their category lists (``[]`` = clean).

        Raises
        ------
        InvalidDataError
            Lengths differ, a label is not one of the five categories, or a category has no
            positive or no negative example.
        """
        from sklearn.linear_model import LogisticRegression

        self._validate_params()
        rows = list(texts)
        y = _targets(rows, [list(x) for x in labels])
        X = HashingEncoder(dim=self.dim)(rows)
        coefs, intercepts = [], []
        for k in range(len(CATEGORIES)):
            lr = LogisticRegression(C=self.C, max_iter=3000, class_weight="balanced").fit(X, y[:, k])
            coefs.append(lr.coef_[0])
            intercepts.append(lr.intercept_[0])
        self.coef_ = np.asarray(coefs, dtype=np.float32)  # (K, dim)
        self.intercept_ = np.asarray(intercepts, dtype=np.float32)  # (K,)
        return self

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        """Probability of each category (columns in :data:`CATEGORIES` order) per text."""
        self._check_is_fitted("predict_proba")
        logits = HashingEncoder(dim=self.dim)(list(texts)) @ self.coef_.T + self.intercept_  # (n, K)
        return np.asarray(1.0 / (1.0 + np.exp(-logits)))

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write ``config.json`` + ``model.safetensors`` (no pickle)."""
        self._check_is_fitted("save")
        return save_state(path, kind=type(self).__name__, config={"params": self.get_params(),
                          "categories": list(CATEGORIES)},
                          tensors={"coef": self.coef_, "intercept": self.intercept_})

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> CategoryClassifier:
        """Read a classifier written by :meth:`save`."""
        state = load_state(path, kind=cls.__name__)
        clf = cls(**state["config"]["params"])
        clf.coef_, clf.intercept_ = state["tensors"]["coef"], state["tensors"]["intercept"]
        return clf


def _targets(texts: list[str], labels: list[list[str]]) -> np.ndarray:
    if len(texts) != len(labels):
        raise InvalidDataError(f"texts and labels must have the same length; got {len(texts)} and {len(labels)}.")
    unknown = sorted({x for lab in labels for x in lab} - set(CATEGORIES))
    if unknown:
        raise InvalidDataError(f"labels must be among {list(CATEGORIES)}; got {unknown}. Drop other categories first.")
    y = np.asarray([[c in lab for c in CATEGORIES] for lab in labels], dtype=np.int64)
    one_sided = [c for k, c in enumerate(CATEGORIES) if y[:, k].min() == y[:, k].max()]
    if one_sided:
        raise InvalidDataError(f"every category must have positive and negative examples; got none or only "
                               f"positives for {one_sided}. Add examples.")
    return y


@cache
def shipped_classifier() -> CategoryClassifier:
    """The classifier shipped with finloom (trained on the project's labelled compliance sets)."""
    root = resources.files("finloom.apps.compliance") / "models" / "categories"
    return CategoryClassifier.load(Path(str(root)))


def classifier_findings(text: str, found: set[str], classifier: CategoryClassifier) -> list[Finding]:
    """Findings for categories the rules missed that ``classifier`` gives at least its threshold."""
    probs = classifier.predict_proba([text])[0]
    return [Finding(f"ML-{c.upper().replace('_', '-')}", _SEVERITY[c], c,
                    f"the learned classifier gives {c} probability {p:.2f} (threshold {classifier.threshold})")
            for c, p in zip(CATEGORIES, probs, strict=True) if c not in found and p >= classifier.threshold]
