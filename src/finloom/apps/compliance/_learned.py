"""A learned text classifier per compliance category, combined with the rules both ways.

Hashed n-grams (:func:`ngram_features`: token 1-2-grams where a Chinese character is a token,
Chinese character 3-grams, Latin character 3-5-grams) and one logistic regression per category,
trained on the outside authors' labelled sets. :func:`combine_with_rules` uses it twice:

* **veto** — a rule flag whose category the classifier gives below ``veto`` is dropped (the rules
  matched a trigger word in a use the labelled sets call allowed);
* **adder** — a category the rules missed that the classifier gives at least ``threshold`` is added.

PII stays with the rules alone (check digits are exact; a classifier cannot compute them), and so
do texts longer than :data:`MAX_CLASSIFIED_CHARS`; the structured suitability check (risk levels
given as inputs) is not the text's and is never combined.

Why it is on by default: on each new author's set the rules score ~0.92 recall with 8-10 % of clean
texts flagged, because rules fitted to earlier authors miss new phrasings. The combination was fixed
once (``python -m benchmarks.compliance_learned_veto``: chosen by leave-one-set-out over 11 authors'
sets) and then scored on sets it had not seen: dev24 (F1 0.927 -> 0.939), dev26 (0.920 -> 0.974,
clean flagged 7.7 % -> 0 %) and the four blind sets (F1 up on every one: 0.887 -> 0.932,
0.964 -> 0.968, 0.946 -> 0.960, 0.926 -> 0.949).
"""

from __future__ import annotations

import os
import re
import unicodedata
import zlib
from collections.abc import Sequence
from functools import cache
from importlib import resources
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from finloom._base import BaseEstimator, validate_param
from finloom._serialization import load_state, save_state
from finloom.apps.compliance.schemas import Finding
from finloom.errors import InvalidDataError

__all__ = ["CATEGORIES", "MAX_CLASSIFIED_CHARS", "CategoryClassifier", "classifier_findings", "combine_with_rules",
           "ngram_features", "shipped_classifier"]

CATEGORIES = ("promissory", "risk_disclosure", "superlative", "pii", "suitability")
RULE_ONLY = frozenset({"pii"})  # exact rules (check digits): never vetoed, never added
MAX_CLASSIFIED_CHARS = 4000  # longer texts (reports, letters) are checked by the rules alone
_SEVERITY = {"promissory": "critical", "risk_disclosure": "high", "superlative": "medium", "pii": "high",
             "suitability": "high"}
_TOKEN = re.compile(r"[\u4e00-\u9fff]|[a-z0-9]+(?:['’][a-z]+)?|[^\sa-z0-9\u4e00-\u9fff]")
_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")


def ngram_features(texts: Sequence[str], *, dim: int = 1 << 16, latin_chars: bool = True) -> sp.csr_matrix:
    """Signed hashed binary n-grams, rows L2-normalised: token 1-2-grams (a Chinese character is a
    token), Chinese character 3-grams and (``latin_chars``) Latin character 3-5-grams; every digit
    reads ``0``.

    Examples
    --------
    >>> X = ngram_features(["Guaranteed 8% returns", "保本保收益"], dim=64)
    >>> X.shape, round(float(X[0].multiply(X[0]).sum()), 6)
    ((2, 64), 1.0)
    """
    rows, cols, vals = [], [], []
    for r, raw in enumerate(texts):
        text = re.sub(r"\d", "0", " ".join(unicodedata.normalize("NFKC", raw).lower().split()))
        toks = _TOKEN.findall(text)
        feats = {f"w:{t}" for t in toks} | {f"b:{a} {b}" for a, b in zip(toks, toks[1:], strict=False)}
        for run in _CJK_RUN.findall(text):
            feats |= {f"c:{run[i:i + 3]}" for i in range(len(run) - 2)}
        if latin_chars:
            latin = " " + _CJK_RUN.sub(" ", text) + " "
            feats |= {f"l:{latin[i:i + n]}" for n in (3, 4, 5) for i in range(len(latin) - n + 1)}
        hashed: dict[int, float] = {}
        for f in feats:
            h = zlib.crc32(f.encode())
            hashed[h % dim] = hashed.get(h % dim, 0.0) + (1.0 if h >> 31 else -1.0)
        norm = float(np.sqrt(sum(v * v for v in hashed.values()))) or 1.0
        for c, v in hashed.items():
            rows.append(r)
            cols.append(c)
            vals.append(v / norm)
    return sp.csr_matrix((np.asarray(vals, np.float32), (rows, cols)), shape=(len(texts), dim))


