"""Two-component filtered historical simulation: a slow volatility level × a fast GARCH, on
bootstrapped standardized residuals.

Returns are modelled as ``r_t = mu + sqrt(q_t * h_t) * z_t`` where

* ``q_t`` is the slow volatility level (a centred ``window``-day mean of squared returns),
  simulated by a stationary block bootstrap of its history with long blocks (``level_block``),
  which carries the long memory of volatility;
* ``h_t`` is a unit-level EGARCH(1,1,1) or GJR-GARCH(1,1,1) fitted on ``r / sqrt(q)``; its
  asymmetric term gives the leverage effect; it is clipped to its historical range so the
  simulated tails stay as heavy as the data's and no heavier;
* ``z_t`` are the fitted standardized residuals, bootstrapped in short blocks, which keeps
  their fat tails, skew and cross-asset dependence (rows are drawn jointly for all assets).
"""

from __future__ import annotations

import warnings
from typing import ClassVar

import numpy as np
import pandas as pd

from finloom._base import validate_param
from finloom._optional import require
from finloom.errors import InvalidDataError
from finloom.synth.market._base import MarketSimulator
from finloom.synth.market._bootstrap import block_indices
from finloom.synth.market._paths import Shock

__all__ = ["HybridFHSSimulator"]

_SCALE = 100.0
_EGARCH_MEAN_ABS = float(np.sqrt(2.0 / np.pi))


