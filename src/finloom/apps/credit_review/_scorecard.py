"""The scorecard: optimal monotonic bins → WOE → logistic regression → points per bin."""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from finloom._base import BaseEstimator, validate_param
from finloom._serialization import load_state, save_state
from finloom.apps.credit_review._binning import FeatureBins, fit_bins
from finloom.apps.credit_review._scaling import PointsScale
from finloom.apps.credit_review._validate import (
    binary_target,
    check_training_frame,
    coerce_scoring_frame,
    feature_kinds,
)
from finloom.errors import InvalidDataError

__all__ = ["Scorecard", "ScorecardConfig", "ScoredRows"]


@dataclass
class ScorecardConfig:
    """How the scorecard is built and scaled.

    Examples
    --------
    >>> ScorecardConfig().base_score, ScorecardConfig().min_iv
    (600.0, 0.02)
    """

    base_score: float = 600.0
    pdo: float = 20.0  # points to double the odds
    base_odds: float = 50.0  # good:bad odds at base_score
    max_bins: int = 6
    min_bin_share: float = 0.05  # smallest bin, as a share of the rows
    min_iv: float = 0.02  # features below this information value are left out
    max_features: int | None = None  # keep at most this many, highest IV first
    C: float = 1.0  # inverse L2 strength of the logistic regression on WOE
    integer_points: bool = (
        False  # round each bin's points to whole numbers (the score is their sum)
    )

    @property
    def scale(self) -> PointsScale:
        """The points scale these settings define."""
        return PointsScale(self.base_score, self.pdo, self.base_odds)

    def validate(self) -> None:
        """Check every setting; one message naming the first bad one."""
        self.scale.validate("Scorecard")
        validate_param(
            "Scorecard", "max_bins", self.max_bins, lambda v: int(v) == v and v >= 2, "an int >= 2"
        )
        validate_param(
            "Scorecard", "min_bin_share", self.min_bin_share, lambda v: 0 < v < 0.5, "in (0, 0.5)"
        )
        validate_param("Scorecard", "min_iv", self.min_iv, lambda v: v >= 0, "a number >= 0")
        validate_param("Scorecard", "C", self.C, lambda v: v > 0, "a positive number")


@dataclass
class ScoredRows:
    """Scores with per-feature points (``contributions`` sums to ``score`` row by row) and the
    points each feature lost against its best bin."""

    score: np.ndarray  # (n,)
    prob: np.ndarray  # (n,) probability of default
    contributions: pd.DataFrame  # (n, features) points per feature
    lost: pd.DataFrame  # (n, features) best points minus the row's points (>= 0)


