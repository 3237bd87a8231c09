"""Candidates over time: trends, trend breaks, period-over-period changes, anomalies, and the
decomposition of a change by dimension (which values drove it)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import numpy as np
import pandas as pd

from finloom.apps.insights._roles import Roles
from finloom.apps.insights._stats import (
    Candidate,
    bin_stats,
    effect_size,
    group_stats,
    split_scan,
    welch_p,
)

__all__ = [
    "Periods",
    "anomalies",
    "contributors",
    "decompose",
    "make_periods",
    "period_change",
    "trend_breaks",
]

_GRAINS = ("D", "W", "M", "Q", "Y")
_MAX_PERIODS = 60
_MIN_ROWS_PER_PERIOD = 20
_SIDE = 5  # periods on each side that define the usual level around an anomaly
_MIN_SIDE = 3
_KEEP_P = (
    0.05  # a candidate whose own p is above this can never be kept (its BH-adjusted p is larger)
)


class Periods:
    """The time column cut into periods of one grain (day, week, month, quarter or year).

    Examples
    --------
    >>> t = pd.Series(pd.date_range("2024-01-01", periods=365, freq="D"))
    >>> p = make_periods(t)
    >>> p.grain, len(p.labels)
    ('M', 12)
    """

    def __init__(self, codes: pd.Series, grain: str, labels: list[pd.Period]) -> None:
        self.codes, self.grain, self.labels = codes, grain, labels
        self.series_cache: dict[
            str, pd.DataFrame
        ] = {}  # per-period stats of each column, computed once

    def span(self, i: int, j: int | None = None) -> tuple[dt.date, dt.date]:
        """First and last day of periods ``i``..``j`` (inclusive)."""
        last = self.labels[i if j is None else j]
        return self.labels[i].start_time.date(), last.end_time.date()

    def name(self, i: int, lang: str = "en") -> str:
        """A period as text: 'March 2024', '2024-W10', '2024 Q1', '2024年3月' ..."""
        p = self.labels[i]
        if self.grain == "M":
            return p.strftime("%B %Y") if lang == "en" else f"{p.year}年{p.month}月"
        if self.grain == "Q":
            return f"{p.year} Q{p.quarter}" if lang == "en" else f"{p.year}年第{p.quarter}季度"
        if self.grain == "Y":
            return str(p.year) if lang == "en" else f"{p.year}年"
        return p.start_time.date().isoformat()


def make_periods(time: pd.Series) -> Periods:
    """Pick the finest grain with at most 60 periods and about 20 rows per period."""
    valid = time.dropna()
    for grain in _GRAINS:
        freq = "W-SUN" if grain == "W" else grain
        codes = valid.dt.to_period(freq)
        counts = codes.value_counts()
        if len(counts) <= _MAX_PERIODS and counts.median() >= _MIN_ROWS_PER_PERIOD or grain == "Y":
            break
    full = (
        pd.period_range(codes.min(), codes.max(), freq=codes.dt.freq)
        if len(codes)
        else pd.PeriodIndex([], freq=freq)
    )
    index = {p: i for i, p in enumerate(full)}
    mapped = codes.map(index).astype(float)
    return Periods(mapped.reindex(time.index), grain, list(full))


def _series(values: pd.Series, periods: Periods) -> pd.DataFrame:
    key = str(values.name)
    if key in periods.series_cache:
        return periods.series_cache[key]
    codes = periods.codes.fillna(-1).to_numpy(dtype=np.int64)
    n, total, sq = bin_stats(values.to_numpy(dtype=float), codes, len(periods.labels))
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = total / np.where(n > 0, n, np.nan)
        var = np.clip((sq - n * mean**2) / np.where(n > 1, n - 1, np.nan), 0.0, None)
    out = pd.DataFrame({"n": n, "sum": total, "mean": mean, "var": var})
    periods.series_cache[key] = out
    return out


def _effect(df: pd.DataFrame, roles: Roles, name: str, diff: float, base: float) -> float:
    return effect_size(diff, _scale(df[name]), name == roles.target and roles.binary_target, base)


def _scale(values: pd.Series) -> float:
    sd = float(values.std())
    return sd if np.isfinite(sd) and sd > 0 else 1.0


def trend_breaks(
    df: pd.DataFrame, roles: Roles, periods: Periods, skip: dict[str, set[int]]
) -> list[Candidate]:
    """A step in a series' level (best split of the period means, pooled t-test, Bonferroni over
    splits) and a linear trend (slope test); anomalous periods in ``skip`` are left out."""
    from scipy import stats as st

    out = []
    for name in roles.series:
        s = _series(df[name], periods)
        keep = [i for i in range(len(s)) if i not in skip.get(name, set()) and s["n"].iloc[i] >= 2]
        x = s["mean"].to_numpy()[keep]
        if len(x) < 2 * _MIN_SIDE + 1:
            continue
        labels = [str(periods.labels[i]) for i in keep]
        k, p, diff = split_scan(x, _MIN_SIDE, _MIN_SIDE)
        if k:
            before, after = float(x[:k].mean()), float(x[k:].mean())
            out.append(
                Candidate(
                    "trend_break",
                    name,
                    min(1.0, p * (len(x) - 2 * _MIN_SIDE + 1)),
                    _effect(df, roles, name, diff, before),
                    1.0,
                    "up" if diff > 0 else "down",
                    numbers={"before": before, "after": after, "change": after - before},
                    period=periods.span(keep[k], keep[-1]),
                    base_period=periods.span(keep[0], keep[k - 1]),
                    chart={"type": "series", "x": labels, "y": x.tolist(), "mark": k},
                    fit_error=float(((x[:k] - before) ** 2).sum() + ((x[k:] - after) ** 2).sum()),
                )
            )
        fit = st.linregress(np.arange(len(x)), x)
        total = float(fit.slope * (len(x) - 1))
        out.append(
            Candidate(
                "trend",
                name,
                float(fit.pvalue),
                _effect(df, roles, name, total, float(fit.intercept)),
                1.0,
                "up" if total > 0 else "down",
                numbers={
                    "start": float(fit.intercept),
                    "end": float(fit.intercept) + total,
                    "change": total,
                },
                period=periods.span(keep[0], keep[-1]),
                chart={"type": "series", "x": labels, "y": x.tolist(), "fit": True},
                fit_error=float(((x - fit.intercept - fit.slope * np.arange(len(x))) ** 2).sum()),
            )
        )
    return out


def period_change(df: pd.DataFrame, roles: Roles, periods: Periods) -> list[Candidate]:
    """The last period against the one before (Welch test on rows)."""
    out: list[Candidate] = []
    if len(periods.labels) < 2:
        return out
    last, prev = len(periods.labels) - 1, len(periods.labels) - 2
    for name in roles.series:
        s = _series(df[name], periods)
        a, b = s.iloc[prev], s.iloc[last]
        _, p = welch_p(b["mean"], b["var"], b["n"], a["mean"], a["var"], a["n"])
        diff = float(b["mean"] - a["mean"])
        if not np.isfinite(diff):
            continue
        out.append(
            Candidate(
                "period_change",
                name,
                float(p),
                _effect(df, roles, name, diff, float(a["mean"])),
                float((a["n"] + b["n"]) / max(len(df), 1)),
                "up" if diff > 0 else "down",
                numbers={"before": float(a["mean"]), "after": float(b["mean"]), "change": diff},
                period=periods.span(last),
                base_period=periods.span(prev),
                chart={
                    "type": "bars",
                    "x": [periods.name(prev), periods.name(last)],
                    "y": [float(a["mean"]), float(b["mean"])],
                },
            )
        )
    return out


def _side_z(x: np.ndarray, i: int, side: np.ndarray, scale: float) -> float:
    return (
        float((x[i] - np.median(side)) / (scale * np.sqrt(1 + np.pi / (2 * len(side)))))
        if len(side)
        else 0.0
    )


def anomalies(
    df: pd.DataFrame, roles: Roles, periods: Periods
) -> tuple[list[Candidate], dict[str, set[int]]]:
    """Periods far from the usual level on both sides (robust z of the period mean against the
    median of the five periods before and after; Bonferroni over periods); neighbouring flagged
    periods form one burst. Also returns the flagged periods of each series."""
    from scipy import stats as st

    out, flagged = [], {}
    for name in roles.series:
        s = _series(df[name], periods)
        x = s["mean"].to_numpy()
        valid = np.isfinite(x)
        n_t = int(valid.sum())
        if n_t < 2 * _MIN_SIDE + 1:
            continue
        med = (
            pd.Series(x)
            .rolling(2 * _SIDE + 1, center=True, min_periods=_MIN_SIDE)
            .median()
            .to_numpy()
        )
        resid = (x - med)[valid & np.isfinite(med)]
        scale = 1.4826 * float(np.median(np.abs(resid - np.median(resid)))) if len(resid) else 0.0
        scale = max(scale, 1e-12 + 1e-9 * float(np.nanstd(x)))
        z = np.zeros(len(x))
        for i in np.nonzero(valid)[0]:
            left, right = x[max(0, i - _SIDE) : i], x[i + 1 : i + 1 + _SIDE]
            left, right = left[np.isfinite(left)], right[np.isfinite(right)]
            sides = [
                _side_z(x, int(i), side, scale) for side in (left, right) if len(side) >= _MIN_SIDE
            ]
            if sides and (all(v > 0 for v in sides) or all(v < 0 for v in sides)):
                z[i] = min(sides, key=abs)
        p = np.minimum(1.0, 2 * st.t.sf(np.abs(z), df=max(n_t - 1, 1)) * n_t)
        hits = set(np.nonzero(p < 0.05)[0].tolist())
        flagged[name] = hits
        for burst in _bursts(sorted(hits)):
            peak = max(burst, key=lambda i: abs(z[i]))
            around = [
                i
                for i in range(max(0, burst[0] - _SIDE), min(len(x), burst[-1] + _SIDE + 1))
                if i not in hits and valid[i]
            ]
            usual = float(np.median(x[around])) if around else float(np.nanmedian(x))
            rows = float(s["n"].iloc[burst].sum())
            out.append(
                Candidate(
                    "anomaly",
                    name,
                    float(p[peak]),
                    _effect(df, roles, name, float(x[peak]) - usual, usual),
                    rows / max(len(df), 1),
                    "up" if x[peak] > usual else "down",
                    numbers={
                        "value": float(x[peak]),
                        "usual": usual,
                        "change": float(x[peak]) - usual,
                        "periods": float(len(burst)),
                    },
                    period=periods.span(burst[0], burst[-1]),
                    chart={
                        "type": "series",
                        "x": [str(p_) for p_ in periods.labels],
                        "y": x.tolist(),
                        "highlight": burst,
                    },
                )
            )
    return out, flagged


def _bursts(indices: Sequence[int]) -> list[list[int]]:
    groups: list[list[int]] = []
    for i in indices:
        if groups and i == groups[-1][-1] + 1:
            groups[-1].append(i)
        else:
            groups.append([i])
    return groups


def decompose(
    df: pd.DataFrame,
    measure: str,
    dimension: str,
    codes: pd.Series,
    before: Sequence[int],
    after: Sequence[int],
) -> pd.DataFrame:
    """How each value of ``dimension`` moved ``measure``'s mean from the ``before`` periods to the
    ``after`` periods (period codes).

    ``contribution`` sums to the overall change (each value's sum over all rows of the span);
    ``did`` is the value's own change minus the change of the other rows, with a Welch-type p.

    Examples
    --------
    >>> df = pd.DataFrame({"m": [1.0, 1, 1, 1, 1, 5, 1, 1], "d": list("xyxyxyxy")})
    >>> out = decompose(df, "m", "d", pd.Series([0, 0, 0, 0, 1, 1, 1, 1]), [0], [1])
    >>> out["contribution"].round(2).to_dict()
    {'y': 1.0, 'x': 0.0}
    """
    from scipy import stats as st

    span = pd.Series(
        np.where(codes.isin(list(after)), 1, np.where(codes.isin(list(before)), 0, -1)),
        index=df.index,
    )
    sub = span >= 0
    g = group_stats(
        df.loc[sub, measure], [span[sub].rename("t"), df.loc[sub, dimension].rename("v")]
    )
    tot = group_stats(df.loc[sub, measure], span[sub].rename("t"))
    rows = []
    if len(tot) < 2:
        return pd.DataFrame(
            columns=["before", "after", "n_before", "n_after", "contribution", "did", "p"]
        )
    for v in g.index.get_level_values("v").unique():
        va = g.loc[(0, v)] if (0, v) in g.index else None
        vb = g.loc[(1, v)] if (1, v) in g.index else None
        if va is None or vb is None:
            continue
        ra_n, rb_n = tot.loc[0, "n"] - va["n"], tot.loc[1, "n"] - vb["n"]
        ra_m = (tot.loc[0, "sum"] - va["sum"]) / ra_n if ra_n > 0 else np.nan
        rb_m = (tot.loc[1, "sum"] - vb["sum"]) / rb_n if rb_n > 0 else np.nan
        pooled = np.nanmean([tot.loc[0, "var"], tot.loc[1, "var"]])
        se = np.sqrt(
            np.nansum([va["var"] / va["n"], vb["var"] / vb["n"]])
            + pooled * (1 / max(ra_n, 1) + 1 / max(rb_n, 1))
        )
        did = (vb["mean"] - va["mean"]) - (rb_m - ra_m)
        rows.append(
            {
                "value": str(v),
                "before": va["mean"],
                "after": vb["mean"],
                "n_before": va["n"],
                "n_after": vb["n"],
                "rest_before": ra_m,
                "rest_after": rb_m,
                "contribution": vb["sum"] / tot.loc[1, "n"] - va["sum"] / tot.loc[0, "n"],
                "did": did,
                "p": float(2 * st.norm.sf(abs(did / se))) if se > 0 and np.isfinite(did) else 1.0,
            }
        )
    if not rows:
        return pd.DataFrame(
            columns=["before", "after", "n_before", "n_after", "contribution", "did", "p"]
        )
    return (
        pd.DataFrame(rows)
        .set_index("value")
        .sort_values("contribution", key=np.abs, ascending=False)
    )


def contributors(df: pd.DataFrame, roles: Roles, periods: Periods) -> list[Candidate]:
    """For each series and dimension: the value whose gap to the other rows shifts from one period
    on (best split of the gap series, pooled t-test, Bonferroni over splits and values)."""
    out: list[Candidate] = []
    n_periods = len(periods.labels)
    if n_periods < _MIN_SIDE + 2:
        return out
    codes = periods.codes.fillna(-1).to_numpy(dtype=np.int64)
    for name in roles.series:
        values = df[name].to_numpy(dtype=float)
        all_n, all_s, _ = bin_stats(values, codes, n_periods)
        for dim in roles.dimensions:
            best = _best_gap_split(values, codes, df[dim], all_n, all_s)
            if best is None:
                continue
            k, value, p, tests = best
            if (
                p * tests > _KEEP_P
            ):  # cannot pass the false-discovery control: counted, not described
                out.append(
                    Candidate(
                        "contributor",
                        name,
                        min(1.0, p * tests),
                        0.0,
                        0.0,
                        dimension=dim,
                        value=value,
                    )
                )
                continue
            table = decompose(df, name, dim, periods.codes, range(k), range(k, n_periods))
            if value not in table.index:
                continue
            row: dict[str, float] = {
                str(k): float(v) for k, v in table.loc[value].to_dict().items()
            }
            total = float(table["contribution"].sum())
            share = float(row["contribution"] / total * 100) if total else 0.0
            out.append(
                Candidate(
                    "contributor",
                    name,
                    min(1.0, p * tests),
                    _effect(df, roles, name, float(row["did"]), float(row["before"])),
                    float((row["n_before"] + row["n_after"]) / max(len(df), 1)),
                    "up" if row["did"] > 0 else "down",
                    dimension=dim,
                    value=value,
                    numbers={
                        "before": float(row["before"]),
                        "after": float(row["after"]),
                        "change": float(row["after"] - row["before"]),
                        "rest_change": float(row["rest_after"] - row["rest_before"]),
                        "total_change": total,
                        "share": share,
                    },
                    period=periods.span(k, n_periods - 1),
                    base_period=periods.span(0, k - 1),
                    chart={
                        "type": "contrib",
                        "x": [str(i) for i in table.index[:8]],
                        "y": table["contribution"].iloc[:8].tolist(),
                    },
                )
            )
    return out


def _best_gap_split(
    values: np.ndarray, codes: np.ndarray, dim: pd.Series, all_n: np.ndarray, all_s: np.ndarray
) -> tuple[int, str, float, int] | None:
    """The (split period, value) where a value's gap to the other rows steps most."""
    v_codes, uniques = pd.factorize(dim, sort=True)
    n_periods, n_values = len(all_n), len(uniques)
    joint = np.where((codes >= 0) & (v_codes >= 0), codes * n_values + v_codes, -1)
    n, s, _ = bin_stats(values, joint, n_periods * n_values)
    n, s = n.reshape(n_periods, n_values), s.reshape(n_periods, n_values)
    found: list[tuple[float, float, int, str]] = []  # (p, -own step, split, value)
    tests = 0
    for j in range(n_values):
        rest_n = all_n - n[:, j]
        ok = (n[:, j] >= 3) & (rest_n >= 3)
        if ok.sum() < _MIN_SIDE + 2:
            continue
        own = s[ok, j] / n[ok, j]
        gap = own - (all_s[ok] - s[ok, j]) / rest_n[ok]
        k, p, _ = split_scan(gap, _MIN_SIDE, 1)
        tests += int(ok.sum()) - _MIN_SIDE
        if k:  # of two mirror-image gaps (a two-value dimension), the value that moved itself
            found.append(
                (
                    float(f"{p:.9g}"),
                    -abs(float(own[k:].mean() - own[:k].mean())),
                    int(np.nonzero(ok)[0][k]),
                    str(uniques[j]),
                )
            )
    if not found:
        return None
    p, _, k, value = min(found)
    return k, value, p, max(tests, 1)
