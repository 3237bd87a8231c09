"""Datasets: register uploads and files, edit metadata, delete; each change audited as it is published."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal, Protocol

import pandas as pd
from pydantic import BaseModel, Field

from finloom.data import Metadata
from finloom.errors import ConfigError, InvalidDataError, PayloadTooLargeError, did_you_mean
from finloom.store import AuditEntry, DatasetInfo
from finloom.workbench import Workbench

__all__ = [
    "MetadataEdit",
    "UploadOptions",
    "add_dataset",
    "delete_dataset",
    "edit_metadata",
    "read_upload",
    "register_upload",
]

Kind = Literal["numerical", "categorical", "boolean", "datetime", "id", "text"]


class UploadOptions(BaseModel):
    """The fields sent with an uploaded table (the API's form and the web page's alike)."""

    description: str = Field(default="", max_length=2000, description="What the data is.")
    target: str = Field(default="", max_length=200, description="The target column; empty for none.")
    primary_key: str = Field(default="", max_length=200, description="The primary key column; empty for none.")
    sep: str = Field(default="", max_length=2, description="The CSV delimiter; empty to sniff it.")
    encoding: str = Field(default="", max_length=40, description="The text encoding; empty to detect it.")


class MetadataEdit(BaseModel):
    """Changes to a dataset's metadata (PUT /api/datasets/{name}/metadata and the dataset page)."""

    kinds: dict[str, Kind] = Field(default_factory=dict, description="column name -> new kind")
    target: str | None = Field(default=None, description="target column; '' clears it")
    primary_key: str | None = Field(default=None, description="primary key column; '' clears it")


class AsyncReadable(Protocol):
    """An uploaded file as web frameworks hand it over (``await upload.read(n)``)."""

    async def read(self, size: int = -1) -> bytes: ...


def _fmt_size(n: int) -> str:
    return f"{n / 2**20:.0f} MiB" if n >= 2**20 else f"{n} bytes"


async def read_upload(upload: AsyncReadable, declared_bytes: int, limit_mb: int) -> bytes:
    """Read an upload, refusing it early (its declared length) or while reading when too large.

    Examples
    --------
    >>> import asyncio, io
    >>> class Upload:
    ...     async def read(self, size=-1): return io.BytesIO(b"x" * 10).read(size)
    >>> len(asyncio.run(read_upload(Upload(), 10, limit_mb=1)))
    10
    >>> asyncio.run(read_upload(Upload(), 5 * 2**20, limit_mb=1))
    Traceback (most recent call last):
    ...
    finloom.errors.PayloadTooLargeError: an upload must be at most 1 MiB; got 5 MiB. Split the file or raise FINLOOM_MAX_UPLOAD_MB.
    """
    limit = limit_mb * 2**20
    if declared_bytes > limit + 64 * 1024:
        raise PayloadTooLargeError(
            f"an upload must be at most {limit_mb} MiB; got {_fmt_size(declared_bytes)}. "
            "Split the file or raise FINLOOM_MAX_UPLOAD_MB."
        )
    data = await upload.read(limit + 1)
    if len(data) > limit:
        raise PayloadTooLargeError(
            f"an upload must be at most {limit_mb} MiB; got more. Split the file or raise FINLOOM_MAX_UPLOAD_MB."
        )
    return data


def _check_filename(filename: str) -> str:
    bad = next((i for i, ch in enumerate(filename) if ord(ch) < 32 or ord(ch) == 127), None)
    if bad is not None:
        raise InvalidDataError(
            f"file name must not contain control characters; got {filename[:80]!r} (one at "
            f"position {bad}). Rename the file and upload it again."
        )
    return filename


def register_upload(
    workbench: Workbench, actor: str, name: str, data: bytes, filename: str, options: UploadOptions
) -> DatasetInfo:
    """Validate uploaded bytes and store them as dataset ``name``; audit ``dataset.create``.

    Examples
    --------
    >>> import tempfile
    >>> from finloom.config import Settings
    >>> wb = Workbench(Settings(workspace=tempfile.mkdtemp()), executor_mode="thread").migrate()
    >>> info = register_upload(wb, "ana", "loans", b"id,amount\\n1,2.5\\n2,3.0\\n", "loans.csv", UploadOptions())
    >>> info.n_rows, info.created_by
    (2, 'ana')
    """
    filename = _check_filename(filename)
    fmt = "parquet" if filename.lower().endswith(".parquet") else None
    read_options = {k: v for k, v in {"format": fmt, "sep": options.sep, "encoding": options.encoding}.items() if v}
    return add_dataset(
        workbench, actor, name, data, target=options.target or None, primary_key=options.primary_key or None,
        description=options.description, source_label=f"upload:{filename}", read_options=read_options,
    )


def add_dataset(
    workbench: Workbench,
    actor: str,
    name: str,
    source: bytes | str | Path | pd.DataFrame,
    *,
    metadata: Metadata | None = None,
    target: str | None = None,
    primary_key: str | None = None,
    description: str = "",
    source_label: str = "",
    licence: str = "",
    new_version: bool = False,
    read_options: dict[str, Any] | None = None,
) -> DatasetInfo:
    """Read, validate and register ``source`` (a file, bytes or a table); audit ``dataset.create``
    (or ``dataset.version`` with ``new_version``) in the transaction that publishes it."""
    action = "dataset.version" if new_version else "dataset.create"
    return workbench.datasets.add(
        name, source, metadata=metadata, target=target, primary_key=primary_key, description=description,
        source_label=source_label, licence=licence, created_by=actor, new_version=new_version,
        read_options=read_options, audit=AuditEntry(actor, action),
    )


def edit_metadata(workbench: Workbench, actor: str, name: str, edit: MetadataEdit) -> DatasetInfo:
    """Apply kind, target and key edits as a new version; audit ``dataset.metadata``.

    Examples
    --------
    >>> import tempfile
    >>> from finloom.config import Settings
    >>> wb = Workbench(Settings(workspace=tempfile.mkdtemp()), executor_mode="thread").migrate()
    >>> _ = register_upload(wb, "ana", "loans", b"id,amount\\n1,2.5\\n2,3.0\\n", "loans.csv", UploadOptions())
    >>> edit_metadata(wb, "ana", "loans", MetadataEdit(kinds={"amont": "categorical"}))
    Traceback (most recent call last):
    ...
    finloom.errors.ConfigError: column must be one of the dataset's columns; got 'amont'. Did you mean 'amount'?
    """
    meta = workbench.datasets.get(name).metadata
    for column, kind in edit.kinds.items():
        if column not in meta.names:
            raise ConfigError(f"column must be one of the dataset's columns; got {column!r}.{did_you_mean(column, meta.names)}")
        meta = meta.with_kind(column, kind)
    if edit.target is not None:
        meta.target = edit.target or None
    if edit.primary_key is not None:
        meta.primary_key = edit.primary_key or None
    meta.check()
    return workbench.datasets.update_metadata(name, meta, created_by=actor, audit=AuditEntry(actor, "dataset.metadata"))


def delete_dataset(workbench: Workbench, actor: str, name: str) -> None:
    """Delete dataset ``name`` with every version; audit ``dataset.delete`` with the deletion."""
    workbench.datasets.delete(name, audit=AuditEntry(actor, "dataset.delete"))
