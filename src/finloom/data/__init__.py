"""Datasets: loading, column metadata, validation and the versioned dataset registry."""

from finloom.data._metadata import ColumnKind, ColumnMeta, Metadata, infer_metadata

__all__ = ["ColumnKind", "ColumnMeta", "Metadata", "infer_metadata"]
