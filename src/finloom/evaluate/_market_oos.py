"""Out-of-sample judgement of market paths: per-path statistics, memorisation, discrimination.

A simulator is fitted on a training window and judged against the *following* test window:

* :func:`path_statistics` computes stylized facts per path (excess kurtosis, |r| ACF, leverage,
  volatility clustering), so heavy-tailed models are not punished by pooled moments that grow with
  the number of paths;
* :func:`per_path_scores` places the real test window's statistics against the model's per-path
  distribution, in units of the spread a reference model (a correctly specified GJR-GARCH-t, say)
  produces at the same length: ``z = (median_model - real) / spread_reference``;
* :func:`memorisation_check` measures how close synthetic volatility paths and return windows come
  to the training data, between an independent reference model (score 0) and a block bootstrap of
  the training returns (score 1);
* :func:`discriminate_windows` trains a classifier on real test windows vs synthetic windows with
  time-block cross-validation and reports balanced accuracy, one-sided (below chance is not worse);
  returns are put on a common coarse grid and jittered first, so exact zeros and ties in the real
  data cannot give it away.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from finloom._base import check_random_state
from finloom.errors import InvalidDataError
from finloom.evaluate._stylized import _as_paths

__all__ = [
    "discriminate_windows",
    "memorisation_check",
    "path_statistics",
    "per_path_scores",
    "stationary_bootstrap",
]

STATISTICS = ("kurtosis", "leverage", "vol_clustering", "abs_acf")


_paths = _as_paths  # one validation of (paths, T) arrays for every market statistic


def _cross(a: np.ndarray, b: np.ndarray, lags: int) -> np.ndarray:
    """Per-path corr(a_t, b_{t+k}) for k = 1..lags, each path demeaned by its own mean: (P, lags)."""
    ac = a - a.mean(axis=1, keepdims=True)
    bc = b - b.mean(axis=1, keepdims=True)
    n = a.shape[1]
    denom = np.sqrt((ac**2).sum(axis=1) * (bc**2).sum(axis=1))
    denom = np.where(denom > 0, denom, np.inf)
    out = np.empty((a.shape[0], lags))
    for k in range(1, lags + 1):
        out[:, k - 1] = (ac[:, : n - k] * bc[:, k:]).sum(axis=1)
    return out / denom[:, None]


def path_statistics(returns: np.ndarray, *, acf_lags: int = 50, leverage_lags: int = 10,
                    cluster_lags: int = 20) -> dict[str, np.ndarray]:
    """Stylized facts of each path: excess kurtosis, leverage, volatility clustering and the |r| ACF.

    ``leverage`` is the mean of corr(r_t, |r_{t+k}|) over k = 1..``leverage_lags``;
    ``vol_clustering`` the mean |r| autocorrelation over lags 1..``cluster_lags``; ``abs_acf`` the
    |r| autocorrelations at lags 1..``acf_lags``, shaped ``(P, acf_lags)``.

    Examples
    --------
    >>> s = path_statistics(np.random.default_rng(0).normal(size=(3, 500)))
    >>> s["kurtosis"].shape, s["abs_acf"].shape
    ((3,), (3, 50))
    """
    r = _paths(returns)
    if r.shape[1] <= max(acf_lags, leverage_lags, cluster_lags) + 10:
        raise InvalidDataError(f"paths must be longer than the largest lag + 10 = "
                               f"{max(acf_lags, leverage_lags, cluster_lags) + 10}; got {r.shape[1]} days. "
                               "Use longer paths or fewer lags.")
    c = r - r.mean(axis=1, keepdims=True)
    m2 = (c**2).mean(axis=1)
    kurt = np.where(m2 > 0, (c**4).mean(axis=1) / np.where(m2 > 0, m2, 1.0) ** 2 - 3.0, 0.0)
    a = np.abs(r)
    acf = _cross(a, a, max(acf_lags, cluster_lags))
    return {"kurtosis": kurt, "leverage": _cross(r, a, leverage_lags).mean(axis=1),
            "vol_clustering": acf[:, :cluster_lags].mean(axis=1), "abs_acf": acf[:, :acf_lags]}


def _spread(x: np.ndarray) -> float:
    """Robust standard deviation: interquartile range / 1.349 (kurtosis of t(4) paths has fat tails)."""
    q1, q3 = np.quantile(x, [0.25, 0.75])
    return float(max((q3 - q1) / 1.349, 1e-12))


def per_path_scores(real: np.ndarray, synthetic: np.ndarray, reference: np.ndarray, **lags: int) -> dict[str, Any]:
    """Real test-window statistics vs the model's per-path values, scaled by the reference's spread.

    All three inputs should have the real test window's length. For kurtosis, leverage and
    volatility clustering ``z = (median over model paths - real value) / spread over reference
    paths``; for the |r| ACF, ``abs_acf_mae`` is the mean absolute gap between the real ACF and the
    model's mean per-path ACF (lags 1-50), and its z compares that gap with how far the reference's
    own paths lie from the reference's mean ACF. A correctly specified model gives |z| ≲ 2.

    Examples
    --------
    >>> g = np.random.default_rng(0)
    >>> out = per_path_scores(g.normal(size=500), g.normal(size=(200, 500)), g.normal(size=(200, 500)))
    >>> sorted(out["per_path_z"]), bool(abs(out["per_path_z"]["kurtosis"]) < 3)
    (['abs_acf', 'kurtosis', 'leverage', 'vol_clustering'], True)
    """
    r = _paths(real, "real")
    if r.shape[0] != 1:
        raise InvalidDataError(f"real must be one series (T,); got {r.shape[0]} rows. Pass the test window.")
    s_real = path_statistics(r, **lags)
    s_syn = path_statistics(synthetic, **lags)
    s_ref = path_statistics(reference, **lags)
    z: dict[str, float] = {}
    out: dict[str, Any] = {}
    for name in ("kurtosis", "leverage", "vol_clustering"):
        real_value = float(s_real[name][0])
        synth_value = float(np.median(s_syn[name]))
        out[f"{name}_real"], out[f"{name}_synth"] = real_value, synth_value
        out[f"{name}_reference"] = float(np.median(s_ref[name]))
        z[name] = (synth_value - real_value) / _spread(s_ref[name])
    acf_real = s_real["abs_acf"][0]
    gap = float(np.abs(acf_real - s_syn["abs_acf"].mean(axis=0)).mean())
    ref_gaps = np.abs(s_ref["abs_acf"] - s_ref["abs_acf"].mean(axis=0)).mean(axis=1)
    z["abs_acf"] = (gap - float(np.median(ref_gaps))) / _spread(ref_gaps)
    out["abs_acf_mae"] = gap
    out["abs_acf_mae_true_model"] = float(np.median(ref_gaps))  # the noise floor at this length
    out["per_path_z"] = z
    return out


def stationary_bootstrap(returns: np.ndarray, n_paths: int, n_days: int, *, block: float = 20.0,
                         random_state: int | np.random.Generator | None = 0) -> np.ndarray:
    """Stationary block bootstrap (mean block ``block`` days) of a real series: ``(n_paths, n_days)``.

    Examples
    --------
    >>> out = stationary_bootstrap(np.arange(100.0), 2, 5, block=1e9)
    >>> out.shape, bool((np.diff(out, axis=1) % 100 == 1).all())
    ((2, 5), True)
    """
    x = _paths(returns)[0]
    rng = check_random_state(random_state)
    n = len(x)
    jumps = rng.random((n_paths, n_days)) < 1.0 / block
    jumps[:, 0] = True
    starts = rng.integers(0, n, size=(n_paths, n_days))
    # index of the last jump at or before each day, then walk forward from that block's start
    last = np.maximum.accumulate(np.where(jumps, np.arange(n_days), 0), axis=1)
    start_at_last = np.take_along_axis(starts, last, axis=1)
    idx = (start_at_last + np.arange(n_days) - last) % n
    return x[idx]


def _log_vol(r: np.ndarray, window: int) -> np.ndarray:
    """log of the trailing ``window``-day root mean square return, per row: (P, T - window + 1)."""
    cs = np.concatenate([np.zeros((r.shape[0], 1)), np.cumsum(r**2, axis=1)], axis=1)
    ms = (cs[:, window:] - cs[:, :-window]) / window
    return 0.5 * np.log(np.maximum(ms, 1e-16))


def _shape(x: np.ndarray) -> np.ndarray:
    """Rows demeaned and scaled to unit standard deviation: a path's shape, not its level."""
    c = x - x.mean(axis=-1, keepdims=True)
    sd = c.std(axis=-1, keepdims=True)
    return c / np.where(sd > 0, sd, 1.0)


