"""A short-lived leverage factor on top of a fitted GARCH-type variance: leverage without vol of vol.

Raising the asymmetry of a GJR / EGARCH model raises the leverage effect (the correlation of today's
return with the next days' absolute returns) only through the model's one, slowly decaying variance
(``beta`` near 0.99), so the variance of the log variance grows by ``d gamma**2 / (1 - beta**2)``:
volatility itself becomes too volatile (kurtosis, clustering). The leverage measured over lags 1..10
needs a response that lasts about ten days, not a hundred. Here the fitted variance ``h_t`` is kept
as it is and multiplied by a fast factor::

    sigma2_t = h_t * exp(S_t - Var S / 2),   S_{t+1} = decay * S_t - gain * z_t

(``z_t`` the standardised shock, ``Var S = gain**2 / (1 - decay**2)``, so the mean variance stays).
With ``decay = 0.8`` the factor adds ``gain * sum(decay**k)`` of leverage over ten lags for a variance
of the log variance of ``2.8 gain**2`` — about a tenth of what the same leverage costs through
``gamma`` at ``beta = 0.99``. :func:`simulate_fast` runs it; the gain is calibrated by bisection like
the asymmetry shift (:func:`~finloom.synth.market._calibrate.calibrate_shift`).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

__all__ = ["FAST_DECAY", "GAIN_RANGE", "simulate_fast"]

FAST_DECAY = 0.8  # per-day decay of the fast factor (half-life about three days)
GAIN_RANGE = (-0.3, 0.6)  # gains searched (negative: less leverage than the fitted model)


def simulate_fast(update: Callable[[np.ndarray, np.ndarray], np.ndarray], var: np.ndarray, z: np.ndarray,
                  mu: np.ndarray, gain: np.ndarray, *, decay: float = FAST_DECAY,
                  shock: tuple[int, np.ndarray, np.ndarray] | None = None) -> np.ndarray:
    """Paths (P, T, A) of ``mu + sqrt(h_t * fast_t) * z_t`` with ``h`` from ``update(h, eps)``.

    ``var`` (P, A) are the starting variances, ``z`` (P, T, A) the standardised shocks, ``gain`` (A,)
    the fast factor's response to a unit shock. ``shock`` = (day, mask (A,), residual (A,)) sets the
    residual of the masked assets on that day (a scenario); ``h`` and the factor then see the shock
    that residual implies. The slow variance follows ``update`` with the same shocks, as without the
    factor, so ``gain = 0`` gives the fitted model's paths.

    Examples
    --------
    >>> g = np.random.default_rng(0)
    >>> z = g.standard_normal((200, 500, 1))
    >>> upd = lambda h, e: 0.05 + 0.05 * e**2 + 0.9 * h  # a GARCH(1,1) in percent
    >>> flat = simulate_fast(upd, np.ones((200, 1)), z, np.zeros(1), np.zeros(1))
    >>> lev = simulate_fast(upd, np.ones((200, 1)), z, np.zeros(1), np.array([0.3]))
    >>> from finloom.synth.market._calibrate import path_leverage
    >>> bool(np.median(path_leverage(lev[:, :, 0])) < np.median(path_leverage(flat[:, :, 0])) - 0.03)
    True
    >>> bool(abs(lev.var() / flat.var() - 1) < 0.15)  # the variance level stays
    True
    """
    g = np.asarray(gain, dtype=np.float64)
    half_var = 0.5 * g**2 / (1.0 - decay**2)
    h = np.array(var, dtype=np.float64, copy=True)
    state = np.zeros_like(h)
    out = np.empty_like(z, dtype=np.float64)
    for t in range(z.shape[1]):
        scale = np.sqrt(h * np.exp(state - half_var))
        eps = scale * z[:, t]
        if shock is not None and t == shock[0]:
            eps[:, shock[1]] = shock[2][shock[1]]
        out[:, t] = mu + eps
        e = eps / scale  # the shock as the model sees it (the scenario's, on a shock day)
        h = update(h, np.sqrt(h) * e)
        state = decay * state - g * e
    return out
