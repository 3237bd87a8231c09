"""Move a GJR / EGARCH asymmetry while holding the variance of the news-impact term (the vol of vol).

Each day the variance recursion adds a news-impact term ``n(z) = alpha * u(z) + gamma * v(z)`` of the
standardised shock ``z``: EGARCH ``u = |z|``, ``v = z`` (to the log variance), GJR ``u = z**2``,
``v = z**2 * (z < 0)`` (times the variance). Raising the asymmetry ``gamma`` alone raises the variance
of ``n(z)``, so volatility itself swings more (more kurtosis, stronger clustering). :func:`hold_shift`
moves ``gamma`` and re-solves ``alpha`` so that ``Var n(z)`` over the model's own standardised
residuals stays where the fit put it; the level stays too (EGARCH: ``omega`` absorbs the change of
``alpha * (E|z| - sqrt(2/pi))``; GJR: ``beta`` keeps the persistence ``beta + E n(z)``). For i.i.d.
shocks this holds EGARCH's unconditional variance of the log variance, ``Var n / (1 - beta**2)``, and
GJR's ratio ``E sigma^4 / (E sigma^2)^2`` (kurtosis), which depend on ``Var n`` and the persistence only.
The leverage then rises only by turning the symmetric response into an asymmetric one, up to
``alpha = 0`` (:func:`hold_bounds`).
"""

from __future__ import annotations

import numpy as np

__all__ = ["hold_bounds", "hold_shift", "news_impact_terms", "news_impact_variance"]

_EGARCH_MEAN_ABS = float(np.sqrt(2.0 / np.pi))


def news_impact_terms(z: np.ndarray, vol: str) -> tuple[np.ndarray, np.ndarray]:
    """The symmetric and asymmetric features ``(u, v)`` of shocks ``z`` (any shape) for ``vol``.

    Examples
    --------
    >>> u, v = news_impact_terms(np.array([-2.0, 1.0]), "GJR")
    >>> u.tolist(), v.tolist()
    ([4.0, 1.0], [4.0, 0.0])
    >>> [t.tolist() for t in news_impact_terms(np.array([-2.0, 1.0]), "EGARCH")]
    [[2.0, 1.0], [-2.0, 1.0]]
    """
    z = np.asarray(z, dtype=np.float64)
    if vol == "EGARCH":
        return np.abs(z), z
    return z**2, z**2 * (z < 0)


def _moments(z: np.ndarray, vol: str) -> tuple[float, float, float, float, float]:
    """Var u, Var v, Cov(u, v), E u, E v of one asset's shocks ``z`` (T,)."""
    u, v = news_impact_terms(z, vol)
    c = np.cov(u, v, bias=True)
    return float(c[0, 0]), float(c[1, 1]), float(c[0, 1]), float(u.mean()), float(v.mean())


def news_impact_variance(alpha: float, gamma: float, z: np.ndarray, vol: str) -> float:
    """``Var(alpha * u(z) + gamma * v(z))`` over the shocks ``z`` (T,).

    Examples
    --------
    >>> z = np.random.default_rng(0).standard_normal(200_000)
    >>> round(news_impact_variance(0.1, 0.0, z, "GJR"), 3)  # 0.1**2 * Var(z**2) = 0.01 * 2
    0.02
    """
    vu, vv, cuv, _, _ = _moments(z, vol)
    return alpha**2 * vu + gamma**2 * vv + 2.0 * alpha * gamma * cuv


def _gamma_max(alpha: float, gamma: float, z: np.ndarray, vol: str) -> float:
    """The largest |gamma| that a non-negative alpha can pair with at the fitted news-impact variance."""
    _, vv, _, _, _ = _moments(z, vol)
    return float(np.sqrt(news_impact_variance(alpha, gamma, z, vol) / max(vv, 1e-300)))


def hold_shift(params: np.ndarray, vol: str, shift: np.ndarray, resid: np.ndarray) -> np.ndarray:
    """``params`` (A, 5: mu, omega, alpha, gamma, beta) with each asymmetry moved by ``shift`` (A,) at a
    fixed news-impact variance; ``resid`` (T, A) are the standardised residuals the model is driven by.

    The asymmetry moves as in :func:`~finloom.synth.market._leverage.shift_asymmetry` (EGARCH
    ``gamma - shift``, GJR ``gamma + shift``; more leverage as ``shift`` grows); ``alpha`` becomes the
    non-negative root of ``Var(alpha' u + gamma' v) = Var(alpha u + gamma v)`` (0 where none is left),
    then EGARCH's ``omega`` keeps the log-variance level and GJR's ``beta`` the persistence.

    Examples
    --------
    >>> z = np.random.default_rng(0).standard_normal((100_000, 1))
    >>> p = np.array([[0.0, 0.01, 0.12, -0.08, 0.98]])
    >>> q = hold_shift(p, "EGARCH", np.array([0.02]), z)
    >>> q[0, 3].round(3), bool(q[0, 2] < 0.12)  # more asymmetry, less symmetric response
    (np.float64(-0.1), True)
    >>> a, b = (news_impact_variance(x[0, 2], x[0, 3], z[:, 0], "EGARCH") for x in (p, q))
    >>> bool(abs(a - b) < 1e-12)
    True
    """
    out = np.array(params, dtype=np.float64, copy=True)
    d = np.asarray(shift, dtype=np.float64)
    for a in range(out.shape[0]):
        mu, omega, alpha, gamma, beta = out[a]
        z = np.asarray(resid, dtype=np.float64)[:, a]
        vu, vv, cuv, eu, ev = _moments(z, vol)
        target = news_impact_variance(alpha, gamma, z, vol)
        g = gamma - d[a] if vol == "EGARCH" else max(gamma + d[a], 0.0)
        b, c = 2.0 * g * cuv, g**2 * vv - target
        disc = b**2 - 4.0 * vu * c
        new_alpha = max((-b + np.sqrt(max(disc, 0.0))) / (2.0 * vu), 0.0) if vu > 0 else alpha
        if vol == "EGARCH":
            omega = omega + (alpha - new_alpha) * (eu - _EGARCH_MEAN_ABS) + (gamma - g) * ev
        else:
            beta = max(beta + (alpha - new_alpha) * eu + (gamma - g) * ev, 0.0)
        out[a] = (mu, omega, new_alpha, g, beta)
    return out


def hold_bounds(params: np.ndarray, vol: str, resid: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per-asset shifts for which a non-negative ``alpha`` holds the news-impact variance.

    EGARCH: ``|gamma'|`` up to ``sqrt(Var n / Var v)``; GJR: ``0 <= gamma'`` up to the same bound.

    Examples
    --------
    >>> z = np.random.default_rng(0).standard_normal((100_000, 1))
    >>> lo, hi = hold_bounds(np.array([[0.0, 0.01, 0.0, 0.2, 0.85]]), "GJR", z)
    >>> lo.round(2).tolist(), hi.round(2).tolist()  # alpha is 0 already: no room for more asymmetry
    ([-0.2], [0.0])
    """
    z = np.asarray(resid, dtype=np.float64)
    lo, hi = np.empty(len(params)), np.empty(len(params))
    for a, (_, _, alpha, gamma, _) in enumerate(np.asarray(params, dtype=np.float64)):
        top = _gamma_max(alpha, gamma, z[:, a], vol)
        if vol == "EGARCH":  # gamma' = gamma - d in [-top, top]
            lo[a], hi[a] = gamma - top, gamma + top
        else:  # gamma' = gamma + d in [0, top]
            lo[a], hi[a] = -gamma, max(top - gamma, 0.0)
    return lo, hi
