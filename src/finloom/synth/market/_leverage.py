"""Move a fitted GJR / EGARCH model's asymmetry until its simulated paths carry the data's leverage.

A maximum-likelihood GJR-GARCH or EGARCH reproduces less of the leverage effect (the correlation of
today's return with the next days' absolute returns) than the series it was fitted on; for the
NASDAQ Composite fitted on 1999-2008, simulated paths keep about -0.04 where the training windows
show -0.06. :func:`shift_asymmetry` moves each asset's asymmetry term by ``d`` (more leverage as
``d`` grows) while keeping the variance persistence; :func:`calibrate_asymmetry` finds ``d`` by
bisection with common random numbers (:func:`~finloom.synth.market._calibrate.calibrate_shift`) so
that the median per-path leverage of the *whole* simulator (its bootstrap, regimes and recolouring
included) equals the median leverage of the training series' rolling windows of the same length.
Given the standardised residuals (``resid``), the calibration moves the asymmetry at a fixed
news-impact variance instead (:mod:`finloom.synth.market._newsimpact`): the symmetric response falls
as the asymmetry grows, so the leverage rises without making volatility itself more volatile, up to
the point where no symmetric response is left.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from finloom.errors import ConfigError
from finloom.synth.market._calibrate import calibrate_shift, window_leverage
from finloom.synth.market._newsimpact import hold_bounds, hold_shift

__all__ = ["asymmetry_bounds", "calibrate_asymmetry", "move_asymmetry", "shift_asymmetry"]

_EGARCH_RANGE = (-0.3, 0.6)  # shifts of the EGARCH sign term gamma (per unit standardised shock)
_GJR_MAX = 0.6  # largest increase of the GJR loss term gamma


def _check(vol: str) -> None:
    if vol not in ("GJR", "EGARCH"):
        raise ConfigError(f"leverage calibration needs an asymmetric volatility model ('GJR' or 'EGARCH'); "
                          f"got {vol!r}. Use vol='GJR' or 'EGARCH', or leverage='fit'.")


def shift_asymmetry(params: np.ndarray, vol: str, shift: np.ndarray) -> np.ndarray:
    """``params`` (A, 5: mu, omega, alpha, gamma, beta) with each asset's asymmetry moved by ``shift`` (A,).

    EGARCH: ``gamma - shift`` (the sign term; its mean is zero, so the log-variance level stays).
    GJR: ``gamma + shift`` and ``beta - shift / 2`` (the persistence ``alpha + gamma / 2 + beta`` stays).
    A positive shift gives more leverage in both.

    Examples
    --------
    >>> p = np.array([[0.05, 0.02, 0.02, 0.10, 0.90]])
    >>> shift_asymmetry(p, "GJR", np.array([0.04])).round(3).tolist()
    [[0.05, 0.02, 0.02, 0.14, 0.88]]
    >>> shift_asymmetry(p, "EGARCH", np.array([0.04]))[0, 3].round(3)
    np.float64(0.06)
    """
    _check(vol)
    out = np.array(params, dtype=np.float64, copy=True)
    d = np.asarray(shift, dtype=np.float64)
    if vol == "EGARCH":
        out[:, 3] -= d
    else:
        out[:, 3] += d
        out[:, 4] -= d / 2.0
    return out


def asymmetry_bounds(params: np.ndarray, vol: str) -> tuple[np.ndarray, np.ndarray]:
    """Per-asset range of shifts searched: GJR keeps ``gamma >= 0`` and ``beta >= 0``.

    Examples
    --------
    >>> lo, hi = asymmetry_bounds(np.array([[0.0, 0.02, 0.02, 0.10, 0.90]]), "GJR")
    >>> lo.round(2).tolist(), hi.round(2).tolist()
    ([-0.1], [0.6])
    """
    _check(vol)
    n = len(params)
    if vol == "EGARCH":
        return np.full(n, _EGARCH_RANGE[0]), np.full(n, _EGARCH_RANGE[1])
    gamma, beta = params[:, 3], params[:, 4]
    return -gamma, np.minimum(_GJR_MAX, 2.0 * beta)


def calibrate_asymmetry(simulate: Callable[[np.ndarray], np.ndarray], params: np.ndarray, vol: str,
                        returns: np.ndarray, n_days: int,
                        resid: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Shifts (A,) that give paths of ``n_days`` the median leverage of the training windows, and that target.

    ``simulate(p)`` returns paths (P, n_days, A) under parameters ``p`` (A, 5), with the same random
    numbers on every call; ``returns`` (T, A) is the training series. With ``resid`` (T, A, the
    standardised residuals) the shift is applied by :func:`move_asymmetry` at a fixed news-impact
    variance, within :func:`~finloom.synth.market._newsimpact.hold_bounds`.

    Examples
    --------
    >>> g = np.random.default_rng(0)
    >>> z = g.standard_normal((60, 400, 1))
    >>> def sim(p):  # an EGARCH(1,1,1) recursion driven by z
    ...     lv, out = np.zeros(60), np.empty((60, 400, 1))
    ...     for t in range(400):
    ...         e = z[:, t, 0]; out[:, t, 0] = np.exp(lv / 2) * e
    ...         lv = p[0, 2] * (abs(e) - .8) + p[0, 3] * e + p[0, 4] * lv
    ...     return out
    >>> p = np.array([[0.0, 0.0, 0.1, -0.15, 0.95]])
    >>> real = sim(p)[0]  # a training series with a strong leverage effect
    >>> d, target = calibrate_asymmetry(sim, np.array([[0.0, 0.0, 0.1, 0.0, 0.95]]), "EGARCH", real, 400)
    >>> bool(target[0] < -0.05), bool(0.05 < d[0] < 0.4)
    (True, True)
    """
    x = np.asarray(returns, dtype=np.float64)
    target = np.array([window_leverage(x[:, a], n_days) for a in range(x.shape[1])])
    lo, hi = asymmetry_bounds(params, vol)
    if resid is not None:
        hlo, hhi = hold_bounds(params, vol, resid)
        lo, hi = np.maximum(lo, hlo), np.minimum(hi, hhi)
    shift = calibrate_shift(lambda d: simulate(move_asymmetry(params, vol, d, resid)), target, lo, hi)
    return shift, target


def move_asymmetry(params: np.ndarray, vol: str, shift: np.ndarray, resid: np.ndarray | None = None) -> np.ndarray:
    """:func:`shift_asymmetry`, or with ``resid`` (T, A) :func:`~finloom.synth.market._newsimpact.hold_shift`.

    Examples
    --------
    >>> p = np.array([[0.0, 0.02, 0.05, 0.10, 0.90]])
    >>> z = np.random.default_rng(0).standard_normal((50_000, 1))
    >>> q = move_asymmetry(p, "GJR", np.array([0.02]), z)
    >>> q[0, 3].round(3), bool(q[0, 2] < 0.05 and q[0, 4] > 0.89)
    (np.float64(0.12), True)
    """
    _check(vol)
    return shift_asymmetry(params, vol, shift) if resid is None else hold_shift(params, vol, shift, resid)
