"""Deterministic relations between columns, found in the training table and kept in every sample.

:func:`detect_relations` looks for exact relations between numeric (and date) columns:
``a = b + c`` (kept as ``b = a - c`` when ``a`` is needed elsewhere), ``a = b * c`` and ``a = k * b / c`` (k = 1 or 100)
up to the rounding of ``a``, and orders ``a <= b`` (dates first of all). A relation is kept when
it holds on at least 99 % of the training rows where its columns are present and could not
hold by chance. On sampling :func:`apply_relations` derives each dependent column from its
inputs (orders are restored by swapping the two values) and :func:`apply_grids` rounds shares
of values to the coarser steps the training data favours, so every model keeps both.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from typing import Any

import numpy as np
import pandas as pd

from finloom.data import ColumnKind, Metadata
from finloom.synth.tabular._columns import (
    CONTINUOUS,
    ColumnPlan,
    TablePlan,
    _numeric_values,
    _restore_dtype,
    round_to_levels,
)

__all__ = ["Relation", "apply_grids", "apply_relations", "detect_relations"]

_MIN_SHARE = 0.99  # a relation must hold on this share of the rows where its columns are present
_MIN_ROWS = 20
_SCREEN_ROWS = 256  # rows used to screen candidate relations before checking all rows
_REL_TOL = 1e-6  # relative tolerance of sums, products and ratios (float32 storage included)
_MAX_COLUMNS = 120  # numeric columns searched (the search is cubic in this number)


@dataclass(frozen=True)
class Relation:
    """One relation: ``target = left op right`` (``op`` in +, -, *, /) or ``left <= right`` (order).

    ``scale`` multiplies a ratio (100 for percentages); ``decimals`` is the rounding of the
    derived target (15 = none); ``share`` and ``rows`` say how often it held in training.

    Examples
    --------
    >>> r = Relation("sum", "total", "principal", "interest", share=1.0, rows=500)
    >>> r.describe()
    'total = principal + interest (holds on 100.0 % of 500 rows)'
    >>> Relation.from_dict(r.to_dict()) == r
    True
    """

    kind: str  # "sum" | "difference" | "product" | "ratio" | "order"
    target: str | None  # the derived column (None for orders)
    left: str
    right: str
    scale: float = 1.0
    decimals: int = 15
    share: float = 1.0
    rows: int = 0

    @property
    def inputs(self) -> list[str]:
        return [self.left, self.right]

    def formula(self) -> str:
        if self.kind == "order":
            return f"{self.left} <= {self.right}"
        scale = "" if self.scale == 1 else f"{self.scale:g} * "
        op = {"sum": "+", "difference": "-", "product": "*", "ratio": "/"}[self.kind]
        return f"{self.target} = {scale}{self.left} {op} {self.right}"

    def describe(self) -> str:
        return f"{self.formula()} (holds on {100 * self.share:.1f} % of {self.rows} rows)"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Relation:
        return cls(**data)


# -- detection ---------------------------------------------------------------------------------
def _candidates(plan: TablePlan, metadata: Metadata) -> list[ColumnPlan]:
    out = []
    for col in plan.modelled:
        if col.name == metadata.target or col.categories is not None:
            continue
        if col.source_kind not in (ColumnKind.NUMERICAL, ColumnKind.DATETIME):
            continue
        if col.role != CONTINUOUS and len(col.values) < 3:  # binary flags: no arithmetic
            continue
        out.append(col)
    return out[:_MAX_COLUMNS]


def _target_tolerance(col: ColumnPlan, x: np.ndarray, exact_inputs: bool) -> np.ndarray:
    """Half a unit of the target's rounding (unless inputs and target share a grid) + relative."""
    rel = _REL_TOL * np.abs(x) + 1e-9
    if col.decimals <= 6 and not exact_inputs:
        return rel + 0.5 * 10.0**-col.decimals
    return rel


def _informative(col: ColumnPlan, x: np.ndarray) -> bool:
    """The target's rounding is small next to its spread (else 'up to rounding' is no relation)."""
    spread = float(np.nanstd(x))
    half = 0.5 * 10.0**-col.decimals if col.decimals <= 6 else 0.0
    return spread > 0 and half <= 0.02 * spread


