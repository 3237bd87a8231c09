"""Optimal monotonic binning (optbinning) reduced to plain split points, category groups and WOE."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from finloom._optional import require

__all__ = ["FeatureBins", "fit_bins", "woe_values"]

SMOOTH = (
    0.5  # added to the good and bad counts of every bin so an empty or pure bin has a finite WOE
)


def woe_values(bad: np.ndarray, good: np.ndarray) -> np.ndarray:
    """Weight of evidence per bin, ``ln(share of bads / share of goods)`` (positive = riskier).

    Examples
    --------
    >>> woe_values(np.array([10, 30]), np.array([90, 70])).round(4).tolist()
    [-0.7861, 0.5299]
    """
    b = bad.astype(float) + SMOOTH
    g = good.astype(float) + SMOOTH
    return np.log((b / b.sum()) / (g / g.sum()))


@dataclass
class FeatureBins:
    """One feature's bins: split points (numbers) or category groups, plus a missing bin last.

    Bin ``i < len(splits)+1`` of a numerical feature holds ``splits[i-1] <= x < splits[i]``.

    Examples
    --------
    >>> fb = FeatureBins("age", "numerical", splits=[30.0, 50.0])
    >>> fb.assign(pd.Series([20, 30, 70, None])).tolist()
    [0, 1, 2, 3]
    >>> fb.labels()
    ['(-inf, 30)', '[30, 50)', '[50, inf)', 'Missing']
    """

    name: str
    kind: str  # "numerical" or "categorical"
    splits: list[float] = field(default_factory=list)
    groups: list[list[str]] = field(default_factory=list)
    trend: str = "none"  # "ascending" / "descending" (risk with the value), "none"
    good: list[int] = field(default_factory=list)
    bad: list[int] = field(default_factory=list)
    woe: list[float] = field(default_factory=list)
    iv: float = 0.0

    @property
    def n_bins(self) -> int:
        """Number of bins including the missing bin."""
        return (len(self.splits) + 1 if self.kind == "numerical" else len(self.groups)) + 1

    def assign(self, x: pd.Series) -> np.ndarray:
        """Bin index of every value (the last index for missing values)."""
        missing = x.isna().to_numpy()
        if self.kind == "numerical":
            values = pd.to_numeric(x, errors="coerce").to_numpy(dtype=float)
            idx = np.searchsorted(
                np.asarray(self.splits, dtype=float), np.nan_to_num(values), side="right"
            )
        else:
            lookup = {cat: i for i, grp in enumerate(self.groups) for cat in grp}
            codes, uniques = pd.factorize(x, use_na_sentinel=True)  # look up each distinct value once
            table = np.array([lookup.get(str(u), -1) for u in uniques] + [-1], dtype=np.int64)
            idx = table[codes]  # code -1 (missing) -> the last entry, replaced below
        return np.where(missing, self.n_bins - 1, idx).astype(np.int64)

    def labels(self) -> list[str]:
        """Readable bin labels, the missing bin last."""
        if self.kind == "numerical":
            edges = [-np.inf, *self.splits, np.inf]
            out = [
                f"{'(' if i == 0 else '['}{_num(edges[i])}, {_num(edges[i + 1])})"
                for i in range(len(edges) - 1)
            ]
        else:
            out = [", ".join(grp) for grp in self.groups]
        return [*out, "Missing"]

    def to_dict(self) -> dict[str, Any]:
        """A JSON-able copy (for the model file)."""
        return {
            k: getattr(self, k)
            for k in ("name", "kind", "splits", "groups", "trend", "good", "bad", "woe", "iv")
        }


def _num(v: float) -> str:
    return "inf" if v == np.inf else "-inf" if v == -np.inf else f"{v:g}"


def _optimal(x: pd.Series, y: np.ndarray, kind: str, max_bins: int, min_share: float) -> Any:
    optbinning = require("optbinning", feature="credit scorecards")
    if kind == "numerical":
        ob = optbinning.OptimalBinning(
            name=str(x.name),
            dtype="numerical",
            monotonic_trend="auto_asc_desc",
            max_n_bins=max_bins,
            min_bin_size=min_share,
            solver="cp",
        )
        ob.fit(x.to_numpy(dtype=float), y)
    else:
        ob = optbinning.OptimalBinning(
            name=str(x.name),
            dtype="categorical",
            max_n_bins=max_bins,
            min_bin_size=min_share,
            solver="cp",
            cat_cutoff=None,
        )
        ob.fit(x.astype(object).where(x.notna(), np.nan).to_numpy(), y)
    return ob


def fit_bins(
    x: pd.Series, y: np.ndarray, kind: str, *, max_bins: int = 6, min_share: float = 0.05
) -> FeatureBins:
    """Optimal bins of one feature (monotonic event rate for numbers), with counts, WOE and IV.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> x = pd.Series(rng.normal(size=2000), name="x")
    >>> y = (rng.random(2000) < 1 / (1 + np.exp(-2 * x))).astype(int)
    >>> fb = fit_bins(x, y, "numerical")
    >>> fb.trend, bool(np.all(np.diff(fb.woe[:-1]) > 0))
    ('ascending', True)
    """
    ob = _optimal(x, y, kind, max_bins, min_share)
    if kind == "numerical":
        fb = FeatureBins(str(x.name), kind, splits=[float(s) for s in ob.splits])
    else:
        groups = [sorted(str(v) for v in grp) for grp in ob.splits]
        seen = {v for grp in groups for v in grp}
        rest = sorted({str(v) for v in x.dropna().unique()} - seen)
        fb = FeatureBins(str(x.name), kind, groups=groups + ([rest] if rest else []))
    idx = fb.assign(x)
    bad = np.bincount(idx, weights=y, minlength=fb.n_bins).astype(np.int64)
    total = np.bincount(idx, minlength=fb.n_bins)
    fb.bad, fb.good = bad.tolist(), (total - bad).tolist()
    woe = woe_values(bad, total - bad)
    if total[-1] == 0:  # no missing value in training: a missing value later gets the riskiest bin
        woe[-1] = float(woe[:-1].max())
    fb.woe = woe.tolist()
    share_b = (bad + SMOOTH) / (bad + SMOOTH).sum()
    share_g = (total - bad + SMOOTH) / (total - bad + SMOOTH).sum()
    fb.iv = float(np.sum((share_b - share_g) * woe_values(bad, total - bad) * (total > 0)))
    fb.trend = _trend(fb) if kind == "numerical" else "none"
    return fb


def _trend(fb: FeatureBins) -> str:
    w = np.asarray(fb.woe[:-1])
    if len(w) < 2:
        return "none"
    if np.all(np.diff(w) >= 0):
        return "ascending"
    if np.all(np.diff(w) <= 0):
        return "descending"
    return "none"
