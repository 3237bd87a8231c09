"""Request and response models of the HTTP API (internal objects are never returned as is)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from finloom.services.compliance import AuditTextIn, AuditTextOut, AuditTextsIn, AuditTextsOut
from finloom.services.datasets import MetadataEdit
from finloom.services.keys import KeyCreate, KeyCreated, KeyOut

__all__ = [
    "AuditOut", "AuditTextIn", "AuditTextOut", "AuditTextsIn", "AuditTextsOut", "DatasetOut", "ErrorOut", "Health",
    "JobCreate", "JobFile", "JobOut", "JobStatusOut", "JobSummaryOut", "KeyCreate", "KeyCreated", "KeyOut", "Me",
    "MetadataEdit", "ModelOut", "Preview",
]

Kind = Literal["numerical", "categorical", "boolean", "datetime", "id", "text"]


class Health(BaseModel):
    status: str
    version: str
    database: str


class Me(BaseModel):
    user: str
    role: str
    key_id: str


class ColumnOut(BaseModel):
    name: str
    kind: Kind
    dtype: str
    datetime_format: str | None = None


class MetadataOut(BaseModel):
    columns: list[ColumnOut]
    primary_key: str | None
    target: str | None


class DatasetOut(BaseModel):
    name: str
    version: int
    n_versions: int
    n_rows: int
    n_cols: int
    content_hash: str
    size_bytes: int
    description: str
    source: str
    licence: str
    created_at: str | None
    created_by: str
    metadata: MetadataOut


class Preview(BaseModel):
    columns: list[str]
    rows: list[list[Any]]
    n_rows: int


class JobCreate(BaseModel):
    kind: str = Field(min_length=1, max_length=120, description="A job kind (GET /api/jobs/kinds).")
    params: dict[str, Any] = Field(
        default_factory=dict, description="The kind's parameters (GET /api/jobs/kinds/{kind}); at most 64 KiB as JSON."
    )


JobStatusOut = Literal["queued", "running", "succeeded", "failed", "cancelled"]


class JobSummaryOut(BaseModel):
    id: str
    kind: str
    status: JobStatusOut
    progress: float
    message: str
    error: str | None
    created_by: str
    created_at: str | None
    started_at: str | None
    finished_at: str | None


class JobOut(JobSummaryOut):
    params: dict[str, Any]
    result: dict[str, Any] | None


class JobFile(BaseModel):
    name: str
    size_bytes: int


class ModelOut(BaseModel):
    name: str
    version: int
    kind: str
    job_id: str | None
    created_at: str | None
    created_by: str
    metrics: dict[str, Any]
    lineage: dict[str, Any]
    licences: list[Any]
    description: str


class AuditOut(BaseModel):
    id: int
    at: str
    actor: str
    action: str
    target: str
    details: dict[str, Any]


class ErrorOut(BaseModel):
    """The body of every error response (see ``finloom.api._errors``)."""

    detail: str
    request_id: str
    problems: list[str] | None = None
