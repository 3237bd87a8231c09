"""Two-component filtered historical simulation: a slow volatility level × a fast GARCH, on
bootstrapped standardized residuals.

Returns are modelled as ``r_t = mu + sqrt(q_t * h_t) * z_t`` where

* ``q_t`` is the slow volatility level. It is measured on the training data as a centred
  ``window``-day mean of squared returns; with ``level="ar"`` (default) its logarithm is
  *simulated* as a Gaussian AR(1) whose daily persistence comes from the lag-``window``
  autocorrelation of the measured log level (so the measured level's smoothing does not inflate
  it) and whose spread matches the measured one, starting from the last training level. The
  simulated volatility paths are therefore new paths, not replays of the realised one. With
  ``level="bootstrap"`` the measured level is replayed in long stationary blocks
  (``level_block``), an in-sample device kept for comparison;
* ``h_t`` is a unit-level EGARCH(1,1,1) or GJR-GARCH(1,1,1) fitted on ``r / sqrt(q)``; its
  asymmetric term gives the leverage effect; it is clipped to its historical range so the
  simulated tails stay as heavy as the data's and no heavier. With ``leverage="calibrate"`` the
  EGARCH asymmetry term is shifted by simulation until the median per-path leverage of
  ``calibration_days`` paths equals the training windows' (see
  :func:`~finloom.synth.market._calibrate.calibrate_shift`; with ``level="ar"`` it is the slow
  level's response to returns that is calibrated instead). With ``leverage="fast"`` the fitted
  model is kept and ``q_t * h_t`` is multiplied by a short-lived factor whose gain is calibrated
  to the same target (:mod:`finloom.synth.market._fastlev`). With ``clustering="calibrate"`` the
  slow level's shock size (its volatility of volatility) is scaled the same way, by simulation,
  until the median per-path volatility clustering (mean |r| ACF over lags 1-20) of those paths
  equals the training windows' — the single-exponential AR(1) read off the lag-``window``
  autocorrelation can otherwise give paths whose volatility wanders less than the data's did;
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
from finloom.errors import ConfigError, InvalidDataError
from finloom.synth.market._base import MarketSimulator
from finloom.synth.market._bootstrap import block_indices
from finloom.synth.market._calibrate import (
    calibrate_shift,
    path_clustering,
    window_leverage,
    window_statistic,
)
from finloom.synth.market._fastlev import FastFactor, calibrate_gain
from finloom.synth.market._paths import Shock

__all__ = ["HybridFHSSimulator"]

_Draws = tuple[np.ndarray | None, np.ndarray, np.ndarray, np.ndarray | None]

_SCALE = 100.0
_EGARCH_MEAN_ABS = float(np.sqrt(2.0 / np.pi))
_CALIBRATION_SEED = 20_240_619  # fixed: the calibration must not depend on the sampling seed


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
    """Slow simulated volatility level × fast EGARCH/GJR × bootstrapped residuals (see module doc).

    Parameters
    ----------
    vol : ``"EGARCH"`` (default) or ``"GJR"`` for the fast component.
    window : days in the centred moving average of squared returns that defines the slow level.
    level : ``"ar"`` (default) simulates the log slow level as an AR(1); ``"bootstrap"`` replays
        the measured level in stationary blocks of mean ``level_block`` days (in-sample).
    level_block : mean block length (days) of the slow-level bootstrap (``level="bootstrap"``).
    resid_block : mean block length (days) of the residual bootstrap.
    clip : clip the fast variance to its historical ``clip`` .. ``1 - clip`` quantiles (0: min/max);
        None: no clipping.
    leverage : ``"calibrate"`` (default) moves the slow level's response to returns (``level="ar"``)
        or the fast EGARCH asymmetry term so simulated paths carry the training windows' leverage;
        ``"fit"`` keeps the maximum-likelihood model; ``"fast"`` keeps it too and multiplies the
        variance by a fast factor (decay 0.8 a day) whose gain (``leverage_gain_``) is calibrated to
        that leverage. ``"calibrate"`` needs ``vol="EGARCH"``.
    clustering : ``"fit"`` (default) keeps the slow level's AR(1) as estimated; ``"calibrate"``
        scales its shocks so simulated paths carry the training windows' volatility clustering
        (needs ``level="ar"``).
    calibration_days, calibration_paths : window length and number of paths of the calibration.
    regime_method : ``"volatility"`` or ``"hmm"``; ``regime`` in ``sample`` starts the slow level
        (and the fast state) from a random calm or stressed day.

    Examples
    --------
    >>> g = np.random.default_rng(0)
    >>> idx = pd.bdate_range("2015-01-01", periods=800)
    >>> px = pd.DataFrame({"A": 100 * np.exp(np.cumsum(g.standard_t(5, 800) * .01))}, index=idx)
    >>> sim = HybridFHSSimulator(window=63, calibration_days=250, calibration_paths=50).fit(px)
    >>> sim.sample(2, 30, random_state=1, regime="stressed").prices.shape
    (2, 30, 1)
    >>> fast = HybridFHSSimulator(leverage="fast", calibration_days=250, calibration_paths=50).fit(px)
    >>> fast.leverage_gain_.shape, fast.level_rho_.tolist()
    ((1,), [0.0])
    """

    _tensor_names: ClassVar[tuple[str, ...]] = ("mu_", "level_", "fast_params_", "fast_var_",
                                                "std_resid_", "level_ar_", "level_chol_", "gamma_shift_",
                                                "leverage_target_", "level_rho_", "level_scale_",
                                                "clustering_target_", "leverage_gain_")

    def __init__(self, *, vol: str = "EGARCH", window: int = 63, level: str = "ar", level_block: float = 750.0,
                 resid_block: float = 10.0, clip: float | None = 0.005, leverage: str = "calibrate",
                 calibration_days: int = 504, calibration_paths: int = 200, clustering: str = "fit",
                 regime_method: str = "volatility") -> None:
        self.vol = vol
        self.window = window
        self.level = level
        self.level_block = level_block
        self.resid_block = resid_block
        self.clip = clip
        self.leverage = leverage
        self.calibration_days = calibration_days
        self.calibration_paths = calibration_paths
        self.clustering = clustering
        self.regime_method = regime_method

    def _validate_params(self) -> None:
        owner = "HybridFHSSimulator"
        validate_param(owner, "vol", self.vol, lambda v: v in ("EGARCH", "GJR"), "'EGARCH' or 'GJR'")
        validate_param(owner, "window", self.window, lambda v: isinstance(v, int) and v >= 5, "an int >= 5")
        validate_param(owner, "level", self.level, lambda v: v in ("ar", "bootstrap"), "'ar' or 'bootstrap'")
        validate_param(owner, "level_block", self.level_block, lambda v: float(v) >= 1, "a number >= 1")
        validate_param(owner, "clip", self.clip, lambda v: v is None or 0 <= float(v) < 0.5,
                       "None or a number in [0, 0.5)")
        validate_param(owner, "resid_block", self.resid_block, lambda v: float(v) >= 1, "a number >= 1")
        validate_param(owner, "leverage", self.leverage, lambda v: v in ("calibrate", "fit", "fast"),
                       "'calibrate', 'fit' or 'fast'")
        if self.leverage == "calibrate" and self.vol != "EGARCH":
            raise ConfigError("HybridFHSSimulator: leverage='calibrate' needs vol='EGARCH'; "
                              f"got vol={self.vol!r}. Use vol='EGARCH' or leverage='fit'.")
        validate_param(owner, "clustering", self.clustering, lambda v: v in ("calibrate", "fit"),
                       "'calibrate' or 'fit'")
        if self.clustering == "calibrate" and self.level != "ar":
            raise ConfigError("HybridFHSSimulator: clustering='calibrate' needs level='ar'; "
                              f"got level={self.level!r}. Use level='ar' or clustering='fit'.")
        validate_param(owner, "calibration_days", self.calibration_days,
                       lambda v: isinstance(v, int) and v >= 60, "an int >= 60")
        validate_param(owner, "calibration_paths", self.calibration_paths,
                       lambda v: isinstance(v, int) and v >= 20, "an int >= 20")

    def _fit_returns(self, returns: np.ndarray) -> None:
        if len(returns) < max(4 * self.window, 200):
            raise InvalidDataError(f"the series must have at least {max(4 * self.window, 200)} returns "
                                   f"for window={self.window}; got {len(returns)}. Lower window or "
                                   "provide a longer history.")
        r = returns * _SCALE
        self.mu_ = r.mean(axis=0)
        sq = pd.DataFrame((r - self.mu_) ** 2)
        self.level_ = sq.rolling(self.window, center=True, min_periods=self.window // 4).mean().to_numpy()
        self.level_ = np.maximum(self.level_, 1e-12)
        u = (r - self.mu_) / np.sqrt(self.level_)
        fits = [_fit_fast(u[:, a], self.vol) for a in range(r.shape[1])]
        self.fast_params_ = np.stack([f[0] for f in fits])  # (A, 4)
        self.fast_var_ = np.column_stack([f[1] for f in fits])  # (T, A)
        self._fit_level()
        self._restore()
        z = u / np.sqrt(self.fast_var_)
        self.std_resid_ = (z - z.mean(axis=0)) / z.std(axis=0)
        self._calibrate(returns)

    def _fit_level(self) -> None:
        """AR(1) of the log slow level: (mean, daily persistence, daily shock sd) per asset, shock correlation."""
        x = np.log(self.level_)
        lag = self.window
        head, tail = x[:-lag], x[lag:]
        hc, tc = head - head.mean(axis=0), tail - tail.mean(axis=0)
        phi_lag = np.clip((hc * tc).sum(axis=0) / (hc**2).sum(axis=0), 1e-3, 0.999)
        phi = phi_lag ** (1.0 / lag)
        sd = x.std(axis=0)
        self.level_ar_ = np.column_stack([x.mean(axis=0), phi, sd * np.sqrt(1.0 - phi**2)])  # (A, 3)
        resid = tc - phi_lag * hc
        corr = np.atleast_2d(np.corrcoef(resid, rowvar=False)) if x.shape[1] > 1 else np.ones((1, 1))
        self.level_chol_ = np.linalg.cholesky(corr + 1e-10 * np.eye(len(corr)))

    def _calibrate(self, returns: np.ndarray) -> None:
        n_assets = returns.shape[1]
        days = min(int(self.calibration_days), len(returns))
        self.leverage_target_ = np.array([window_leverage(returns[:, a], days) for a in range(n_assets)])
        self.clustering_target_ = np.array([window_statistic(returns[:, a], days, path_clustering)
                                            for a in range(n_assets)])
        self.gamma_shift_ = np.zeros(n_assets)
        self.level_rho_ = np.zeros(n_assets)
        self.level_scale_ = np.ones(n_assets)
        self.leverage_gain_ = np.zeros(n_assets)
        if self.leverage == "fit" and self.clustering != "calibrate":
            return
        rng = np.random.default_rng(_CALIBRATION_SEED)
        n_paths = int(self.calibration_paths)
        start = rng.integers(0, len(self.level_), size=n_paths)
        draws = self._draw(n_paths, days, rng, start, None, None)
        h0 = self.fast_var_[draws[-1]]
        if self.clustering == "calibrate":
            self._calibrate_clustering(draws, h0)
        if self.leverage == "fast":
            self._calibrate_fast(returns, days, draws, h0)
            return
        if self.leverage != "calibrate":
            return

        def simulate(rho: np.ndarray) -> np.ndarray:
            self.level_rho_ = rho
            return self._run(draws, h0, None, None) / _SCALE

        if self.level == "ar":  # the slow level's response to returns carries the leverage
            self.level_rho_ = calibrate_shift(simulate, self.leverage_target_, np.zeros(n_assets),
                                              np.full(n_assets, 0.95), increasing=False)
            if self.clustering == "calibrate":  # the return-driven shocks change the clustering a little
                self._calibrate_clustering(draws, h0)
            return
        base = self.fast_params_[:, 2].copy()

        def shifted(shift: np.ndarray) -> np.ndarray:
            self.fast_params_[:, 2] = base - shift
            return self._run(draws, h0, None, None) / _SCALE

        self.gamma_shift_ = calibrate_shift(shifted, self.leverage_target_, np.full(n_assets, -0.3),
                                            np.full(n_assets, 0.6))
        self.fast_params_[:, 2] = base - self.gamma_shift_

    def _calibrate_fast(self, returns: np.ndarray, days: int, draws: _Draws, h0: np.ndarray) -> None:
        """Gain of the fast leverage factor per asset on the calibration draws; then clustering again."""

        def simulate(gain: np.ndarray) -> np.ndarray:
            self.leverage_gain_ = gain
            return self._run(draws, h0, None, None) / _SCALE

        self.leverage_gain_, _ = calibrate_gain(simulate, returns, days)
        if self.clustering == "calibrate":  # the factor changes the clustering a little
            self._calibrate_clustering(draws, h0)

    def _calibrate_clustering(self, draws: _Draws, h0: np.ndarray) -> None:
        """Scale the slow level's shocks (log scale in [-1.5, 1.5]) to the training windows' clustering."""
        n_assets = len(self.clustering_target_)

        def simulate(log_scale: np.ndarray) -> np.ndarray:
            self.level_scale_ = np.exp(log_scale)
            return self._run(draws, h0, None, None) / _SCALE

        self.level_scale_ = np.exp(calibrate_shift(simulate, self.clustering_target_, np.full(n_assets, -1.5),
                                                   np.full(n_assets, 1.5), increasing=True,
                                                   statistic=path_clustering))

    def _restore(self) -> None:
        q = 0.0 if self.clip is None else float(self.clip)
        self.fast_bounds_ = np.quantile(self.fast_var_, [q, 1.0 - q], axis=0)  # (2, A)
        if not hasattr(self, "leverage_gain_"):  # saved before the 'fast' option: no fast factor
            self.leverage_gain_ = np.zeros(self.fast_var_.shape[1])

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

    def _draw(self, n_paths: int, n_days: int, rng: np.random.Generator, start: np.ndarray | None,
              pool: np.ndarray | None, shock: Shock | None) -> _Draws:
        """Random inputs of a batch: (initial log level or None, level noise or replayed level, residuals, start)."""
        n_obs = len(self.level_)
        z = self.std_resid_[block_indices(n_obs, n_paths, n_days, float(self.resid_block), rng)]
        if self.level == "ar":
            x_all = np.log(self.level_)
            x0 = np.broadcast_to(x_all[-1], (n_paths, x_all.shape[1])).copy() if start is None else x_all[start]
            noise = rng.standard_normal((n_paths, n_days, x_all.shape[1])) @ self.level_chol_.T
            stressed = np.flatnonzero(self.regimes_ == 1)
            if shock is not None and len(stressed):  # after a shock the level is at least a stressed day's
                jump = x_all[stressed[rng.integers(0, len(stressed), size=n_paths)]]
                x0 = np.concatenate([x0[None], jump[None]])
            return x0, noise, z, start
        stressed = np.flatnonzero(self.regimes_ == 1)
        level_idx = block_indices(n_obs, n_paths, n_days, float(self.level_block), rng, pool=pool,
                                  force_jump=None if shock is None else shock.day + 1, jump_pool=stressed)
        return None, self.level_[level_idx], z, level_idx[:, 0]

    def _run(self, draws: _Draws, h: np.ndarray, shock: Shock | None, mask: np.ndarray | None) -> np.ndarray:
        """Percent returns (P, T, A) of the two-component recursion."""
        x0, level_in, z, _ = draws
        mean, phi, sig = self.level_ar_.T
        rho = np.asarray(getattr(self, "level_rho_", np.zeros(len(mean))))
        sig = sig * np.asarray(getattr(self, "level_scale_", np.ones(len(mean))))
        x = None if x0 is None else (x0[0] if x0.ndim == 3 else x0).copy()
        gain = np.asarray(getattr(self, "leverage_gain_", np.zeros(len(mean))))
        factor = FastFactor(gain, h.shape) if np.any(gain) else None
        out = np.empty_like(z)
        for t in range(z.shape[1]):
            if x is None:
                q = level_in[:, t]
            else:
                if shock is not None and t == shock.day + 1 and x0 is not None and x0.ndim == 3:
                    x = np.maximum(x, x0[1])
                q = np.exp(x)
            if factor is not None:  # the fast leverage factor scales today's variance
                q = q * factor.value()
            zt = z[:, t]
            if shock is not None and t == shock.day:
                zt = zt.copy()
                target = (shock.log_return * _SCALE - self.mu_) / np.sqrt(q * h)
                zt[:, mask] = target[:, mask]
            out[:, t] = self.mu_ + np.sqrt(q * h) * zt
            h = self._update(h, zt)
            if factor is not None:
                factor.step(zt)
            if x is not None:
                shock_to_level = -np.clip(zt, -6.0, 6.0)
                x = mean + phi * (x - mean) + sig * (rho * shock_to_level
                                                     + np.sqrt(1.0 - rho**2) * level_in[:, t])
        return out

    def _simulate(self, n_paths: int, n_days: int, rng: np.random.Generator,
                  regime: int | None, shock: Shock | None) -> np.ndarray:
        pool = None if regime is None else np.flatnonzero(self.regimes_ == regime)
        start = None
        if self.level == "ar" and pool is not None and len(pool):
            start = pool[rng.integers(0, len(pool), size=n_paths)]
        draws = self._draw(n_paths, n_days, rng, start, pool, shock)
        first = draws[-1]
        h = np.broadcast_to(self.fast_var_[-1], (n_paths, self.fast_var_.shape[1])).copy() if first is None \
            else self.fast_var_[first]
        mask = None if shock is None else self._shock_vector(shock)
        return self._run(draws, h, shock, mask) / _SCALE
