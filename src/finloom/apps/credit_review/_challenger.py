"""The challenger: LightGBM with the scorecard's monotone directions, Platt calibration, SHAP reasons.

Platt scaling is linear in the booster's margin, so the calibrated score stays a sum of SHAP terms:
``score = offset − factor·(a·(E + Σ shap) + b)``; every feature's contribution is ``−factor·a·shap``.
The SHAP values are LightGBM's exact path-dependent TreeSHAP (what the ``shap`` library's tree
explainer returns for a LightGBM model), computed once per distinct split pattern of each tree
(:mod:`._treeshap`).
"""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from finloom._base import BaseEstimator, validate_param
from finloom._optional import require
from finloom._serialization import load_state, save_state
from finloom.apps.credit_review._scaling import PointsScale
from finloom.apps.credit_review._scorecard import ScoredRows
from finloom.apps.credit_review._treeshap import TreeSplits, tree_contributions, tree_splits
from finloom.apps.credit_review._validate import (
    binary_target,
    check_training_frame,
    coerce_scoring_frame,
    feature_kinds,
)

__all__ = ["Challenger", "ChallengerConfig"]


@dataclass
class ChallengerConfig:
    """LightGBM settings (small trees, early stopping on a validation share) and the points scale.

    Examples
    --------
    >>> ChallengerConfig().num_leaves
    15
    """

    n_estimators: int = 600
    learning_rate: float = 0.1
    num_leaves: int = 15
    max_depth: int = (
        4  # shallow trees: reasons stay readable and exact TreeSHAP stays fast (cost ~ depth²)
    )
    min_child_samples: int = 40
    subsample: float = 0.8
    colsample_bytree: float = 0.8
    reg_lambda: float = 1.0
    validation_share: float = 0.2  # rows kept for early stopping and the Platt calibration
    early_stopping_rounds: int = 50
    base_score: float = 600.0
    pdo: float = 20.0
    base_odds: float = 50.0

    @property
    def scale(self) -> PointsScale:
        """The points scale (same meaning as the scorecard's)."""
        return PointsScale(self.base_score, self.pdo, self.base_odds)

    def validate(self) -> None:
        """Check the settings."""
        self.scale.validate("Challenger")
        validate_param(
            "Challenger",
            "n_estimators",
            self.n_estimators,
            lambda v: int(v) == v and v >= 1,
            "an int >= 1",
        )
        validate_param(
            "Challenger",
            "validation_share",
            self.validation_share,
            lambda v: 0.05 <= v <= 0.5,
            "in [0.05, 0.5]",
        )


