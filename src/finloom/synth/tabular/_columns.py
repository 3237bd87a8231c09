"""Column plans: how each column of a table is split into model-ready parts and restored exactly.

A plan records the column's role, dtype, observed values (for discrete columns), point masses
("spikes", e.g. 0 or round amounts), the value grid (decimals + step) and the range, so the
decoded output keeps dtypes, category sets, value grids and null rates of the input.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from finloom.data import ColumnKind, Metadata

__all__ = ["ColumnPlan", "TablePlan", "missing_patterns", "null_mask", "round_to_levels"]

CONTINUOUS = "continuous"
DISCRETE = "discrete"
ID = "id"
_EPOCH = pd.Timestamp("1970-01-01")
_TIME_STEPS = (86_400, 3_600, 60, 1)  # day, hour, minute, second (datetimes are in seconds)
_GRID_STEPS = [m * 10.0**e for e in range(7, -7, -1) for m in (5.0, 2.5, 2.0, 1.0)]
_LEVEL_STEPS = {m * 10.0**e for e in range(7, -7, -1) for m in (5.0, 1.0)}  # nested: 1, 5, 10, 50, ...
_GRID_SHARE = 0.99  # a grid holds when this share of the values lies on it
_LEVEL_BINS = 8  # equal-mass value bins for the shares of coarser steps
_MAX_PATTERNS = 256  # joint missing-value patterns kept (rarer ones join the nearest kept one)


@dataclass
class ColumnPlan:
    """How one column is represented; every field is JSON-able.

    ``values`` holds the observed values of a discrete column, or the spike values of a
    continuous one; ``null_rate`` is the share of missing cells in the training data.
    """

    name: str
    role: str  # "continuous" | "discrete" | "id"
    source_kind: str  # ColumnKind value
    dtype: str
    values: list[Any] = field(default_factory=list)
    null_rate: float = 0.0
    decimals: int = 0
    step: float = 0.0  # grid step (0 = no grid beyond ``decimals``)
    low: float = 0.0
    high: float = 0.0
    categories: list[Any] | None = None  # categories of a pandas categorical dtype
    ordered: bool = False
    datetime_format: str | None = None
    levels: list[float] = field(default_factory=list)  # coarser steps favoured by the data
    level_edges: list[float] = field(default_factory=list)  # inner edges of the value bins
    level_shares: list[list[float]] = field(default_factory=list)  # per bin, share on each level

    @property
    def has_null(self) -> bool:
        return self.null_rate > 0

    @property
    def n_codes(self) -> int:
        """Number of discrete codes, the null code included (discrete columns)."""
        return len(self.values) + int(self.has_null)


def _numeric_values(series: pd.Series, plan_kind: str, fmt: str | None) -> np.ndarray:
    if plan_kind == ColumnKind.DATETIME:
        if pd.api.types.is_datetime64_any_dtype(series):
            when = series
        else:
            when = pd.to_datetime(series, format=fmt or "mixed", errors="coerce")
        return ((when - _EPOCH) / pd.Timedelta(seconds=1)).to_numpy(dtype=float, na_value=np.nan)
    if plan_kind == ColumnKind.BOOLEAN:
        return series.astype("float64").to_numpy(dtype=float, na_value=np.nan)
    return pd.to_numeric(series, errors="coerce").to_numpy(dtype=float, na_value=np.nan)


def _tolerance(values: np.ndarray) -> np.ndarray:
    """Per-value tolerance for "on a grid": a few float32 ulps when the column went through float32."""
    if len(values) and np.array_equal(values.astype(np.float32).astype(np.float64), values):
        rel = 2.5e-7  # 965.9 stored as float32 reads back as 965.9000244140625
    else:
        rel = 1e-9  # float64 decimal noise (0.1 + 0.2) only
    return rel * np.maximum(np.abs(values), 1e-300) + 1e-12


def _on_grid(values: np.ndarray, step: float, tol: np.ndarray) -> np.ndarray:
    """Mask of values that are multiples of ``step`` within ``tol``."""
    return np.abs(values - np.round(values / step) * step) <= tol + 1e-9 * step


def _decimals(values: np.ndarray, min_share: float = _GRID_SHARE) -> int:
    """Fewest decimals that hold ``min_share`` of the values (15 when no count up to 6 does).

    The share, not the longest repr, decides: float32 artefacts (965.9000244140625) and a few
    stray values do not switch grid rounding off.
    """
    if len(values) == 0:
        return 0
    tol = _tolerance(values)
    for d in range(7):
        if _on_grid(values, 10.0**-d, tol).mean() >= min_share:
            return d
    return 15


def _grid_step(values: np.ndarray, decimals: int, min_share: float = _GRID_SHARE) -> float:
    """Largest 'round' step (1, 2, 2.5, 5 times a power of ten) holding ``min_share`` of the values."""
    if len(values) < 20 or decimals > 6:
        return 0.0
    unit = 10.0**-decimals
    tol = _tolerance(values)
    for step in _GRID_STEPS:
        if step <= unit * (1 + 1e-9):
            break
        if _on_grid(values, step, tol).mean() >= min_share:
            return step
    return 0.0


def _grid_levels(
    values: np.ndarray, spikes: list[float], base: float
) -> tuple[list[float], list[float], list[list[float]]]:
    """Coarser round steps (5 and 10 times a power of ten) that the data favours, by magnitude.

    Returns ``(levels, edges, shares)``: the nested steps above ``base`` whose share of values
    is well above chance, the inner edges of equal-mass value bins, and per bin the share of
    values on each level. Spike values are left out (models emit them exactly).
    """
    rest = values[~np.isin(values, spikes)] if spikes else values
    if len(rest) < 50 or base <= 0:
        return [], [], []
    tol = _tolerance(rest)
    top = float(np.abs(rest).max())
    levels: list[float] = []
    prev, prev_share = base, float(_on_grid(rest, base, tol).mean())
    for step in sorted(s for s in _GRID_STEPS if base * (1 + 1e-9) < s <= top):
        ratio = step / prev
        if abs(ratio - round(ratio)) > 1e-6 or step not in _LEVEL_STEPS:
            continue
        share = float(_on_grid(rest, step, tol).mean())
        chance = prev_share / ratio
        if share >= 0.01 and share > 1.5 * chance + 0.005:
            levels.append(step)
            prev, prev_share = step, share
    if not levels:
        return [], [], []
    n_bins = int(min(_LEVEL_BINS, len(rest) // 50))
    edges = np.unique(np.quantile(rest, np.linspace(0, 1, n_bins + 1)[1:-1])) if n_bins > 1 else np.array([])
    which = np.searchsorted(edges, rest, "right")
    shares = [[float(_on_grid(rest[which == b], s, tol[which == b]).mean()) if np.any(which == b) else 0.0
               for s in levels] for b in range(len(edges) + 1)]
    return levels, edges.tolist(), shares


def round_to_levels(
    values: np.ndarray, plan: ColumnPlan, rng: np.random.Generator
) -> np.ndarray:
    """Round a share of the sampled values to the column's coarser steps, bin by bin.

    For each level, among the values already on the finer level, those not yet on it are
    rounded to it with the probability that lifts the batch's share to the training share.

    Examples
    --------
    >>> plan = ColumnPlan("amount", "continuous", "numerical", "float64", decimals=0, step=1.0,
    ...                   levels=[1000.0], level_edges=[], level_shares=[[0.5]], low=0, high=1e6)
    >>> x = round_to_levels(np.arange(1000.0, 201_000.0, 10.0), plan, np.random.default_rng(0))
    >>> 0.45 < float(np.mean(x % 1000 == 0)) < 0.55
    True
    """
    if not plan.levels:
        return values
    out = values.copy()
    free = ~np.isnan(out)
    if plan.values:
        free &= ~np.isin(out, plan.values)
    which = np.searchsorted(np.asarray(plan.level_edges, dtype=float), out, "right")
    shares = np.asarray(plan.level_shares, dtype=float)
    base = plan.step if plan.step > 0 else 10.0**-plan.decimals
    tol = 1e-9 * np.maximum(np.abs(np.nan_to_num(out)), 1.0)
    prev, target_prev = base, np.ones(len(shares))
    for k, step in enumerate(plan.levels):
        target = shares[:, k] / np.maximum(target_prev, 1e-12)  # wanted share on ``step`` among ``prev``
        on_prev = free & _on_grid(np.nan_to_num(out), prev, tol)
        on_step = on_prev & _on_grid(np.nan_to_num(out), step, tol)
        for b in range(len(shares)):
            here = which == b
            n_prev = int((on_prev & here).sum())
            if n_prev == 0:
                continue
            have = (on_step & here).sum() / n_prev
            p = (min(target[b], 1.0) - have) / max(1.0 - have, 1e-12)
            if p <= 0:
                continue
            pick = on_prev & here & ~on_step & (rng.random(len(out)) < p)
            out[pick] = np.round(out[pick] / step) * step
        prev, target_prev = step, shares[:, k]
    return np.clip(out, plan.low, plan.high)


def _spikes(values: np.ndarray, max_spikes: int, min_share: float) -> list[float]:
    uniq, counts = np.unique(values, return_counts=True)
    share = counts / max(len(values), 1)
    order = np.argsort(-counts, kind="stable")[:max_spikes]
    return sorted(float(uniq[i]) for i in order if share[i] >= min_share)


def _plan_column(
    name: str, series: pd.Series, kind: ColumnKind, fmt: str | None, max_discrete: int
) -> ColumnPlan:
    dtype = str(series.dtype)
    null_rate = float(series.isna().mean()) if len(series) else 0.0
    plan = ColumnPlan(name, DISCRETE, kind.value, dtype, null_rate=null_rate, datetime_format=fmt)
    if isinstance(series.dtype, pd.CategoricalDtype):
        plan.categories = list(series.dtype.categories)
        plan.ordered = bool(series.dtype.ordered)
    if kind is ColumnKind.ID:
        plan.role = ID
        return plan
    if kind in (ColumnKind.NUMERICAL, ColumnKind.DATETIME) and plan.categories is None:
        raw = _numeric_values(series, kind, fmt)
        finite = raw[~np.isnan(raw)]
        uniq = np.unique(finite)
        plan.low, plan.high = (float(uniq[0]), float(uniq[-1])) if len(uniq) else (0.0, 0.0)
        if len(uniq) > max_discrete:
            plan.role = CONTINUOUS
            plan.values = _spikes(finite, max_spikes=20, min_share=0.005)
            plan.decimals = _decimals(finite)
            plan.step = _grid_step(finite, plan.decimals)
            if kind is ColumnKind.DATETIME:  # dates stay dates, times keep their resolution
                plan.step = next((float(u) for u in _TIME_STEPS if np.all(finite % u == 0)), 0.0)
            elif plan.decimals <= 6:
                base = plan.step if plan.step > 0 else 10.0**-plan.decimals
                plan.levels, plan.level_edges, plan.level_shares = _grid_levels(finite, plan.values, base)
        else:
            plan.values = [float(v) for v in uniq]
        return plan
    non_null = series.dropna()
    values = list(pd.unique(non_null))
    try:
        values = sorted(values)
    except TypeError:
        values = sorted(values, key=str)
    plan.values = [v.item() if isinstance(v, np.generic) else v for v in values]
    return plan


def null_mask(part: np.ndarray, col: ColumnPlan) -> np.ndarray:
    """Missing cells of one split column (NaN, or the null code of a discrete column)."""
    if col.role == CONTINUOUS:
        return np.isnan(part)
    return part == len(col.values) if col.has_null else np.zeros(len(part), dtype=bool)


def missing_patterns(miss: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Distinct rows of the (n, m) missing mask: ``(patterns, codes, probs)``.

    Patterns seen once are merged into the nearest pattern seen at least twice (no single row's
    pattern is stored); codes are ordered by the number of missing cells, then by frequency.
    """
    uniq, inverse, counts = np.unique(miss, axis=0, return_inverse=True, return_counts=True)
    inverse = inverse.reshape(-1)
    order = np.argsort(-counts, kind="stable")
    kept = [i for i in order if counts[i] >= 2][:_MAX_PATTERNS] or [int(order[0])]
    kept.sort(key=lambda i: (int(uniq[i].sum()), -int(counts[i])))
    dist = (uniq[:, None, :] != uniq[None, kept, :]).sum(axis=2)  # Hamming distance to kept ones
    to_code = dist.argmin(axis=1)
    codes = to_code[inverse]
    probs = np.bincount(codes, minlength=len(kept)) / len(codes)
    return uniq[kept], codes, probs


