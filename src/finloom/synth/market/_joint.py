"""Joint multi-asset filtered historical simulation, optionally regime-switching.

Each asset gets its own GJR-GARCH volatility (``arch``); the standardised residuals of one day are
kept together as a vector and resampled jointly (stationary blocks), so the cross-asset dependence of
the shocks, their fat tails and skew survive. With ``regimes="markov"`` a calm/stressed state follows
a two-state Markov chain fitted on the historical labels, and each day's residual vector is drawn
from days of the current state: crisis days bring their higher cross-asset correlation with them.
The residual vectors are recoloured to a target return correlation (optionally half-life weighted and
shrunk towards a constant-correlation or long-run matrix), with one fixed map or, with
``corr_dynamics="dcc"``, a DCC(1,1) correlation per path (:mod:`finloom.synth.market._dcc`).
With ``leverage="calibrate"`` each asset's GJR / EGARCH asymmetry is moved, by simulating this very
simulator, until its paths carry the leverage effect of the training windows
(:mod:`finloom.synth.market._leverage`): the maximum-likelihood asymmetry falls short of it.
``leverage="hold"`` does the same while holding the variance of the news-impact term (the symmetric
response falls as the asymmetry grows, :mod:`finloom.synth.market._newsimpact`), so the volatility of
volatility stays at the fit's; ``leverage="fast"`` keeps the fitted variance and multiplies
it by a short-lived factor driven by the signed shocks, whose gain is calibrated to the training
windows' leverage (:mod:`finloom.synth.market._fastlev`): leverage without the slow variance's vol of vol.
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np

from finloom._base import validate_param
from finloom.synth.market._dcc import dcc_step, fit_dcc
from finloom.synth.market._garch import GARCHSimulator
from finloom.synth.market._leverage import calibrate_asymmetry, move_asymmetry
from finloom.synth.market._paths import Shock
from finloom.synth.market._regimes import label_regimes

__all__ = [
    "JointFHSSimulator",
    "nearest_correlation",
    "regime_transitions",
    "shrink_correlation",
    "weighted_correlation",
]

_CAL_PATHS = 64  # paths per calibration round
_CAL_DAYS = 1260  # five years: the horizon of a typical proposal and of the benchmark's test window
_CAL_ROUNDS = 5
_CAL_SEED = 20231
_LEV_PATHS = 128  # paths per step of the leverage bisection (the median per-path leverage is noisy)


def weighted_correlation(returns: np.ndarray, halflife: float | None = None) -> np.ndarray:
    """Correlation matrix of ``returns`` (T, A), days weighted by ``0.5 ** (age / halflife)``.

    ``halflife=None`` weighs every day alike (the plain Pearson correlation).

    Examples
    --------
    >>> g = np.random.default_rng(0)
    >>> r = g.multivariate_normal([0, 0], [[1, .8], [.8, 1]], 2000)
    >>> bool(abs(weighted_correlation(r) - np.corrcoef(r.T)).max() < 1e-12)
    True
    >>> round(float(weighted_correlation(r, 250.0)[0, 1]), 1)
    0.8
    """
    r = np.asarray(returns, dtype=np.float64)
    w = np.ones(len(r)) if halflife is None else 0.5 ** (np.arange(len(r))[::-1] / float(halflife))
    w = w / w.sum()
    x = r - w @ r
    cov = (x * w[:, None]).T @ x
    d = np.sqrt(np.clip(np.diag(cov), 1e-300, None))
    out = cov / np.outer(d, d)
    np.fill_diagonal(out, 1.0)
    return out


def nearest_correlation(c: np.ndarray, floor: float = 1e-4) -> np.ndarray:
    """A positive-definite correlation matrix near the symmetric matrix ``c`` (eigenvalues floored).

    Examples
    --------
    >>> c = nearest_correlation(np.array([[1.0, 1.2], [1.2, 1.0]]))
    >>> bool(np.all(np.linalg.eigvalsh(c) > 0)), float(c[0, 0])
    (True, 1.0)
    """
    vals, vecs = np.linalg.eigh((c + c.T) / 2.0)
    out = (vecs * np.maximum(vals, floor)) @ vecs.T
    d = np.sqrt(np.diag(out))
    out = out / np.outer(d, d)
    np.fill_diagonal(out, 1.0)
    return out


def shrink_correlation(
    c: np.ndarray, intensity: float, target: np.ndarray | None = None
) -> np.ndarray:
    """``(1 - intensity) * c + intensity * target``; the default target is the constant-correlation matrix.

    The constant-correlation target puts the mean off-diagonal value of ``c`` in every off-diagonal
    cell (Ledoit and Wolf's target for correlation): correlations mean-revert, so a window's extreme
    pairs overstate the next window's.

    Examples
    --------
    >>> c = np.array([[1.0, 0.8, 0.2], [0.8, 1.0, 0.5], [0.2, 0.5, 1.0]])
    >>> shrink_correlation(c, 0.5).round(3).tolist()[0]
    [1.0, 0.65, 0.35]
    >>> bool(np.allclose(shrink_correlation(c, 0.5, np.eye(3)), [[1, .4, .1], [.4, 1, .25], [.1, .25, 1]]))
    True
    """
    c = np.asarray(c, dtype=np.float64)
    if target is None:
        n = len(c)
        mean = (c.sum() - np.trace(c)) / max(n * (n - 1), 1)
        target = np.full_like(c, mean)
        np.fill_diagonal(target, 1.0)
    out = (1.0 - float(intensity)) * c + float(intensity) * np.asarray(target, dtype=np.float64)
    np.fill_diagonal(out, 1.0)
    return out


def _mean_path_correlation(paths: np.ndarray) -> np.ndarray:
    """Mean over paths of each path's correlation matrix; ``paths`` is (P, T, A)."""
    x = paths - paths.mean(axis=1, keepdims=True)
    cov = np.einsum("pta,ptb->pab", x, x)
    d = np.sqrt(np.clip(np.einsum("paa->pa", cov), 1e-300, None))
    return (cov / (d[:, :, None] * d[:, None, :])).mean(axis=0)


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
    correlation : ``"returns"`` (default) recolours the residual vectors so that simulated paths keep
        the fit window's *return* correlation (calibrated by simulation, see the module notes);
        ``"residuals"`` uses the residual vectors as they are (paths then come out less correlated).
    corr_halflife : with ``correlation="returns"``, the half-life in days of the weights of the target
        correlation (recent days count more); None weighs every day of the fit window alike.
    corr_shrink : with ``correlation="returns"``, the intensity in [0, 1] of the shrinkage of the
        target correlation towards ``shrink_target`` (0, the default, keeps the window's own).
    shrink_target : ``"constant"`` (every pair at the target's mean off-diagonal correlation) or
        ``"longrun"`` (the equal-weight correlation of the whole fit window; with ``corr_halflife``
        this blends the recent and the long-run correlation).
    corr_dynamics : ``"constant"`` (default: one recolouring map for every day) or ``"dcc"``: a
        DCC(1,1) recursion, fitted by quasi-likelihood on the standardised residuals
        (``dcc_params_`` = ``(a, b)``), moves each path's correlation after large joint shocks, so
        stressed spells come out more correlated than calm ones; its long-run matrix is calibrated
        like the constant map.
    leverage : ``"fit"`` (default: the maximum-likelihood asymmetry) or ``"calibrate"`` (GJR or EGARCH
        only): the asymmetry of each asset is shifted until the median per-path leverage of simulated
        paths of five years (``_CAL_DAYS``), started from random days of the fit window, equals the
        median leverage of the fit window's own five-year windows (``leverage_target_``; the shifts
        are ``leverage_shift_``); the correlation map is calibrated again afterwards. ``"hold"``:
        the same calibration with the symmetric response lowered as the asymmetry grows, so that the
        variance of the news-impact term over the standardised residuals stays at the fit's (the
        shift is capped where no symmetric response is left). ``"fast"`` (any ``vol``):
        the fitted model is kept and its variance multiplied by a fast factor (decay 0.8 a day) whose
        gain per asset (``leverage_gain_``) is calibrated to the same leverage target.

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
    >>> dcc = JointFHSSimulator(regimes="none", corr_shrink=0.25, corr_dynamics="dcc").fit(px)
    >>> dcc.dcc_params_.shape, dcc.sample(2, 30, random_state=0).returns.shape
    ((2,), (2, 30, 2))
    >>> lev = JointFHSSimulator(regimes="none", leverage="calibrate").fit(px)
    >>> lev.leverage_shift_.shape, lev.leverage_target_.shape
    ((2,), (2,))
    """

    _tensor_names: ClassVar[tuple[str, ...]] = (
        *GARCHSimulator._tensor_names,
        "transition_",
        "recolour_",
        "target_corr_",
        "calibration_error_",
        "whiten_",
        "qbar_",
        "dcc_params_",
        "leverage_shift_",
    )

    def __init__(
        self,
        *,
        vol: str = "GJR",
        dist: str = "t",
        block_length: float = 5.0,
        regimes: str = "markov",
        start: str = "last",
        regime_method: str = "volatility",
        correlation: str = "returns",
        corr_halflife: float | None = None,
        corr_shrink: float = 0.0,
        shrink_target: str = "constant",
        corr_dynamics: str = "constant",
        leverage: str = "fit",
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
        self.correlation = correlation
        self.corr_halflife = corr_halflife
        self.corr_shrink = corr_shrink
        self.shrink_target = shrink_target
        self.corr_dynamics = corr_dynamics
        self.leverage = leverage

    def get_params(self) -> dict[str, object]:
        """The constructor parameters (``innovations`` is always ``"bootstrap"`` here)."""
        return {
            k: getattr(self, k)
            for k in (
                "vol",
                "dist",
                "block_length",
                "regimes",
                "start",
                "regime_method",
                "correlation",
                "corr_halflife",
                "corr_shrink",
                "shrink_target",
                "corr_dynamics",
                "leverage",
            )
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
        validate_param(
            "JointFHSSimulator",
            "correlation",
            self.correlation,
            lambda v: v in ("returns", "residuals"),
            "'returns' or 'residuals'",
        )
        validate_param(
            "JointFHSSimulator",
            "corr_halflife",
            self.corr_halflife,
            lambda v: v is None or (not isinstance(v, bool) and 1.0 <= float(v) < 1e9),
            "None or a number of days in [1, 1e9)",
        )
        validate_param(
            "JointFHSSimulator",
            "corr_shrink",
            self.corr_shrink,
            lambda v: not isinstance(v, bool) and 0.0 <= float(v) <= 1.0,
            "a number in [0, 1]",
        )
        validate_param(
            "JointFHSSimulator",
            "shrink_target",
            self.shrink_target,
            lambda v: v in ("constant", "longrun"),
            "'constant' or 'longrun'",
        )
        validate_param(
            "JointFHSSimulator",
            "corr_dynamics",
            self.corr_dynamics,
            lambda v: v in ("constant", "dcc"),
            "'constant' or 'dcc'",
        )

    def _validate_leverage(self) -> None:
        validate_param(
            "JointFHSSimulator",
            "leverage",
            self.leverage,
            lambda v: v in ("fit", "fast") or (v in ("calibrate", "hold") and self.vol in ("GJR", "EGARCH")),
            "'fit', 'fast', or 'calibrate' / 'hold' with vol 'GJR' or 'EGARCH'",
        )

    def _fit_returns(self, returns: np.ndarray) -> None:
        # calm/stressed from every asset's squared return in units of its own volatility, so the
        # most volatile asset (oil) does not decide alone which days were a crisis
        self.regimes_ = label_regimes(returns / returns.std(axis=0), method=self.regime_method)
        n_assets = returns.shape[1]
        self.recolour_ = np.eye(n_assets)
        self._fit_garch(returns)
        self.transition_ = regime_transitions(np.asarray(self.regimes_, dtype=np.int64))
        self.target_corr_ = self._target_correlation(returns)
        self.calibration_error_ = np.zeros(0)
        resid_corr = nearest_correlation(np.atleast_2d(np.corrcoef(self.std_resid_.T)))
        self.whiten_ = np.linalg.inv(np.linalg.cholesky(resid_corr))
        self.qbar_ = resid_corr
        self.dcc_params_ = np.zeros(2)
        if self.corr_dynamics == "dcc" and n_assets > 1:
            self.dcc_params_ = np.asarray(fit_dcc(self.std_resid_))
        n_days = min(len(returns), _CAL_DAYS)
        self.leverage_shift_, self.leverage_target_ = np.zeros(n_assets), np.zeros(n_assets)
        self.leverage_gain_ = np.zeros(n_assets)
        recolour = self.correlation == "returns" and n_assets > 1
        if recolour:
            self._calibrate_correlation(n_days)
        if self.leverage != "fit":
            self._calibrate_leverage(returns, n_days)
            if recolour:  # the volatility dynamics moved: recolour again, from the current aim
                self._calibrate_correlation(n_days, self.qbar_)

    def _restore(self) -> None:
        super()._restore()
        if not hasattr(self, "dcc_params_"):  # a model saved before the DCC option: constant map
            n_assets = self.params_.shape[0]
            self.whiten_, self.qbar_, self.dcc_params_ = np.eye(n_assets), np.eye(n_assets), np.zeros(2)
        if not hasattr(self, "leverage_shift_"):  # saved before the leverage option: fitted asymmetry
            n_assets = self.params_.shape[0]
            self.leverage_shift_, self.leverage_target_ = np.zeros(n_assets), np.zeros(n_assets)

    def _target_correlation(self, returns: np.ndarray) -> np.ndarray:
        """The return correlation the paths should keep: half-life weighted, then shrunk."""
        hl = None if self.corr_halflife is None else float(self.corr_halflife)
        recent = weighted_correlation(returns, hl)
        if float(self.corr_shrink) == 0.0:
            return recent
        target = weighted_correlation(returns) if self.shrink_target == "longrun" else None
        return shrink_correlation(recent, float(self.corr_shrink), target)

    def _set_aim(self, aim: np.ndarray) -> None:
        """Colour whitened residual vectors to the correlation ``aim`` (the DCC long-run matrix)."""
        self.qbar_ = aim
        self.recolour_ = np.linalg.cholesky(aim) @ self.whiten_

    def _calibrate_correlation(self, n_days: int, start: np.ndarray | None = None) -> None:
        """Find the recolouring map whose paths' mean correlation equals ``target_corr_``.

        Fixed-point rounds on a fixed seed (so a fit is deterministic): simulate, compare the mean
        per-path correlation with the target, move the residuals' target correlation by the gap.
        ``start`` is the first aim (default: the target itself).
        """
        aim = (self.target_corr_ if start is None else np.asarray(start)).copy()
        errors: list[float] = []
        for _ in range(_CAL_ROUNDS):
            self._set_aim(aim)
            paths = self._simulate(
                _CAL_PATHS, n_days, np.random.default_rng(_CAL_SEED), None, None
            )
            gap = self.target_corr_ - _mean_path_correlation(paths)
            errors.append(float(np.linalg.norm(gap)))
            aim = nearest_correlation(aim + gap)
        self._set_aim(aim)
        self.calibration_error_ = np.asarray(errors)

    def _calibrate_leverage(self, returns: np.ndarray, n_days: int) -> None:
        """Shift each asset's asymmetry so simulated paths keep the fit window's leverage (fixed seed).

        Paths start from random days' variances and states, as the training windows do.
        """
        base, start = self.params_.copy(), self.start
        if self.leverage == "fast":
            self._calibrate_fast(returns, n_days, _LEV_PATHS, _CAL_SEED)
            return

        def simulate(params: np.ndarray) -> np.ndarray:
            self.params_ = params
            return self._simulate(_LEV_PATHS, n_days, np.random.default_rng(_CAL_SEED), None, None)

        resid = self.std_resid_ if self.leverage == "hold" else None
        self.start = "random"
        try:
            shift, target = calibrate_asymmetry(simulate, base, str(self.vol), returns, n_days, resid)
        finally:
            self.start = start
        self.params_ = move_asymmetry(base, str(self.vol), shift, resid)
        self.leverage_shift_, self.leverage_target_ = shift, target
        self._refilter(returns)

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
            return self._recolour(super()._innovations(n_paths, n_days, rng, shock))
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
        return self._recolour(self.std_resid_[idx])

    def _recolour(self, z: np.ndarray) -> np.ndarray:
        if self.corr_dynamics == "dcc" and z.shape[-1] > 1:
            return self._dcc_colour(z @ self.whiten_.T)
        m = getattr(self, "recolour_", None)
        if m is None or (m.shape[0] == 1) or np.array_equal(m, np.eye(len(m))):
            return z
        return np.asarray(z @ m.T)

    def _dcc_colour(self, u: np.ndarray) -> np.ndarray:
        """Colour whitened shocks ``u`` (P, T, A) day by day with each path's DCC correlation."""
        a, b = (float(v) for v in self.dcc_params_)
        qbar = np.asarray(self.qbar_)
        q = np.broadcast_to(qbar, (u.shape[0], *qbar.shape)).copy()  # (P, A, A), paths start at Q̄
        out = np.empty_like(u)
        for t in range(u.shape[1]):
            d = 1.0 / np.sqrt(np.einsum("paa->pa", q))
            chol = np.linalg.cholesky(q * d[:, :, None] * d[:, None, :])  # of R_t, (P, A, A)
            out[:, t] = np.einsum("pab,pb->pa", chol, u[:, t])
            q = dcc_step(q, out[:, t], qbar, a, b)
        return out
