"""Building blocks of the combined score: LightGBM training, out-of-fold scores, risk memory.

The combined score is a LightGBM *stacked* on the event features, every rule's flag, the rules
score, the anomaly score and the account's recent supervised scores. Those recent scores must look
in training as they will look live, where the supervised model has never seen the events it
scores, so on the training stream they come from models fitted on the other accounts
(:func:`cross_fit`, folds by account).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, Protocol

import numpy as np

__all__ = ["MEMORY_S", "cross_fit", "decayed_memory", "logit", "prior_shift", "train_booster"]

MEMORY_S = (6 * 3600.0, 48 * 3600.0)  # decay times of the account's recent supervised scores


class _Memory(Protocol):
    def risk_memory(self, account_id: str) -> list[float]: ...


class _Timed(Protocol):
    account_id: str
    ts: float


def logit(p: np.ndarray) -> np.ndarray:
    """Log-odds, clipped away from 0 and 1.

    Examples
    --------
    >>> logit(np.array([0.5, 0.0])).round(2).tolist()
    [0.0, -13.82]
    """
    q = np.clip(p, 1e-6, 1 - 1e-6)
    return np.asarray(np.log(q / (1 - q)))


def train_booster(
    X: np.ndarray,
    y: np.ndarray,
    names: list[str],
    *,
    n_estimators: int,
    learning_rate: float,
    num_leaves: int,
    min_child_samples: int = 20,
    feature_fraction: float = 0.9,
    random_state: int = 0,
) -> Any:
    """A deterministic one-thread binary LightGBM.

    Examples
    --------
    >>> X = np.arange(200, dtype=float).reshape(100, 2)
    >>> b = train_booster(X, X[:, 0] > 100, ["a", "b"], n_estimators=5, learning_rate=0.3,
    ...                   num_leaves=4)
    >>> bool(b.predict(X[-1:])[0] > b.predict(X[:1])[0])
    True
    """
    import lightgbm as lgb

    params = {
        "objective": "binary",
        "learning_rate": learning_rate,
        "num_leaves": num_leaves,
        "min_child_samples": min_child_samples,
        "feature_fraction": feature_fraction,
        "bagging_fraction": 0.8,
        "bagging_freq": 1,
        "seed": random_state,
        "num_threads": 1,
        "verbose": -1,
        "deterministic": True,
    }
    data = lgb.Dataset(X, label=np.asarray(y, dtype=float), feature_name=names)
    return lgb.train(params, data, num_boost_round=n_estimators)


def cross_fit(
    X: np.ndarray,
    y: np.ndarray,
    fit_rows: np.ndarray,
    groups: np.ndarray,
    fit: Any,
    *,
    folds: int = 5,
    random_state: int = 0,
) -> np.ndarray:
    """Out-of-fold predictions for every row: each group's rows scored by a model fitted without it.

    ``fit(X, y)`` returns a model with ``predict``; it is trained on the ``fit_rows`` of the other
    folds (groups are assigned to folds at random). A fold whose training part has one class only
    is scored by a model fitted on every ``fit_rows`` row instead.

    Examples
    --------
    >>> from sklearn.linear_model import LinearRegression
    >>> X = np.arange(40, dtype=float).reshape(20, 2); y = X[:, 0] * 2
    >>> out = cross_fit(X, y, np.ones(20, bool), np.arange(20) % 4, lambda a, b: LinearRegression().fit(a, b))
    >>> bool(np.allclose(out, y))
    True
    """
    _, codes = np.unique(groups, return_inverse=True)
    fold_of = np.random.default_rng(random_state).permutation(codes.max() + 1) % folds
    fold = fold_of[codes]
    out = np.empty(len(X))
    full = None
    for k in range(folds):
        rows, train = fold == k, fit_rows & (fold != k)
        if not rows.any():
            continue
        if np.unique(y[train]).size < 2:
            full = full if full is not None else fit(X[fit_rows], y[fit_rows])
            out[rows] = full.predict(X[rows])
        else:
            out[rows] = fit(X[train], y[train]).predict(X[rows])
    return out


def decayed_memory(events: Sequence[_Timed], scores: np.ndarray, state: _Memory) -> np.ndarray:
    """Each event's decayed maximum of its account's earlier scores, one column per ``MEMORY_S``.

    The record per account is ``[last time, 6 h value, 48 h value]``, kept (and updated) in
    ``state`` so that a stream scored in batches remembers across them.

    Examples
    --------
    >>> from finloom.apps.monitoring.transactions import BatchStateStore, Event
    >>> events = [Event("a", "A", 0.0, 5.0), Event("b", "A", 6 * 3600.0, 5.0)]
    >>> decayed_memory(events, np.array([0.8, 0.1]), BatchStateStore()).round(3).tolist()
    [[0.0, 0.0], [0.294, 0.706]]
    """
    out = np.zeros((len(events), len(MEMORY_S)))
    fast, slow = MEMORY_S
    for i, (e, p) in enumerate(zip(events, scores.tolist(), strict=True)):
        rec = state.risk_memory(e.account_id)
        if rec[0] > -math.inf:
            dt = max(e.ts - rec[0], 0.0)
            a, b = rec[1] * math.exp(-dt / fast), rec[2] * math.exp(-dt / slow)
        else:
            a = b = 0.0
        out[i, 0], out[i, 1] = a, b
        rec[0], rec[1], rec[2] = max(rec[0], e.ts), max(a, p), max(b, p)
    return out


def prior_shift(y_fit: np.ndarray, y_live: np.ndarray) -> float:
    """Log-odds to add to a model fitted at ``y_fit``'s fraud rate so it predicts at ``y_live``'s.

    Examples
    --------
    >>> round(prior_shift(np.array([1, 0, 0, 0]), np.array([1] + [0] * 19)), 3)
    -1.846
    >>> prior_shift(np.array([1, 0]), np.zeros(5))  # no labelled fraud to rescale to
    0.0
    """
    a, b = float(np.mean(y_fit)), float(np.mean(y_live))
    if not (0 < a < 1 and 0 < b < 1):
        return 0.0
    return math.log(b / (1 - b)) - math.log(a / (1 - a))
