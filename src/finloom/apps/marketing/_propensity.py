"""The response (propensity) model: LightGBM on the campaign table, isotonic calibration on a
held-out fold, and the columns that leak the outcome kept out by name."""

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
from finloom.errors import ConfigError, InvalidDataError, did_you_mean

__all__ = ["LEAKY_COLUMNS", "PropensityConfig", "PropensityModel", "binary_outcome", "feature_frame"]

# Columns known only after the contact (their value reveals the outcome). ``duration`` is the call
# length of the bank-marketing log: 0 s means no call and thus "no"; it is unknown before calling.
LEAKY_COLUMNS = frozenset({"duration"})
_MAX_CATEGORIES = 200  # a text column with more distinct values is an id, not a feature


@dataclass
class PropensityConfig:
    """LightGBM settings and the calibration fold.

    Examples
    --------
    >>> PropensityConfig().calibration_share
    0.25
    """

    n_estimators: int = 600
    learning_rate: float = 0.03
    num_leaves: int = 15
    min_child_samples: int = 60
    subsample: float = 0.8
    colsample_bytree: float = 0.7
    reg_lambda: float = 5.0
    calibration_share: float = 0.25  # stratified rows kept out of training, for isotonic calibration
    stopping_share: float = 0.15  # of the training rows: early stopping
    early_stopping_rounds: int = 60

    def validate(self) -> None:
        """Check the settings."""
        validate_param("PropensityModel", "n_estimators", self.n_estimators,
                       lambda v: int(v) == v and v >= 1, "an int >= 1")
        validate_param("PropensityModel", "calibration_share", self.calibration_share,
                       lambda v: 0.05 <= v <= 0.5, "in [0.05, 0.5]")
        validate_param("PropensityModel", "stopping_share", self.stopping_share,
                       lambda v: 0.05 <= v <= 0.5, "in [0.05, 0.5]")


def binary_outcome(values: pd.Series, positive: Any = None) -> np.ndarray:
    """The target as 0/1 (1 = responded); ``positive`` names the response value ("yes", 1, True).

    Examples
    --------
    >>> binary_outcome(pd.Series(["no", "yes", "no"])).tolist()
    [0, 1, 0]
    >>> binary_outcome(pd.Series(["no", "no"]))
    Traceback (most recent call last):
    ...
    finloom.errors.InvalidDataError: target must have two classes (responders and non-responders); got only 'no'. A response model needs both outcomes in the data.
    """
    s = values.dropna()
    if len(s) != len(values):
        raise InvalidDataError(
            f"target must have a value in every row; got {len(values) - len(s)} missing. Drop or fill them first."
        )
    classes = sorted({str(v) for v in s.unique()})
    if len(classes) < 2:
        got = f"only {classes[0]!r}" if classes else "no rows"
        raise InvalidDataError(
            f"target must have two classes (responders and non-responders); got {got}. "
            "A response model needs both outcomes in the data."
        )
    if len(classes) > 2:
        raise InvalidDataError(f"target must have two classes; got {len(classes)} ({', '.join(classes[:5])}). "
                               "Map it to responded / did not respond first.")
    if positive is None:
        lowered = [c.lower() for c in classes]
        pick = next((c for c, low in zip(classes, lowered, strict=True)
                     if low in ("yes", "1", "true", "1.0", "y", "responded")), classes[1])
    else:
        pick = str(positive)
        if pick not in classes:
            raise InvalidDataError(f"positive must be one of the target's values {classes}; got {pick!r}.")
    return (s.astype(str) == pick).to_numpy(dtype=int)


def feature_frame(data: pd.DataFrame, target: str, *, exclude: tuple[str, ...] = (),
                  id_column: str | None = None) -> pd.DataFrame:
    """The model's inputs: every column but the target, the id, ``exclude`` and the leaky columns.

    Examples
    --------
    >>> df = pd.DataFrame({"age": [30, 40], "duration": [100, 0], "y": ["yes", "no"]})
    >>> list(feature_frame(df, "y").columns)
    ['age']
    """
    if target not in data.columns:
        raise InvalidDataError(f"target must be a column of the data; got {target!r}.{did_you_mean(target, data.columns)}")
    if id_column is not None and id_column not in data.columns:
        raise InvalidDataError(f"id_column must be a column of the data; got {id_column!r}."
                               f"{did_you_mean(id_column, data.columns)}")
    drop = {target, *exclude, *LEAKY_COLUMNS, *([id_column] if id_column else [])}
    cols = [c for c in data.columns if c not in drop]
    if not cols:
        raise InvalidDataError(f"data must have at least one feature besides {sorted(drop & set(data.columns))}; got none.")
    return data[cols].copy()


