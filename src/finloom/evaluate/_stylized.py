"""Stylized facts of financial returns, computed on a real series and on an ensemble of paths.

Every function takes returns shaped ``(T,)`` for one real series or ``(P, T)`` for P paths.
Statistics on paths are *pooled* (one estimate over all paths, demeaned by the grand mean),
which avoids the small-sample bias of averaging per-path estimates on short paths.
"""

from __future__ import annotations

import numpy as np
from scipy import stats

from finloom._base import check_random_state
from finloom.errors import InvalidDataError

__all__ = [
    "abs_acf",
    "acf",
    "correlation_error",
    "discriminative_score",
    "excess_kurtosis",
    "gain_loss_asymmetry",
    "hill_tail_index",
    "leverage_effect",
    "predictive_score",
    "squared_acf",
]


def _as_paths(x: np.ndarray, name: str = "returns") -> np.ndarray:
    arr = np.asarray(x, dtype=np.float64)
    if arr.ndim == 1:
        arr = arr[None, :]
    if arr.ndim != 2:
        raise InvalidDataError(f"{name} must be 1-D (T,) or 2-D (paths, T); got shape {arr.shape}. "
                               "Pass one asset at a time.")
    if not np.isfinite(arr).all():
        raise InvalidDataError(f"{name} must be finite; got NaN or inf. Drop missing values first.")
    return arr


def _pooled_cross(a: np.ndarray, b: np.ndarray, max_lag: int) -> np.ndarray:
    """corr(a_t, b_{t+k}) for k = 1..max_lag, pooled over paths; a, b are (P, T)."""
    if a.shape[1] <= max_lag + 1:
        raise InvalidDataError(f"paths must be longer than max_lag + 1 = {max_lag + 1}; got "
                               f"{a.shape[1]} steps. Lower max_lag or use longer paths.")
    ac, bc = a - a.mean(), b - b.mean()
    denom = np.sqrt((ac**2).mean() * (bc**2).mean())
    out = np.empty(max_lag)
    for k in range(1, max_lag + 1):
        out[k - 1] = (ac[:, :-k] * bc[:, k:]).mean() / denom
    return out


def acf(returns: np.ndarray, max_lag: int = 50) -> np.ndarray:
    """Autocorrelation of returns at lags 1..max_lag (≈ 0 for liquid markets).

    Examples
    --------
    >>> x = np.random.default_rng(0).normal(size=5000)
    >>> bool(np.abs(acf(x, 5)).max() < 0.05)
    True
    """
    r = _as_paths(returns)
    return _pooled_cross(r, r, max_lag)


def abs_acf(returns: np.ndarray, max_lag: int = 50) -> np.ndarray:
    """Autocorrelation of |r| at lags 1..max_lag (volatility clustering: positive, slow decay).

    Examples
    --------
    >>> abs_acf(np.random.default_rng(0).normal(size=(4, 500)), 3).shape
    (3,)
    """
    r = np.abs(_as_paths(returns))
    return _pooled_cross(r, r, max_lag)


def squared_acf(returns: np.ndarray, max_lag: int = 50) -> np.ndarray:
    """Autocorrelation of r² at lags 1..max_lag.

    Examples
    --------
    >>> squared_acf(np.random.default_rng(0).normal(size=800), 2).shape
    (2,)
    """
    r = _as_paths(returns) ** 2
    return _pooled_cross(r, r, max_lag)


def leverage_effect(returns: np.ndarray, max_lag: int = 10) -> np.ndarray:
    """corr(r_t, |r_{t+k}|) for k = 1..max_lag (negative for equities: falls raise volatility).

    Examples
    --------
    >>> leverage_effect(np.random.default_rng(0).normal(size=3000), 10).mean().round(1)
    np.float64(0.0)
    """
    r = _as_paths(returns)
    return _pooled_cross(r, np.abs(r), max_lag)


