"""Datasets: loading, column metadata, validation and the versioned dataset registry."""

from finloom.data._coerce import coerce_table
from finloom.data._encoding import decode_bytes, detect_encoding
from finloom.data._export import formula_guard_setting, neutralise_formulas, write_csv
from finloom.data._hash import content_hash
from finloom.data._infer import infer_metadata
from finloom.data._metadata import ColumnKind, ColumnMeta, Metadata
from finloom.data._prepare import PreparedTable, ingest_dataset, prepare_table
from finloom.data._readers import FORMATS, read_sql, read_table
from finloom.data._report import Issue, ValidationReport
from finloom.data._storage import (
    DatasetFiles,
    read_dataset_files,
    read_dataset_version,
    write_dataset_version,
)
from finloom.data._validate import check_table, validate_table

__all__ = [
    "FORMATS",
    "ColumnKind",
    "ColumnMeta",
    "DatasetFiles",
    "Issue",
    "Metadata",
    "PreparedTable",
    "ValidationReport",
    "check_table",
    "coerce_table",
    "content_hash",
    "decode_bytes",
    "detect_encoding",
    "infer_metadata",
    "neutralise_formulas",
    "ingest_dataset",
    "prepare_table",
    "read_dataset_files",
    "read_dataset_version",
    "read_sql",
    "read_table",
    "validate_table",
    "write_csv",
    "formula_guard_setting",
    "write_dataset_version",
]
