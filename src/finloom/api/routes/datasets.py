"""Datasets: upload, list, show, preview, edit metadata, delete."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Query, Request, UploadFile, status
from starlette.concurrency import run_in_threadpool

from finloom.api.deps import Admin, Analyst, Viewer, WorkbenchDep
from finloom.api.schemas import DatasetOut, MetadataEdit, Preview
from finloom.services import datasets as service

router = APIRouter(prefix="/api/datasets", tags=["datasets"])


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
    declared = int(request.headers.get("content-length") or 0)
    data = await service.read_upload(file, declared, workbench.settings.max_upload_mb)
    options = service.UploadOptions(description=description, target=target, primary_key=primary_key, sep=sep,
                                    encoding=encoding)
    info = await run_in_threadpool(service.register_upload, workbench, principal.user, name, data,
                                   file.filename or "upload.csv", options)
    return info.to_dict()


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


@router.put("/{name}/metadata", response_model=DatasetOut)
def edit_metadata(name: str, edit: MetadataEdit, principal: Analyst, workbench: WorkbenchDep) -> Any:
    """Change column kinds, the target or the primary key (a new version)."""
    return service.edit_metadata(workbench, principal.user, name, edit).to_dict()


@router.delete("/{name}", status_code=status.HTTP_204_NO_CONTENT)
def delete_dataset(name: str, principal: Admin, workbench: WorkbenchDep) -> None:
    """Delete a dataset with all its versions (admin)."""
    service.delete_dataset(workbench, principal.user, name)