def _nearest(queries: np.ndarray, bank: np.ndarray, chunk: int = 512) -> np.ndarray:
    """Root mean square distance of each query row to its nearest bank row."""
    bb = (bank**2).sum(axis=1)
    out = np.empty(len(queries))
    for i in range(0, len(queries), chunk):
        q = queries[i:i + chunk]
        d2 = (q**2).sum(axis=1)[:, None] + bb[None, :] - 2.0 * q @ bank.T
        out[i:i + chunk] = np.sqrt(np.maximum(d2.min(axis=1), 0.0) / queries.shape[1])
    return out


def _windows(r: np.ndarray, width: int, max_windows: int, rng: np.random.Generator) -> np.ndarray:
    """Non-overlapping windows of the paths scaled to unit root mean square, at most ``max_windows``."""
    usable = r.shape[1] // width * width
    w = r[:, :usable].reshape(-1, width)
    if len(w) > max_windows:
        w = w[rng.choice(len(w), max_windows, replace=False)]
    return _unit(w)


def _unit(w: np.ndarray) -> np.ndarray:
    rms = np.sqrt((w**2).mean(axis=1, keepdims=True))
    return w / np.where(rms > 0, rms, 1.0)


def _score(d_model: float, d_reference: float, d_bootstrap: float) -> float:
    """0 when as far from the real data as the reference model, 1 when as close as the bootstrap."""
    span = d_reference - d_bootstrap
    return float((d_reference - d_model) / span) if span > 1e-12 else float("nan")


