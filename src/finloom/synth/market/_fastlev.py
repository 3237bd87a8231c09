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
``gamma`` at ``beta = 0.99``. :func:`simulate_fast` runs it for a GARCH-type recursion; simulators
with a loop of their own (the FHS hybrid's slow level) step a :class:`FastFactor` inside it. The gain
is calibrated by bisection like the asymmetry shift (:func:`calibrate_gain`, through
:func:`~finloom.synth.market._calibrate.calibrate_shift`) to the fit window's median leverage.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from finloom.synth.market._calibrate import calibrate_shift, window_leverage

__all__ = ["FAST_DECAY", "GAIN_RANGE", "FastFactor", "calibrate_gain", "simulate_fast"]

FAST_DECAY = 0.8  # per-day decay of the fast factor (half-life about three days)
GAIN_RANGE = (-0.3, 0.6)  # gains searched (negative: less leverage than the fitted model)


class FastFactor:
    """The factor ``exp(S_t - Var S / 2)`` of every path and asset, stepped one day at a time.

    ``gain`` (A,) is each asset's response to a unit standardised shock; ``shape`` is (P, A).

    Examples
    --------
    >>> f = FastFactor(np.array([0.2]), (2, 1))
    >>> f.value().round(4).tolist()  # S_0 = 0: just below one, so that E[factor] = 1
    [[0.946], [0.946]]
    >>> f.step(np.array([[-1.0], [1.0]]))  # a loss raises the next day's variance, a gain lowers it
    >>> bool(f.value()[0, 0] > 1 > f.value()[1, 0])
    True
    """

    def __init__(self, gain: np.ndarray, shape: tuple[int, ...], *, decay: float = FAST_DECAY) -> None:
        self.gain = np.asarray(gain, dtype=np.float64)
        self.decay = float(decay)
        self.half_var = 0.5 * self.gain**2 / (1.0 - self.decay**2)
        self.state = np.zeros(shape)

    def value(self) -> np.ndarray:
        """Today's multiplier of the variance, (P, A)."""
        return np.exp(self.state - self.half_var)

    def step(self, e: np.ndarray) -> None:
        """Move the state with today's standardised shocks ``e`` (P, A)."""
        self.state = self.decay * self.state - self.gain * e


def calibrate_gain(simulate: Callable[[np.ndarray], np.ndarray], returns: np.ndarray,
                   n_days: int) -> tuple[np.ndarray, np.ndarray]:
    """Gains (A,) whose paths of ``n_days`` carry the median leverage of the fit window's windows, and that target.

    ``simulate(gain)`` returns paths (P, n_days, A) with the same random numbers on every call;
    ``returns`` (T, A) is the fit window. The gains are searched in :data:`GAIN_RANGE`.

    Examples
    --------
    >>> g = np.random.default_rng(0)
    >>> upd = lambda h, e: 0.05 + 0.05 * e**2 + 0.9 * h
    >>> real = simulate_fast(upd, np.ones((1, 1)), g.standard_normal((1, 5000, 1)), np.zeros(1), np.array([0.3]))[0]
    >>> z = g.standard_normal((100, 500, 1))
    >>> gain, target = calibrate_gain(lambda k: simulate_fast(upd, np.ones((100, 1)), z, np.zeros(1), k), real, 500)
    >>> bool(0.15 < gain[0] < 0.45), bool(target[0] < -0.03)
    (True, True)
    """
    x = np.asarray(returns, dtype=np.float64)
    n_assets = x.shape[1]
    target = np.array([window_leverage(x[:, a], n_days) for a in range(n_assets)])
    gain = calibrate_shift(simulate, target, np.full(n_assets, GAIN_RANGE[0]), np.full(n_assets, GAIN_RANGE[1]))
    return gain, target


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
    h = np.array(var, dtype=np.float64, copy=True)
    factor = FastFactor(gain, h.shape, decay=decay)
    out = np.empty_like(z, dtype=np.float64)
    for t in range(z.shape[1]):
        scale = np.sqrt(h * factor.value())
        eps = scale * z[:, t]
        if shock is not None and t == shock[0]:
            eps[:, shock[1]] = shock[2][shock[1]]
        out[:, t] = mu + eps
        e = eps / scale  # the shock as the model sees it (the scenario's, on a shock day)
        h = update(h, np.sqrt(h) * e)
        factor.step(e)
    return out
