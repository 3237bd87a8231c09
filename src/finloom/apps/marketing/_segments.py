"""Customer segments on mixed numeric and categorical features: k-prototypes (Huang 1998) with batch
updates and k-means++ seeding, k chosen by the silhouette on the k-prototypes dissimilarity, and
stability measured by the adjusted Rand index of bootstrap refits against the reference labels."""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from finloom._base import BaseEstimator, ProgressCallback, noop_progress, validate_param
from finloom._serialization import load_state, save_state
from finloom.errors import ConfigError, InvalidDataError, did_you_mean

__all__ = ["SegmentConfig", "Segmenter"]

_MISSING = "(missing)"
_MAX_LEVELS = 50  # a categorical feature with more distinct values is an id, not a segment trait


@dataclass
class SegmentConfig:
    """Search range of k, sample sizes and bootstrap rounds.

    Examples
    --------
    >>> SegmentConfig().k_max
    6
    """

    k_min: int = 2
    k_max: int = 6
    sample: int = 2000  # rows the clusters are fitted on (k-prototypes is O(rows · k · iterations))
    silhouette_sample: int = 1000  # rows the silhouette and the bootstrap ARI are measured on
    n_init: int = 5
    max_iter: int = 50
    bootstrap: int = 10  # refits on resampled rows for the stability ARI (0: skip)
    gamma: float = 0.5  # weight of one categorical mismatch against squared z-score distance
    min_share: float = 0.02  # a k whose smallest segment is below this share of rows is not chosen

    def validate(self) -> None:
        """Check the settings."""
        validate_param("Segmenter", "k_min", self.k_min, lambda v: int(v) == v and v >= 2, "an int >= 2")
        validate_param("Segmenter", "k_max", self.k_max, lambda v: int(v) == v and self.k_min <= v <= 20,
                       "an int in [k_min, 20]")
        validate_param("Segmenter", "sample", self.sample, lambda v: int(v) == v and v >= 20, "an int >= 20")
        validate_param("Segmenter", "bootstrap", self.bootstrap, lambda v: int(v) == v and 0 <= v <= 100,
                       "an int in [0, 100]")
        validate_param("Segmenter", "gamma", self.gamma, lambda v: v > 0, "a positive number")


