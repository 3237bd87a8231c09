"""Faithfulness by deletion: do the words an explanation ranks highest matter more to the model
than as many random words?"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from finloom._base import ProgressCallback, check_random_state, noop_progress
from finloom.errors import ConfigError
from finloom.nlp.explain._attribution import Explanation, explain
from finloom.nlp.explain._words import delete_words, split_words

__all__ = ["DeletionReport", "deletion_test"]

CURVE_POINTS = 10  # the deletion curve deletes 0 %, 10 %, ..., 100 % of the words


@dataclass
class DeletionReport:
    """Deletion test over ``examples`` texts.

    ``top_beats_random_share``: share of texts where deleting the top ``fraction`` of the words
    (by attribution) lowers the explained class's probability more than deleting as many random
    words (the mean drop over ``n_random`` draws). ``deletion_auc`` / ``random_deletion_auc``:
    area under the probability-vs-share-deleted curve when words are deleted in attribution
    order / in random order (lower = the ranking finds what the model relies on faster).
    ``completeness_error_median``: median integrated-gradients sum-check gap (``None`` for
    occlusion). ``per_example`` keeps each text's drops."""

    method: str
    examples: int
    fraction: float
    top_beats_random_share: float
    deletion_auc: float
    random_deletion_auc: float
    completeness_error_median: float | None
    mean_top_drop: float
    mean_random_drop: float
    per_example: list[dict[str, Any]] = field(default_factory=list, repr=False)

    def to_dict(self, *, details: bool = False) -> dict[str, Any]:
        """The figures as a JSON-safe dict (``details`` adds the per-example rows)."""
        out = {k: getattr(self, k) for k in ("method", "examples", "fraction", "top_beats_random_share",
                                              "deletion_auc", "random_deletion_auc",
                                              "completeness_error_median", "mean_top_drop", "mean_random_drop")}
        return out | ({"per_example": self.per_example} if details else {})


def _auc(curve: np.ndarray) -> float:
    """Trapezoid area of a curve sampled at evenly spaced shares in [0, 1]."""
    return float(((curve[1:] + curve[:-1]) / 2).mean())


def _orders(scores: np.ndarray, rng: np.random.Generator, n_random: int) -> list[np.ndarray]:
    """Word order by attribution (highest first; ties by position), then ``n_random`` shuffles."""
    top = np.lexsort((np.arange(len(scores)), -scores))
    return [top] + [rng.permutation(len(scores)) for _ in range(n_random)]


def deletion_test(
    model: Any, texts: Sequence[str], *, method: str = "auto", fraction: float = 0.1, n_random: int = 5,
    steps: int = 32, explanations: Sequence[Explanation] | None = None,
    explain_fn: Callable[[Any, str], Explanation] | None = None, random_state: int | None = 0,
    progress: ProgressCallback = noop_progress,
) -> DeletionReport:
    """Delete each text's top-``fraction`` attributed words (at least one) and as many random
    words; compare the explained (predicted) class's probability, and trace deletion curves.

    Parameters
    ----------
    model : a fitted classifier with ``predict_proba``.
    texts : texts to explain and test (each with at least one word).
    method, steps : passed to :func:`~finloom.nlp.explain.explain`.
    fraction : share of words deleted for the top-vs-random comparison.
    n_random : random draws per text; the random drop is their mean.
    explanations : precomputed explanations of ``texts`` (then nothing is explained again).
    explain_fn : ``(model, text) -> Explanation`` instead of :func:`explain`.
    random_state : seed of the random deletions.

    Examples
    --------
    >>> class Toy:  # the probability of "card" grows with the word "card"
    ...     classes_ = ["other", "card"]
    ...     def predict_proba(self, texts):
    ...         p = np.array([0.2 + 0.7 * ("card" in t) + 0.01 * len(t.split()) for t in texts])
    ...         return np.stack([1 - p, p], axis=1)
    >>> r = deletion_test(Toy(), ["my card is lost now", "please block the card"], method="occlusion")
    >>> r.top_beats_random_share, r.deletion_auc < r.random_deletion_auc
    (1.0, True)
    """
    if not 0 < fraction <= 1 or not (isinstance(n_random, int) and n_random >= 1):
        raise ConfigError(f"fraction must be in (0, 1] and n_random an int >= 1; got {fraction} and {n_random}.")
    rng = check_random_state(random_state)
    texts = list(texts)
    rows, errors = [], []
    for i, text in enumerate(texts):
        e = (explanations[i] if explanations is not None
             else explain_fn(model, text) if explain_fn is not None
             else explain(model, text, method=method, steps=steps))
        rows.append(_one(model, e, fraction, n_random, rng))
        if e.completeness is not None:
            errors.append(e.completeness.error)
        progress((i + 1) / max(len(texts), 1), f"explained {i + 1}/{len(texts)}")
    used = rows[0]["method"] if rows else method
    return DeletionReport(
        method=used, examples=len(rows), fraction=fraction,
        top_beats_random_share=float(np.mean([r["top_beats_random"] for r in rows])) if rows else math.nan,
        deletion_auc=float(np.mean([r["deletion_auc"] for r in rows])) if rows else math.nan,
        random_deletion_auc=float(np.mean([r["random_deletion_auc"] for r in rows])) if rows else math.nan,
        completeness_error_median=float(np.median(errors)) if errors else None,
        mean_top_drop=float(np.mean([r["top_drop"] for r in rows])) if rows else math.nan,
        mean_random_drop=float(np.mean([r["random_drop"] for r in rows])) if rows else math.nan,
        per_example=rows)


def _one(model: Any, e: Explanation, fraction: float, n_random: int, rng: np.random.Generator) -> dict[str, Any]:
    """Drops and curves of one explained text (every variant scored in one predict call)."""
    words = split_words(e.text)
    scores = np.asarray([w.score for w in e.words])
    n = len(words)
    k = max(1, math.ceil(fraction * n))
    counts = [math.ceil(n * j / CURVE_POINTS) for j in range(CURVE_POINTS + 1)]
    orders = _orders(scores, rng, n_random)
    variants = [e.text] + [delete_words(e.text, words, order[:k]) for order in orders]
    variants += [delete_words(e.text, words, order[:c]) for order in orders for c in counts]
    proba = np.asarray(model.predict_proba(variants), dtype=np.float64)
    col = [str(c) for c in model.classes_].index(e.label)
    p = proba[:, col]
    p0, p_top, p_rand = p[0], p[1], p[2 : 2 + n_random]
    curves = p[2 + n_random:].reshape(len(orders), CURVE_POINTS + 1)
    return {"method": e.method, "words": n, "deleted": k, "p": float(p0), "top_drop": float(p0 - p_top),
            "random_drop": float(np.mean(p0 - p_rand)), "top_beats_random": bool(p_top < np.mean(p_rand)),
            "deletion_auc": _auc(curves[0]), "random_deletion_auc": float(np.mean([_auc(c) for c in curves[1:]]))}