def _fit_fast(u: np.ndarray, vol: str) -> tuple[np.ndarray, np.ndarray]:
    """Fit a zero-mean unit-level EGARCH/GJR on one normalized series: (params (4,), h (T,))."""
    arch_model = require("arch", feature="filtered historical simulation").arch_model
    model = arch_model(u, mean="Zero", vol="EGARCH" if vol == "EGARCH" else "GARCH",
                       p=1, o=1, q=1, dist="t", rescale=False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # optimiser convergence chatter
        res = model.fit(disp="off", show_warning=False)
    p = res.params
    params = np.array([p["omega"], p["alpha[1]"], p["gamma[1]"], p["beta[1]"]], dtype=np.float64)
    return params, np.asarray(res.conditional_volatility, dtype=np.float64) ** 2


class HybridFHSSimulator(MarketSimulator):
    """Slow bootstrapped volatility level × fast EGARCH/GJR × bootstrapped residuals (see module doc).

    Parameters
    ----------
    vol : ``"EGARCH"`` (default) or ``"GJR"`` for the fast component.
    window : days in the centred moving average of squared returns that defines the slow level.
    level_block : mean block length (days) of the slow-level bootstrap.
    resid_block : mean block length (days) of the residual bootstrap.
    clip : clip the fast variance to its historical ``clip`` .. ``1 - clip`` quantiles (0: min/max);
        None: no clipping.
    regime_method : ``"volatility"`` or ``"hmm"``; ``regime`` in ``sample`` draws the slow level
        from blocks starting on calm or stressed days.

    Examples
    --------
    >>> g = np.random.default_rng(0)
    >>> idx = pd.bdate_range("2015-01-01", periods=800)
    >>> px = pd.DataFrame({"A": 100 * np.exp(np.cumsum(g.standard_t(5, 800) * .01))}, index=idx)
    >>> sim = HybridFHSSimulator(window=63, level_block=100).fit(px)
    >>> sim.sample(2, 30, random_state=1, regime="stressed").prices.shape
    (2, 30, 1)
    """

    _tensor_names: ClassVar[tuple[str, ...]] = ("mu_", "level_", "fast_params_", "fast_var_",
                                                "std_resid_")

    def __init__(self, *, vol: str = "EGARCH", window: int = 63, level_block: float = 750.0,
                 resid_block: float = 10.0, clip: float | None = 0.005,
                 regime_method: str = "volatility") -> None:
        self.vol = vol
        self.window = window
        self.level_block = level_block
        self.resid_block = resid_block
        self.clip = clip
        self.regime_method = regime_method

    def _validate_params(self) -> None:
        owner = "HybridFHSSimulator"
        validate_param(owner, "vol", self.vol, lambda v: v in ("EGARCH", "GJR"), "'EGARCH' or 'GJR'")
        validate_param(owner, "window", self.window, lambda v: isinstance(v, int) and v >= 5, "an int >= 5")
        validate_param(owner, "level_block", self.level_block, lambda v: float(v) >= 1, "a number >= 1")
        validate_param(owner, "clip", self.clip, lambda v: v is None or 0 <= float(v) < 0.5,
                       "None or a number in [0, 0.5)")
        validate_param(owner, "resid_block", self.resid_block, lambda v: float(v) >= 1, "a number >= 1")

    def _fit_returns(self, returns: np.ndarray) -> None:
        if len(returns) < max(4 * self.window, 200):
            raise InvalidDataError(f"the series must have at least {max(4 * self.window, 200)} returns "
                                   f"for window={self.window}; got {len(returns)}. Lower window or "
                                   "provide a longer history.")
        r = returns * _SCALE
        self.mu_ = r.mean(axis=0)
        sq = pd.DataFrame((r - self.mu_) ** 2)
        self.level_ = sq.rolling(self.window, center=True, min_periods=self.window // 4).mean().to_numpy()
        u = (r - self.mu_) / np.sqrt(self.level_)
        fits = [_fit_fast(u[:, a], self.vol) for a in range(r.shape[1])]
        self.fast_params_ = np.stack([f[0] for f in fits])  # (A, 4)
        self.fast_var_ = np.column_stack([f[1] for f in fits])  # (T, A)
        self._restore()
        z = u / np.sqrt(self.fast_var_)
        self.std_resid_ = (z - z.mean(axis=0)) / z.std(axis=0)

    def _restore(self) -> None:
        q = 0.0 if self.clip is None else float(self.clip)
        self.fast_bounds_ = np.quantile(self.fast_var_, [q, 1.0 - q], axis=0)  # (2, A)

    def _update(self, h: np.ndarray, z: np.ndarray) -> np.ndarray:
        """One step of the fast variance given its standardized shock ``z``."""
        omega, alpha, gamma, beta = self.fast_params_.T
        if self.vol == "EGARCH":
            log_h = omega + alpha * (np.abs(z) - _EGARCH_MEAN_ABS) + gamma * z + beta * np.log(h)
            h_new = np.exp(np.minimum(log_h, 12.0))
        else:
            eps = np.sqrt(h) * z
            h_new = omega + (alpha + gamma * (eps < 0)) * eps**2 + beta * h
        if self.clip is not None:
            h_new = np.clip(h_new, self.fast_bounds_[0], self.fast_bounds_[1])
        return h_new

    def _simulate(self, n_paths: int, n_days: int, rng: np.random.Generator,
                  regime: int | None, shock: Shock | None) -> np.ndarray:
        n_obs = len(self.level_)
        pool = None if regime is None else np.flatnonzero(self.regimes_ == regime)
        stressed = np.flatnonzero(self.regimes_ == 1)
        level_idx = block_indices(n_obs, n_paths, n_days, float(self.level_block), rng, pool=pool,
                                  force_jump=None if shock is None else shock.day + 1, jump_pool=stressed)
        q = self.level_[level_idx]  # (P, T, A)
        z = self.std_resid_[block_indices(n_obs, n_paths, n_days, float(self.resid_block), rng)]
        h = self.fast_var_[level_idx[:, 0]]  # fast state of the first level day, (P, A)
        mask = None if shock is None else self._shock_vector(shock)
        out = np.empty_like(z)
        for t in range(n_days):
            zt = z[:, t]
            if shock is not None and t == shock.day:
                zt = zt.copy()
                target = (shock.log_return * _SCALE - self.mu_) / np.sqrt(q[:, t] * h)
                zt[:, mask] = target[:, mask]
            out[:, t] = self.mu_ + np.sqrt(q[:, t] * h) * zt
            h = self._update(h, zt)
        return out / _SCALE
