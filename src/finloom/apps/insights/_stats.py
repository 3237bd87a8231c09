"""The candidate insight record and the small statistics every generator shares."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "KINDS",
    "Candidate",
    "benjamini_hochberg",
    "bin_stats",
    "effect_size",
    "group_stats",
    "r_to_d",
    "split_scan",
    "welch_p",
]

KINDS = (
    "trend",
    "trend_break",
    "period_change",
    "contributor",
    "driver",
    "segment",
    "anomaly",
    "correlation",
)


@dataclass
class Candidate:
    """One possible insight: what it is about, how big, how sure, how much of the data it covers.

    ``effect`` is on Cohen's d scale (a correlation r is converted to d = 2r / sqrt(1 - r²)) so
    that kinds can be ranked together; ``numbers`` holds the values the sentence states.

    Examples
    --------
    >>> c = Candidate("segment", "amount", p_value=0.001, effect=0.8, coverage=0.2, direction="up")
    >>> c.subject
    ('segment', 'amount', None, None)
    """

    kind: str
    measure: str
    p_value: float
    effect: float
    coverage: float
    direction: str = "up"
    dimension: str | None = None
    value: str | None = None
    other: str | None = None  # the second column of a correlation
    numbers: dict[str, float] = field(default_factory=dict)
    period: tuple[dt.date, dt.date] | None = None
    base_period: tuple[dt.date, dt.date] | None = None
    chart: dict[str, Any] = field(default_factory=dict)
    fit_error: float | None = None  # residual sum of squares of a time model (trend vs break)
    q_value: float = 1.0
    score: float = 0.0

    @property
    def subject(self) -> tuple[str, str, str | None, str | None]:
        """What the insight is about: kind, measure, dimension or other column, value."""
        return (self.kind, self.measure, self.dimension or self.other, self.value)

    @property
    def columns(self) -> tuple[str, ...]:
        """Every column the insight names."""
        return tuple(c for c in (self.measure, self.dimension, self.other) if c)

    def to_dict(self) -> dict[str, Any]:
        """JSON-able view (no chart data)."""
        return {
            "kind": self.kind,
            "measure": self.measure,
            "dimension": self.dimension,
            "value": self.value,
            "other": self.other,
            "direction": self.direction,
            "p_value": self.p_value,
            "q_value": self.q_value,
            "effect": self.effect,
            "coverage": self.coverage,
            "score": self.score,
            "numbers": dict(self.numbers),
            "period": [d.isoformat() for d in self.period] if self.period else None,
            "base_period": [d.isoformat() for d in self.base_period] if self.base_period else None,
        }


def group_stats(values: pd.Series, keys: pd.Series | list[pd.Series]) -> pd.DataFrame:
    """Count, sum, mean and (sample) variance of ``values`` per group, skipping missing values.

    Groups are sorted; several keys give a MultiIndex (only the combinations that occur).

    Examples
    --------
    >>> s = group_stats(pd.Series([1.0, 3.0, 5.0]), pd.Series(["a", "a", "b"]))
    >>> s.loc["a", ["n", "mean", "var"]].tolist()
    [2.0, 2.0, 2.0]
    """
    key_list = keys if isinstance(keys, list) else [keys]
    codes, uniques = zip(*(pd.factorize(k, sort=True) for k in key_list), strict=True)
    sizes = [len(u) for u in uniques]
    combined = np.zeros(len(values), dtype=np.int64)
    missing = np.zeros(len(values), dtype=bool)
    for c, size in zip(codes, sizes, strict=True):
        combined = combined * size + np.where(c < 0, 0, c)
        missing |= c < 0
    n, total, sq = bin_stats(
        values.to_numpy(dtype=float), np.where(missing, -1, combined), int(np.prod(sizes))
    )
    present = np.nonzero(n > 0)[0]
    if len(key_list) == 1:
        index: pd.Index = pd.Index(
            np.asarray(uniques[0])[present], name=getattr(key_list[0], "name", None)
        )
    else:
        index = pd.MultiIndex.from_arrays(
            [
                np.asarray(u)[i]
                for u, i in zip(uniques, np.unravel_index(present, sizes), strict=True)
            ],
            names=[getattr(k, "name", None) for k in key_list],
        )
    return _frame(n[present], total[present], sq[present], index)


def _frame(n: np.ndarray, total: np.ndarray, sq: np.ndarray, index: pd.Index) -> pd.DataFrame:
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = total / np.where(n > 0, n, np.nan)
        var = np.clip((sq - n * mean**2) / np.where(n > 1, n - 1, np.nan), 0.0, None)
    return pd.DataFrame({"n": n, "sum": total, "mean": mean, "var": var}, index=index)


def bin_stats(
    values: np.ndarray, codes: np.ndarray, size: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Count, sum and sum of squares of ``values`` per integer code in ``[0, size)`` (code -1 and
    missing values are skipped).

    Examples
    --------
    >>> [a.tolist() for a in bin_stats(np.array([1.0, 2, np.nan, 4]), np.array([0, 0, 1, -1]), 2)]
    [[2.0, 0.0], [3.0, 0.0], [5.0, 0.0]]
    """
    ok = np.isfinite(values) & (codes >= 0)
    c, v = codes[ok], values[ok]
    return (
        np.bincount(c, minlength=size).astype(float),
        np.bincount(c, v, minlength=size),
        np.bincount(c, v * v, minlength=size),
    )