def detect_relations(df: pd.DataFrame, plan: TablePlan, metadata: Metadata) -> list[Relation]:
    """Find the exact relations between the columns of the training table ``df``.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> df = pd.DataFrame({"loan": rng.integers(50, 500, 300) * 1000.0,
    ...                    "fee": rng.integers(1, 90, 300) * 10.0})
    >>> df["total"] = df["loan"] + df["fee"]
    >>> meta = Metadata.infer(df)
    >>> [r.formula() for r in detect_relations(df, TablePlan.fit(df, meta), meta)]
    ['total = loan + fee']
    """
    cols = _candidates(plan, metadata)
    if len(cols) < 2 or len(df) < _MIN_ROWS:
        return []
    x = np.column_stack([_numeric_values(df[c.name], ColumnKind(c.source_kind), c.datetime_format)
                         for c in cols])
    numeric = [j for j, c in enumerate(cols) if c.source_kind == ColumnKind.NUMERICAL]
    found = _arithmetic(x, cols, numeric) + _orders(x, cols)
    return _select(found)


def _holds(x: np.ndarray, cols: list[ColumnPlan], k: int, i: int, j: int, kind: str,
           scale: float) -> tuple[float, int]:
    """Share of rows (all three present, divisor non-zero) where ``x_k = x_i op x_j``."""
    a, b, c = x[:, k], x[:, i], x[:, j]
    ok = ~(np.isnan(a) | np.isnan(b) | np.isnan(c))
    if kind == "ratio":
        ok &= c != 0
    a, b, c = a[ok], b[ok], c[ok]
    if len(a) < _MIN_ROWS:
        return 0.0, int(len(a))
    with np.errstate(all="ignore"):
        value = b + c if kind == "sum" else (b * c if kind == "product" else scale * b / c)
    exact = kind == "sum" and cols[k].decimals >= max(cols[i].decimals, cols[j].decimals)
    tol = _target_tolerance(cols[k], a, exact) + _REL_TOL * np.abs(value)
    return float(np.mean(np.abs(a - value) <= tol)), int(len(a))


