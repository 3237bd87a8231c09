"""The result of validating a table: errors and warnings, each an :class:`Issue`."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from finloom.errors import InvalidDataError

__all__ = ["Issue", "ValidationReport"]

N_EXAMPLES = 3


def as_jsonable(value: Any) -> Any:
    """Plain Python value for JSON (numpy scalars unwrapped, other objects as strings)."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)


def show_values(values: Any) -> str:
    """Comma-separated values for a message: strings quoted, numbers bare."""
    return ", ".join(repr(v) if isinstance(v, str) else str(as_jsonable(v)) for v in values)


def unique_examples(series: pd.Series) -> tuple[Any, ...]:
    """The first few distinct values of ``series`` as JSON-able examples."""
    return tuple(as_jsonable(v) for v in pd.unique(series)[:N_EXAMPLES])


@dataclass(frozen=True)
class Issue:
    """One problem (error) or remark (warning) about a table.

    Examples
    --------
    >>> Issue("all_null", "column 'x' is all null", column="x", count=3).to_dict()["code"]
    'all_null'
    """

    code: str  # stable machine-readable name, e.g. "duplicated_key"
    message: str  # the sentence shown to users
    column: str | None = None
    count: int | None = None
    examples: tuple[Any, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "message": self.message,
            "column": self.column,
            "count": self.count,
            "examples": [as_jsonable(v) for v in self.examples],
        }


@dataclass
class ValidationReport:
    """Errors (the table cannot be used) kept apart from warnings (it can, but look at this).

    Examples
    --------
    >>> report = ValidationReport(n_rows=2, n_cols=1, warnings=[Issue("constant_column", "...")])
    >>> report.ok, report.to_dict()["warnings"][0]["code"]
    (True, 'constant_column')
    """

    n_rows: int
    n_cols: int
    errors: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def raise_for_errors(self) -> None:
        """Raise one :class:`InvalidDataError` listing every error, if there is any."""
        if self.errors:
            raise InvalidDataError([e.message for e in self.errors])

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "n_rows": self.n_rows,
            "n_cols": self.n_cols,
            "errors": [e.to_dict() for e in self.errors],
            "warnings": [w.to_dict() for w in self.warnings],
        }
