"""The noise floor of the out-of-sample market bands: what a correctly specified model scores.

If the real test window were one more path of a model, how often would that model meet each band
against it? :func:`noise_floor` treats every path of a set of simulated paths in turn as the "real"
window and scores the set's own per-path summaries (median kurtosis and leverage, mean |r| ACF)
against it exactly as :func:`~finloom.evaluate._market_oos.per_path_scores` scores a model against
the real window. The medians of the errors are the floors; the pass rates are the probabilities that
a true model meets each band (and all of them) on one series of that length.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from finloom.evaluate._market_oos import _spread, path_statistics

__all__ = ["BANDS", "noise_floor"]

BANDS = {"leverage_rel": 0.30, "kurtosis_rel": 0.25, "abs_acf_mae": 0.03, "per_path_abs_z": 2.0}  # issue 19


def _rel_error(center: float, values: np.ndarray) -> np.ndarray:
    """|center - value| / |value| per path (inf where the path's own value is 0)."""
    scale = np.abs(values)
    return np.where(scale > 0, np.abs(center - values) / np.where(scale > 0, scale, 1.0), np.inf)


def noise_floor(paths: np.ndarray, *, bands: dict[str, float] | None = None, **lags: int) -> dict[str, Any]:
    """Errors and band pass rates of a model scored against its own paths (each path as the real window).

    For path ``i``: ``abs_acf_mae_i = mean |ACF_i - mean ACF|`` (lags 1-50), ``kurtosis_rel_i =
    |median kurtosis - kurtosis_i| / |kurtosis_i|``, ``leverage_rel_i`` likewise, and z-scores as in
    ``per_path_scores`` with this set as its own reference. ``bands`` holds the thresholds
    (``leverage_rel``, ``kurtosis_rel``, ``abs_acf_mae``, ``per_path_abs_z``; the issue-19 ones by
    default). Returns the median of each error (``*_floor``) and the share of paths meeting each
    band (``pass_rate``), with ``all`` for every band at once.

    Examples
    --------
    >>> g = np.random.default_rng(0)
    >>> out = noise_floor(g.standard_t(5, size=(300, 504)))
    >>> 0.02 < out["abs_acf_mae_floor"] < 0.06, sorted(out["pass_rate"])
    (True, ['abs_acf_mae', 'all', 'kurtosis', 'leverage', 'per_path_z'])
    >>> out["pass_rate"]["all"] <= min(out["pass_rate"]["kurtosis"], out["pass_rate"]["abs_acf_mae"])
    True
    """
    b = {**BANDS, **(bands or {})}
    s = path_statistics(paths, **lags)
    acf = s["abs_acf"]
    gap = np.abs(acf - acf.mean(axis=0)).mean(axis=1)
    kurt_rel = _rel_error(float(np.median(s["kurtosis"])), s["kurtosis"])
    lev_rel = _rel_error(float(np.median(s["leverage"])), s["leverage"])
    z = [np.abs(np.median(s[k]) - s[k]) / _spread(s[k]) for k in ("kurtosis", "leverage", "vol_clustering")]
    z.append(np.abs(gap - np.median(gap)) / _spread(gap))
    passed = {"leverage": lev_rel <= b["leverage_rel"], "kurtosis": kurt_rel <= b["kurtosis_rel"],
              "abs_acf_mae": gap <= b["abs_acf_mae"], "per_path_z": np.max(z, axis=0) <= b["per_path_abs_z"]}
    everything = np.logical_and.reduce(list(passed.values()))
    return {"abs_acf_mae_floor": float(np.median(gap)), "kurtosis_rel_floor": float(np.median(kurt_rel)),
            "leverage_rel_floor": float(np.median(lev_rel)), "n_paths": int(len(gap)),
            "pass_rate": {**{k: float(v.mean()) for k, v in passed.items()}, "all": float(everything.mean())}}