def _arithmetic(x: np.ndarray, cols: list[ColumnPlan], numeric: list[int]) -> list[Relation]:
    screen = x[:_SCREEN_ROWS]
    useful = [j for j in numeric if _informative(cols[j], x[:, j])]
    nonzero = {j: float(np.mean(x[~np.isnan(x[:, j]), j] != 0)) if np.any(~np.isnan(x[:, j])) else 0.0
               for j in numeric}
    numeric = [j for j in numeric if np.nanstd(x[:, j]) > 0]  # constants take part in no relation
    half = np.array([0.5 * 10.0**-c.decimals if c.decimals <= 6 else 0.0 for c in cols])
    out: list[Relation] = []
    ops: list[tuple[str, float, bool]] = [("sum", 1.0, True), ("product", 1.0, True),
                                          ("ratio", 1.0, False), ("ratio", 100.0, False)]
    for kind, scale, symmetric in ops:
        for i in numeric:
            for j in numeric:
                if i == j or (symmetric and j < i) or min(nonzero[i], nonzero[j]) < 0.05:
                    continue
                with np.errstate(all="ignore"):
                    b, c = screen[:, i], screen[:, j]
                    value = b + c if kind == "sum" else (b * c if kind == "product" else scale * b / c)
                    targets = [k for k in useful if k not in (i, j)]
                    a = screen[:, targets]
                    ok = ~np.isnan(a) & np.isfinite(value)[:, None]
                    close = np.abs(a - value[:, None]) <= half[targets] + _REL_TOL * (
                        np.abs(a) + np.abs(value)[:, None]) + 1e-9
                    n_ok = ok.sum(axis=0)
                    share = (close & ok).sum(axis=0) / np.maximum(n_ok, 1)
                for t in np.flatnonzero((share >= _MIN_SHARE - 0.02) & (n_ok >= min(_MIN_ROWS, len(screen) // 2))):
                    k = targets[t]
                    full, rows = _holds(x, cols, k, i, j, kind, scale)
                    if full >= _MIN_SHARE:
                        out.append(Relation(kind, cols[k].name, cols[i].name, cols[j].name, scale,
                                            cols[k].decimals, round(full, 4), rows))
    return out


def _orders(x: np.ndarray, cols: list[ColumnPlan]) -> list[Relation]:
    """``a <= b`` on every present row, where a random pairing would break it often.

    Dates of any kind; numbers only when both are continuous and their central 80 % overlap
    (amounts on one scale, such as a loan and a price), since the order is restored by swapping.
    """
    out: list[Relation] = []
    rng = np.random.default_rng(0)
    with np.errstate(all="ignore"):
        central = [np.nanquantile(x[:, j], [0.1, 0.9]) if np.any(~np.isnan(x[:, j])) else [np.nan] * 2
                   for j in range(len(cols))]
    for i in range(len(cols)):
        for j in range(len(cols)):
            if i == j or cols[i].source_kind != cols[j].source_kind:
                continue
            if cols[i].source_kind == ColumnKind.NUMERICAL and not (
                    cols[i].role == cols[j].role == CONTINUOUS
                    and central[i][1] >= central[j][0] and central[j][1] >= central[i][0]):
                continue
            a, b = x[:, i], x[:, j]
            ok = ~(np.isnan(a) | np.isnan(b))
            if ok.sum() < _MIN_ROWS:
                continue
            a, b = a[ok], b[ok]
            if not np.all(a <= b) or np.all(a == b):
                continue
            if np.mean(a[rng.permutation(len(a))] > b) < 0.02:  # would hold by chance
                continue
            out.append(Relation("order", None, cols[i].name, cols[j].name, rows=int(ok.sum())))
    return out


def _select(found: list[Relation]) -> list[Relation]:
    """Keep a consistent set: each column derived once and never after it served as an input."""
    rank = {"ratio": 0, "product": 1, "sum": 2}
    arithmetic = sorted((r for r in found if r.kind != "order"),
                        key=lambda r: (-r.decimals, rank[r.kind], -r.share, r.formula()))
    kept: list[Relation] = []
    derived: set[str] = set()
    used: set[str] = set()
    for r in arithmetic:
        forms = [r]
        if r.kind == "sum":  # x = y + z is also z = x - y and y = x - z
            forms += [replace(r, kind="difference", target=r.right, left=str(r.target), right=r.left),
                      replace(r, kind="difference", target=r.left, left=str(r.target), right=r.right)]
        form = next((f for f in forms if f.target not in derived | used), None)
        if form is None:
            continue
        kept.append(form)
        derived.add(str(form.target))
        used.update(form.inputs)
    kept += [r for r in found if r.kind == "order" and not set(r.inputs) & derived]
    return kept


# -- sampling ----------------------------------------------------------------------------------
def _values(df: pd.DataFrame, col: ColumnPlan) -> np.ndarray:
    return _numeric_values(df[col.name], ColumnKind(col.source_kind), col.datetime_format)


def _write(df: pd.DataFrame, col: ColumnPlan, values: np.ndarray) -> None:
    series = _restore_dtype(values, col)
    series.index = df.index
    df[col.name] = series


def apply_relations(df: pd.DataFrame, plan: TablePlan, relations: list[Relation]) -> pd.DataFrame:
    """Derive each dependent column from its inputs and restore orders, in place; returns ``df``.

    Cells whose inputs are missing (or whose divisor is 0) keep the model's value.

    Examples
    --------
    >>> df = pd.DataFrame({"a": [1.0, 2.0], "b": [10.0, 20.0], "total": [0.0, 0.0]})
    >>> from finloom.data import Metadata
    >>> plan = TablePlan.fit(df, Metadata.infer(df))
    >>> apply_relations(df, plan, [Relation("sum", "total", "a", "b")])["total"].tolist()
    [11.0, 22.0]
    """
    orders = [r for r in relations if r.kind == "order"]
    for _ in range(3 if len(orders) > 1 else 1):  # orders first (their columns may be inputs);
        for r in orders:  # chains a <= b <= c settle in a few passes
            left, right = plan.column(r.left), plan.column(r.right)
            a, b = _values(df, left), _values(df, right)
            bad = a > b  # NaN compares False: missing cells are left alone
            if bad.any():
                _write(df, left, np.where(bad, b, a))
                _write(df, right, np.where(bad, a, b))
    for r in [r for r in relations if r.kind != "order"]:  # in detection order: inputs first
        a, b = _values(df, plan.column(r.left)), _values(df, plan.column(r.right))
        target = plan.column(str(r.target))
        old = _values(df, target)
        with np.errstate(all="ignore"):
            if r.kind == "sum":
                new = a + b
            elif r.kind == "difference":
                new = a - b
            elif r.kind == "product":
                new = a * b
            else:
                new = np.where(b != 0, r.scale * a / np.where(b != 0, b, 1.0), np.nan)
        if r.decimals <= 6:
            new = np.round(new, r.decimals)
        keep = np.isnan(new) | np.isnan(old)
        _write(df, target, np.where(keep, old, new))
    return df


def apply_grids(df: pd.DataFrame, plan: TablePlan, rng: np.random.Generator) -> pd.DataFrame:
    """Round shares of sampled values to the coarser steps of each column, in place (see
    :func:`~finloom.synth.tabular._columns.round_to_levels`); returns ``df``.

    Examples
    --------
    >>> from finloom.data import Metadata
    >>> df = pd.DataFrame({"x": np.arange(200.0)})
    >>> plan = TablePlan.fit(df, Metadata.infer(df))
    >>> apply_grids(df.copy(), plan, np.random.default_rng(0)).equals(df)
    True
    """
    for col in plan.modelled:
        if col.levels and col.source_kind == ColumnKind.NUMERICAL and len(df):
            _write(df, col, round_to_levels(_values(df, col), col, rng))
    return df