def memorisation_check(train: np.ndarray, synthetic: np.ndarray, reference: np.ndarray, *,
                       block: float = 20.0, vol_block: float = 250.0, window: int = 20, vol_window: int = 63,
                       max_paths: int = 200, max_windows: int = 4000, threshold: float = 0.5,
                       random_state: int | np.random.Generator | None = 0) -> dict[str, Any]:
    """How closely synthetic paths copy the training data, between a reference model and a bootstrap.

    * Volatility paths: the shape (demeaned, unit sd) of the log ``vol_window``-day realised
      volatility of each synthetic path vs the nearest same-length stretch of the training series'
      realised volatility (RMS distance, 0 to 2: a replayed volatility history is close); the
      bootstrap anchor here replays the training series in long blocks (mean ``vol_block`` days).
    * Return windows: each non-overlapping ``window``-day synthetic window, scaled to unit RMS, vs
      its nearest (unit-RMS) sliding window of the training returns; ``exact_copy_rate`` counts
      windows within 1e-6 of a real one.

    Each distance is turned into a score: 0 = as far as ``reference`` paths (an independent model
    fitted on ``train``), 1 = as close as a stationary block bootstrap of ``train`` with mean block
    ``block`` (``vol_block`` for volatility paths). ``flagged`` is True when either score reaches ``threshold`` or copies are exact.

    Examples
    --------
    >>> g = np.random.default_rng(0)
    >>> train = g.standard_t(5, 2000) * 0.01
    >>> out = memorisation_check(train, g.standard_t(5, (50, 300)) * 0.01, g.standard_t(5, (50, 300)) * 0.01)
    >>> out["flagged"]
    False
    """
    rng = check_random_state(random_state)
    real = _paths(train, "train")[0]
    syn, ref = _paths(synthetic, "synthetic")[:max_paths], _paths(reference, "reference")[:max_paths]
    n_days = syn.shape[1]
    if len(real) < n_days + vol_window or n_days < 3 * window:
        raise InvalidDataError(f"the training series must be longer than the paths plus vol_window "
                               f"({n_days + vol_window} days) and paths at least {3 * window} days; got "
                               f"{len(real)} and {n_days}. Use a longer training window or shorter paths.")
    boot = stationary_bootstrap(real, len(syn), n_days, block=block, random_state=rng)
    boot_long = stationary_bootstrap(real, len(syn), n_days, block=vol_block, random_state=rng)
    real_vol = _log_vol(real[None, :], vol_window)[0]
    bank_vol = _shape(np.lib.stride_tricks.sliding_window_view(real_vol, n_days - vol_window + 1))
    bank_win = _unit(np.lib.stride_tricks.sliding_window_view(real, window))

    def vol_distance(paths: np.ndarray) -> float:
        return float(np.median(_nearest(_shape(_log_vol(paths, vol_window)), bank_vol)))

    def window_distance(paths: np.ndarray) -> tuple[float, float]:
        near = _nearest(_windows(paths, window, max_windows, rng), bank_win)
        return float(np.median(near)), float((near < 1e-6).mean())

    v_m, v_r, v_b = vol_distance(syn), vol_distance(ref), vol_distance(boot_long)
    (w_m, copies), (w_r, _), (w_b, copies_b) = window_distance(syn), window_distance(ref), window_distance(boot)
    out = {"vol_path_distance": v_m, "vol_path_distance_reference": v_r, "vol_path_distance_bootstrap": v_b,
           "vol_path_score": _score(v_m, v_r, v_b),
           "window_distance": w_m, "window_distance_reference": w_r, "window_distance_bootstrap": w_b,
           "window_score": _score(w_m, w_r, w_b),
           "exact_copy_rate": copies, "exact_copy_rate_bootstrap": copies_b, "bootstrap_block": float(block),
           "vol_bootstrap_block": float(vol_block)}
    scores = [s for s in (out["vol_path_score"], out["window_score"]) if np.isfinite(s)]
    out["flagged"] = bool(any(s >= threshold for s in scores) or copies > 0.01)
    return out