def hill_tail_index(returns: np.ndarray, *, tail: str = "left", fraction: float = 0.05) -> float:
    """Hill estimator of the tail index α from the largest ``fraction`` of losses (or gains).

    Smaller α means heavier tails; daily equity returns usually give α ≈ 3-4.

    Examples
    --------
    >>> x = np.random.default_rng(0).standard_t(3, size=200_000)
    >>> 2.5 < hill_tail_index(x, tail="right", fraction=0.01) < 3.5
    True
    """
    r = _as_paths(returns).ravel()
    side = -r if tail == "left" else r
    side = np.sort(side[side > 0])[::-1]
    k = max(int(fraction * r.size), 5)
    if side.size <= k:
        return float("nan")
    logs = np.log(side[:k]) - np.log(side[k])
    return float(1.0 / logs.mean())


def gain_loss_asymmetry(returns: np.ndarray, *, horizon: int = 20) -> float:
    """|5% quantile| / 95% quantile of ``horizon``-day returns, minus 1 (> 0: larger falls than rises).

    Examples
    --------
    >>> abs(gain_loss_asymmetry(np.random.default_rng(0).normal(size=(50, 400)))) < 0.1
    True
    """
    r = _as_paths(returns)
    cs = np.cumsum(r, axis=1)
    h = cs[:, horizon:] - cs[:, :-horizon]
    lo, hi = np.quantile(h, [0.05, 0.95]) - np.median(h)
    return float(abs(lo) / hi - 1.0) if hi > 0 else float("nan")


def correlation_error(real: np.ndarray, synthetic: np.ndarray) -> float:
    """Mean absolute error between the off-diagonal return correlations of two (T, A) tables.

    ``synthetic`` may also be (P, T, A); its correlations are pooled over paths.

    Raises
    ------
    InvalidDataError
        When fewer than two assets are given.

    Examples
    --------
    >>> g = np.random.default_rng(0)
    >>> x = g.multivariate_normal([0, 0], [[1, .5], [.5, 1]], size=4000)
    >>> y = g.multivariate_normal([0, 0], [[1, .5], [.5, 1]], size=4000)
    >>> correlation_error(x, y) < 0.05
    True
    """
    real2 = np.asarray(real, dtype=np.float64)
    synth = np.asarray(synthetic, dtype=np.float64)
    synth2 = synth.reshape(-1, synth.shape[-1])
    if real2.ndim != 2 or real2.shape[1] < 2 or synth2.shape[1] != real2.shape[1]:
        raise InvalidDataError(f"cross-asset correlation must be given at least 2 assets (same count "
                               f"in real and synthetic); got shapes {real2.shape} and {synth.shape}. "
                               "Pass one column per asset.")
    mask = ~np.eye(real2.shape[1], dtype=bool)
    diff = np.atleast_2d(np.corrcoef(real2, rowvar=False)) - np.atleast_2d(np.corrcoef(synth2, rowvar=False))
    return float(np.abs(diff[mask]).mean())


def _windows(x: np.ndarray, width: int, stride: int) -> np.ndarray:
    view = np.lib.stride_tricks.sliding_window_view(x, width, axis=-1)
    return view[..., ::stride, :].reshape(-1, width)


def _real_split(real: np.ndarray, width: int, block: int) -> tuple[np.ndarray, np.ndarray]:
    """Sliding windows of the real series, split train/test by alternating time blocks (no overlap)."""
    wins = _windows(real, width, 1)
    starts = np.arange(len(wins))
    block_of = starts // block
    fits = (starts % block) <= block - width  # window stays inside its block
    test = (block_of % 4 == 3) & fits
    train = (block_of % 4 != 3) & fits
    return wins[train], wins[test]


def _features(w: np.ndarray) -> np.ndarray:
    return np.hstack([w, np.abs(w), np.sort(w, axis=1)])