class Segmenter(BaseEstimator):
    """k-prototypes segments of customers, with k picked by silhouette and a bootstrap stability ARI.

    Numeric features are z-scored (missing values at the mean); categorical ones compared by
    mismatch, each mismatch weighing ``gamma``. Distances, centroids and assignment are those of
    k-prototypes, so :meth:`predict` places new customers exactly as the fit would.

    Parameters
    ----------
    config : SegmentConfig or dict, optional
    features : list of str, optional
        Columns to segment on (all but ``exclude`` when omitted).
    exclude : list of str, optional
    random_state : int, optional

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> df = pd.DataFrame({"age": np.r_[rng.normal(25, 2, 60), rng.normal(60, 2, 60)],
    ...                    "job": ["student"] * 60 + ["retired"] * 60})
    >>> seg = Segmenter({"k_max": 3, "bootstrap": 3}, random_state=0).fit(df)
    >>> seg.k_, round(seg.stability_, 2)
    (2, 1.0)
    """

    def __init__(self, config: SegmentConfig | dict[str, Any] | None = None, *, features: list[str] | None = None,
                 exclude: list[str] | None = None, random_state: int | None = None) -> None:
        self.config = config
        self.features = features
        self.exclude = exclude
        self.random_state = random_state

    def _config(self) -> SegmentConfig:
        cfg = self.config if isinstance(self.config, SegmentConfig) else SegmentConfig(**(self.config or {}))
        cfg.validate()
        return cfg

    # -- encoding ------------------------------------------------------------------------------
    def _learn_features(self, data: pd.DataFrame) -> None:
        cols = list(self.features) if self.features else [c for c in data.columns if c not in set(self.exclude or ())]
        unknown = [c for c in cols if c not in data.columns]
        if unknown:
            raise InvalidDataError(f"segment features must be columns of the data; got {unknown[0]!r}."
                                   f"{did_you_mean(str(unknown[0]), data.columns)}")
        self.numeric_, self.categorical_ = [], []
        self.means_, self.stds_ = {}, {}
        for c in cols:
            col = data[c]
            if pd.api.types.is_numeric_dtype(col) and not pd.api.types.is_bool_dtype(col):
                values = col.astype(float)
                std = float(values.std(ddof=0))
                if not np.isfinite(std) or std == 0:
                    continue  # a constant column separates nobody
                self.numeric_.append(str(c))
                self.means_[str(c)], self.stds_[str(c)] = float(values.mean()), std
            elif 1 < col.nunique(dropna=False) <= _MAX_LEVELS:
                self.categorical_.append(str(c))
        if not self.numeric_ and not self.categorical_:
            raise InvalidDataError("segment features must include a numeric column that varies or a categorical "
                                   f"column with 2 to {_MAX_LEVELS} values; got none. Pass features=[...].")

    def _encode(self, data: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
        num = np.column_stack([
            ((data[c].astype(float) - self.means_[c]) / self.stds_[c]).fillna(0.0).to_numpy() for c in self.numeric_
        ]) if self.numeric_ else np.zeros((len(data), 0))
        cat = np.column_stack([
            data[c].astype(object).where(data[c].notna(), _MISSING).astype(str).to_numpy() for c in self.categorical_
        ]) if self.categorical_ else np.zeros((len(data), 0), dtype=object)
        return num, cat

    # -- k-prototypes ---------------------------------------------------------------------------
    def _kproto(self, num: np.ndarray, cat: np.ndarray, k: int, seed: int, cfg: SegmentConfig) -> tuple[np.ndarray, np.ndarray]:
        """(numeric centroids (k, p), categorical modes (k, q)) of the best of ``n_init`` k-prototypes runs.

        Huang's cost (squared z-distance + ``gamma`` × mismatches) minimised by batch updates: assign
        every customer to its nearest prototype, then move each prototype to its members' means and
        modes, until no assignment changes. Seeding is k-means++ on the same dissimilarity.
        """
        rng = np.random.default_rng(seed)
        codes = np.column_stack([np.unique(cat[:, j], return_inverse=True)[1] for j in range(cat.shape[1])]) \
            if cat.shape[1] else np.zeros((len(num), 0), dtype=int)
        best: tuple[float, np.ndarray, np.ndarray] | None = None
        for _ in range(cfg.n_init):
            cnum, ccode = self._seed(num, codes, k, rng, cfg.gamma)
            labels = np.full(len(num), -1)
            for _ in range(cfg.max_iter):
                d = self._dissim(num, codes, cnum, ccode, cfg.gamma)
                new = d.argmin(axis=1)
                if np.array_equal(new, labels):
                    break
                labels = new
                for c in range(k):
                    members = labels == c
                    if not members.any():  # an emptied prototype restarts at the worst-served customer
                        far = int(d.min(axis=1).argmax())
                        cnum[c], ccode[c] = num[far], codes[far]
                        continue
                    cnum[c] = num[members].mean(axis=0)
                    ccode[c] = [np.bincount(codes[members, j]).argmax() for j in range(codes.shape[1])]
            cost = float(self._dissim(num, codes, cnum, ccode, cfg.gamma).min(axis=1).sum())
            if best is None or cost < best[0]:
                best = (cost, cnum.copy(), ccode.copy())
        assert best is not None  # n_init >= 1
        _, cnum, ccode = best
        modes = np.column_stack([np.unique(cat[:, j])[ccode[:, j]] for j in range(cat.shape[1])]) \
            if cat.shape[1] else np.zeros((k, 0), dtype=object)
        return cnum, np.asarray(modes, dtype=object).astype(str)

    def _seed(self, num: np.ndarray, codes: np.ndarray, k: int, rng: np.random.Generator,
              gamma: float) -> tuple[np.ndarray, np.ndarray]:
        """k-means++ seeding: each next prototype drawn with probability ∝ its dissimilarity to the nearest."""
        first = int(rng.integers(len(num)))
        picks = [first]
        nearest = self._dissim(num, codes, num[[first]], codes[[first]], gamma)[:, 0]
        for _ in range(1, k):
            total = nearest.sum()
            nxt = int(rng.choice(len(num), p=nearest / total)) if total > 0 else int(rng.integers(len(num)))
            picks.append(nxt)
            nearest = np.minimum(nearest, self._dissim(num, codes, num[[nxt]], codes[[nxt]], gamma)[:, 0])
        return num[picks].astype(float).copy(), codes[picks].copy()

    def _dissim(self, num: np.ndarray, cat: np.ndarray, cnum: np.ndarray, ccat: np.ndarray, gamma: float) -> np.ndarray:
        d = ((num[:, None, :] - cnum[None, :, :]) ** 2).sum(axis=2) if num.shape[1] else np.zeros((len(num), len(cnum)))
        if cat.shape[1]:
            d = d + gamma * (cat[:, None, :] != ccat[None, :, :]).sum(axis=2)
        return d

    def _pairwise(self, num: np.ndarray, cat: np.ndarray, gamma: float) -> np.ndarray:
        d = ((num[:, None, :] - num[None, :, :]) ** 2).sum(axis=2) if num.shape[1] else 0.0
        if cat.shape[1]:
            d = d + gamma * (cat[:, None, :] != cat[None, :, :]).sum(axis=2)
        return np.sqrt(np.asarray(d, dtype=float))

    # -- fit -----------------------------------------------------------------------------------
    def fit(self, data: pd.DataFrame, *, progress: ProgressCallback = noop_progress) -> Segmenter:
        """Fit k-prototypes for every k in range, keep the best silhouette, then measure stability."""
        from sklearn.metrics import adjusted_rand_score, silhouette_score

        cfg = self._config()
        if not isinstance(data, pd.DataFrame):
            raise ConfigError(f"data must be a pandas DataFrame; got {type(data).__name__}.")
        if len(data) < 2 * cfg.k_min:
            raise InvalidDataError(f"data must have at least {2 * cfg.k_min} customers to form {cfg.k_min} segments "
                                   f"of two or more; got {len(data)}. Segment a larger table.")
        self._learn_features(data)
        rng = np.random.default_rng(self.random_state)
        fit_rows = rng.choice(len(data), size=min(cfg.sample, len(data)), replace=False)
        ref_rows = fit_rows[: min(cfg.silhouette_sample, len(fit_rows))]
        num, cat = self._encode(data.iloc[fit_rows].reset_index(drop=True))
        rnum, rcat = num[: len(ref_rows)], cat[: len(ref_rows)]
        pair = self._pairwise(rnum, rcat, cfg.gamma)
        k_max = min(cfg.k_max, len(fit_rows) // 2)
        scores: dict[int, float] = {}
        fits: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        seed = int(rng.integers(2**31 - 1))
        for i, k in enumerate(range(cfg.k_min, k_max + 1)):
            progress(0.7 * i / max(1, k_max - cfg.k_min + 1), f"segments: trying k={k}")
            cnum, ccat = self._kproto(num, cat, k, seed, cfg)
            labels = self._dissim(rnum, rcat, cnum, ccat, cfg.gamma).argmin(axis=1)
            sizes = np.bincount(labels, minlength=len(cnum))
            if len(np.unique(labels)) < 2 or sizes.min() < max(2, cfg.min_share * len(labels)):
                continue
            scores[k] = float(silhouette_score(pair, labels, metric="precomputed"))
            fits[k] = (cnum, ccat)
        if not scores:
            raise InvalidDataError(
                f"segments must each hold at least {cfg.min_share:.0%} of the customers and two of them; no k in "
                f"[{cfg.k_min}, {k_max}] gave that. Use more customers or features that vary."
            )
        self.k_ = max(scores, key=lambda k: (round(scores[k], 6), -k))
        self.silhouettes_, self.silhouette_ = scores, scores[self.k_]
        self.num_centroids_, self.cat_centroids_ = fits[self.k_]
        self.gamma_ = cfg.gamma
        reference = self._dissim(rnum, rcat, self.num_centroids_, self.cat_centroids_, cfg.gamma).argmin(axis=1)
        aris = []
        for b in range(cfg.bootstrap):
            progress(0.7 + 0.3 * b / cfg.bootstrap, f"segments: bootstrap {b + 1}/{cfg.bootstrap}")
            pick = rng.integers(0, len(num), len(num))
            bnum, bcat = self._kproto(num[pick], cat[pick], self.k_, int(rng.integers(2**31 - 1)), cfg)
            again = self._dissim(rnum, rcat, bnum, bcat, cfg.gamma).argmin(axis=1)
            aris.append(float(adjusted_rand_score(reference, again)))
        self.bootstrap_aris_ = aris
        self.stability_ = float(np.mean(aris)) if aris else float("nan")
        return self

    def predict(self, data: pd.DataFrame) -> np.ndarray:
        """Segment (0..k-1) of every row: the nearest prototype."""
        self._check_is_fitted("predict")
        missing = [c for c in (*self.numeric_, *self.categorical_) if c not in data.columns]
        if missing:
            raise InvalidDataError(f"data must have the segment features; got none named {missing[:5]}.")
        num, cat = self._encode(data.reset_index(drop=True))
        out = np.empty(len(data), dtype=int)
        for start in range(0, len(data), 20_000):  # bounded memory: (rows, k, features) per chunk
            sl = slice(start, start + 20_000)
            out[sl] = self._dissim(num[sl], cat[sl], self.num_centroids_, self.cat_centroids_, self.gamma_).argmin(axis=1)
        return out

    # -- persistence ---------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """JSON-able state."""
        self._check_is_fitted("to_dict")
        return {"config": asdict(self._config()), "numeric": self.numeric_, "categorical": self.categorical_,
                "means": self.means_, "stds": self.stds_, "k": self.k_, "gamma": self.gamma_,
                "silhouettes": {str(k): v for k, v in self.silhouettes_.items()},
                "num_centroids": self.num_centroids_.tolist(), "cat_centroids": self.cat_centroids_.tolist(),
                "bootstrap_aris": self.bootstrap_aris_}

    @classmethod
    def from_dict(cls, state: dict[str, Any]) -> Segmenter:
        """Rebuild a segmenter written by :meth:`to_dict`."""
        seg = cls(SegmentConfig(**state["config"]))
        seg.numeric_, seg.categorical_ = list(state["numeric"]), list(state["categorical"])
        seg.means_, seg.stds_ = dict(state["means"]), dict(state["stds"])
        seg.k_, seg.gamma_ = int(state["k"]), float(state["gamma"])
        seg.silhouettes_ = {int(k): float(v) for k, v in state["silhouettes"].items()}
        seg.silhouette_ = seg.silhouettes_[seg.k_]
        seg.num_centroids_ = np.asarray(state["num_centroids"], dtype=float).reshape(seg.k_, len(seg.numeric_))
        seg.cat_centroids_ = np.asarray(state["cat_centroids"], dtype=object).astype(str).reshape(seg.k_, len(seg.categorical_))
        seg.bootstrap_aris_ = [float(a) for a in state["bootstrap_aris"]]
        seg.stability_ = float(np.mean(seg.bootstrap_aris_)) if seg.bootstrap_aris_ else float("nan")
        return seg

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write ``config.json`` atomically."""
        return save_state(path, kind="Segmenter", config=self.to_dict())

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> Segmenter:
        """Read a segmenter written by :meth:`save`."""
        return cls.from_dict(load_state(path, kind="Segmenter")["config"])
