"""Column kinds of a table (numerical, categorical, ...), inferred from data and editable by users."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

import pandas as pd

from finloom.errors import ConfigError, InvalidDataError, did_you_mean

__all__ = ["ColumnKind", "ColumnMeta", "Metadata"]



class ColumnKind(StrEnum):
    """What a column holds; drives validation, synthesis transforms and evaluation."""

    NUMERICAL = "numerical"
    CATEGORICAL = "categorical"
    BOOLEAN = "boolean"
    DATETIME = "datetime"
    ID = "id"
    TEXT = "text"


@dataclass(frozen=True)
class ColumnMeta:
    """One column: its name, kind and the pandas dtype seen at registration.

    Examples
    --------
    >>> ColumnMeta("age", ColumnKind.NUMERICAL, "int64").to_dict()
    {'name': 'age', 'kind': 'numerical', 'dtype': 'int64', 'datetime_format': None}
    """

    name: str
    kind: ColumnKind
    dtype: str = "object"
    datetime_format: str | None = None  # strftime format when the column is parsed from strings

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "kind": self.kind.value,
            "dtype": self.dtype,
            "datetime_format": self.datetime_format,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ColumnMeta:
        try:
            kind = ColumnKind(data["kind"])
        except ValueError as exc:
            raise ConfigError(
                f"column kind must be one of {[k.value for k in ColumnKind]}; got {data['kind']!r}."
            ) from exc
        return cls(
            name=str(data["name"]),
            kind=kind,
            dtype=str(data.get("dtype", "object")),
            datetime_format=data.get("datetime_format"),
        )


@dataclass
class Metadata:
    """Ordered column descriptions plus the optional primary key and prediction target.

    Examples
    --------
    >>> df = pd.DataFrame({"id": [1, 2, 3], "amount": [1.5, 2.0, 3.2], "ok": [True, False, True]})
    >>> meta = Metadata.infer(df, target="ok")
    >>> [(c.name, c.kind.value) for c in meta.columns]
    [('id', 'id'), ('amount', 'numerical'), ('ok', 'boolean')]
    >>> meta.primary_key, meta.target
    ('id', 'ok')
    >>> meta = meta.with_kind("amount", "categorical")
    >>> meta.kind_of("amount").value
    'categorical'
    """

    columns: list[ColumnMeta] = field(default_factory=list)
    primary_key: str | None = None
    target: str | None = None

    @classmethod
    def infer(
        cls, df: pd.DataFrame, *, target: str | None = None, primary_key: str | None = None
    ) -> Metadata:
        """Infer column kinds from ``df`` (see :func:`infer_metadata`)."""
        from finloom.data._infer import infer_metadata

        return infer_metadata(df, target=target, primary_key=primary_key)

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]

    def column(self, name: str) -> ColumnMeta:
        for col in self.columns:
            if col.name == name:
                return col
        raise ConfigError(f"column must be one of the table's columns; got '{name}'.{did_you_mean(name, self.names)}")

    def kind_of(self, name: str) -> ColumnKind:
        return self.column(name).kind

    def names_of(self, *kinds: ColumnKind | str) -> list[str]:
        wanted = {ColumnKind(k) for k in kinds}
        return [c.name for c in self.columns if c.kind in wanted]

    def with_kind(self, name: str, kind: ColumnKind | str) -> Metadata:
        """Return a copy where column ``name`` has kind ``kind`` (user edit)."""
        new_kind = ColumnKind(kind)
        self.column(name)
        cols = [replace(c, kind=new_kind) if c.name == name else c for c in self.columns]
        return replace(self, columns=cols)

    def to_dict(self) -> dict[str, Any]:
        return {
            "columns": [c.to_dict() for c in self.columns],
            "primary_key": self.primary_key,
            "target": self.target,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Metadata:
        meta = cls(
            columns=[ColumnMeta.from_dict(c) for c in data.get("columns", [])],
            primary_key=data.get("primary_key"),
            target=data.get("target"),
        )
        meta.check()
        return meta

    def check(self) -> None:
        """Raise :class:`InvalidDataError` listing every inconsistency of the metadata itself."""
        problems = []
        seen: set[str] = set()
        for col in self.columns:
            if col.name in seen:
                problems.append(f"column '{col.name}' is described twice; keep one entry")
            seen.add(col.name)
        for role in ("primary_key", "target"):
            value = getattr(self, role)
            if value is not None and value not in seen:
                problems.append(
                    f"{role} must name a column; got '{value}'.{did_you_mean(value, seen)}"
                )
        if problems:
            raise InvalidDataError(problems)