class CategoryClassifier(BaseEstimator):
    """One logistic regression per compliance category on hashed n-grams (:func:`ngram_features`).

    Parameters
    ----------
    dim : int
        Hash buckets.
    C : float
        Inverse L2 strength of each logistic regression.
    veto : float
        A rule flag whose category gets a probability below this is dropped.
    threshold : float
        A category the rules missed is added at this probability or above.

    Examples
    --------
    >>> texts = ["guaranteed 8% returns", "buy our fund", "the best bank", "card 4111 1111 1111 1111",
    ...          "retired? try 3x ETFs", "open a current account"] * 2
    >>> labels = [["promissory"], ["risk_disclosure"], ["superlative"], ["pii"], ["suitability"], []] * 2
    >>> clf = CategoryClassifier(dim=256).fit(texts, labels)
    >>> clf.predict_proba(["guaranteed returns"]).shape
    (1, 5)
    """

    def __init__(self, *, dim: int = 1 << 16, C: float = 16.0, veto: float = 0.1, threshold: float = 0.9) -> None:
        self.dim = dim
        self.C = C
        self.veto = veto
        self.threshold = threshold

    def _validate_params(self) -> None:
        name = type(self).__name__
        validate_param(name, "dim", self.dim, lambda v: isinstance(v, int) and v >= 16, "an int in [16, inf)")
        validate_param(name, "C", self.C, lambda v: float(v) > 0, "a float in (0, inf)")
        validate_param(name, "veto", self.veto, lambda v: 0 <= v < 1, "a float in [0, 1)")
        validate_param(name, "threshold", self.threshold, lambda v: 0 < v <= 1, "a float in (0, 1]")

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
        X = ngram_features(rows, dim=self.dim)
        coefs, intercepts = [], []
        for k in range(len(CATEGORIES)):
            lr = LogisticRegression(C=self.C, solver="liblinear", dual=True, max_iter=1000, random_state=0)
            lr.fit(X, y[:, k])
            coefs.append(lr.coef_[0])
            intercepts.append(lr.intercept_[0])
        self.coef_ = np.asarray(coefs, dtype=np.float32)  # (K, dim)
        self.intercept_ = np.asarray(intercepts, dtype=np.float32)  # (K,)
        return self

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        """Probability of each category (columns in :data:`CATEGORIES` order) per text."""
        self._check_is_fitted("predict_proba")
        logits = ngram_features(list(texts), dim=self.dim) @ self.coef_.T + self.intercept_  # (n, K)
        return np.asarray(1.0 / (1.0 + np.exp(-logits)))

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write ``config.json`` + ``model.safetensors`` (no pickle; weights as float16)."""
        self._check_is_fitted("save")
        return save_state(path, kind=type(self).__name__, config={"params": self.get_params(),
                          "categories": list(CATEGORIES)},
                          tensors={"coef": self.coef_.astype(np.float16), "intercept": self.intercept_})

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> CategoryClassifier:
        """Read a classifier written by :meth:`save`."""
        state = load_state(path, kind=cls.__name__)
        clf = cls(**state["config"]["params"])
        clf.coef_ = np.asarray(state["tensors"]["coef"], dtype=np.float32)
        clf.intercept_ = np.asarray(state["tensors"]["intercept"], dtype=np.float32)
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
    """The classifier shipped with finloom (trained on the outside authors' non-blind dev sets by
    ``python -m benchmarks.compliance_learned_veto --write``)."""
    root = resources.files("finloom.apps.compliance") / "models" / "categories"
    return CategoryClassifier.load(Path(str(root)))


def classifier_findings(text: str, found: set[str], classifier: CategoryClassifier) -> list[Finding]:
    """Findings for categories the rules missed that ``classifier`` gives at least its threshold
    (never PII, which only its check-digit rules decide)."""
    probs = dict(zip(CATEGORIES, classifier.predict_proba([text])[0].tolist(), strict=True))
    return _added(probs, found, classifier.threshold)


def _added(probs: dict[str, float], found: set[str], threshold: float) -> list[Finding]:
    """Findings for the categories not in ``found`` (never PII) whose probability is at least ``threshold``."""
    return [Finding(f"ML-{c.upper().replace('_', '-')}", _SEVERITY[c], c,
                    f"the learned classifier gives {c} probability {p:.2f} (threshold {threshold})")
            for c, p in probs.items() if c not in found and c not in RULE_ONLY and p >= threshold]


def combine_with_rules(text: str, findings: list[Finding], classifier: CategoryClassifier) -> list[Finding]:
    """The rule ``findings`` read from ``text`` with the classifier's veto and adder applied.

    A finding is kept when its category is not one of the five, is PII, or the classifier gives its
    category at least ``veto``; categories the rules missed are added at ``threshold``. Texts longer
    than :data:`MAX_CLASSIFIED_CHARS` are returned unchanged. (Findings from structured inputs, such
    as the customer's and product's risk levels, are not the text's: add them afterwards.)

    Examples
    --------
    >>> texts = ["guaranteed 8% returns", "we never guarantee returns", "the best bank", "open an account",
    ...          "buy our fund", "retired? try 3x ETFs", "card 4111 1111 1111 1111"] * 3
    >>> labels = [["promissory"], [], ["superlative"], [], ["risk_disclosure"], ["suitability"], ["pii"]] * 3
    >>> clf = CategoryClassifier(dim=256, veto=0.3).fit(texts, labels)
    >>> rule = Finding("PROM-X", "critical", "promissory", "matched 'guarantee'", start=9, end=18)
    >>> [f.rule_id for f in combine_with_rules("we never guarantee returns", [rule], clf)]
    []
    """
    if len(text) > MAX_CLASSIFIED_CHARS:
        return findings
    probs = dict(zip(CATEGORIES, classifier.predict_proba([text])[0].tolist(), strict=True))
    kept = [f for f in findings if f.category not in probs or f.category in RULE_ONLY
            or probs[f.category] >= classifier.veto]
    return kept + _added(probs, {f.category for f in kept}, classifier.threshold)
