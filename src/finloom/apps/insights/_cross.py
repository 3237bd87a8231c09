"""Candidates across columns: segments that differ from the rest, drivers of the target, strong
correlations between measures."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from finloom.apps.insights._roles import Roles
from finloom.apps.insights._stats import Candidate, effect_size, group_stats, r_to_d, welch_p

__all__ = ["correlations", "drivers", "segments"]

_DRIVER_ROWS = 20_000  # rows the model and the rank test see (a seeded sample beyond that)
_CORR_ROWS = 200_000
_SHAP_ROWS = 2_000  # rows whose TreeSHAP values give importance and direction


def _scale(values: pd.Series) -> float:
    sd = float(values.std())
    return sd if np.isfinite(sd) and sd > 0 else 1.0


def segments(df: pd.DataFrame, roles: Roles, *, min_support: float = 0.05) -> list[Candidate]:
    """For each series and dimension, the value whose rows differ most from all other rows
    (Welch test; values holding fewer than ``min_support`` of the rows, or 20 rows, are skipped;
    Bonferroni over the values tried). Pairs of dimension values are tried too when the data is
    wide enough to support them.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> df = pd.DataFrame({"g": rng.choice(list("abcd"), 2000), "y": rng.normal(size=2000)})
    >>> df.loc[df.g == "c", "y"] += 1.0
    >>> [(c.dimension, c.value) for c in segments(df, Roles(measures=("y",), dimensions=("g",)))]
    [('g', 'c')]
    """
    out = []
    n_rows = len(df)
    floor = max(20, int(np.ceil(min_support * n_rows)))
    for name in roles.series:
        binary = name == roles.target and roles.binary_target
        total = group_stats(df[name], pd.Series(0, index=df.index))
        n_all, sum_all = float(total["n"].iloc[0]), float(total["sum"].iloc[0])
        sumsq_all = float(((df[name].dropna()) ** 2).sum())
        for dim in roles.dimensions:
            g = group_stats(df[name], df[dim])
            g = g[(g["n"] >= floor) & (n_all - g["n"] >= floor)]
            if g.empty:
                continue
            rest_n = n_all - g["n"]
            rest_m = (sum_all - g["sum"]) / rest_n
            rest_sumsq = sumsq_all - (g["var"] * (g["n"] - 1) + g["n"] * g["mean"] ** 2)
            rest_v = ((rest_sumsq - rest_n * rest_m**2) / (rest_n - 1)).clip(lower=0.0)
            _, p = welch_p(g["mean"], g["var"], g["n"], rest_m, rest_v, rest_n)
            i = int(np.argmin(p))
            v = g.index[i]
            diff = float(g["mean"].iloc[i] - rest_m.iloc[i])
            out.append(
                Candidate(
                    "segment",
                    name,
                    min(1.0, float(p[i]) * len(g)),
                    effect_size(diff, _scale(df[name]), binary, float(rest_m.iloc[i])),
                    float(g["n"].iloc[i] / n_rows),
                    "up" if diff > 0 else "down",
                    dimension=dim,
                    value=str(v),
                    numbers={
                        "segment": float(g["mean"].iloc[i]),
                        "rest": float(rest_m.iloc[i]),
                        "change": diff,
                        "rows": float(g["n"].iloc[i]),
                        "share": float(g["n"].iloc[i] / n_rows * 100),
                    },
                    chart={
                        "type": "bars",
                        "x": [str(x) for x in g.index[:12]],
                        "y": g["mean"].iloc[:12].tolist(),
                        "mark": min(i, 11),
                        "rest": float(rest_m.iloc[i]),
                    },
                )
            )
    return out


def _sample(df: pd.DataFrame, rows: int, seed: int) -> pd.DataFrame:
    return df.sample(rows, random_state=seed) if len(df) > rows else df


def _shap_importance(
    x: pd.DataFrame, y: np.ndarray, binary: bool, seed: int
) -> tuple[np.ndarray, np.ndarray]:
    """Mean |SHAP| and the direction (sign of corr(feature, its SHAP value)) of each feature,
    from LightGBM's exact TreeSHAP; a small model, fit on a seeded sample."""
    import lightgbm as lgb

    params: dict[str, Any] = {
        "objective": "binary" if binary else "regression",
        "n_estimators": 60,
        "learning_rate": 0.1,
        "num_leaves": 15,
        "min_child_samples": 20,
        "subsample": 0.8,
        "subsample_freq": 1,
        "random_state": seed,
        "n_jobs": 1,
        "verbose": -1,
    }
    model = lgb.LGBMClassifier(**params) if binary else lgb.LGBMRegressor(**params)
    model.fit(x, y)
    x = x.sample(min(len(x), _SHAP_ROWS), random_state=seed)  # SHAP values of a seeded subsample
    contrib = np.asarray(model.booster_.predict(x, pred_contrib=True))[:, : x.shape[1]]
    importance = np.abs(contrib).mean(axis=0)
    direction = np.zeros(x.shape[1])
    for j in range(x.shape[1]):
        col = x.iloc[:, j].to_numpy(dtype=float)
        ok = np.isfinite(col)
        if ok.sum() > 2 and np.std(col[ok]) > 0 and np.std(contrib[ok, j]) > 0:
            direction[j] = np.sign(np.corrcoef(col[ok], contrib[ok, j])[0, 1])
    return importance, direction


