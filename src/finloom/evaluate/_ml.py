"""Detection (C2ST) and machine-learning utility (TSTR vs TRTR), both with LightGBM."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from finloom._optional import require
from finloom.data import Metadata
from finloom.errors import ConfigError, InvalidDataError
from finloom.evaluate._common import as_text, check_tables, label_encode, pandas_seed
from finloom.evaluate._html import key_value_table, section
from finloom.evaluate._result import EvaluationResult

__all__ = ["DetectionResult", "UtilityResult", "evaluate_detection", "evaluate_utility"]

MAX_EVAL_ROWS = 10_000
_N_ESTIMATORS = 100


def _lgbm(seed: int, n_jobs: int) -> Any:
    lgb = require("lightgbm", feature="C2ST and TSTR evaluation")
    return lgb.LGBMClassifier(n_estimators=_N_ESTIMATORS, random_state=seed, n_jobs=n_jobs, verbose=-1)


def _int_seed(random_state: int | np.random.Generator | None) -> int:
    seed = pandas_seed(random_state)
    return seed if isinstance(seed, int) else int(seed.integers(0, 2**31 - 1))


@dataclass
class DetectionResult(EvaluationResult):
    """Classifier two-sample test: ROC AUC of LightGBM telling real from synthetic rows.

    0.5 = indistinguishable, 1.0 = perfectly separable.

    Examples
    --------
    >>> DetectionResult(c2st_auc=0.5, fold_aucs=[0.5], n_rows_each=10).to_dict()["c2st_auc"]
    0.5
    """

    title = "Detection (C2ST)"
    c2st_auc: float
    fold_aucs: list[float]
    n_rows_each: int

    def section_html(self) -> str:
        return section(self.title, key_value_table(self.to_dict()),
                       note="5-fold ROC AUC of LightGBM separating real from synthetic rows; 0.5 is best.")


def evaluate_detection(
    real: pd.DataFrame,
    synthetic: pd.DataFrame,
    metadata: Metadata,
    *,
    max_rows: int = MAX_EVAL_ROWS,
    n_folds: int = 5,
    random_state: int | np.random.Generator | None = 0,
    n_jobs: int = 1,
) -> DetectionResult:
    """C2ST: k-fold ROC AUC of LightGBM on up to ``max_rows`` real vs as many synthetic rows.

    Categories are label-encoded with the sorted values of both samples together.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> real = pd.DataFrame({"x": rng.normal(size=300)})
    >>> res = evaluate_detection(real, real + 100, Metadata.infer(real))
    >>> res.c2st_auc > 0.99
    True
    """
    from sklearn.model_selection import StratifiedKFold, cross_val_score

    roles = check_tables(metadata, {"real": real, "synthetic": synthetic})
    n = min(max_rows, len(real), len(synthetic))
    if n < n_folds:
        raise InvalidDataError(
            f"real and synthetic must each have at least n_folds={n_folds} rows for C2ST; got {n}. "
            "Pass more rows."
        )
    seed = pandas_seed(random_state)
    both = pd.concat([real.sample(n=n, random_state=seed), synthetic.sample(n=n, random_state=seed)],
                     ignore_index=True)
    (X,) = label_encode([both], roles, both, roles.used)
    y = np.r_[np.zeros(n), np.ones(n)].astype(int)
    int_seed = _int_seed(seed)
    cv = StratifiedKFold(n_splits=n_folds, shuffle=True, random_state=int_seed)
    scores = cross_val_score(_lgbm(int_seed, n_jobs), X, y, cv=cv, scoring="roc_auc")
    return DetectionResult(c2st_auc=float(np.mean(scores)), fold_aucs=[float(s) for s in scores],
                           n_rows_each=n)


@dataclass
class UtilityResult(EvaluationResult):
    """Train-synthetic-test-real vs train-real-test-real with LightGBM on the hold-out.

    Examples
    --------
    >>> UtilityResult("y", "1", 0.7, 0.75, 0.4, 0.45, 0.2, 0.2).auc_gap
    0.05
    """

    title = "Utility (TSTR vs TRTR)"
    target: str
    positive: str
    tstr_auc: float | None
    trtr_auc: float
    tstr_f1: float | None
    trtr_f1: float
    real_positive_rate: float
    synthetic_positive_rate: float

    @property
    def auc_gap(self) -> float | None:
        """``trtr_auc - tstr_auc`` (smaller is better)."""
        return None if self.tstr_auc is None else round(self.trtr_auc - self.tstr_auc, 10)

    def section_html(self) -> str:
        return section(self.title, key_value_table({**self.to_dict(), "auc_gap": self.auc_gap}),
                       note="LightGBM trained on synthetic (TSTR) or real (TRTR) train rows, "
                            "scored on the real hold-out.")


def _positive_label(real: pd.Series, positive: Any) -> str:
    values = as_text(real)
    if positive is not None:
        if str(positive) not in set(values):
            raise ConfigError(
                f"positive must be a value of the target; got {positive!r}. "
                f"Pick one of {sorted(set(values))[:10]}."
            )
        return str(positive)
    counts = values.value_counts()
    if len(counts) != 2:
        raise InvalidDataError(
            f"target must have exactly 2 classes for TSTR; got {len(counts)}. "
            "Pick a binary target in the metadata."
        )
    return str(counts.sort_index().idxmin())  # the minority class (ties: first in sorted order)


def _fit_score(X: pd.DataFrame, y: np.ndarray, X_test: pd.DataFrame, y_test: np.ndarray,
               seed: int, n_jobs: int) -> tuple[float | None, float | None]:
    from sklearn.metrics import f1_score, roc_auc_score

    if len(np.unique(y)) < 2:
        return None, None
    proba = _lgbm(seed, n_jobs).fit(X, y).predict_proba(X_test)[:, 1]
    return float(roc_auc_score(y_test, proba)), float(f1_score(y_test, (proba >= 0.5).astype(int)))


def evaluate_utility(
    real: pd.DataFrame,
    synthetic: pd.DataFrame,
    holdout: pd.DataFrame,
    metadata: Metadata,
    *,
    target: str | None = None,
    positive: Any = None,
    random_state: int | np.random.Generator | None = 0,
    n_jobs: int = 1,
) -> UtilityResult:
    """TSTR / TRTR ROC AUC and F1 of LightGBM (100 trees) predicting a binary target.

    Parameters
    ----------
    real, synthetic, holdout : DataFrame
        Real train rows, synthetic rows and real hold-out rows (never seen by the synthesizer).
    metadata : Metadata
        Column kinds; ``metadata.target`` is used when ``target`` is None.
    target : str, optional
        Binary target column.
    positive : optional
        Positive class; default the minority class of ``real``.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> x = rng.normal(size=400)
    >>> df = pd.DataFrame({"x": x, "y": (x + rng.normal(scale=0.5, size=400) > 0).astype(int)})
    >>> res = evaluate_utility(df[:300], df[:300], df[300:], Metadata.infer(df), target="y")
    >>> res.tstr_auc == res.trtr_auc and res.trtr_auc > 0.8
    True
    """
    roles = check_tables(metadata, {"real": real, "synthetic": synthetic, "holdout": holdout})
    target = target if target is not None else metadata.target
    if target is None or target not in roles.used:
        raise ConfigError(
            f"target must name a numerical or categorical column; got {target!r}. "
            "Pass target= or set metadata.target."
        )
    pos = _positive_label(real[target], positive)
    feats = [c for c in roles.used if c != target]
    tr, ho, sy = label_encode([real, holdout, synthetic], roles, real, feats)
    y_tr, y_ho, y_sy = ((as_text(f[target]) == pos).to_numpy().astype(int)
                        for f in (real, holdout, synthetic))
    for name, y in (("real", y_tr), ("holdout", y_ho)):
        if len(np.unique(y)) < 2:
            raise InvalidDataError(
                f"{name} target must contain both classes; got one class for positive={pos!r}. "
                "Use a stratified split with enough rows."
            )
    seed = _int_seed(random_state)
    trtr_auc, trtr_f1 = _fit_score(tr, y_tr, ho, y_ho, seed, n_jobs)
    tstr_auc, tstr_f1 = _fit_score(sy, y_sy, ho, y_ho, seed, n_jobs)
    return UtilityResult(target=target, positive=pos, tstr_auc=tstr_auc, trtr_auc=float(trtr_auc),  # type: ignore[arg-type]
                         tstr_f1=tstr_f1, trtr_f1=float(trtr_f1),  # type: ignore[arg-type]
                         real_positive_rate=float(y_tr.mean()), synthetic_positive_rate=float(y_sy.mean()))