def discriminative_score(
    real: np.ndarray,
    synthetic: np.ndarray,
    *,
    window: int = 20,
    repeats: int = 3,
    random_state: int | np.random.Generator | None = 0,
) -> float:
    """|accuracy - 0.5| of a post-hoc classifier telling real from synthetic return windows.

    Real windows slide over the real series and are split train/test by alternating time blocks;
    synthetic windows are non-overlapping slices of the paths. A gradient-boosted classifier sees
    each window, its absolute values and its sorted values. 0 means indistinguishable.

    Examples
    --------
    >>> g = np.random.default_rng(0)
    >>> discriminative_score(g.normal(size=1200), g.normal(size=(20, 200)), repeats=1) < 0.15
    True
    """
    from sklearn.ensemble import HistGradientBoostingClassifier
    from threadpoolctl import threadpool_limits

    rng = check_random_state(random_state)
    r_train, r_test = _real_split(_as_paths(real)[0], window, block=5 * window)
    s_all = _windows(_as_paths(synthetic), window, window)
    n_train = min(len(r_train), int(0.75 * len(s_all)))
    n_test = min(len(r_test), len(s_all) - n_train)
    if n_train < 10 or n_test < 5 or len(r_test) < 5:
        raise InvalidDataError(f"the discriminative score needs more windows of {window} days; got "
                               f"{len(s_all)} synthetic and {len(r_train) + len(r_test)} real windows. "
                               "Simulate more or longer paths.")
    scores = []
    for _ in range(repeats):
        pick = rng.permutation(len(s_all))
        s_train = s_all[pick[:n_train]]
        s_test = s_all[pick[n_train:n_train + n_test]]
        X = _features(np.vstack([r_train, s_train]))
        y = np.r_[np.ones(len(r_train)), np.zeros(len(s_train))]
        clf = HistGradientBoostingClassifier(max_iter=100, random_state=int(rng.integers(2**31)))
        with threadpool_limits(limits=1):  # small problem: OpenMP threads only add contention
            clf.fit(X, y)
        Xt = _features(np.vstack([r_test, s_test]))
        yt = np.r_[np.ones(len(r_test)), np.zeros(len(s_test))]
        # balanced accuracy: the test sets may differ in size
        with threadpool_limits(limits=1):
            pred = clf.predict(Xt)
        acc = 0.5 * ((pred[yt == 1] == 1).mean() + (pred[yt == 0] == 0).mean())
        scores.append(abs(acc - 0.5))
    return float(np.mean(scores))


def _lagged(x: np.ndarray, lags: int) -> tuple[np.ndarray, np.ndarray]:
    w = _windows(np.abs(x), lags + 1, 1)
    return w[:, :-1], w[:, -1]


def predictive_score(real: np.ndarray, synthetic: np.ndarray, *, lags: int = 20) -> dict[str, float]:
    """Train on synthetic, test on real: MAE of a ridge forecast of |r_{t+1}| from 20 lagged |r|.

    Returns ``{"tstr_mae", "trtr_mae", "ratio"}``; ``trtr`` trains on the first 70% of the real
    series and both are scored on its last 30%, so ``ratio`` ≈ 1 means synthetic data teach the
    volatility forecast as well as real data.

    Examples
    --------
    >>> g = np.random.default_rng(0)
    >>> out = predictive_score(g.normal(size=2000), g.normal(size=(20, 300)))
    >>> 0.9 < out["ratio"] < 1.1
    True
    """
    from sklearn.linear_model import Ridge

    r = _as_paths(real)[0]
    cut = int(0.7 * len(r))
    X_tr, y_tr = _lagged(r[:cut], lags)
    X_te, y_te = _lagged(r[cut:], lags)
    synth = _as_paths(synthetic)
    Xs = np.vstack([_lagged(p, lags)[0] for p in synth])
    ys = np.concatenate([_lagged(p, lags)[1] for p in synth])
    tstr = np.abs(Ridge(alpha=1e-6).fit(Xs, ys).predict(X_te) - y_te).mean()
    trtr = np.abs(Ridge(alpha=1e-6).fit(X_tr, y_tr).predict(X_te) - y_te).mean()
    return {"tstr_mae": float(tstr), "trtr_mae": float(trtr), "ratio": float(tstr / trtr)}


def excess_kurtosis(returns: np.ndarray) -> float:
    """Pooled excess kurtosis (0 for a normal distribution).

    Examples
    --------
    >>> round(excess_kurtosis(np.random.default_rng(0).normal(size=100_000)), 1)
    0.0
    """
    return float(stats.kurtosis(_as_paths(returns).ravel(), fisher=True))
