"""GARCH-family simulators (GARCH / GJR / EGARCH via ``arch``), parametric or filtered-historical.

``innovations="parametric"`` draws Student-t / skew-t / normal shocks (joined across assets by a
Gaussian or t copula of the standardized residuals). ``innovations="bootstrap"`` is filtered
historical simulation (FHS): the fitted volatility recursion driven by block-bootstrapped rows of
historical standardized residuals, which keeps their fat tails, skew and cross-asset dependence.
``leverage="fast"`` keeps the fitted recursion and multiplies its variance by a short-lived factor
whose gain per asset is calibrated, by simulation, to the fit window's leverage
(:mod:`finloom.synth.market._fastlev`).
"""

from __future__ import annotations

import warnings
from typing import Any, ClassVar

import numpy as np
from scipy import stats

from finloom._base import validate_param
from finloom._optional import require
from finloom.errors import InvalidDataError
from finloom.synth.market._base import MarketSimulator
from finloom.synth.market._bootstrap import block_indices
from finloom.synth.market._fastlev import calibrate_gain, simulate_fast
from finloom.synth.market._paths import Shock

__all__ = ["GARCHSimulator"]

_SCALE = 100.0  # arch fits percent returns
_VOLS = ("GARCH", "GJR", "EGARCH")
_DISTS = {"normal": "normal", "t": "t", "skewt": "skewt"}
_PARAM_NAMES = ("mu", "omega", "alpha", "gamma", "beta")
_EGARCH_MEAN_ABS = float(np.sqrt(2.0 / np.pi))
_MIN_OBS = 100
_FAST_DAYS = 1260  # leverage="fast": paths of five years, as the joint simulator's calibration
_FAST_PATHS = 128  # paths per bisection step (the median per-path leverage is noisy)
_FAST_SEED = 20231  # fixed: the calibration must not depend on the sampling seed


