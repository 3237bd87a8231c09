"""Service functions: read + infer + validate + coerce a table, and ingest it as a dataset version."""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pandas as pd

from finloom._base import ProgressCallback, noop_progress
from finloom.data._coerce import coerce_table
from finloom.data._dates import guess_datetime_formats
from finloom.data._infer import infer_metadata
from finloom.data._metadata import ColumnKind, Metadata
from finloom.data._readers import Source, read_table
from finloom.data._report import ValidationReport
from finloom.data._storage import write_dataset_version
from finloom.data._validate import validate_table

__all__ = ["PreparedTable", "ingest_dataset", "prepare_table"]


@dataclass
class PreparedTable:
    """A table ready to store: coerced to its metadata, with the report of its warnings.

    Examples
    --------
    >>> prepared = prepare_table(pd.DataFrame({"id": [1, 2], "k": ["a", "a"]}))
    >>> prepared.source, [w.code for w in prepared.report.warnings]
    ({'format': 'dataframe'}, ['constant_column'])
    """

    df: pd.DataFrame
    metadata: Metadata
    report: ValidationReport
    source: dict[str, Any]  # how it was read: format, encoding, sep, name


def _with_date_formats(df: pd.DataFrame, meta: Metadata) -> Metadata:
    """Fill in the guessed format of every date column stored as text (all guessed together)."""
    names = set(map(str, df.columns))
    texts = {
        c.name: df[c.name] for c in meta.columns
        if c.kind is ColumnKind.DATETIME and c.datetime_format is None and c.name in names
        and not pd.api.types.is_datetime64_any_dtype(df[c.name])
    }
    formats = guess_datetime_formats(texts) if texts else {}
    cols = [replace(c, datetime_format=formats[c.name]) if c.name in formats else c for c in meta.columns]
    return replace(meta, columns=cols)


def _with_dtypes(df: pd.DataFrame, meta: Metadata) -> Metadata:
    dtypes = {str(name): str(dtype) for name, dtype in zip(df.columns, df.dtypes, strict=True)}
    cols = [replace(c, dtype=dtypes[c.name]) if c.name in dtypes else c for c in meta.columns]
    return replace(meta, columns=cols)


def prepare_table(
    source: Source,
    *,
    metadata: Metadata | None = None,
    target: str | None = None,
    primary_key: str | None = None,
    format: str | None = None,
    sep: str | None = None,
    encoding: str | None = None,
    max_bytes: int | None = None,
    progress: ProgressCallback = noop_progress,
) -> PreparedTable:
    """Read ``source``, infer or apply metadata, validate, and coerce the column kinds.

    Every problem of the table is collected and raised as one :class:`InvalidDataError`;
    warnings (constant columns) are returned in ``report``.

    Parameters
    ----------
    source : path, bytes, file object or DataFrame
        See :func:`read_table`.
    metadata : Metadata, optional
        The user's metadata; inferred from the table (with ``target``/``primary_key``) if None.
    target, primary_key : str, optional
        Roles for inferred metadata.
    format, sep, encoding, max_bytes
        Passed to :func:`read_table`.
    progress : callable, optional
        ``progress(fraction, message)``.

    Returns
    -------
    PreparedTable

    Examples
    --------
    >>> from finloom.data import read_table
    >>> csv = b"id,when,ok\\n001,2024-01-31,yes\\n002,2024-02-29,no\\n"
    >>> meta = Metadata.infer(read_table(csv)).with_kind("ok", "boolean")
    >>> prepared = prepare_table(csv, metadata=meta)
    >>> prepared.df.dtypes.astype(str).tolist(), prepared.metadata.primary_key
    (['str', 'datetime64[us]', 'bool'], 'id')
    """
    progress(0.0, "reading the table")
    df = read_table(source, format=format, sep=sep, encoding=encoding, max_bytes=max_bytes)
    info = dict(df.attrs.get("source", {}))
    df.attrs = {}  # pandas deep-copies attrs into every column it hands out: slow on wide tables
    progress(0.4, "inferring column kinds")
    meta = metadata or infer_metadata(df, target=target, primary_key=primary_key)
    meta = _with_date_formats(df, meta)
    progress(0.6, "validating")
    report = validate_table(df, meta)
    report.raise_for_errors()
    progress(0.8, "converting columns")
    coerced = coerce_table(df, meta)
    coerced.attrs = {}
    progress(1.0, "table ready")
    return PreparedTable(coerced, _with_dtypes(coerced, meta), report, info)


def ingest_dataset(
    params: dict[str, Any], progress: ProgressCallback, out_dir: str | os.PathLike[str]
) -> dict[str, Any]:
    """Job function: prepare a table and write it as a dataset version in ``out_dir``.

    ``params`` keys: ``path`` (file to read, required), optional ``format``, ``sep``,
    ``encoding``, ``max_bytes``, ``target``, ``primary_key`` and ``metadata`` (a
    ``Metadata.to_dict()``). Returns a JSON-able dict with ``files``, ``metadata``,
    ``report`` and ``source``; nothing is left in ``out_dir`` if anything fails.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> tmp = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (tmp / "t.csv").write_text("id,amount\\n1,2.5\\n2,3.0\\n")
    >>> out = ingest_dataset({"path": str(tmp / "t.csv")}, noop_progress, tmp / "v1")
    >>> out["files"]["n_rows"], out["metadata"]["primary_key"], out["source"]["sep"]
    (2, 'id', ',')
    """
    meta = params.get("metadata")
    prepared = prepare_table(
        Path(params["path"]),
        metadata=Metadata.from_dict(meta) if meta else None,
        target=params.get("target"),
        primary_key=params.get("primary_key"),
        format=params.get("format"),
        sep=params.get("sep"),
        encoding=params.get("encoding"),
        max_bytes=params.get("max_bytes"),
        progress=lambda f, m="": progress(0.8 * f, m),
    )
    progress(0.85, "writing the dataset version")
    files = write_dataset_version(prepared.df, prepared.metadata, out_dir, validate=False)
    progress(1.0, "dataset stored")
    return {
        "files": files.to_dict(),
        "metadata": prepared.metadata.to_dict(),
        "report": prepared.report.to_dict(),
        "source": prepared.source,
    }
