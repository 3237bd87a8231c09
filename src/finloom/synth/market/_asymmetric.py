"""EGARCH with skewed shocks whose leverage effect is calibrated on the training windows.

The model is an EGARCH(1,1,1) per asset (``arch``; skewed-t likelihood), simulated either with
filtered historical simulation (bootstrapped standardized residuals, which keep their own skew and
fat tails) or with skew-t shocks. A maximum-likelihood EGARCH reproduces only part of the leverage
effect of the data it was fitted on; with ``leverage="calibrate"`` its asymmetry term is then
shifted, by simulation, until the median per-path leverage of simulated paths of
``calibration_days`` equals the median leverage of the training series' rolling windows of that
length (:func:`~finloom.synth.market._calibrate.calibrate_shift`). Only the training data is used.
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np

from finloom._base import validate_param
from finloom.synth.market._calibrate import calibrate_shift, path_leverage, window_leverage
from finloom.synth.market._garch import _SCALE, GARCHSimulator

__all__ = ["AsymmetricGARCHSimulator"]

_CALIBRATION_SEED = 20_240_619  # fixed: the calibration must not depend on the sampling seed


class AsymmetricGARCHSimulator(GARCHSimulator):
    """EGARCH(1,1,1) with FHS or skew-t shocks and a leverage effect calibrated on the training windows.

    Parameters
    ----------
    innovations : ``"bootstrap"`` (filtered historical simulation, default) or ``"parametric"``.
    dist : likelihood / parametric shocks: ``"skewt"`` (default), ``"t"`` or ``"normal"``.
    leverage : ``"calibrate"`` (default) shifts the EGARCH asymmetry term so simulated paths carry
        the training windows' leverage; ``"fit"`` keeps the maximum-likelihood value.
    calibration_days : window length (days) at which leverage is matched; set it near the length
        of the paths you will sample.
    calibration_paths : simulated paths per calibration step.
    block_length, copula, copula_dof, start, regime_method : as for :class:`GARCHSimulator`.

    Examples
    --------
    >>> import pandas as pd
    >>> g = np.random.default_rng(0)
    >>> idx = pd.bdate_range("2015-01-01", periods=800)
    >>> px = pd.DataFrame({"A": 100 * np.exp(np.cumsum(g.standard_t(5, 800) * .01))}, index=idx)
    >>> sim = AsymmetricGARCHSimulator(calibration_days=250, calibration_paths=50).fit(px)
    >>> sim.sample(3, 10, random_state=0).returns.shape
    (3, 10, 1)
    """

    _tensor_names: ClassVar[tuple[str, ...]] = (*GARCHSimulator._tensor_names, "gamma_shift_",
                                                "leverage_fitted_")

    def __init__(self, *, innovations: str = "bootstrap", dist: str = "skewt", leverage: str = "calibrate",
                 calibration_days: int = 504, calibration_paths: int = 200, block_length: float = 5.0,
                 copula: str = "gaussian", copula_dof: float = 5.0, start: str = "last",
                 regime_method: str = "volatility") -> None:
        super().__init__(vol="EGARCH", dist=dist, innovations=innovations, block_length=block_length,
                         copula=copula, copula_dof=copula_dof, start=start, regime_method=regime_method)
        self.leverage = leverage
        self.calibration_days = calibration_days
        self.calibration_paths = calibration_paths

    def _validate_params(self) -> None:
        super()._validate_params()
        owner = "AsymmetricGARCHSimulator"
        validate_param(owner, "vol", self.vol, lambda v: v == "EGARCH", "'EGARCH'")
        validate_param(owner, "calibration_days", self.calibration_days,
                       lambda v: isinstance(v, int) and v >= 60, "an int >= 60")
        validate_param(owner, "calibration_paths", self.calibration_paths,
                       lambda v: isinstance(v, int) and v >= 20, "an int >= 20")

    def _validate_leverage(self) -> None:
        validate_param("AsymmetricGARCHSimulator", "leverage", self.leverage,
                       lambda v: v in ("calibrate", "fit"), "'calibrate' or 'fit'")

    def _fit_returns(self, returns: np.ndarray) -> None:
        super()._fit_returns(returns)
        n_assets = returns.shape[1]
        days = min(int(self.calibration_days), len(returns))
        self.leverage_target_ = np.array([window_leverage(returns[:, a], days) for a in range(n_assets)])
        self.gamma_shift_ = np.zeros(n_assets)
        base_gamma = self.params_[:, 3].copy()
        rng = np.random.default_rng(_CALIBRATION_SEED)
        n_paths = int(self.calibration_paths)
        z = self._innovations(n_paths, days, rng, None)
        var0 = self.cond_var_[rng.integers(0, len(self.cond_var_), size=n_paths)]

        def simulate(shift: np.ndarray) -> np.ndarray:
            self.params_[:, 3] = base_gamma - shift
            return self._recursion(var0, z)

        fitted = simulate(np.zeros(n_assets))
        self.leverage_fitted_ = np.array([np.median(path_leverage(fitted[:, :, a])) for a in range(n_assets)])
        if self.leverage == "calibrate":
            self.gamma_shift_ = calibrate_shift(simulate, self.leverage_target_, np.full(n_assets, -0.3),
                                                np.full(n_assets, 0.6))
        self.params_[:, 3] = base_gamma - self.gamma_shift_
        self._refilter(returns)

    def _recursion(self, var: np.ndarray, z: np.ndarray) -> np.ndarray:
        """Returns (P, T, A) of the variance recursion from ``var`` (P, A) driven by shocks ``z``."""
        mu = self.params_[:, 0]
        out = np.empty_like(z)
        for t in range(z.shape[1]):
            eps = np.sqrt(var) * z[:, t]
            out[:, t] = mu + eps
            var = self._update(var, eps)
        return out / _SCALE