class Scorecard(BaseEstimator):
    """A points scorecard: monotonic optimal bins, WOE logistic regression, PDO scaling.

    Parameters
    ----------
    config : ScorecardConfig or dict, optional
        Binning, selection and scaling settings.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> X = pd.DataFrame({"delay": rng.integers(0, 4, 600), "limit": rng.normal(5, 2, 600)})
    >>> y = (rng.random(600) < 0.1 + 0.2 * X["delay"].to_numpy() / 3).astype(int)
    >>> sc = Scorecard().fit(X, y)
    >>> out = sc.score(X.head(3))
    >>> bool(np.allclose(out.contributions.sum(axis=1), out.score))
    True
    """

    def __init__(self, config: ScorecardConfig | dict[str, Any] | None = None) -> None:
        self.config = config

    def _config(self) -> ScorecardConfig:
        cfg = (
            self.config
            if isinstance(self.config, ScorecardConfig)
            else ScorecardConfig(**(self.config or {}))
        )
        cfg.validate()
        return cfg

    # -- fit ---------------------------------------------------------------------------------
    def fit(self, X: pd.DataFrame, y: Any, *, positive: Any = None) -> Scorecard:
        """Bin every feature, keep those with enough IV, fit the regression and scale to points."""
        cfg = self._config()
        target = binary_target(y, positive=positive)
        df = check_training_frame(X, len(target)).reset_index(drop=True)
        kinds = feature_kinds(df)
        bins = {
            c: fit_bins(df[c], target, kinds[c], max_bins=cfg.max_bins, min_share=cfg.min_bin_share)
            for c in df.columns.astype(str)
        }
        self.config_ = cfg
        self.kinds_ = kinds
        self.iv_ = {c: round(b.iv, 6) for c, b in bins.items()}
        self.selected_ = self._select(bins, cfg)
        self.bins_ = {c: bins[c] for c in self.selected_}
        self.categories_ = {
            c: sorted({v for g in b.groups for v in g})
            for c, b in self.bins_.items()
            if b.kind == "categorical"
        }
        self._fit_regression(df, target, cfg)
        return self

    @staticmethod
    def _select(bins: dict[str, FeatureBins], cfg: ScorecardConfig) -> list[str]:
        ranked = sorted(bins, key=lambda c: -bins[c].iv)
        kept = [c for c in ranked if bins[c].iv >= cfg.min_iv and bins[c].n_bins > 2][
            : cfg.max_features
        ]
        if not kept:
            best = ", ".join(f"{c} {bins[c].iv:.4f}" for c in ranked[:3])
            raise InvalidDataError(
                f"features must include one with information value >= {cfg.min_iv}; "
                f"got the best {best}. Lower min_iv or add predictive features."
            )
        return kept

    def _woe_matrix(self, df: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
        idx = np.column_stack([self.bins_[c].assign(df[c]) for c in self.selected_])
        woe = np.column_stack(
            [np.asarray(self.bins_[c].woe)[idx[:, j]] for j, c in enumerate(self.selected_)]
        )
        return idx, woe

    def _fit_regression(self, df: pd.DataFrame, target: np.ndarray, cfg: ScorecardConfig) -> None:
        from sklearn.linear_model import LogisticRegression

        _, woe = self._woe_matrix(df)
        lr = LogisticRegression(C=cfg.C, max_iter=1000).fit(woe, target)
        self.coef_ = lr.coef_[0].astype(float)
        self.intercept_ = float(lr.intercept_[0])
        self.points_ = self._points(cfg)

    def _points(self, cfg: ScorecardConfig) -> dict[str, list[float]]:
        scale, k = cfg.scale, len(self.selected_)
        out = {}
        for j, c in enumerate(self.selected_):
            woe = np.asarray(self.bins_[c].woe)
            pts = (scale.offset - scale.factor * self.intercept_) / k - scale.factor * self.coef_[
                j
            ] * woe
            out[c] = (np.round(pts) if cfg.integer_points else pts).tolist()
        return out

    # -- use ---------------------------------------------------------------------------------
    def prepare(self, X: pd.DataFrame, *, unseen: str = "error") -> pd.DataFrame:
        """The selected columns of ``X``, checked (missing columns, text in numbers, unseen categories;
        ``unseen="missing"`` scores an unseen category as missing)."""
        self._check_is_fitted("score")
        return coerce_scoring_frame(
            X, self.selected_, self.kinds_, {c: set(v) for c, v in self.categories_.items()}, unseen
        )

    def score(self, X: pd.DataFrame, *, unseen: str = "error") -> ScoredRows:
        """Scores, probabilities of default, points per feature and points lost per feature."""
        df = self.prepare(X, unseen=unseen)
        idx = np.column_stack([self.bins_[c].assign(df[c]) for c in self.selected_])
        pts = np.column_stack(
            [np.asarray(self.points_[c])[idx[:, j]] for j, c in enumerate(self.selected_)]
        )
        best = np.array([max(self.points_[c]) for c in self.selected_])
        score = pts.sum(axis=1)
        return ScoredRows(
            score=score,
            prob=self.config_.scale.pd_from_score(score),
            contributions=pd.DataFrame(pts, columns=self.selected_),
            lost=pd.DataFrame(best[None, :] - pts, columns=self.selected_),
        )

    def predict_proba(self, X: pd.DataFrame, *, unseen: str = "error") -> np.ndarray:
        """Probability of default per row (from the logistic regression, before rounding points)."""
        df = self.prepare(X, unseen=unseen)
        _, woe = self._woe_matrix(df)
        return 1.0 / (1.0 + np.exp(-(self.intercept_ + woe @ self.coef_)))

    def table(self) -> pd.DataFrame:
        """The scorecard table: feature, bin, counts, event rate, WOE, IV, points.

        Examples
        --------
        >>> rng = np.random.default_rng(1)
        >>> X = pd.DataFrame({"d": rng.integers(0, 3, 400)})
        >>> y = (rng.random(400) < 0.1 + 0.2 * X["d"].to_numpy()).astype(int)
        >>> list(Scorecard().fit(X, y).table().columns)
        ['feature', 'bin', 'count', 'bad', 'bad_rate', 'woe', 'iv', 'points']
        """
        self._check_is_fitted("table")
        rows = []
        for c in self.selected_:
            b = self.bins_[c]
            for i, label in enumerate(b.labels()):
                n = b.good[i] + b.bad[i]
                rows.append(
                    {
                        "feature": c,
                        "bin": label,
                        "count": n,
                        "bad": b.bad[i],
                        "bad_rate": round(b.bad[i] / n, 6) if n else None,
                        "woe": round(b.woe[i], 6),
                        "iv": round(b.iv, 6),
                        "points": round(self.points_[c][i], 6),
                    }
                )
        return pd.DataFrame(rows)

    def monotone_directions(self) -> dict[str, int]:
        """+1 where risk rises with the feature, −1 where it falls, 0 otherwise (for the challenger)."""
        self._check_is_fitted("monotone_directions")
        return {
            c: {"ascending": 1, "descending": -1}.get(b.trend, 0) for c, b in self.bins_.items()
        }

    # -- persistence ---------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """The fitted scorecard as JSON-able data."""
        self._check_is_fitted("to_dict")
        return {
            "config": asdict(self.config_),
            "kinds": self.kinds_,
            "iv": self.iv_,
            "selected": self.selected_,
            "bins": {c: b.to_dict() for c, b in self.bins_.items()},
            "categories": self.categories_,
            "coef": self.coef_.tolist(),
            "intercept": self.intercept_,
            "points": self.points_,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Scorecard:
        """Rebuild a scorecard written by :meth:`to_dict`."""
        sc = cls(ScorecardConfig(**data["config"]))
        sc.config_ = ScorecardConfig(**data["config"])
        sc.kinds_, sc.iv_, sc.selected_ = data["kinds"], data["iv"], list(data["selected"])
        sc.bins_ = {c: FeatureBins(**b) for c, b in data["bins"].items()}
        sc.categories_ = data["categories"]
        sc.coef_, sc.intercept_ = np.asarray(data["coef"], dtype=float), float(data["intercept"])
        sc.points_ = {c: list(map(float, v)) for c, v in data["points"].items()}
        return sc

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write ``config.json`` (no pickle) atomically."""
        return save_state(path, kind="Scorecard", config=self.to_dict())

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> Scorecard:
        """Read a scorecard written by :meth:`save`."""
        return cls.from_dict(load_state(path, kind="Scorecard")["config"])
