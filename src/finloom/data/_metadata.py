"""Column kinds of a table (numerical, categorical, ...), inferred from data and editable by users."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

import pandas as pd

from finloom.errors import ConfigError, InvalidDataError, did_you_mean

__all__ = ["ColumnKind", "ColumnMeta", "Metadata", "infer_metadata"]

_ID_NAME = re.compile(r"(^id$|_id$|^id_|uuid|guid|identifier)", re.IGNORECASE)
_BOOL_TOKENS = {"true", "false", "t", "f"}
_MAX_CATEGORIES = 50  # more distinct strings than this (and mostly unique) is free text or an id
_TEXT_MIN_MEAN_LEN = 30


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


def _looks_boolean(series: pd.Series) -> bool:
    if pd.api.types.is_bool_dtype(series):
        return True
    values = series.dropna().unique()
    if len(values) == 0 or len(values) > 2:
        return False
    return all(isinstance(v, str) and v.strip().lower() in _BOOL_TOKENS for v in values)


def _looks_datetime(series: pd.Series) -> bool:
    if pd.api.types.is_datetime64_any_dtype(series):
        return True
    if not (pd.api.types.is_object_dtype(series) or pd.api.types.is_string_dtype(series)):
        return False
    sample = series.dropna().astype(str).head(200)
    if sample.empty or not sample.str.contains(r"\d{1,4}[-/.:]\d{1,2}", regex=True).all():
        return False
    parsed = pd.to_datetime(sample, errors="coerce", format="mixed")
    return bool(parsed.notna().mean() >= 0.95)


def _looks_text(strings: pd.Series) -> bool:
    """Long values, or mostly several words or CJK script: free text rather than a code or an id."""
    if strings.str.len().mean() >= _TEXT_MIN_MEAN_LEN:
        return True
    words = strings.str.strip().str.contains(r"\s", regex=True)
    cjk = strings.str.contains(r"[\u4e00-\u9fff]", regex=True)
    return bool((words | cjk).mean() >= 0.5)  # per value, so mixed English/Chinese columns count


def _infer_kind(name: str, series: pd.Series, n_rows: int) -> ColumnKind:
    non_null = series.dropna()
    n_unique = non_null.nunique()
    all_unique = n_rows > 1 and n_unique == len(non_null) == n_rows
    if _looks_boolean(series):
        return ColumnKind.BOOLEAN
    if _looks_datetime(series):
        return ColumnKind.DATETIME
    is_int_like = pd.api.types.is_integer_dtype(series) or pd.api.types.is_string_dtype(series)
    if all_unique and is_int_like and _ID_NAME.search(name):
        return ColumnKind.ID
    if pd.api.types.is_numeric_dtype(series):
        return ColumnKind.NUMERICAL
    strings = non_null.astype(str)
    if n_unique <= max(_MAX_CATEGORIES, int(0.05 * n_rows)) and not all_unique:
        return ColumnKind.CATEGORICAL
    if len(strings) and _looks_text(strings):
        return ColumnKind.TEXT
    if all_unique:
        return ColumnKind.ID
    return ColumnKind.CATEGORICAL


def infer_metadata(
    df: pd.DataFrame, *, target: str | None = None, primary_key: str | None = None
) -> Metadata:
    """Guess each column's kind from its dtype and values.

    Rules, in order: bool dtype or true/false strings -> boolean; datetime dtype or strings that
    parse as dates -> datetime; unique integers/strings named like an id -> id; other numbers ->
    numerical; few distinct strings -> categorical; long strings -> text; unique strings -> id.
    The first id column becomes the primary key unless ``primary_key`` is given.

    Examples
    --------
    >>> df = pd.DataFrame({"when": ["2024-01-02", "2024-02-03"], "city": ["Paris", "Paris"]})
    >>> [c.kind.value for c in infer_metadata(df).columns]
    ['datetime', 'categorical']
    """
    columns = [
        ColumnMeta(str(name), _infer_kind(str(name), df[name], len(df)), str(df[name].dtype))
        for name in df.columns
    ]
    if primary_key is None:
        primary_key = next((c.name for c in columns if c.kind is ColumnKind.ID), None)
    meta = Metadata(columns=columns, primary_key=primary_key, target=target)
    if primary_key is not None:
        meta = meta.with_kind(primary_key, ColumnKind.ID)
    meta.check()
    return meta