def _fit_one(series: np.ndarray, vol: str, dist: str) -> tuple[np.ndarray, np.ndarray, np.ndarray, Any]:
    """Fit one asset; return (mean/vol params, dist params, conditional variance, result)."""
    arch_model = require("arch", feature="GARCH simulation").arch_model
    o = 0 if vol == "GARCH" else 1
    model = arch_model(series * _SCALE, mean="Constant", vol="EGARCH" if vol == "EGARCH" else "GARCH",
                       p=1, o=o, q=1, dist=_DISTS[dist], rescale=False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # optimiser convergence chatter; results are checked below
        res = model.fit(disp="off", show_warning=False)
    p = res.params
    gamma = float(p.get("gamma[1]", 0.0))
    core = np.array([p["mu"], p["omega"], p["alpha[1]"], gamma, p["beta[1]"]], dtype=np.float64)
    extra = np.array([p[k] for k in ("eta", "nu", "lambda") if k in p.index], dtype=np.float64)
    return core, extra, np.asarray(res.conditional_volatility, dtype=np.float64) ** 2, res


class GARCHSimulator(MarketSimulator):
    """GARCH(1,1) / GJR-GARCH(1,1,1) / EGARCH(1,1,1) return simulator, one model per asset.

    Parameters
    ----------
    vol : ``"GARCH"``, ``"GJR"`` or ``"EGARCH"``.
    dist : ``"normal"``, ``"t"`` or ``"skewt"`` innovations for ``innovations="parametric"``.
    innovations : ``"parametric"`` or ``"bootstrap"`` (filtered historical simulation).
    block_length : mean block length of the residual bootstrap (FHS).
    copula : ``"gaussian"`` or ``"t"``: joins parametric innovations across assets.
    copula_dof : degrees of freedom of the t copula.
    start : ``"last"`` starts from the variance forecast after the last day; ``"random"`` from the
        filtered variance of a random historical day (paths then span all volatility levels).
    regime_method : ``"volatility"`` or ``"hmm"``; a ``regime`` in ``sample`` starts each path
        from the variance of a random day of that regime.
    leverage : ``"fit"`` (default: the fitted recursion as it is) or ``"fast"``: the variance is
        multiplied by a fast factor (decay 0.8 a day) whose gain per asset (``leverage_gain_``) makes
        the median per-path leverage of five-year paths, started from random days, equal the median
        leverage of the fit window's own five-year windows (``leverage_target_``).

    Examples
    --------
    >>> import pandas as pd
    >>> g = np.random.default_rng(0)
    >>> idx = pd.bdate_range("2015-01-01", periods=600)
    >>> px = pd.DataFrame({"A": 100 * np.exp(np.cumsum(g.normal(0, .01, 600)))}, index=idx)
    >>> sim = GARCHSimulator(vol="GJR", innovations="bootstrap").fit(px)
    >>> sim.sample(3, 10, random_state=0).returns.shape
    (3, 10, 1)
    >>> fast = GARCHSimulator(vol="GJR", leverage="fast").fit(px)
    >>> fast.leverage_gain_.shape, fast.sample(3, 10, random_state=0).returns.shape
    ((1,), (3, 10, 1))
    """

    _tensor_names: ClassVar[tuple[str, ...]] = ("params_", "dist_params_", "std_resid_", "cond_var_",
                                                "next_var_", "copula_corr_", "leverage_gain_",
                                                "leverage_target_")

    def __init__(self, *, vol: str = "GJR", dist: str = "t", innovations: str = "parametric",
                 block_length: float = 5.0, copula: str = "gaussian", copula_dof: float = 5.0,
                 start: str = "last", regime_method: str = "volatility", leverage: str = "fit") -> None:
        self.vol = vol
        self.dist = dist
        self.innovations = innovations
        self.block_length = block_length
        self.copula = copula
        self.copula_dof = copula_dof
        self.start = start
        self.regime_method = regime_method
        self.leverage = leverage

    def _validate_params(self) -> None:
        owner = "GARCHSimulator"
        validate_param(owner, "vol", self.vol, lambda v: v in _VOLS, f"one of {list(_VOLS)}")
        validate_param(owner, "dist", self.dist, lambda v: v in _DISTS, f"one of {list(_DISTS)}")
        validate_param(owner, "innovations", self.innovations,
                       lambda v: v in ("parametric", "bootstrap"), "'parametric' or 'bootstrap'")
        validate_param(owner, "block_length", self.block_length, lambda v: float(v) >= 1, "a number >= 1")
        validate_param(owner, "copula", self.copula, lambda v: v in ("gaussian", "t"), "'gaussian' or 't'")
        validate_param(owner, "copula_dof", self.copula_dof, lambda v: float(v) > 2, "a number > 2")
        validate_param(owner, "start", self.start, lambda v: v in ("last", "random"), "'last' or 'random'")
        self._validate_leverage()

    def _validate_leverage(self) -> None:
        """Check ``leverage`` (subclasses with other leverage options override this)."""
        validate_param("GARCHSimulator", "leverage", self.leverage, lambda v: v in ("fit", "fast"),
                       "'fit' or 'fast'")

    # ----------------------------------------------------------------- fitting
    def _fit_returns(self, returns: np.ndarray) -> None:
        self._fit_garch(returns)
        if self.leverage == "fast":
            self._calibrate_fast(returns, min(len(returns), _FAST_DAYS), _FAST_PATHS, _FAST_SEED)

    def _fit_garch(self, returns: np.ndarray) -> None:
        """The maximum-likelihood fit, residuals, states and copula (no fast factor yet)."""
        if len(returns) < _MIN_OBS:
            raise InvalidDataError(f"the series must have at least {_MIN_OBS} returns for a GARCH fit; "
                                   f"got {len(returns)}. Provide a longer history.")
        fits = [_fit_one(returns[:, a], self.vol, self.dist) for a in range(returns.shape[1])]
        self.params_ = np.stack([f[0] for f in fits])  # (A, 5)
        self.dist_params_ = np.stack([f[1] for f in fits]) if fits[0][1].size else np.zeros((len(fits), 0))
        self.cond_var_ = np.column_stack([f[2] for f in fits])  # (T, A) percent²
        resid = returns * _SCALE - self.params_[:, 0]
        z = resid / np.sqrt(self.cond_var_)
        self.std_resid_ = (z - z.mean(axis=0)) / z.std(axis=0)
        last_eps = resid[-1]
        self.next_var_ = self._update(self.cond_var_[-1], last_eps)
        scores = stats.norm.ppf(stats.rankdata(self.std_resid_, axis=0) / (len(z) + 1))
        self.copula_corr_ = np.atleast_2d(np.corrcoef(scores, rowvar=False))
        self.leverage_gain_ = np.zeros(len(fits))
        self.leverage_target_ = np.zeros(len(fits))
        self._restore()

    def _restore(self) -> None:
        arch_dist = require("arch.univariate", feature="GARCH simulation")
        cls = {"normal": arch_dist.Normal, "t": arch_dist.StudentsT, "skewt": arch_dist.SkewStudent}
        self._dists = [cls[self.dist]() for _ in range(self.params_.shape[0])]
        if not hasattr(self, "leverage_gain_"):  # saved before the 'fast' option: no fast factor
            self.leverage_gain_ = np.zeros(self.params_.shape[0])
            self.leverage_target_ = np.zeros(self.params_.shape[0])

    def _calibrate_fast(self, returns: np.ndarray, n_days: int, n_paths: int, seed: int) -> None:
        """Gain of the fast leverage factor per asset, by bisection on the leverage (fixed seed).

        Paths start from random days' variances, as the fit window's own windows do.
        """
        start = self.start

        def simulate(gain: np.ndarray) -> np.ndarray:
            self.leverage_gain_ = gain
            return self._simulate(n_paths, n_days, np.random.default_rng(seed), None, None)

        self.start = "random"
        try:
            self.leverage_gain_, self.leverage_target_ = calibrate_gain(simulate, returns, n_days)
        finally:
            self.start = start

    def _refilter(self, returns: np.ndarray) -> None:
        """Filtered variance of the training returns under the current ``params_`` (the start states)."""
        resid = returns * _SCALE - self.params_[:, 0]
        var = self.cond_var_[0].copy()
        filtered = np.empty_like(self.cond_var_)
        for t in range(len(resid)):
            filtered[t] = var
            var = self._update(var, resid[t])
        self.cond_var_ = filtered
        self.next_var_ = var

    # ----------------------------------------------------------------- simulation
    def _update(self, var: np.ndarray, eps: np.ndarray) -> np.ndarray:
        """One step of the variance recursion; ``var``, ``eps`` broadcast over (..., A)."""
        _, omega, alpha, gamma, beta = self.params_.T
        if self.vol == "EGARCH":
            e = eps / np.sqrt(var)
            log_var = omega + alpha * (np.abs(e) - _EGARCH_MEAN_ABS) + gamma * e + beta * np.log(var)
            return np.exp(np.minimum(log_var, 12.0))
        return omega + (alpha + gamma * (eps < 0)) * eps**2 + beta * var

    def _innovations(self, n_paths: int, n_days: int, rng: np.random.Generator,
                     shock: Shock | None) -> np.ndarray:
        """Standardized shocks (P, T, A)."""
        n_assets = self.params_.shape[0]
        if self.innovations == "bootstrap":
            idx = block_indices(len(self.std_resid_), n_paths, n_days, float(self.block_length), rng)
            return self.std_resid_[idx]
        chol = np.linalg.cholesky(self.copula_corr_ + 1e-10 * np.eye(n_assets))
        normal = rng.standard_normal((n_paths, n_days, n_assets)) @ chol.T
        if self.copula == "t" and n_assets > 1:
            chi = rng.chisquare(float(self.copula_dof), size=(n_paths, n_days, 1))
            u = stats.t.cdf(normal / np.sqrt(chi / float(self.copula_dof)), float(self.copula_dof))
        else:
            u = stats.norm.cdf(normal)
        u = np.clip(u, 1e-12, 1 - 1e-12)
        z = np.empty_like(u)
        for a, dist in enumerate(self._dists):
            z[..., a] = dist.ppf(u[..., a].ravel(), self.dist_params_[a]).reshape(n_paths, n_days)
        return z

    def _start_var(self, n_paths: int, rng: np.random.Generator, regime: int | None) -> np.ndarray:
        if regime is None and self.start == "last":
            return np.broadcast_to(self.next_var_, (n_paths, len(self.next_var_))).copy()
        pool = np.arange(len(self.cond_var_)) if regime is None else np.flatnonzero(self.regimes_ == regime)
        return self.cond_var_[pool[rng.integers(0, len(pool), size=n_paths)]]

    def _simulate(self, n_paths: int, n_days: int, rng: np.random.Generator,
                  regime: int | None, shock: Shock | None) -> np.ndarray:
        z = self._innovations(n_paths, n_days, rng, shock)
        var = self._start_var(n_paths, rng, regime)
        mu = self.params_[:, 0]
        gain = getattr(self, "leverage_gain_", None)
        if gain is not None and np.any(gain):
            spec = None
            if shock is not None:
                spec = (shock.day, self._shock_vector(shock), np.full(len(mu), shock.log_return * _SCALE) - mu)
            return simulate_fast(self._update, var, z, mu, gain, shock=spec) / _SCALE
        mask = None if shock is None else self._shock_vector(shock)
        out = np.empty_like(z)
        for t in range(n_days):
            eps = np.sqrt(var) * z[:, t]
            if shock is not None and t == shock.day:
                eps[:, mask] = shock.log_return * _SCALE - mu[mask]
            out[:, t] = mu + eps
            var = self._update(var, eps)
        return out / _SCALE
