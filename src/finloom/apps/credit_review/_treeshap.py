"""Exact TreeSHAP for a batch, each tree explaining only the split patterns the batch holds.

Path-dependent TreeSHAP (what LightGBM's ``pred_contrib`` and the ``shap`` library's tree explainer
compute) reads a row only through the side it takes at each split of a tree. Rows that take the
same sides in a tree get the same contributions from it, so each tree explains one row per distinct
pattern (LightGBM's own TreeSHAP, ``start_iteration=t, num_iteration=1``) and the result is spread
back. With shallow trees a batch holds few patterns per tree: the same numbers for a fraction of
the work. Two rows share a pattern when, for each feature the tree splits on, they fall between the
same two of its thresholds (numbers; missing and zero kept apart, as LightGBM treats them apart) or
hold the same category code.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = ["TreeSplits", "tree_contributions", "tree_splits"]

_ZERO = 1e-35  # LightGBM's kZeroThreshold: smaller magnitudes are read as 0
_KEY_LIMIT = 1 << 62  # compact the pattern keys before they could overflow int64


@dataclass(frozen=True)
class TreeSplits:
    """The features one tree splits on: sorted thresholds of each number, the category columns."""

    numerical: dict[int, np.ndarray]
    categorical: tuple[int, ...]


def _walk(node: dict[str, Any], num: dict[int, set[float]], cat: set[int]) -> None:
    if "split_feature" not in node:
        return
    f = int(node["split_feature"])
    if node.get("decision_type") == "==":
        cat.add(f)
    else:
        num.setdefault(f, set()).add(float(node["threshold"]))
    _walk(node["left_child"], num, cat)
    _walk(node["right_child"], num, cat)


def tree_splits(booster: Any, num_trees: int) -> list[TreeSplits]:
    """The split features and thresholds of the first ``num_trees`` trees of a LightGBM booster.

    Examples
    --------
    >>> import lightgbm as lgb
    >>> X = np.arange(200, dtype=float).reshape(-1, 2); y = (X[:, 0] > 100).astype(int)
    >>> b = lgb.train({"verbose": -1, "num_leaves": 3, "min_data_in_leaf": 5}, lgb.Dataset(X, y), 2)
    >>> splits = tree_splits(b, 2)
    >>> len(splits), all(set(s.numerical) <= {0, 1} and not s.categorical for s in splits)
    (2, True)
    """
    out = []
    for info in booster.dump_model(num_iteration=num_trees)["tree_info"][:num_trees]:
        num: dict[int, set[float]] = {}
        cat: set[int] = set()
        _walk(info["tree_structure"], num, cat)
        out.append(
            TreeSplits({f: np.array(sorted(v)) for f, v in sorted(num.items())}, tuple(sorted(cat)))
        )
    return out


def _global_bins(X: np.ndarray, splits: list[TreeSplits]) -> dict[int, tuple[np.ndarray, np.ndarray]]:
    """Per number feature: every threshold of every tree (sorted) and each row's place among them
    (``len(thresholds) + 1`` for a zero, ``+ 2`` for a missing value); per category feature: the
    codes it may take and each row's code (from 0; missing is the lowest)."""
    out = {}
    for f in sorted({f for tree in splits for f in tree.numerical}):
        thresholds = np.unique(np.concatenate([t.numerical[f] for t in splits if f in t.numerical]))
        x = np.ascontiguousarray(X[:, f])
        place = np.searchsorted(thresholds, x, side="left")  # how many thresholds lie below x
        place[np.abs(x) <= _ZERO] = len(thresholds) + 1
        place[np.isnan(x)] = len(thresholds) + 2
        out[f] = (thresholds, place)
    for f in sorted({f for tree in splits for f in tree.categorical}):
        x = X[:, f]
        codes = np.where(np.isnan(x), -1.0, x).astype(np.int64)  # category codes; NaN -> -1
        low = int(codes.min(initial=0))
        out[f] = (np.arange(int(codes.max(initial=0)) - low + 1), codes - low)
    return out


def _pattern_keys(
    n_rows: int, splits: TreeSplits, bins: dict[int, tuple[np.ndarray, np.ndarray]]
) -> tuple[np.ndarray, int]:
    """One integer per row (and how many values it may take): equal keys mean equal sides at
    every split of the tree."""
    key = np.zeros(n_rows, dtype=np.int64)
    size = 1
    parts: list[tuple[np.ndarray, int]] = []
    for f, thresholds in splits.numerical.items():
        every, place = bins[f]
        # global place g (every[:g] lie below x) -> how many of the tree's thresholds lie below x
        n = len(thresholds)
        lut = np.concatenate([[0], np.searchsorted(thresholds, every, side="right"), [n + 1, n + 2]])
        parts.append((lut[place], len(thresholds) + 3))
    for f in splits.categorical:
        values, codes = bins[f]
        parts.append((codes, len(values)))
    for k, card in parts:
        if size * card >= _KEY_LIMIT:
            key = np.unique(key, return_inverse=True)[1].astype(np.int64).reshape(-1)
            size = int(key.max(initial=0)) + 1
        key = key * card + k
        size *= card
    return key, size


def _groups(key: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    """One row per distinct key (any row of it: they are explained alike) and each row's group."""
    if size > 8 * len(key):
        _, first, inverse = np.unique(key, return_index=True, return_inverse=True)
        return first, inverse.reshape(-1)
    rep = np.empty(size, dtype=np.int64)
    rep[key] = np.arange(len(key))
    present = np.zeros(size, dtype=bool)
    present[key] = True
    group = np.cumsum(present) - 1
    return rep[present], group[key]


def tree_contributions(booster: Any, X: np.ndarray, splits: list[TreeSplits]) -> np.ndarray:
    """``booster.predict(X, pred_contrib=True)`` over the trees of ``splits`` (binary model):
    ``(n, features + 1)``, the last column the expected value; equal to LightGBM's own to rounding.

    ``X`` is the float matrix LightGBM reads (category codes, NaN for missing).

    Examples
    --------
    >>> import lightgbm as lgb
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(500, 3)); y = (X[:, 0] + rng.normal(size=500) > 0).astype(int)
    >>> b = lgb.train({"verbose": -1, "num_leaves": 7}, lgb.Dataset(X, y), 20)
    >>> fast = tree_contributions(b, X, tree_splits(b, 20))
    >>> bool(np.allclose(fast, b.predict(X, pred_contrib=True), rtol=0, atol=1e-12))
    True
    """
    out = np.zeros((X.shape[1] + 1, len(X)))  # feature-major: one contiguous row per feature
    if not len(X):
        return out.T
    bins = _global_bins(X, splits)
    for t, tree in enumerate(splits):
        first, group = _groups(*_pattern_keys(len(X), tree, bins))
        phi = booster.predict(
            X[first], pred_contrib=True, start_iteration=t, num_iteration=1, num_threads=1
        )
        out[-1] += phi[0, -1]  # the tree's expected value: the same for every row
        for f in (*tree.numerical, *tree.categorical):  # a feature the tree never splits on gets 0
            out[f] += phi[group, f]
    return out.T