def drivers(df: pd.DataFrame, roles: Roles, *, seed: int = 0) -> list[Candidate]:
    """Numeric measures that drive the target: a LightGBM model's SHAP importance and direction,
    with a Spearman rank test for significance (on a seeded sample of at most 20,000 rows)."""
    from scipy import stats as st

    if not roles.target or not roles.measures:
        return []
    data = _sample(df.dropna(subset=[roles.target]), _DRIVER_ROWS, seed)
    if len(data) < 30 or data[roles.target].nunique() < 2:
        return []
    x = data.loc[:, list(roles.measures)]
    y = data[roles.target].to_numpy(dtype=float)
    importance, direction = _shap_importance(x, y, roles.binary_target, seed)
    share = importance / importance.sum() * 100 if importance.sum() > 0 else importance
    out = []
    for j, name in enumerate(roles.measures):
        col = x[name].to_numpy(dtype=float)
        ok = np.isfinite(col)
        if ok.sum() < 30 or np.std(col[ok]) == 0:
            continue
        rho, p = st.spearmanr(col[ok], y[ok])
        if not np.isfinite(rho):
            continue
        sign = direction[j] if direction[j] else np.sign(rho)
        low, high = np.nanquantile(col, [0.25, 0.75])
        lo_y, hi_y = (
            float(np.nanmean(y[ok & (col <= low)])),
            float(np.nanmean(y[ok & (col >= high)])),
        )
        out.append(
            Candidate(
                "driver",
                roles.target,
                float(p),
                effect_size(hi_y - lo_y, 1.0, True, lo_y)
                if roles.binary_target
                else r_to_d(float(rho)),
                1.0,
                "up" if sign > 0 else "down",
                other=name,
                numbers={
                    "rho": float(rho),
                    "importance": float(share[j]),
                    "low": lo_y,
                    "high": hi_y,
                    "change": hi_y - lo_y,
                },
                chart={"type": "bars", "x": ["Q1", "Q4"], "y": [lo_y, hi_y], "xlabel": name},
            )
        )
    return out


def correlations(
    df: pd.DataFrame, roles: Roles, *, min_r: float = 0.3, seed: int = 0
) -> list[Candidate]:
    """Pairs of measures with a Pearson correlation of at least ``min_r`` in size (t test)."""
    from scipy import stats as st

    names = list(roles.measures)
    if len(names) < 2:
        return []
    data = _sample(df.loc[:, names], _CORR_ROWS, seed)
    r = data.corr().to_numpy()
    n = data.notna().sum().min()
    out = []
    for i in range(len(names)):
        for j in range(i + 1, len(names)):
            rij = float(r[i, j])
            if not np.isfinite(rij) or abs(rij) < min_r or n < 10:
                continue
            t = rij * np.sqrt((n - 2) / max(1e-12, 1 - rij * rij))
            p = float(2 * st.t.sf(abs(t), n - 2))
            out.append(
                Candidate(
                    "correlation",
                    names[i],
                    p,
                    r_to_d(rij),
                    1.0,
                    "up" if rij > 0 else "down",
                    other=names[j],
                    numbers={"r": rij},
                    chart={"type": "scatter", "x": names[i], "y": names[j]},
                )
            )
    return out
