"""Stationary block bootstrap (Politis & Romano) of historical daily returns."""

from __future__ import annotations

import numpy as np

from finloom._base import validate_param
from finloom.errors import InvalidDataError
from finloom.synth.market._base import MarketSimulator
from finloom.synth.market._paths import Shock

__all__ = ["StationaryBootstrap", "block_indices"]


def block_indices(
    n_obs: int,
    n_paths: int,
    n_days: int,
    block_length: float,
    rng: np.random.Generator,
    *,
    pool: np.ndarray | None = None,
    force_jump: int | None = None,
    jump_pool: np.ndarray | None = None,
) -> np.ndarray:
    """Row indices ``(n_paths, n_days)`` of a stationary bootstrap with mean block ``block_length``.

    Blocks start at a uniformly drawn row of ``pool`` (default: every row) and continue row by
    row (wrapping around) until a geometric stop. ``force_jump`` starts a new block at that day,
    drawn from ``jump_pool``.

    Examples
    --------
    >>> idx = block_indices(100, 2, 5, 1e9, np.random.default_rng(0))
    >>> bool(((np.diff(idx, axis=1) % 100) == 1).all())
    True
    """
    starts_pool = np.arange(n_obs) if pool is None or len(pool) == 0 else pool
    jumps = rng.random((n_paths, n_days)) < 1.0 / block_length
    jumps[:, 0] = True
    starts = starts_pool[rng.integers(0, len(starts_pool), size=(n_paths, n_days))]
    if force_jump is not None and force_jump < n_days:
        jumps[:, force_jump] = True
        fj_pool = starts_pool if jump_pool is None or len(jump_pool) == 0 else jump_pool
        starts[:, force_jump] = fj_pool[rng.integers(0, len(fj_pool), size=n_paths)]
    t = np.arange(n_days)
    last_jump = np.maximum.accumulate(np.where(jumps, t, 0), axis=1)
    first = np.take_along_axis(starts, last_jump, axis=1)
    return (first + (t - last_jump)) % n_obs


class StationaryBootstrap(MarketSimulator):
    """Resample blocks of historical return rows (all assets jointly) with geometric lengths.

    Keeps the return distribution and cross-asset dependence exactly; volatility clustering only
    survives within blocks. ``regime`` draws blocks starting on calm or stressed days; after a
    shock, a new block starts on a stressed day.

    Parameters
    ----------
    block_length : mean block length in days (>= 1).
    regime_method : ``"volatility"`` or ``"hmm"`` for the calm/stressed labels.

    Examples
    --------
    >>> import pandas as pd
    >>> idx = pd.bdate_range("2020-01-01", periods=300)
    >>> px = pd.DataFrame({"A": 100 * np.exp(np.cumsum(np.random.default_rng(0).normal(0, .01, 300)))},
    ...                   index=idx)
    >>> paths = StationaryBootstrap(block_length=10).fit(px).sample(4, 20, random_state=0)
    >>> paths.prices.shape
    (4, 20, 1)
    """

    def __init__(self, *, block_length: float = 20.0, regime_method: str = "volatility") -> None:
        self.block_length = block_length
        self.regime_method = regime_method

    def _validate_params(self) -> None:
        validate_param("StationaryBootstrap", "block_length", self.block_length,
                       lambda v: float(v) >= 1.0, "a number >= 1")

    def _fit_returns(self, returns: np.ndarray) -> None:
        if len(returns) < 2 * float(self.block_length):
            raise InvalidDataError(f"the series must have at least 2 * block_length = "
                                   f"{2 * float(self.block_length):.0f} returns; got {len(returns)}. "
                                   "Lower block_length or provide a longer history.")
        self.n_obs_ = len(returns)

    def _restore(self) -> None:
        self.n_obs_ = len(self.returns_)

    def _simulate(self, n_paths: int, n_days: int, rng: np.random.Generator,
                  regime: int | None, shock: Shock | None) -> np.ndarray:
        pool = None if regime is None else np.flatnonzero(self.regimes_ == regime)
        stressed = np.flatnonzero(self.regimes_ == 1)
        idx = block_indices(self.n_obs_, n_paths, n_days, float(self.block_length), rng, pool=pool,
                            force_jump=None if shock is None else shock.day + 1, jump_pool=stressed)
        out = self.returns_[idx]  # (P, T, A)
        if shock is not None:
            out[:, shock.day, self._shock_vector(shock)] = shock.log_return
        return out
