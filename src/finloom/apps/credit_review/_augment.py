"""Synthetic augmentation of the bad class: SMOTE (imbalanced-learn) or conditional samples of
finloom's tabular engine. The real rows are kept unchanged; only new bad rows are appended."""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd

from finloom._optional import require
from finloom.apps.credit_review._validate import binary_target, check_training_frame, feature_kinds
from finloom.errors import ConfigError

__all__ = ["AUGMENTATIONS", "Augmentation", "augment", "n_extra_bads"]

Augmentation = Literal["none", "smote", "synthetic"]
AUGMENTATIONS: tuple[str, ...] = ("none", "smote", "synthetic")
_TARGET = "__bad__"


def n_extra_bads(y: np.ndarray, bad_share: float) -> int:
    """How many bad rows to add so bads make up ``bad_share`` of the augmented table.

    Examples
    --------
    >>> n_extra_bads(np.array([0] * 80 + [1] * 20), 0.5)
    60
    """
    n_bad, n = int(np.sum(y)), len(y)
    return max(0, int(round((bad_share * n - n_bad) / (1 - bad_share))))


def _smote(X: pd.DataFrame, y: np.ndarray, n_new: int, seed: int) -> pd.DataFrame:
    imblearn = require("imblearn", feature="SMOTE augmentation")
    kinds = feature_kinds(X)
    filled = X.copy()
    for (
        c,
        k,
    ) in kinds.items():  # SMOTE needs complete rows: medians / "Missing" for the new rows only
        if k == "numerical":
            filled[c] = filled[c].fillna(filled[c].median())
        else:
            filled[c] = filled[c].astype(object).where(filled[c].notna(), "Missing").astype(str)
    cats = [i for i, c in enumerate(X.columns) if kinds[str(c)] == "categorical"]
    strategy = {1: int(np.sum(y)) + n_new}
    neighbours = max(1, min(5, int(np.sum(y)) - 1))
    sampler = (
        imblearn.over_sampling.SMOTENC(
            categorical_features=cats,
            sampling_strategy=strategy,
            k_neighbors=neighbours,
            random_state=seed,
        )
        if cats
        else imblearn.over_sampling.SMOTE(
            sampling_strategy=strategy, k_neighbors=neighbours, random_state=seed
        )
    )
    X_res, _ = sampler.fit_resample(filled, y)
    new = pd.DataFrame(X_res).iloc[len(X) :].reset_index(drop=True)
    new.columns = X.columns
    for c in X.columns:
        if kinds[str(c)] == "numerical" and pd.api.types.is_integer_dtype(X[c]):
            new[c] = np.round(new[c].astype(float)).astype("int64")
    return new


def _synthetic(X: pd.DataFrame, y: np.ndarray, n_new: int, seed: int, model: str) -> pd.DataFrame:
    from finloom.data import ColumnKind, ColumnMeta, Metadata
    from finloom.synth.tabular import MODELS

    if model not in MODELS:
        raise ConfigError(f"synthetic model must be one of {sorted(MODELS)}; got {model!r}.")
    table = X.copy()
    table[_TARGET] = np.where(y == 1, "bad", "good")
    kinds = feature_kinds(X)
    cols = [
        ColumnMeta(
            str(c),
            ColumnKind.NUMERICAL if kinds[str(c)] == "numerical" else ColumnKind.CATEGORICAL,
            str(table[c].dtype),
        )
        for c in X.columns
    ]
    meta = Metadata(
        columns=[*cols, ColumnMeta(_TARGET, ColumnKind.CATEGORICAL, "object")], target=_TARGET
    )
    synth = MODELS[model](random_state=seed).fit(table, meta)
    new = synth.sample(n_new, conditions={_TARGET: "bad"}, random_state=seed).drop(
        columns=[_TARGET]
    )
    return new[list(X.columns)].reset_index(drop=True)


def augment(
    X: pd.DataFrame,
    y: object,
    method: Augmentation = "none",
    *,
    bad_share: float = 0.5,
    random_state: int = 0,
    synth_model: str = "copula",
) -> tuple[pd.DataFrame, np.ndarray]:
    """The real rows plus new bad rows (``none`` returns the real rows only).

    Parameters
    ----------
    X, y : the training features and 0/1 target (1 = bad).
    method : {"none", "smote", "synthetic"}
    bad_share : float
        Share of bads after augmentation (0.5 balances the classes).
    synth_model : str
        Tabular engine model for ``synthetic`` (``copula`` by default: fast on CPU).

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> X = pd.DataFrame({"a": rng.normal(size=200), "b": rng.integers(0, 5, 200)})
    >>> y = (rng.random(200) < 0.2).astype(int)
    >>> Xa, ya = augment(X, y, "smote", bad_share=0.4, random_state=0)
    >>> len(Xa) > len(X), bool(Xa.iloc[:200].equals(X)), round(float(ya.mean()), 1)
    (True, True, 0.4)
    """
    if method not in AUGMENTATIONS:
        raise ConfigError(f"augmentation must be one of {list(AUGMENTATIONS)}; got {method!r}.")
    if not 0 < bad_share < 1:
        raise ConfigError(f"bad_share must be in (0, 1); got {bad_share!r}.")
    target = binary_target(y)
    real = check_training_frame(X, len(target)).reset_index(drop=True)
    n_new = n_extra_bads(target, bad_share)
    if method == "none" or n_new == 0:
        return real, target
    new = (
        _smote(real, target, n_new, random_state)
        if method == "smote"
        else _synthetic(real, target, n_new, random_state, synth_model)
    )
    out = pd.concat([real, new.astype(real.dtypes.to_dict(), errors="ignore")], ignore_index=True)
    return out, np.r_[target, np.ones(len(new), dtype=np.int64)]
