"""Discrimination and calibration of a score on a hold-out: AUC, KS, Gini, Brier, curves."""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = [
    "auc",
    "brier",
    "calibration_curve",
    "compare",
    "ks",
    "recall_at_fpr",
    "score_distribution",
]


def auc(y: np.ndarray, risk: np.ndarray) -> float:
    """Area under the ROC curve of a risk (higher = more likely bad).

    Examples
    --------
    >>> auc(np.array([0, 0, 1, 1]), np.array([0.1, 0.4, 0.35, 0.8]))
    0.75
    """
    from sklearn.metrics import roc_auc_score

    return float(roc_auc_score(y, risk))


def ks(y: np.ndarray, risk: np.ndarray) -> float:
    """Kolmogorov–Smirnov statistic: the largest gap between the bads' and goods' risk CDFs.

    Examples
    --------
    >>> ks(np.array([0, 0, 1, 1]), np.array([0.1, 0.2, 0.8, 0.9]))
    1.0
    """
    from sklearn.metrics import roc_curve

    fpr, tpr, _ = roc_curve(y, risk)
    return float(np.max(tpr - fpr))


def brier(y: np.ndarray, pd_: np.ndarray) -> float:
    """Mean squared error of the probability of default.

    Examples
    --------
    >>> brier(np.array([0, 1]), np.array([0.2, 0.6]))
    0.1
    """
    return round(float(np.mean((np.asarray(pd_, dtype=float) - y) ** 2)), 12)


def recall_at_fpr(y: np.ndarray, risk: np.ndarray, fpr: float = 0.10) -> float:
    """Share of bads caught when at most ``fpr`` of the goods are flagged.

    Examples
    --------
    >>> recall_at_fpr(np.array([0] * 10 + [1] * 2), np.r_[np.arange(10) / 10, 0.95, 0.5], 0.1)
    0.5
    """
    from sklearn.metrics import roc_curve

    f, t, _ = roc_curve(y, risk)
    return float(t[f <= fpr + 1e-12].max())


def calibration_curve(y: np.ndarray, pd_: np.ndarray, bins: int = 10) -> list[dict[str, float]]:
    """Predicted vs observed default rate in equal-count bins of the prediction.

    Examples
    --------
    >>> calibration_curve(np.array([0, 0, 1, 1]), np.array([0.1, 0.2, 0.7, 0.9]), bins=2)
    [{'predicted': 0.15, 'observed': 0.0, 'n': 2}, {'predicted': 0.8, 'observed': 1.0, 'n': 2}]
    """
    order = np.argsort(pd_, kind="stable")
    out = []
    for chunk in np.array_split(order, min(bins, len(order))):
        if len(chunk):
            out.append(
                {
                    "predicted": round(float(np.mean(pd_[chunk])), 6),
                    "observed": round(float(np.mean(y[chunk])), 6),
                    "n": len(chunk),
                }
            )
    return out


def score_distribution(y: np.ndarray, score: np.ndarray, bins: int = 20) -> dict[str, list[float]]:
    """Histogram of scores for goods and bads on shared edges.

    Examples
    --------
    >>> d = score_distribution(np.array([0, 0, 1]), np.array([620.0, 640.0, 560.0]), bins=2)
    >>> d["good"], d["bad"]
    ([0, 2], [1, 0])
    """
    edges = np.histogram_bin_edges(score, bins=bins)
    return {
        "edges": [round(float(e), 3) for e in edges],
        "good": np.histogram(score[y == 0], edges)[0].tolist(),
        "bad": np.histogram(score[y == 1], edges)[0].tolist(),
    }


def compare(
    y: np.ndarray, models: dict[str, tuple[np.ndarray, np.ndarray]]
) -> dict[str, dict[str, Any]]:
    """Every metric for each ``{name: (score, pd)}`` on the same hold-out (a low score = risky).

    Examples
    --------
    >>> y = np.array([0, 0, 1, 1])
    >>> out = compare(y, {"a": (np.array([650, 640, 600, 560.0]), np.array([.1, .2, .6, .7]))})
    >>> out["a"]["auc"], out["a"]["gini"], out["a"]["ks"]
    (1.0, 1.0, 1.0)
    """
    out = {}
    for name, (score, pd_) in models.items():
        y_, s, p = np.asarray(y), np.asarray(score, dtype=float), np.asarray(pd_, dtype=float)
        a = auc(y_, -s)
        out[name] = {
            "auc": round(a, 6),
            "gini": round(2 * a - 1, 6),
            "ks": round(ks(y_, -s), 6),
            "brier": round(brier(y_, p), 6),
            "calibration": calibration_curve(y_, p),
            "score_distribution": score_distribution(y_, s),
        }
    return out
