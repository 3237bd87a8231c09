"""Parse and check ``sample(conditions=...)``: exact values for discrete columns, ranges otherwise."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from finloom.errors import ConfigError, did_you_mean
from finloom.synth.tabular._columns import CONTINUOUS, DISCRETE, ColumnPlan, TablePlan

__all__ = ["Condition", "parse_conditions"]


@dataclass(frozen=True)
class Condition:
    """One condition on a column: allowed ``codes`` (discrete) or ``[low, high]`` (continuous)."""

    name: str
    codes: tuple[int, ...] | None = None
    low: float = -np.inf
    high: float = np.inf

    def mask(self, part: np.ndarray) -> np.ndarray:
        """Rows of a split column (codes or floats) that satisfy the condition."""
        if self.codes is not None:
            return np.isin(part, self.codes)
        return (part >= self.low) & (part <= self.high)


def _is_range(value: Any) -> bool:
    return isinstance(value, tuple | list) and len(value) == 2


def _discrete_codes(plan: ColumnPlan, value: Any) -> tuple[int, ...]:
    if _is_range(value):
        lo, hi = value
        if plan.source_kind not in ("numerical", "datetime") or plan.categories is not None:
            raise ConfigError(
                f"condition on '{plan.name}' must be a single value (the column is categorical); "
                f"got the range {value!r}."
            )
        codes = tuple(i for i, v in enumerate(plan.values) if lo <= v <= hi)
        if not codes:
            raise ConfigError(
                f"condition range for '{plan.name}' must contain a training value; got {value!r}, "
                f"values span [{min(plan.values)}, {max(plan.values)}]. Widen the range."
            )
        return codes
    if value is None or (isinstance(value, float) and np.isnan(value)):
        if plan.has_null:
            return (len(plan.values),)
    else:
        for i, v in enumerate(plan.values):
            if v == value or str(v) == str(value):
                return (i,)
    shown = [str(v) for v in plan.values[:20]]
    raise ConfigError(
        f"condition value for '{plan.name}' must be one of the training values {shown}; "
        f"got {value!r}." + did_you_mean(str(value), shown)
    )


def _continuous_range(plan: ColumnPlan, value: Any) -> tuple[float, float]:
    if not _is_range(value):
        if value in plan.values:
            return float(value), float(value)
        raise ConfigError(
            f"condition on the continuous column '{plan.name}' must be a (low, high) range; "
            f"got {value!r}. Pass e.g. ({value}, {value}) only for a frequent exact value."
        )
    lo, hi = float(value[0]), float(value[1])
    if lo > hi or hi < plan.low or lo > plan.high:
        raise ConfigError(
            f"condition range for '{plan.name}' must overlap the training range "
            f"[{plan.low}, {plan.high}] with low <= high; got {value!r}."
        )
    return lo, hi


def parse_conditions(plan: TablePlan, conditions: Mapping[str, Any] | None) -> list[Condition]:
    """Check every condition against the fitted plan; raise ConfigError naming the fix.

    Examples
    --------
    >>> from finloom.data import Metadata
    >>> df = pd.DataFrame({"y": [0, 1] * 10, "age": list(range(20))})
    >>> plan = TablePlan.fit(df, Metadata.infer(df), max_discrete=5)
    >>> [c.codes for c in parse_conditions(plan, {"y": 1, "age": (3, 8)})]
    [(1,), None]
    """
    if not conditions:
        return []
    if not isinstance(conditions, Mapping):
        raise ConfigError(f"conditions must be a dict column -> value; got {type(conditions).__name__}.")
    names = [c.name for c in plan.modelled]
    out = []
    for name, value in conditions.items():
        if name not in names:
            raise ConfigError(
                f"condition column must be a modelled column; got '{name}'." + did_you_mean(name, names)
            )
        col = plan.column(name)
        if col.role == DISCRETE:
            out.append(Condition(name, codes=_discrete_codes(col, value)))
        elif col.role == CONTINUOUS:
            lo, hi = _continuous_range(col, value)
            out.append(Condition(name, low=lo, high=hi))
    return out


def conditions_mask(plan: TablePlan, conditions: list[Condition], df: pd.DataFrame) -> np.ndarray:
    """Rows of a decoded table that satisfy every condition."""
    mask = np.ones(len(df), dtype=bool)
    for cond in conditions:
        sub = TablePlan([plan.column(cond.name)])
        mask &= cond.mask(sub.split(df)[cond.name])
    return mask
