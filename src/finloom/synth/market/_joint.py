"""Joint multi-asset filtered historical simulation, optionally regime-switching.

Each asset gets its own GJR-GARCH volatility (``arch``); the standardised residuals of one day are
kept together as a vector and resampled jointly (stationary blocks), so the cross-asset dependence of
the shocks, their fat tails and skew survive. With ``regimes="markov"`` a calm/stressed state follows
a two-state Markov chain fitted on the historical labels, and each day's residual vector is drawn
from days of the current state: crisis days bring their higher cross-asset correlation with them.
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np

from finloom._base import validate_param
from finloom.synth.market._garch import GARCHSimulator
from finloom.synth.market._paths import Shock
from finloom.synth.market._regimes import label_regimes

__all__ = ["JointFHSSimulator", "regime_transitions"]


def regime_transitions(labels: np.ndarray) -> np.ndarray:
    """The 2×2 transition matrix of a 0/1 label sequence (rows sum to 1; add-one smoothing).

    Examples
    --------
    >>> regime_transitions(np.array([0, 0, 1, 1, 0])).round(2).tolist()
    [[0.5, 0.5], [0.5, 0.5]]
    """
    counts = np.ones((2, 2))
    np.add.at(counts, (labels[:-1], labels[1:]), 1.0)
    return counts / counts.sum(axis=1, keepdims=True)


class JointFHSSimulator(GARCHSimulator):
    """Filtered historical simulation with joint residual vectors and an optional regime chain.

    Parameters
    ----------
    vol : ``"GJR"``, ``"GARCH"`` or ``"EGARCH"`` volatility per asset.
    block_length : mean length of the resampled blocks of residual vectors.
    regimes : ``"none"`` (one pool of days) or ``"markov"`` (calm/stressed chain, pools per state).
    start : ``"last"`` or ``"random"`` starting variances (see :class:`GARCHSimulator`).
    regime_method : ``"volatility"`` or ``"hmm"`` labels of calm and stressed days.

    Examples
    --------
    >>> import pandas as pd
    >>> g = np.random.default_rng(0)
    >>> idx = pd.bdate_range("2015-01-01", periods=400)
    >>> r = g.multivariate_normal([0, 0], [[1e-4, 6e-5], [6e-5, 1e-4]], 400)
    >>> px = pd.DataFrame(100 * np.exp(np.cumsum(r, axis=0)), index=idx, columns=["A", "B"])
    >>> sim = JointFHSSimulator(regimes="markov").fit(px)
    >>> sim.sample(4, 30, random_state=0).returns.shape
    (4, 30, 2)
    """

    _tensor_names: ClassVar[tuple[str, ...]] = (*GARCHSimulator._tensor_names, "transition_")

    def __init__(
        self,
        *,
        vol: str = "GJR",
        dist: str = "t",
        block_length: float = 5.0,
        regimes: str = "markov",
        start: str = "last",
        regime_method: str = "volatility",
    ) -> None:
        super().__init__(
            vol=vol,
            dist=dist,
            innovations="bootstrap",
            block_length=block_length,
            start=start,
            regime_method=regime_method,
        )
        self.regimes = regimes

    def get_params(self) -> dict[str, object]:
        """The constructor parameters (``innovations`` is always ``"bootstrap"`` here)."""
        return {
            k: getattr(self, k)
            for k in ("vol", "dist", "block_length", "regimes", "start", "regime_method")
        }

    def _validate_params(self) -> None:
        super()._validate_params()
        validate_param(
            "JointFHSSimulator",
            "regimes",
            self.regimes,
            lambda v: v in ("none", "markov"),
            "'none' or 'markov'",
        )

    def _fit_returns(self, returns: np.ndarray) -> None:
        # calm/stressed from every asset's squared return in units of its own volatility, so the
        # most volatile asset (oil) does not decide alone which days were a crisis
        self.regimes_ = label_regimes(returns / returns.std(axis=0), method=self.regime_method)
        super()._fit_returns(returns)
        self.transition_ = regime_transitions(np.asarray(self.regimes_, dtype=np.int64))

    def _simulate(
        self,
        n_paths: int,
        n_days: int,
        rng: np.random.Generator,
        regime: int | None,
        shock: Shock | None,
    ) -> np.ndarray:
        self._path_regime = regime
        return super()._simulate(n_paths, n_days, rng, regime, shock)

    def _state_chain(self, n_paths: int, n_days: int, rng: np.random.Generator) -> np.ndarray:
        """Simulated calm (0) / stressed (1) states, (P, T)."""
        first = getattr(self, "_path_regime", None)
        if first is None:
            first = int(self.regimes_[-1]) if self.start == "last" else None
        state = (
            np.full(n_paths, first)
            if first is not None
            else (rng.random(n_paths) < self.regimes_.mean()).astype(np.int64)
        )
        out = np.empty((n_paths, n_days), dtype=np.int64)
        for t in range(n_days):
            out[:, t] = state
            state = (rng.random(n_paths) < self.transition_[state, 1]).astype(np.int64)
        return out

    def _innovations(
        self, n_paths: int, n_days: int, rng: np.random.Generator, shock: Shock | None
    ) -> np.ndarray:
        if self.regimes == "none":
            return super()._innovations(n_paths, n_days, rng, shock)
        labels = np.asarray(self.regimes_, dtype=np.int64)
        pools = [np.flatnonzero(labels == s) for s in (0, 1)]
        pools = [p if len(p) else np.arange(len(labels)) for p in pools]
        states = self._state_chain(n_paths, n_days, rng)
        n_obs, keep = len(labels), 1.0 - 1.0 / float(self.block_length)
        idx = np.empty((n_paths, n_days), dtype=np.int64)
        current = np.full(n_paths, -1)
        for t in range(n_days):
            s = states[:, t]
            nxt = np.minimum(current + 1, n_obs - 1)
            stay = (
                (current >= 0)
                & (rng.random(n_paths) < keep)
                & (labels[nxt] == s)
                & (current + 1 < n_obs)
            )
            fresh = np.where(
                s == 0,
                pools[0][rng.integers(0, len(pools[0]), n_paths)],
                pools[1][rng.integers(0, len(pools[1]), n_paths)],
            )
            current = np.where(stay, nxt, fresh)
            idx[:, t] = current
        return self.std_resid_[idx]
