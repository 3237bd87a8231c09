"""Calm / stressed regime labels from realised volatility or a two-state Markov-switching model."""

from __future__ import annotations

import warnings

import numpy as np

from finloom._optional import require
from finloom.errors import ConfigError

__all__ = ["REGIMES", "label_regimes", "regime_code"]

REGIMES = ("calm", "stressed")


def regime_code(regime: str | None) -> int | None:
    """Map ``"calm"`` → 0, ``"stressed"`` → 1, None → None; raise ConfigError otherwise.

    Examples
    --------
    >>> regime_code("stressed")
    1
    """
    if regime is None:
        return None
    if regime not in REGIMES:
        raise ConfigError(f"regime must be one of {list(REGIMES)} or None; got {regime!r}.")
    return REGIMES.index(regime)


def _rolling_vol(returns: np.ndarray, window: int) -> np.ndarray:
    r2 = returns**2 if returns.ndim == 1 else (returns**2).mean(axis=1)
    cs = np.concatenate([[0.0], np.cumsum(r2)])
    idx = np.arange(1, len(r2) + 1)
    lo = np.maximum(idx - window, 0)
    return np.sqrt((cs[idx] - cs[lo]) / (idx - lo))


def label_regimes(
    returns: np.ndarray, *, method: str = "volatility", window: int = 21, quantile: float = 0.7
) -> np.ndarray:
    """Label each day 0 (calm) or 1 (stressed).

    ``"volatility"``: trailing ``window``-day realised volatility above its ``quantile``.
    ``"hmm"``: a two-state Markov-switching variance model (statsmodels), smoothed probabilities.

    Examples
    --------
    >>> g = np.random.default_rng(0)
    >>> r = np.r_[g.normal(0, .005, 300), g.normal(0, .03, 100)]
    >>> lab = label_regimes(r)
    >>> bool(lab[:250].mean() < 0.1), int(lab[330:].min())
    (True, 1)
    """
    r = np.asarray(returns, dtype=np.float64)
    if method == "volatility":
        vol = _rolling_vol(r, window)
        return (vol > np.quantile(vol, quantile)).astype(np.int64)
    if method == "hmm":
        sm = require("statsmodels.tsa.regime_switching.markov_regression", feature="HMM regimes")
        series = (r if r.ndim == 1 else r.mean(axis=1)) * 100
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # convergence chatter from the optimiser
            res = sm.MarkovRegression(series, k_regimes=2, switching_variance=True).fit(disp=False)
        probs = np.asarray(res.smoothed_marginal_probabilities)
        names, params = list(res.model.param_names), np.asarray(res.params)
        stressed = int(np.argmax([params[names.index(f"sigma2[{k}]")] for k in (0, 1)]))
        return (probs[:, stressed] > 0.5).astype(np.int64)
    raise ConfigError(f"regime method must be 'volatility' or 'hmm'; got {method!r}.")