def _grid_jitter(x: np.ndarray, step: float, rng: np.random.Generator) -> np.ndarray:
    """Round to a grid of ``step`` and spread uniformly within the cell: zeros and ties vanish."""
    return (np.round(x / step) + rng.uniform(-0.5, 0.5, size=x.shape)) * step


def _features(w: np.ndarray) -> np.ndarray:
    return np.hstack([w, np.abs(w), np.sort(w, axis=1)])


def discriminate_windows(real: np.ndarray, synthetic: np.ndarray, *, window: int = 20, stride: int = 2,
                         folds: int = 5, grid: float = 0.05, match_zeros: bool = True,
                         random_state: int | np.random.Generator | None = 0) -> dict[str, Any]:
    """Balanced accuracy of a classifier telling real ``window``-day windows from synthetic ones.

    Real windows slide over ``real`` (the test window) with ``stride``; the series is cut into
    ``folds`` contiguous time blocks and only windows inside one block are kept (no overlap across
    folds). Synthetic windows (one per path, at a random offset) are dealt to the folds by path.
    Each fold is predicted by a gradient-boosted classifier trained on the other folds; the
    balanced accuracy over all held-out predictions is reported, with ``excess = max(0, bacc - 0.5)``
    as the one-sided score: a classifier doing worse than chance is no evidence against the model.
    Before windowing, the synthetic returns get the real series' share of exact zeros (their
    smallest absolute values are set to 0), and both are rounded to a grid of ``grid`` × the real
    standard deviation and jittered uniformly within the cell, so exact zeros, price ticks and ties
    in the real data carry no signal.

    Examples
    --------
    >>> g = np.random.default_rng(0)
    >>> out = discriminate_windows(g.normal(size=600), g.normal(size=(300, 600)))
    >>> bool(out["excess"] < 0.12)
    True
    """
    from sklearn.ensemble import HistGradientBoostingClassifier
    from threadpoolctl import threadpool_limits

    rng = check_random_state(random_state)
    r = _paths(real, "real")[0]
    syn = _paths(synthetic, "synthetic")
    if syn.shape[1] < window:
        raise InvalidDataError(f"synthetic paths must be at least window = {window} days; got {syn.shape[1]}.")
    step = grid * float(r.std()) if r.std() > 0 else 1.0
    zero_share = float((r == 0).mean())
    if match_zeros and zero_share > 0:  # the same share of exact zeros in the synthetic data: the smallest |r|
        syn = np.where(np.abs(syn) <= np.quantile(np.abs(syn), zero_share), 0.0, syn)
    r = _grid_jitter(r, step, rng)
    block = len(r) // folds
    starts = np.arange(0, len(r) - window + 1, stride)
    fold_real = starts // block
    inside = (starts % block) <= block - window
    inside &= fold_real < folds
    starts, fold_real = starts[inside], fold_real[inside]
    if min(np.bincount(fold_real, minlength=folds)) < 3:
        raise InvalidDataError(f"the discriminator needs at least 3 real windows per fold; got a real "
                               f"series of {len(r)} days for {folds} folds of {window}-day windows. "
                               "Use a longer test window, fewer folds or shorter windows.")
    real_w = np.stack([r[s:s + window] for s in starts])
    n_syn = min(len(syn), max(len(real_w), 50))
    picks = rng.choice(len(syn), n_syn, replace=False)
    offs = rng.integers(0, syn.shape[1] - window + 1, size=n_syn)
    syn_w = _grid_jitter(np.stack([syn[p, o:o + window] for p, o in zip(picks, offs, strict=True)]), step, rng)
    fold_syn = np.arange(n_syn) % folds
    X = _features(np.vstack([real_w, syn_w]))
    y = np.r_[np.ones(len(real_w)), np.zeros(n_syn)]
    fold = np.r_[fold_real, fold_syn]
    pred = np.empty_like(y)
    weight = np.where(y == 1, 0.5 / len(real_w), 0.5 / n_syn)  # balanced classes
    for k in range(folds):
        train, test = fold != k, fold == k
        clf = HistGradientBoostingClassifier(max_iter=60, max_leaf_nodes=15,
                                             random_state=int(rng.integers(2**31)))
        with threadpool_limits(limits=1):  # small problem: OpenMP threads only add contention
            clf.fit(X[train], y[train], sample_weight=weight[train] * len(y))
            pred[test] = clf.predict(X[test])
    bacc = 0.5 * ((pred[y == 1] == 1).mean() + (pred[y == 0] == 0).mean())
    return {"balanced_accuracy": float(bacc), "excess": float(max(0.0, bacc - 0.5)),
            "n_real_windows": len(real_w), "n_synthetic_windows": int(n_syn), "folds": folds}