class PropensityModel(BaseEstimator):
    """Calibrated probability that a contacted customer responds.

    LightGBM learns on a stratified share of the rows (with early stopping on part of it); an
    isotonic map fitted on the rest (``calibration_share``) turns its score into a probability.
    Columns named in :data:`LEAKY_COLUMNS` are never used, even when passed.

    Parameters
    ----------
    config : PropensityConfig or dict, optional
    random_state : int, optional

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> X = pd.DataFrame({"age": rng.integers(20, 70, 1200), "job": rng.choice(["a", "b"], 1200)})
    >>> y = (rng.random(1200) < np.where(X["job"] == "a", 0.3, 0.05)).astype(int)
    >>> m = PropensityModel({"n_estimators": 50}, random_state=0).fit(X, y)
    >>> p = m.predict_proba(X)
    >>> bool(p[(X["job"] == "a").to_numpy()].mean() > p[(X["job"] == "b").to_numpy()].mean())
    True
    """

    def __init__(self, config: PropensityConfig | dict[str, Any] | None = None, *,
                 random_state: int | None = None) -> None:
        self.config = config
        self.random_state = random_state

    def _config(self) -> PropensityConfig:
        cfg = self.config if isinstance(self.config, PropensityConfig) else PropensityConfig(**(self.config or {}))
        cfg.validate()
        return cfg

    def _matrix(self, X: pd.DataFrame) -> pd.DataFrame:
        missing = [c for c in self.columns_ if c not in X.columns]
        if missing:
            raise InvalidDataError(f"data must have the model's columns; got none named {missing[:5]}. "
                                   "Score a table with the columns the model was fitted on.")
        out = pd.DataFrame(index=range(len(X)))
        for c in self.columns_:
            col = X[c].reset_index(drop=True)
            if c in self.categories_:
                out[c] = pd.Categorical(col.astype("string").astype(object).where(col.notna()),
                                        categories=self.categories_[c])
            else:
                out[c] = pd.to_numeric(col, errors="coerce").astype(float)
        return out

    def _learn_columns(self, X: pd.DataFrame) -> None:
        cols = [str(c) for c in X.columns if str(c) not in LEAKY_COLUMNS]
        if not cols:
            raise InvalidDataError("data must have at least one feature that is not a leaky column; got none.")
        self.columns_, self.categories_ = cols, {}
        for c in cols:
            col = X[c]
            if pd.api.types.is_bool_dtype(col) or not pd.api.types.is_numeric_dtype(col):
                cats = sorted({str(v) for v in col.dropna().unique()})
                if len(cats) > _MAX_CATEGORIES:
                    raise InvalidDataError(
                        f"column {c!r} must be a feature with at most {_MAX_CATEGORIES} categories; got {len(cats)}. "
                        "Pass it as id_column or exclude it."
                    )
                self.categories_[c] = cats
        self.dropped_ = sorted(str(c) for c in X.columns if str(c) in LEAKY_COLUMNS)

    def fit(self, X: pd.DataFrame, y: Any) -> PropensityModel:
        """Train on a stratified share, calibrate on the held-out fold; ``y`` is 0/1."""
        from sklearn.isotonic import IsotonicRegression
        from sklearn.model_selection import train_test_split

        lgb = require("lightgbm", feature="the propensity model")
        cfg = self._config()
        target = np.asarray(y, dtype=int)
        if len(target) != len(X):
            raise InvalidDataError(f"y must have one value per row of X ({len(X)}); got {len(target)}.")
        if np.bincount(target, minlength=2).min() < 10:
            raise InvalidDataError(
                f"target must have at least 10 rows of each class to fit and calibrate; got "
                f"{int(target.sum())} responders and {int((1 - target).sum())} non-responders. Use more data."
            )
        self._learn_columns(X)
        data = self._matrix(X)
        idx = np.arange(len(target))
        fit_idx, cal_idx = train_test_split(idx, test_size=cfg.calibration_share,
                                            random_state=self.random_state, stratify=target)
        tr, es = train_test_split(fit_idx, test_size=cfg.stopping_share,
                                  random_state=self.random_state, stratify=target[fit_idx])
        model = lgb.LGBMClassifier(
            n_estimators=cfg.n_estimators, learning_rate=cfg.learning_rate, num_leaves=cfg.num_leaves,
            min_child_samples=cfg.min_child_samples, subsample=cfg.subsample, subsample_freq=1,
            colsample_bytree=cfg.colsample_bytree, reg_lambda=cfg.reg_lambda,
            random_state=self.random_state, n_jobs=1, verbose=-1,
        )
        model.fit(data.iloc[tr], target[tr], eval_X=(data.iloc[es],), eval_y=(target[es],),
                  callbacks=[lgb.early_stopping(cfg.early_stopping_rounds, verbose=False)])
        self.config_, self.booster_ = cfg, model.booster_
        raw = self.booster_.predict(data.iloc[cal_idx], raw_score=True)
        iso = IsotonicRegression(out_of_bounds="clip", y_min=0.0, y_max=1.0).fit(raw, target[cal_idx])
        self.iso_x_ = [float(v) for v in iso.X_thresholds_]
        self.iso_y_ = [float(v) for v in iso.y_thresholds_]
        self.base_rate_ = float(target.mean())
        return self

    def raw_score(self, X: pd.DataFrame) -> np.ndarray:
        """LightGBM's margin (uncalibrated; ranks like the probability)."""
        self._check_is_fitted("raw_score")
        return np.asarray(self.booster_.predict(self._matrix(X), raw_score=True), dtype=float)

    def predict_proba(self, X: pd.DataFrame) -> np.ndarray:
        """Calibrated response probability per row.

        Ties from the isotonic steps are broken by the raw margin (a tiny, order-keeping nudge), so
        ranking by probability keeps the booster's finer order.
        """
        self._check_is_fitted("predict_proba")
        raw = self.raw_score(X)
        p = np.interp(raw, self.iso_x_, self.iso_y_)
        nudge = 1e-9 * (1.0 / (1.0 + np.exp(-raw)))
        return np.clip(p + nudge, 0.0, 1.0)

    def importance(self) -> dict[str, float]:
        """Share of total gain per feature (largest first)."""
        self._check_is_fitted("importance")
        gain = self.booster_.feature_importance(importance_type="gain")
        total = float(gain.sum()) or 1.0
        pairs = sorted(zip(self.columns_, gain, strict=True), key=lambda t: -t[1])
        return {c: float(g) / total for c, g in pairs}

    def to_dict(self) -> dict[str, Any]:
        """JSON-able state; the booster as LightGBM's text model (no pickle)."""
        self._check_is_fitted("to_dict")
        return {"config": asdict(self.config_), "columns": self.columns_, "categories": self.categories_,
                "dropped": self.dropped_, "iso_x": self.iso_x_, "iso_y": self.iso_y_,
                "base_rate": self.base_rate_, "booster": self.booster_.model_to_string()}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PropensityModel:
        """Rebuild a model written by :meth:`to_dict`."""
        lgb = require("lightgbm", feature="the propensity model")
        try:
            m = cls(PropensityConfig(**data["config"]))
            m.config_ = PropensityConfig(**data["config"])
            m.columns_, m.categories_, m.dropped_ = list(data["columns"]), dict(data["categories"]), list(data["dropped"])
            m.iso_x_, m.iso_y_ = list(data["iso_x"]), list(data["iso_y"])
            m.base_rate_ = float(data["base_rate"])
            m.booster_ = lgb.Booster(model_str=data["booster"])
        except (KeyError, TypeError) as exc:
            raise ConfigError(f"propensity model state must have every field; got an error: {exc}.") from exc
        return m

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write ``config.json`` atomically (booster text inside)."""
        return save_state(path, kind="PropensityModel", config=self.to_dict())

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> PropensityModel:
        """Read a model written by :meth:`save`."""
        return cls.from_dict(load_state(path, kind="PropensityModel")["config"])