class Challenger(BaseEstimator):
    """Gradient-boosted challenger with monotone constraints, calibration and exact SHAP points.

    Parameters
    ----------
    config : ChallengerConfig or dict, optional
    monotone : dict, optional
        ``{feature: +1 | -1 | 0}``: +1 where risk must not fall as the value rises
        (:meth:`Scorecard.monotone_directions` gives them).
    random_state : int, optional

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> X = pd.DataFrame({"delay": rng.integers(0, 4, 800).astype(float), "limit": rng.normal(5, 2, 800)})
    >>> y = (rng.random(800) < 0.1 + 0.2 * X["delay"].to_numpy() / 3).astype(int)
    >>> ch = Challenger({"n_estimators": 30}, monotone={"delay": 1}, random_state=0).fit(X, y)
    >>> out = ch.score(X.head(5))
    >>> bool(np.abs(out.contributions.sum(axis=1) + ch.base_points_ - out.score).max() < 1e-6)
    True
    """

    def __init__(
        self,
        config: ChallengerConfig | dict[str, Any] | None = None,
        *,
        monotone: dict[str, int] | None = None,
        random_state: int | None = None,
    ) -> None:
        self.config = config
        self.monotone = monotone
        self.random_state = random_state

    def _config(self) -> ChallengerConfig:
        cfg = (
            self.config
            if isinstance(self.config, ChallengerConfig)
            else ChallengerConfig(**(self.config or {}))
        )
        cfg.validate()
        return cfg

    def _matrix(self, df: pd.DataFrame) -> pd.DataFrame:
        out = df[self.columns_].copy()
        for c, cats in self.categories_.items():
            out[c] = pd.Categorical(out[c], categories=cats)
        return out

    def fit(self, X: pd.DataFrame, y: Any, *, positive: Any = None) -> Challenger:
        """Train with early stopping on a stratified validation share, then calibrate on it."""
        from sklearn.linear_model import LogisticRegression
        from sklearn.model_selection import train_test_split

        lgb = require("lightgbm", feature="the credit challenger model")
        cfg = self._config()
        target = binary_target(y, positive=positive)
        df = check_training_frame(X, len(target)).reset_index(drop=True)
        df.columns = df.columns.astype(str)
        self.config_, self.kinds_, self.columns_ = cfg, feature_kinds(df), list(df.columns)
        self.categories_ = {
            c: sorted({str(v) for v in df[c].dropna().unique()})
            for c, k in self.kinds_.items()
            if k == "categorical"
        }
        data = self._matrix(
            coerce_scoring_frame(
                df, self.columns_, self.kinds_, {c: set(v) for c, v in self.categories_.items()}
            )
        )
        directions = self.monotone or {}
        self.monotone_ = [
            int(directions.get(c, 0)) if self.kinds_[c] == "numerical" else 0 for c in self.columns_
        ]
        tr, va = train_test_split(
            np.arange(len(df)),
            test_size=cfg.validation_share,
            random_state=self.random_state,
            stratify=target,
        )
        model = lgb.LGBMClassifier(
            n_estimators=cfg.n_estimators,
            learning_rate=cfg.learning_rate,
            num_leaves=cfg.num_leaves,
            max_depth=cfg.max_depth,
            min_child_samples=cfg.min_child_samples,
            subsample=cfg.subsample,
            subsample_freq=1,
            colsample_bytree=cfg.colsample_bytree,
            reg_lambda=cfg.reg_lambda,
            monotone_constraints=self.monotone_,
            monotone_constraints_method="advanced",
            random_state=self.random_state,
            n_jobs=1,
            verbose=-1,
        )
        model.fit(
            data.iloc[tr],
            target[tr],
            eval_X=(data.iloc[va],),
            eval_y=(target[va],),
            callbacks=[lgb.early_stopping(cfg.early_stopping_rounds, verbose=False)],
        )
        self.booster_ = model.booster_
        margin = self.booster_.predict(data.iloc[va], raw_score=True)
        platt = LogisticRegression(C=1e6, max_iter=1000).fit(margin.reshape(-1, 1), target[va])
        self.platt_ = (float(platt.coef_[0, 0]), float(platt.intercept_[0]))
        self._forget_caches()
        return self

    def _forget_caches(self) -> None:
        self._splits: list[TreeSplits] | None = None
        self._expected_value: float | None = None

    # -- use ---------------------------------------------------------------------------------
    @property
    def base_points_(self) -> float:
        """The points every applicant starts from (the SHAP expected value on the points scale)."""
        a, b = self.platt_
        return float(self.config_.scale.score_from_logit(np.array([a * self._expected() + b]))[0])

    def _n_trees(self) -> int:
        """The trees a prediction uses (early stopping's best iteration when the booster has one)."""
        best = int(self.booster_.best_iteration or 0)
        return best if best > 0 else int(self.booster_.num_trees())

    def _tree_splits(self) -> list[TreeSplits]:
        if getattr(self, "_splits", None) is None:
            self._splits = tree_splits(self.booster_, self._n_trees())
        return self._splits  # type: ignore[return-value]

    def _expected(self) -> float:
        """The SHAP expected value (the booster's mean margin over its training cover)."""
        if getattr(self, "_expected_value", None) is None:
            row = np.full((1, len(self.columns_)), np.nan)
            phi = self.booster_.predict(
                row, pred_contrib=True, num_iteration=self._n_trees(), num_threads=1
            )
            self._expected_value = float(phi[0, -1])
        return self._expected_value  # type: ignore[return-value]

    def _lgb_matrix(self, data: pd.DataFrame) -> np.ndarray:
        """The float matrix LightGBM reads from ``data`` (category codes, NaN where missing)."""
        out = np.empty((len(data), len(self.columns_)))
        for j, c in enumerate(self.columns_):
            if c in self.categories_:
                codes = data[c].cat.codes.to_numpy()
                out[:, j] = np.where(codes < 0, np.nan, codes)
            else:
                out[:, j] = data[c].to_numpy(dtype=float)
        return out

    def shap_values(self, X: pd.DataFrame, *, unseen: str = "error") -> np.ndarray:
        """Exact TreeSHAP values of the booster's margin, ``(rows, features)``.

        Examples
        --------
        >>> rng = np.random.default_rng(1)
        >>> X = pd.DataFrame({"delay": rng.integers(0, 4, 600).astype(float), "limit": rng.normal(5, 2, 600)})
        >>> y = (rng.random(600) < 0.1 + 0.2 * X["delay"].to_numpy() / 3).astype(int)
        >>> ch = Challenger({"n_estimators": 20}, random_state=0).fit(X, y)
        >>> margin = ch.booster_.predict(ch.prepare(X), raw_score=True)
        >>> bool(np.abs(ch.shap_values(X).sum(axis=1) + ch._expected() - margin).max() < 1e-9)
        True
        """
        data = self.prepare(X, unseen=unseen)
        return self._shap_matrix(data)[:, :-1]

    def _shap_matrix(self, data: pd.DataFrame) -> np.ndarray:
        return tree_contributions(self.booster_, self._lgb_matrix(data), self._tree_splits())

    def prepare(self, X: pd.DataFrame, *, unseen: str = "error") -> pd.DataFrame:
        """The model's columns of ``X``, checked and typed (``unseen="missing"``: unseen categories
        scored as missing)."""
        self._check_is_fitted("score")
        return self._matrix(
            coerce_scoring_frame(
                X,
                self.columns_,
                self.kinds_,
                {c: set(v) for c, v in self.categories_.items()},
                unseen,
            )
        )

    def predict_proba(self, X: pd.DataFrame, *, unseen: str = "error") -> np.ndarray:
        """Calibrated probability of default per row."""
        a, b = self.platt_
        margin = self.booster_.predict(self.prepare(X, unseen=unseen), raw_score=True)
        return 1.0 / (1.0 + np.exp(-(a * margin + b)))

    def score(self, X: pd.DataFrame, *, unseen: str = "error") -> ScoredRows:
        """Scores with SHAP points per feature: ``base_points_ + contributions.sum(1) == score``."""
        data = self.prepare(X, unseen=unseen)
        values = self._shap_matrix(data)[:, :-1]  # (n, features)
        a, b = self.platt_
        scale = self.config_.scale
        logit = a * (self._expected() + values.sum(axis=1)) + b
        score = scale.score_from_logit(logit)
        contrib = -scale.factor * a * values
        return ScoredRows(
            score=score,
            prob=1.0 / (1.0 + np.exp(-logit)),
            contributions=pd.DataFrame(contrib, columns=self.columns_),
            lost=pd.DataFrame(np.maximum(-contrib, 0.0), columns=self.columns_),
        )

    # -- persistence ---------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """JSON-able state; the booster as LightGBM's own text model (no pickle)."""
        self._check_is_fitted("to_dict")
        return {
            "config": asdict(self.config_),
            "kinds": self.kinds_,
            "columns": self.columns_,
            "categories": self.categories_,
            "monotone": self.monotone_,
            "platt": list(self.platt_),
            "booster": self.booster_.model_to_string(),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Challenger:
        """Rebuild a challenger written by :meth:`to_dict`."""
        lgb = require("lightgbm", feature="the credit challenger model")
        ch = cls(ChallengerConfig(**data["config"]))
        ch.config_ = ChallengerConfig(**data["config"])
        ch.kinds_, ch.columns_, ch.categories_ = (
            data["kinds"],
            list(data["columns"]),
            data["categories"],
        )
        ch.monotone_, ch.platt_ = (
            list(data["monotone"]),
            (float(data["platt"][0]), float(data["platt"][1])),
        )
        ch.booster_ = lgb.Booster(model_str=data["booster"])
        ch._forget_caches()
        return ch

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write ``config.json`` atomically (booster text inside)."""
        return save_state(path, kind="Challenger", config=self.to_dict())

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> Challenger:
        """Read a challenger written by :meth:`save`."""
        return cls.from_dict(load_state(path, kind="Challenger")["config"])
