"""Constraints that always hold in synthetic output, and parsing of ``sample(conditions=...)``.

Synthesizers learn from the data as is; at sampling time rows that break a constraint are
dropped and regenerated, and :class:`Unique` columns are rewritten to be unique.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from finloom.errors import ConfigError, InvalidDataError, did_you_mean

__all__ = [
    "Constraint",
    "FixedCombinations",
    "Inequality",
    "Range",
    "Unique",
    "constraint_from_dict",
]


@dataclass(frozen=True)
class Constraint:
    """Base class: ``is_valid(df)`` gives a boolean mask over rows."""

    kind: ClassVar[str] = "constraint"

    def columns(self) -> list[str]:
        raise NotImplementedError

    def is_valid(self, df: pd.DataFrame) -> np.ndarray:
        return np.ones(len(df), dtype=bool)

    def learn(self, df: pd.DataFrame) -> Constraint:
        """Return the constraint completed from training data (e.g. allowed combinations)."""
        return self

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, **asdict(self)}


@dataclass(frozen=True)
class Range(Constraint):
    """``low <= df[column] <= high`` (either bound may be None).

    Examples
    --------
    >>> Range("age", 18, 99).is_valid(pd.DataFrame({"age": [17, 30]})).tolist()
    [False, True]
    """

    column: str
    low: float | None = None
    high: float | None = None
    kind: ClassVar[str] = "range"

    def columns(self) -> list[str]:
        return [self.column]

    def is_valid(self, df: pd.DataFrame) -> np.ndarray:
        x = pd.to_numeric(df[self.column], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        ok = ~np.isnan(x)
        if self.low is not None:
            ok &= x >= self.low
        if self.high is not None:
            ok &= x <= self.high
        return np.asarray(ok)


@dataclass(frozen=True)
class Inequality(Constraint):
    """``df[high] >= df[low]`` row by row, e.g. ``Inequality(low="balance", high="limit")``.

    Examples
    --------
    >>> df = pd.DataFrame({"balance": [5, 20], "limit": [10, 10]})
    >>> Inequality(low="balance", high="limit").is_valid(df).tolist()
    [True, False]
    """

    low: str
    high: str
    strict: bool = False
    kind: ClassVar[str] = "inequality"

    def columns(self) -> list[str]:
        return [self.low, self.high]

    def is_valid(self, df: pd.DataFrame) -> np.ndarray:
        lo = pd.to_numeric(df[self.low], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        hi = pd.to_numeric(df[self.high], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        return np.asarray(hi > lo) if self.strict else np.asarray(hi >= lo)


@dataclass(frozen=True)
class FixedCombinations(Constraint):
    """Only combinations of ``column_names`` seen in the training data may appear.

    Examples
    --------
    >>> train = pd.DataFrame({"city": ["Paris", "Lyon"], "country": ["FR", "FR"]})
    >>> c = FixedCombinations(("city", "country")).learn(train)
    >>> c.is_valid(pd.DataFrame({"city": ["Paris", "Paris"], "country": ["FR", "DE"]})).tolist()
    [True, False]
    """

    column_names: tuple[str, ...]
    allowed: tuple[tuple[str, ...], ...] = ()
    kind: ClassVar[str] = "fixed_combinations"

    def columns(self) -> list[str]:
        return list(self.column_names)

    def _keys(self, df: pd.DataFrame) -> pd.Series:
        return df[list(self.column_names)].astype(str).agg("\x1f".join, axis=1)

    def learn(self, df: pd.DataFrame) -> FixedCombinations:
        keys = sorted(set(self._keys(df)))
        return FixedCombinations(tuple(self.column_names), tuple(tuple(k.split("\x1f")) for k in keys))

    def is_valid(self, df: pd.DataFrame) -> np.ndarray:
        allowed = {"\x1f".join(a) for a in self.allowed}
        return self._keys(df).isin(allowed).to_numpy()


@dataclass(frozen=True)
class Unique(Constraint):
    """Values of ``column`` are unique across the whole sample (ids are regenerated).

    Examples
    --------
    >>> Unique("account").columns()
    ['account']
    """

    column: str
    kind: ClassVar[str] = "unique"

    def columns(self) -> list[str]:
        return [self.column]


_KINDS: dict[str, type[Constraint]] = {
    c.kind: c for c in (Range, Inequality, FixedCombinations, Unique)
}


def constraint_from_dict(data: dict[str, Any]) -> Constraint:
    """Rebuild a constraint written by ``to_dict``.

    Examples
    --------
    >>> constraint_from_dict(Range("age", 18, 99).to_dict())
    Range(column='age', low=18, high=99)
    """
    fields = {k: v for k, v in data.items() if k != "kind"}
    cls = _KINDS.get(data.get("kind", ""))
    if cls is None:
        raise ConfigError(f"constraint kind must be one of {sorted(_KINDS)}; got {data.get('kind')!r}.")
    if cls is FixedCombinations:
        fields["column_names"] = tuple(fields["column_names"])
        fields["allowed"] = tuple(tuple(a) for a in fields.get("allowed", ()))
    return cls(**fields)


def check_constraints(constraints: list[Constraint], df: pd.DataFrame) -> list[Constraint]:
    """Validate constraints against training data and return them learned."""
    problems = []
    for c in constraints:
        if not isinstance(c, Constraint):
            raise ConfigError(
                f"constraints must be Constraint objects (Range, Inequality, ...); got {c!r}."
            )
        for name in c.columns():
            if name not in df.columns:
                problems.append(
                    f"constraint column must be a column of the data; got '{name}'."
                    + did_you_mean(name, map(str, df.columns))
                )
        if isinstance(c, Range) and None not in (c.low, c.high) and c.low > c.high:  # type: ignore[operator]
            problems.append(f"Range low must be <= high; got low={c.low}, high={c.high}. Swap them.")
    if problems:
        raise InvalidDataError(problems)
    learned = [c.learn(df) for c in constraints]
    for c in learned:
        if len(df) and not c.is_valid(df).any():
            raise InvalidDataError(
                f"constraint {c!r} must hold for some training rows; got 0 of {len(df)}. "
                "Check the constraint: it can never be satisfied."
            )
    return learned
