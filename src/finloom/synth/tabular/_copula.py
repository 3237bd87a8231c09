"""Gaussian copula synthesizer (scipy/numpy only): empirical marginals + a normal-score correlation."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import special

from finloom._base import ProgressCallback, validate_param
from finloom.synth.tabular._base import BaseSynthesizer
from finloom.synth.tabular._columns import (
    CONTINUOUS,
    ColumnPlan,
    TablePlan,
    missing_patterns,
    null_mask,
)
from finloom.synth.tabular._conditions import Condition

__all__ = ["CopulaConfig", "GaussianCopulaSynthesizer"]

_EPS = 1e-9


@dataclass
class CopulaConfig:
    """Settings of :class:`GaussianCopulaSynthesizer`."""

    n_knots: int = 2001  # quantiles kept per continuous column (the model never stores raw rows)
    max_discrete: int = 100  # numerical columns with at most this many values are reproduced exactly
    shrinkage: float = 0.0  # pull the correlation towards identity (0 = none)
    gibbs_sweeps: int = 5  # sweeps of the truncated-normal sampler used by conditions

    def validate(self, owner: str) -> None:
        validate_param(owner, "n_knots", self.n_knots, lambda v: isinstance(v, int) and v >= 11, "an int >= 11")
        validate_param(owner, "max_discrete", self.max_discrete, lambda v: isinstance(v, int) and v >= 1, "an int >= 1")
        validate_param(owner, "shrinkage", self.shrinkage, lambda v: 0 <= v <= 1, "a float in [0, 1]")
        validate_param(owner, "gibbs_sweeps", self.gibbs_sweeps, lambda v: isinstance(v, int) and v >= 1, "an int >= 1")


def _order_key(part: np.ndarray, col: ColumnPlan) -> np.ndarray:
    """A sortable key per row; nulls sort first."""
    if col.role == CONTINUOUS:
        return np.where(np.isnan(part), -np.inf, part)
    null_code = len(col.values)
    return np.where(part == null_code, -1, part).astype(float)


def _normal_scores(key: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Randomised ranks -> normal scores (ties broken at random)."""
    order = np.lexsort((rng.random(len(key)), key))
    ranks = np.empty(len(key), dtype=float)
    ranks[order] = np.arange(len(key))
    return special.ndtri((ranks + 0.5) / len(key))


def _nearest_pd(corr: np.ndarray, shrinkage: float) -> np.ndarray:
    corr = np.nan_to_num(corr, nan=0.0)
    corr = (1 - shrinkage) * corr + shrinkage * np.eye(len(corr))
    np.fill_diagonal(corr, 1.0)
    vals, vecs = np.linalg.eigh(corr)
    corr = (vecs * np.maximum(vals, 1e-6)) @ vecs.T
    d = np.sqrt(np.diag(corr))
    return corr / np.outer(d, d)