class TablePlan:
    """Split a DataFrame into per-column arrays and merge arrays back into the same table.

    Discrete columns become integer codes (the null code is ``len(values)``); continuous
    columns become floats with NaN for missing cells. ``merge`` snaps values to the column's
    grid, clips them to the training range and restores the dtype.

    Examples
    --------
    >>> df = pd.DataFrame({"limit": [10_000, 20_000, 30_000, 10_000] * 30,
    ...                    "city": ["a", "b", None, "a"] * 30})
    >>> plan = TablePlan.fit(df, Metadata.infer(df))
    >>> parts = plan.split(df)
    >>> back = plan.merge(parts, n=len(df))
    >>> back.equals(df)
    True
    """

    def __init__(self, columns: list[ColumnPlan]) -> None:
        self.columns = columns

    @classmethod
    def fit(cls, df: pd.DataFrame, metadata: Metadata, *, max_discrete: int = 100) -> TablePlan:
        cols = [
            _plan_column(c.name, df[c.name], c.kind, c.datetime_format, max_discrete)
            for c in metadata.columns
        ]
        return cls(cols)

    def to_dict(self) -> list[dict[str, Any]]:
        return [asdict(c) for c in self.columns]

    @classmethod
    def from_dict(cls, data: list[dict[str, Any]]) -> TablePlan:
        return cls([ColumnPlan(**d) for d in data])

    @property
    def modelled(self) -> list[ColumnPlan]:
        """Columns a model learns (id columns are regenerated instead)."""
        return [c for c in self.columns if c.role != ID]

    def column(self, name: str) -> ColumnPlan:
        return next(c for c in self.columns if c.name == name)

    def split(self, df: pd.DataFrame) -> dict[str, np.ndarray]:
        """Return ``{name: codes or floats}`` for every modelled column."""
        return {c.name: self._split_one(df[c.name], c) for c in self.modelled}

    def _split_one(self, series: pd.Series, plan: ColumnPlan) -> np.ndarray:
        numeric = plan.source_kind in (ColumnKind.NUMERICAL, ColumnKind.DATETIME)
        if numeric and plan.categories is None:
            raw = _numeric_values(series, ColumnKind(plan.source_kind), plan.datetime_format)
            if plan.role == CONTINUOUS:
                return raw
            codes = np.searchsorted(np.asarray(plan.values, dtype=float), raw)
            codes = np.minimum(codes, max(len(plan.values) - 1, 0))
            return np.where(np.isnan(raw), len(plan.values), codes).astype(np.int64)
        lookup = {v: i for i, v in enumerate(plan.values)}
        null_code = len(plan.values)
        out = [null_code if pd.isna(v) else lookup.get(_plain(v), null_code) for v in series]
        return np.asarray(out, dtype=np.int64)

    def merge(self, parts: dict[str, np.ndarray], n: int) -> pd.DataFrame:
        """Inverse of :meth:`split`; id columns are left empty (filled by the synthesizer)."""
        data: dict[str, pd.Series] = {}
        for plan in self.columns:
            if plan.role == ID:
                data[plan.name] = pd.Series([None] * n, dtype="object")
            else:
                data[plan.name] = self._merge_one(parts[plan.name], plan)
        return pd.DataFrame(data)

    def snap(self, values: np.ndarray, plan: ColumnPlan) -> np.ndarray:
        """Round continuous values to the column's grid and clip them to its range."""
        out = np.clip(values, plan.low, plan.high)
        if plan.step > 0:
            out = np.round(out / plan.step) * plan.step
        return np.clip(np.round(out, plan.decimals), plan.low, plan.high)

    def _merge_one(self, part: np.ndarray, plan: ColumnPlan) -> pd.Series:
        numeric = plan.source_kind in (ColumnKind.NUMERICAL, ColumnKind.DATETIME)
        if plan.role == CONTINUOUS:
            values: np.ndarray = self.snap(np.asarray(part, dtype=float), plan)
        elif numeric and plan.categories is None:
            table = np.append(np.asarray(plan.values, dtype=float), np.nan)
            values = table[np.asarray(part, dtype=np.int64)]
        else:
            table_obj = np.empty(len(plan.values) + 1, dtype=object)
            table_obj[: len(plan.values)] = plan.values
            table_obj[-1] = None
            values = table_obj[np.asarray(part, dtype=np.int64)]
        return _restore_dtype(values, plan)


def _plain(value: Any) -> Any:
    return value.item() if isinstance(value, np.generic) else value


def _restore_dtype(values: np.ndarray, plan: ColumnPlan) -> pd.Series:
    if plan.categories is not None:
        cat_dtype = pd.CategoricalDtype(plan.categories, ordered=plan.ordered)
        return pd.Series(pd.Categorical(values, dtype=cat_dtype))
    dtype: Any = plan.dtype
    if plan.source_kind == ColumnKind.DATETIME:
        when = pd.to_datetime(pd.Series(values, dtype=float) * 1e9, unit="ns")
        if "datetime" in plan.dtype:
            return when.astype(dtype)
        return when.dt.strftime(plan.datetime_format or "%Y-%m-%d").astype(dtype)
    series = pd.Series(values)
    if series.isna().any():  # nulls only appear where the training column had them
        dtype = {"bool": "boolean"}.get(dtype, "Int64" if dtype.startswith(("int", "uint")) else dtype)
    try:
        return series.astype(dtype)
    except (TypeError, ValueError):
        return series.astype("object")