def split_scan(x: np.ndarray, min_before: int = 3, min_after: int = 1) -> tuple[int, float, float]:
    """The best single split of a series into two levels: ``(k, p, after - before)`` where rows
    ``x[:k]`` and ``x[k:]`` differ most (pooled two-sample t-test; p not corrected for the search).

    Examples
    --------
    >>> k, p, diff = split_scan(np.r_[np.zeros(10), np.ones(5)] + np.tile([0.01, -0.01], 8)[:15])
    >>> k, p < 1e-10, round(diff, 2)
    (10, True, 1.0)
    """
    from scipy import stats

    x = np.asarray(x, dtype=float)
    t_len = len(x)
    ks = np.arange(min_before, t_len - min_after + 1)
    if t_len < min_before + min_after + 1 or not len(ks):
        return 0, 1.0, 0.0
    c1, c2 = np.cumsum(x), np.cumsum(x * x)
    n1, n2 = ks.astype(float), (t_len - ks).astype(float)
    s1, q1 = c1[ks - 1], c2[ks - 1]
    s2, q2 = c1[-1] - s1, c2[-1] - q1
    m1, m2 = s1 / n1, s2 / n2
    ss = (q1 - n1 * m1**2) + (q2 - n2 * m2**2)
    with np.errstate(divide="ignore", invalid="ignore"):
        se = np.sqrt(np.maximum(ss, 0) / (t_len - 2) * (1 / n1 + 1 / n2))
        t = np.where(se > 0, (m2 - m1) / se, 0.0)
    i = int(np.argmax(np.abs(t)))
    return int(ks[i]), float(2 * stats.t.sf(abs(t[i]), t_len - 2)), float(m2[i] - m1[i])


def effect_size(diff: float, scale: float, binary: bool, base: float | None = None) -> float:
    """A change on Cohen's d scale: ``|diff| / scale``; for a rate (binary series) the log of the
    ratio of the two rates, so that 8 % → 12 % counts like 0.4 standard deviations.

    Examples
    --------
    >>> round(effect_size(0.04, 0.27, True, base=0.08), 3), round(effect_size(2.0, 4.0, False), 2)
    (0.405, 0.5)
    """
    if binary and base is not None:
        a, b = max(base, 1e-3), max(base + diff, 1e-3)
        return float(abs(np.log(b / a)))
    return float(abs(diff) / scale) if scale > 0 else 0.0


def welch_p(m1: Any, v1: Any, n1: Any, m2: Any, v2: Any, n2: Any) -> tuple[np.ndarray, np.ndarray]:
    """Two-sided Welch t-test from summary statistics; returns ``(t, p)`` arrays (NaN-safe: p = 1).

    Examples
    --------
    >>> t, p = welch_p(1.0, 1.0, 100, 0.0, 1.0, 100)
    >>> round(float(t), 2), float(p) < 1e-8
    (7.07, True)
    """
    from scipy import stats

    m1, v1, n1, m2, v2, n2 = (np.asarray(a, dtype=float) for a in (m1, v1, n1, m2, v2, n2))
    with np.errstate(divide="ignore", invalid="ignore"):
        a, b = v1 / n1, v2 / n2
        se = np.sqrt(a + b)
        t = (m1 - m2) / se
        df = (a + b) ** 2 / (a**2 / (n1 - 1) + b**2 / (n2 - 1))
        p = 2 * stats.t.sf(np.abs(t), np.where(np.isfinite(df) & (df > 0), df, 1.0))
    ok = np.isfinite(p) & (se > 0)
    return np.where(ok, t, 0.0), np.where(ok, p, 1.0)


def benjamini_hochberg(p_values: list[float] | np.ndarray) -> np.ndarray:
    """Benjamini–Hochberg adjusted p-values (q-values), in the input order.

    Examples
    --------
    >>> benjamini_hochberg([0.01, 0.04, 0.03, 0.5]).round(3).tolist()
    [0.04, 0.053, 0.053, 0.5]
    """
    p = np.asarray(p_values, dtype=float)
    m = len(p)
    if m == 0:
        return p
    order = np.argsort(p)
    ranked = p[order] * m / np.arange(1, m + 1)
    q = np.minimum.accumulate(ranked[::-1])[::-1].clip(max=1.0)
    out = np.empty(m)
    out[order] = q
    return out


def r_to_d(r: float) -> float:
    """A correlation as Cohen's d (2r / sqrt(1 - r²)).

    Examples
    --------
    >>> round(r_to_d(0.5), 3)
    1.155
    """
    r = max(min(abs(r), 0.999), 0.0)
    return 2 * r / math.sqrt(1 - r * r)
