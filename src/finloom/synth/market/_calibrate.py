"""Calibration by simulation: match a model's per-path leverage (or clustering) to the training windows'.

A fitted GARCH-type model reproduces less of the leverage effect (the correlation of today's
return with the next days' absolute returns) than the data it was fitted on: its heavy-tailed
shocks dilute the correlation. :func:`calibrate_shift` finds, by bisection with common random
numbers, the shift of one asymmetry parameter per asset that makes the median per-path leverage of
simulated paths equal the median leverage of the training series' own rolling windows of the same
length (a simulated-method-of-moments step that uses the training window only). The same bisection
matches volatility clustering (:func:`path_clustering`, the mean |r| autocorrelation over the first
lags) when given that statistic.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

__all__ = ["calibrate_shift", "path_clustering", "path_leverage", "window_leverage", "window_statistic"]


def path_leverage(returns: np.ndarray, lags: int = 10) -> np.ndarray:
    """Per-path leverage: mean over k = 1..``lags`` of corr(r_t, |r_{t+k}|); ``returns`` is (P, T).

    Examples
    --------
    >>> g = np.random.default_rng(0)
    >>> bool(abs(path_leverage(g.normal(size=(50, 500))).mean()) < 0.02)
    True
    """
    r = np.atleast_2d(np.asarray(returns, dtype=np.float64))
    a = np.abs(r)
    rc = r - r.mean(axis=1, keepdims=True)
    ac = a - a.mean(axis=1, keepdims=True)
    n = r.shape[1]
    denom = np.sqrt((rc**2).sum(axis=1) * (ac**2).sum(axis=1))
    denom = np.where(denom > 0, denom, np.inf)
    total = np.zeros(r.shape[0])
    for k in range(1, lags + 1):
        total += (rc[:, : n - k] * ac[:, k:]).sum(axis=1)
    return total / denom / lags


def path_clustering(returns: np.ndarray, lags: int = 20) -> np.ndarray:
    """Per-path volatility clustering: mean over k = 1..``lags`` of the |r| autocorrelation; (P, T) in.

    Examples
    --------
    >>> g = np.random.default_rng(0)
    >>> bool(abs(path_clustering(g.normal(size=(50, 500))).mean()) < 0.02)
    True
    """
    a = np.abs(np.atleast_2d(np.asarray(returns, dtype=np.float64)))
    ac = a - a.mean(axis=1, keepdims=True)
    n = a.shape[1]
    denom = (ac**2).sum(axis=1)
    denom = np.where(denom > 0, denom, np.inf)
    total = np.zeros(a.shape[0])
    for k in range(1, lags + 1):
        total += (ac[:, : n - k] * ac[:, k:]).sum(axis=1)
    return total / denom / lags


def window_statistic(series: np.ndarray, n_days: int, statistic: Callable[[np.ndarray], np.ndarray], *,
                     stride: int = 21) -> float:
    """Median of ``statistic`` over the rolling ``n_days`` windows of one series (the whole if shorter).

    Examples
    --------
    >>> r = np.random.default_rng(0).normal(size=2000)
    >>> bool(abs(window_statistic(r, 500, path_clustering)) < 0.05)
    True
    """
    x = np.asarray(series, dtype=np.float64)
    width = min(int(n_days), len(x))
    windows = np.lib.stride_tricks.sliding_window_view(x, width)[::stride]
    return float(np.median(statistic(windows)))


def window_leverage(series: np.ndarray, n_days: int, *, stride: int = 21, lags: int = 10) -> float:
    """Median leverage of the rolling ``n_days`` windows of one series (the whole series if shorter).

    Examples
    --------
    >>> r = np.random.default_rng(0).normal(size=2000)
    >>> bool(abs(window_leverage(r, 500)) < 0.05)
    True
    """
    return window_statistic(series, n_days, lambda w: path_leverage(w, lags), stride=stride)


def calibrate_shift(simulate: Callable[[np.ndarray], np.ndarray], target: np.ndarray, lo: np.ndarray,
                    hi: np.ndarray, *, increasing: bool = False, iterations: int = 14,
                    lags: int = 10, statistic: Callable[[np.ndarray], np.ndarray] | None = None) -> np.ndarray:
    """Per-asset shift ``d`` in [lo, hi] with median path leverage of ``simulate(d)`` equal to ``target``.

    ``simulate(d)`` returns (P, T, A) returns for shifts ``d`` (A,) and must use the same random
    numbers on every call. Leverage is assumed to decrease with ``d`` (``increasing=False``, e.g. the
    EGARCH asymmetry term) or increase with it; a target outside the reachable range ends at a bound.
    ``statistic`` (paths (P, T) → (P,)) replaces the leverage, e.g. :func:`path_clustering`.

    Examples
    --------
    >>> g = np.random.default_rng(0)
    >>> z = g.normal(size=(100, 300, 1))
    >>> def sim(d):  # returns whose next-day size falls with today's return: leverage ~ -d
    ...     r = z.copy(); r[:, 1:] *= np.exp(-d * z[:, :-1]); return r
    >>> d = calibrate_shift(sim, np.array([-0.03]), np.array([0.0]), np.array([1.0]))
    >>> bool(0 < d[0] < 1)
    True
    """
    lo, hi = np.asarray(lo, dtype=np.float64).copy(), np.asarray(hi, dtype=np.float64).copy()
    target = np.asarray(target, dtype=np.float64)
    stat = statistic if statistic is not None else (lambda paths: path_leverage(paths, lags))
    for _ in range(iterations):
        mid = 0.5 * (lo + hi)
        r = simulate(mid)
        lev = np.array([np.median(stat(r[:, :, a])) for a in range(r.shape[2])])
        too_low = lev < target if increasing else lev > target  # not enough leverage yet: move on
        lo = np.where(too_low, mid, lo)
        hi = np.where(too_low, hi, mid)
    return 0.5 * (lo + hi)
