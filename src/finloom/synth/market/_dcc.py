"""DCC(1,1) dynamic conditional correlation: quasi-likelihood fit and simulation step.

Engle's (2002) recursion on standardised residuals ``z_t`` (unit variance per asset):
``Q_t = (1 - a - b) Q̄ + a z_{t-1} z_{t-1}' + b Q_{t-1}`` and ``R_t = diag(Q_t)^-½ Q_t diag(Q_t)^-½``.
After a day of large same-sign shocks ``R`` rises towards their direction and decays back to ``Q̄`` at
rate ``a + b``: crisis days come with higher cross-asset correlation.
"""

from __future__ import annotations

import numpy as np
from scipy import optimize, signal

__all__ = ["dcc_correlations", "dcc_neg_loglik", "dcc_step", "fit_dcc"]

_MAX_PERSISTENCE = 0.999  # a + b stays below this, so Q reverts to Q̄


def _normalise(q: np.ndarray) -> np.ndarray:
    """Correlation matrices of the (..., A, A) matrices ``q``."""
    d = 1.0 / np.sqrt(np.einsum("...aa->...a", q))
    return np.asarray(q * d[..., :, None] * d[..., None, :])


def dcc_correlations(z: np.ndarray, a: float, b: float, qbar: np.ndarray | None = None) -> np.ndarray:
    """Filtered correlation matrices ``R_t`` (T, A, A) of residuals ``z`` (T, A) under DCC(a, b).

    ``R_0`` is ``Q̄`` (the sample correlation of ``z`` unless ``qbar`` is given); ``R_t`` uses days < t.

    Examples
    --------
    >>> z = np.random.default_rng(0).normal(size=(300, 2))
    >>> r = dcc_correlations(z, 0.05, 0.9)
    >>> r.shape, bool(np.allclose(r[:, 0, 0], 1.0))
    ((300, 2, 2), True)
    """
    z = np.asarray(z, dtype=np.float64)
    qbar = np.corrcoef(z.T) if qbar is None else np.asarray(qbar, dtype=np.float64)
    outer = np.einsum("ta,tb->tab", z[:-1], z[:-1])  # (T-1, A, A)
    # Q_t - b Q_{t-1} = drive_t for t >= 1, and Q_0 = drive_0 = qbar (no history before it)
    drive = np.concatenate([qbar[None], (1.0 - a - b) * qbar + a * outer])
    q = signal.lfilter([1.0], [1.0, -b], drive, axis=0)
    return _normalise(q)


def dcc_neg_loglik(z: np.ndarray, a: float, b: float) -> float:
    """Correlation part of the Gaussian quasi-log-likelihood of DCC(a, b), negated and averaged per day.

    Examples
    --------
    >>> g = np.random.default_rng(0)
    >>> z = g.multivariate_normal([0, 0], [[1, .5], [.5, 1]], 500)
    >>> bool(dcc_neg_loglik(z, 0.0, 0.0) < dcc_neg_loglik(z, 0.3, 0.6))
    True
    """
    r = dcc_correlations(z, a, b)
    sign, logdet = np.linalg.slogdet(r)
    quad = np.einsum("ta,ta->t", z, np.linalg.solve(r, z[:, :, None])[:, :, 0])
    if np.any(sign <= 0):
        return float("inf")
    return float(np.mean(logdet + quad - np.einsum("ta,ta->t", z, z)))


def fit_dcc(z: np.ndarray) -> tuple[float, float]:
    """Quasi-maximum-likelihood DCC(1,1) parameters ``(a, b)`` of standardised residuals ``z`` (T, A).

    ``a, b >= 0`` and ``a + b < 0.999`` (a logistic parameterisation keeps the search unconstrained).

    Examples
    --------
    >>> g = np.random.default_rng(1)
    >>> z = g.normal(size=(400, 3))
    >>> a, b = fit_dcc(z)
    >>> 0.0 <= a < 0.05 and 0.0 <= b and a + b < 0.999
    True
    """
    z = np.asarray(z, dtype=np.float64)
    z = (z - z.mean(axis=0)) / z.std(axis=0)

    def unpack(x: np.ndarray) -> tuple[float, float]:
        persistence = _MAX_PERSISTENCE / (1.0 + np.exp(-x[0]))
        share = 1.0 / (1.0 + np.exp(-x[1]))
        return float(persistence * share), float(persistence * (1.0 - share))

    def objective(x: np.ndarray) -> float:
        return dcc_neg_loglik(z, *unpack(x))

    best = min(
        (optimize.minimize(objective, np.array(x0), method="Nelder-Mead",
                           options={"xatol": 1e-4, "fatol": 1e-7, "maxiter": 400})
         for x0 in ((3.0, -3.0), (0.0, 0.0))),
        key=lambda res: float(res.fun),
    )
    return unpack(best.x)


def dcc_step(q: np.ndarray, z: np.ndarray, qbar: np.ndarray, a: float, b: float) -> np.ndarray:
    """Next ``Q`` (P, A, A) from today's ``Q`` (P, A, A) and shocks ``z`` (P, A).

    Examples
    --------
    >>> qbar = np.eye(2)
    >>> q = dcc_step(qbar[None], np.array([[2.0, 2.0]]), qbar, 0.1, 0.8)
    >>> bool(q[0, 0, 1] > 0)
    True
    """
    return np.asarray((1.0 - a - b) * qbar + a * z[:, :, None] * z[:, None, :] + b * q)
