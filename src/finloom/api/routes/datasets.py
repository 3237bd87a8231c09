"""Datasets: upload, list, show, preview, edit metadata, delete."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Query, Request, UploadFile, status
from starlette.concurrency import run_in_threadpool

from finloom.api.deps import Admin, Analyst, Viewer, WorkbenchDep, audit
from finloom.api.schemas import DatasetOut, MetadataEdit, Preview
from finloom.errors import ConfigError, InvalidDataError, PayloadTooLargeError, did_you_mean
from finloom.workbench import Workbench

router = APIRouter(prefix="/api/datasets", tags=["datasets"])


def _fmt_size(n: int) -> str:
    return f"{n / 2**20:.0f} MiB" if n >= 2**20 else f"{n} bytes"


async def read_upload(request: Request, upload: UploadFile, limit_mb: int) -> bytes:
    """Read an upload, refusing it early (Content-Length) or while streaming when too large."""
    limit = limit_mb * 2**20
    declared = int(request.headers.get("content-length") or 0)
    if declared > limit + 64 * 1024:
        raise PayloadTooLargeError(
            f"an upload must be at most {limit_mb} MiB; got {_fmt_size(declared)}. "
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
    workbench: Workbench, name: str, data: bytes, filename: str, options: dict[str, Any], user: str
) -> dict[str, Any]:
    """Validate and store uploaded bytes as a dataset (shared by the API and the web page)."""
    filename = _check_filename(filename)
    fmt = "parquet" if filename.lower().endswith(".parquet") else options.pop("format", None)
    read_options = {k: v for k, v in {"format": fmt, "sep": options.get("sep"), "encoding": options.get("encoding")}.items() if v}
    info = workbench.datasets.add(
        name,
        data,
        target=options.get("target") or None,
        primary_key=options.get("primary_key") or None,
        description=options.get("description") or "",
        source_label=f"upload:{filename}",
        created_by=user,
        read_options=read_options,
    )
    return info.to_dict()


@router.post("", response_model=DatasetOut, status_code=status.HTTP_201_CREATED)
async def upload_dataset(
    request: Request,
    principal: Analyst,
    workbench: WorkbenchDep,
    file: Annotated[UploadFile, File(description="CSV, TSV or Parquet file")],
    name: Annotated[str, Form(min_length=1, max_length=120)],
    description: Annotated[str, Form(max_length=2000)] = "",
    target: Annotated[str, Form(max_length=200)] = "",
    primary_key: Annotated[str, Form(max_length=200)] = "",
    sep: Annotated[str, Form(max_length=2)] = "",
    encoding: Annotated[str, Form(max_length=40)] = "",
) -> Any:
    """Upload a table; every validation problem is reported at once (422)."""
    data = await read_upload(request, file, workbench.settings.max_upload_mb)
    options = {"description": description, "target": target, "primary_key": primary_key, "sep": sep, "encoding": encoding}
    out = await run_in_threadpool(register_upload, workbench, name, data, file.filename or "upload.csv", options, principal.user)
    audit(workbench, principal, "dataset.create", name, rows=out["n_rows"], cols=out["n_cols"])
    return out


@router.get("", response_model=list[DatasetOut])
def list_datasets(principal: Viewer, workbench: WorkbenchDep) -> Any:
    """The newest version of every dataset."""
    return [d.to_dict() for d in workbench.datasets.list()]


@router.get("/{name}", response_model=DatasetOut)
def show_dataset(name: str, principal: Viewer, workbench: WorkbenchDep, version: Annotated[int | None, Query(ge=1, le=1_000_000)] = None) -> Any:
    """One dataset version with its metadata."""
    return workbench.datasets.get(name, version).to_dict()


@router.get("/{name}/preview", response_model=Preview)
def preview_dataset(
    name: str,
    principal: Viewer,
    workbench: WorkbenchDep,
    rows: Annotated[int, Query(ge=1, le=1000)] = 20,
    version: Annotated[int | None, Query(ge=1, le=1_000_000)] = None,
) -> Any:
    """The first rows, as JSON-safe values."""
    df = workbench.datasets.preview(name, rows, version)
    records = json.loads(df.to_json(orient="split", date_format="iso", default_handler=str))
    return {"columns": [str(c) for c in df.columns], "rows": records["data"], "n_rows": len(df)}


def apply_metadata_edit(workbench: Workbench, name: str, edit: MetadataEdit) -> Any:
    """Apply kind/target/key edits and store them as a new version (shared with the web page)."""
    info = workbench.datasets.get(name)
    meta = info.metadata
    for column, kind in edit.kinds.items():
        if column not in meta.names:
            raise ConfigError(f"column must be one of the dataset's columns; got {column!r}.{did_you_mean(column, meta.names)}")
        meta = meta.with_kind(column, kind)
    if edit.target is not None:
        meta.target = edit.target or None
    if edit.primary_key is not None:
        meta.primary_key = edit.primary_key or None
    meta.check()
    return workbench.datasets.update_metadata(name, meta).to_dict()


@router.put("/{name}/metadata", response_model=DatasetOut)
def edit_metadata(name: str, edit: MetadataEdit, principal: Analyst, workbench: WorkbenchDep) -> Any:
    """Change column kinds, the target or the primary key (a new version)."""
    out = apply_metadata_edit(workbench, name, edit)
    audit(workbench, principal, "dataset.metadata", name, version=out["version"])
    return out


@router.delete("/{name}", status_code=status.HTTP_204_NO_CONTENT)
def delete_dataset(name: str, principal: Admin, workbench: WorkbenchDep) -> None:
    """Delete a dataset with all its versions (admin)."""
    workbench.datasets.delete(name)
    audit(workbench, principal, "dataset.delete", name)