class GaussianCopulaSynthesizer(BaseSynthesizer):
    """Gaussian copula over empirical marginals; exact value grids and fast sampling.

    Marginals: discrete columns (categorical, boolean, numericals with few values) keep their
    frequencies; continuous columns keep ``n_knots`` quantiles (spikes such as 0 included) and
    nulls. Conditions are met exactly by sampling the copula's truncated normal.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> df = pd.DataFrame({"limit": rng.integers(1, 9, 200) * 10_000,
    ...                    "spend": rng.gamma(2.0, 100.0, 200).round(2),
    ...                    "default": rng.integers(0, 2, 200)})
    >>> synth = GaussianCopulaSynthesizer(random_state=0).fit(df)
    >>> out = synth.sample(100, conditions={"default": 1}, random_state=1)
    >>> out.shape, set(out["default"]), bool((out["limit"] % 10_000 == 0).all())
    ((100, 3), {1}, True)
    """

    config_class = CopulaConfig

    def __init__(self, config: CopulaConfig | None = None, *, constraints: Any = None,
                 random_state: int | None = None, relations: bool = True) -> None:
        super().__init__(config, constraints=constraints, random_state=random_state, relations=relations)

    def _fit_model(self, df: pd.DataFrame, progress: ProgressCallback) -> None:
        cfg: CopulaConfig = self.config_
        rng = np.random.default_rng(self.random_state)
        self.plan_ = TablePlan.fit(df, self.metadata_, max_discrete=cfg.max_discrete)
        parts = self.plan_.split(df)
        cols = self.plan_.modelled
        self.marginals_: dict[str, list[float]] = {}
        # Two or more columns with nulls: the joint missing pattern is one more (discrete) copula
        # column, so co-missing columns stay co-missing at their training rate; the values of
        # those columns are scored on their observed cells only.
        nullable = [c.name for c in cols if c.has_null]
        self.pattern_cols_: list[str] = nullable if len(nullable) >= 2 else []
        self.patterns_: list[list[bool]] = []
        self.pattern_probs_: list[float] = []
        z = np.zeros((len(df), len(cols) + int(bool(self.pattern_cols_))))
        for j, col in enumerate(cols):
            self.marginals_[col.name] = self._marginal(parts[col.name], col, cfg.n_knots)
            key = _order_key(parts[col.name], col)
            if col.name in self.pattern_cols_:
                seen = ~null_mask(parts[col.name], col)
                z[:, j] = np.nan
                z[seen, j] = _normal_scores(key[seen], rng) if seen.any() else np.nan
            else:
                z[:, j] = _normal_scores(key, rng)
            progress(0.9 * (j + 1) / max(len(cols), 1), f"marginal of '{col.name}'")
        if self.pattern_cols_:
            miss = np.column_stack([null_mask(parts[c], self.plan_.column(c)) for c in self.pattern_cols_])
            patterns, codes, probs = missing_patterns(miss)
            self.patterns_, self.pattern_probs_ = patterns.tolist(), probs.tolist()
            z[:, -1] = _normal_scores(codes.astype(float), rng)
            corr: Any = pd.DataFrame(z).corr(min_periods=10).to_numpy()  # pairwise over observed cells
        elif len(cols) > 1:
            corr = np.corrcoef(z, rowvar=False)
        else:
            corr = np.ones((len(cols), len(cols)))
        self.corr_ = _nearest_pd(np.atleast_2d(corr), cfg.shrinkage)
        progress(1.0, "correlation estimated")

    def _missing_patterns(self) -> int | None:
        return len(self.patterns_) if self.pattern_cols_ else None

    def _null_share(self, col: ColumnPlan) -> float:
        return float(self.marginals_[col.name][0]) if col.has_null else 0.0

    @staticmethod
    def _marginal(part: np.ndarray, col: ColumnPlan, n_knots: int) -> list[float]:
        """Discrete: probabilities in sort order (null first). Continuous: [p_null, *knots]."""
        if col.role == CONTINUOUS:
            finite = part[~np.isnan(part)]
            knots = np.quantile(finite, np.linspace(0, 1, n_knots)) if len(finite) else np.zeros(n_knots)
            return [float(np.isnan(part).mean()), *knots.tolist()]
        counts = np.bincount(part, minlength=col.n_codes).astype(float)
        if col.has_null:
            counts = np.concatenate([counts[-1:], counts[:-1]])
        return (counts / counts.sum()).tolist()

    # -- sampling ------------------------------------------------------------------------------
    def _interval(self, cond: Condition, col: ColumnPlan) -> tuple[float, float]:
        """The condition as a [low, high] interval of the column's uniform score."""
        marg = np.asarray(self.marginals_[col.name])
        if col.role != CONTINUOUS:
            cum = np.concatenate([[0.0], np.cumsum(marg)])
            codes = np.asarray(cond.codes)
            pos = np.where(codes == len(col.values), 0, codes + int(col.has_null))
            return float(cum[pos.min()]), float(cum[pos.max() + 1])
        p_null, knots = marg[0], marg[1:]
        grid = np.linspace(0, 1, len(knots))
        lo = grid[min(int(np.searchsorted(knots, cond.low, "left")), len(knots) - 1)]
        hi = grid[max(int(np.searchsorted(knots, cond.high, "right")) - 1, 0)]
        return float(p_null + (1 - p_null) * lo), float(p_null + (1 - p_null) * hi)

    def _truncated_normal(self, n: int, bounds: dict[int, tuple[float, float]],
                          rng: np.random.Generator) -> np.ndarray:
        """Gibbs sampler for z ~ N(0, corr) restricted to the box ``bounds`` on some columns."""
        d = len(self.corr_)
        z = rng.standard_normal((n, d)) @ np.linalg.cholesky(self.corr_).T
        idx = sorted(bounds)
        lo = special.ndtri(np.clip([bounds[j][0] for j in idx], _EPS, 1 - _EPS))
        hi = special.ndtri(np.clip([bounds[j][1] for j in idx], _EPS, 1 - _EPS))
        prec = np.linalg.inv(self.corr_)
        for _ in range(self.config_.gibbs_sweeps):
            for k, j in enumerate(idx):
                sd = 1.0 / np.sqrt(prec[j, j])
                mu = -(z @ prec[j] - z[:, j] * prec[j, j]) / prec[j, j]
                a, b = special.ndtr((lo[k] - mu) / sd), special.ndtr((hi[k] - mu) / sd)
                u = np.clip(a + rng.random(n) * (b - a), _EPS, 1 - _EPS)
                z[:, j] = mu + sd * special.ndtri(u)
            free = [j for j in range(d) if j not in bounds]
            if free:
                z[:, free] = self._conditional(z, idx, free, rng)
        return z

    def _conditional(self, z: np.ndarray, given: list[int], free: list[int],
                     rng: np.random.Generator) -> np.ndarray:
        s = self.corr_
        gain = s[np.ix_(free, given)] @ np.linalg.inv(s[np.ix_(given, given)])
        cov = s[np.ix_(free, free)] - gain @ s[np.ix_(given, free)]
        chol = np.linalg.cholesky(cov + 1e-9 * np.eye(len(free)))
        return z[:, given] @ gain.T + rng.standard_normal((len(z), len(free))) @ chol.T

    def _generate(self, n: int, conditions: list[Condition], rng: np.random.Generator) -> pd.DataFrame:
        cols = self.plan_.modelled
        position = {c.name: j for j, c in enumerate(cols)}
        bounds = {}
        for cond in conditions:
            col = self.plan_.column(cond.name)
            lo, hi = self._interval(cond, col)
            if col.name in self.pattern_cols_:  # the column's score covers its observed values only
                p = self._null_share(col)
                lo, hi = (max(lo - p, 0.0) / max(1 - p, _EPS), max(hi - p, 0.0) / max(1 - p, _EPS))
            bounds[position[cond.name]] = (lo, hi)
        if bounds:
            z = self._truncated_normal(n, bounds, rng)
        else:
            z = rng.standard_normal((n, len(self.corr_))) @ np.linalg.cholesky(self.corr_).T
        u = special.ndtr(z)
        parts = {}
        for j, col in enumerate(cols):
            if col.name in self.pattern_cols_:
                p = self._null_share(col)
                parts[col.name] = self._invert(np.minimum(p + (1 - p) * u[:, j] + _EPS, 1.0), col)
            else:
                parts[col.name] = self._invert(u[:, j], col)
        if self.pattern_cols_:
            cum = np.cumsum(self.pattern_probs_)
            code = np.minimum(np.searchsorted(cum, u[:, -1], "right"), len(cum) - 1)
            missing = np.asarray(self.patterns_, dtype=bool)[code]
            for k, name in enumerate(self.pattern_cols_):
                col = self.plan_.column(name)
                null = np.nan if col.role == CONTINUOUS else len(col.values)
                parts[name] = np.where(missing[:, k], null, parts[name])
                if col.role != CONTINUOUS:
                    parts[name] = parts[name].astype(np.int64)
        return self.plan_.merge(parts, n)

    def _invert(self, u: np.ndarray, col: ColumnPlan) -> np.ndarray:
        marg = np.asarray(self.marginals_[col.name])
        if col.role == CONTINUOUS:
            p_null, knots = marg[0], marg[1:]
            q = np.clip((u - p_null) / max(1 - p_null, _EPS), 0, 1)
            pos = q * (len(knots) - 1)
            i = np.minimum(pos.astype(np.int64), len(knots) - 2)
            values = knots[i] + (pos - i) * (knots[i + 1] - knots[i])
            return np.where(u < p_null, np.nan, values)
        pos = np.minimum(np.searchsorted(np.cumsum(marg), u, "right"), len(marg) - 1)
        if not col.has_null:
            return pos
        return np.where(pos == 0, len(col.values), pos - 1)

    # -- persistence ---------------------------------------------------------------------------
    def _get_state(self) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
        state = {"plan": self.plan_.to_dict(), "marginals": self.marginals_,
                 "pattern_cols": self.pattern_cols_, "patterns": self.patterns_,
                 "pattern_probs": self.pattern_probs_}
        return state, {"corr": self.corr_}

    def _set_state(self, state: dict[str, Any], tensors: dict[str, np.ndarray]) -> None:
        self.plan_ = TablePlan.from_dict(state["plan"])
        self.marginals_ = state["marginals"]
        self.pattern_cols_ = state.get("pattern_cols", [])
        self.patterns_ = state.get("patterns", [])
        self.pattern_probs_ = state.get("pattern_probs", [])
        self.corr_ = tensors["corr"]
