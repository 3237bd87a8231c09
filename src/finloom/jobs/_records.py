"""Typed views of a job row: ``JobSummary`` for lists, ``Job`` with parameters and result."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any, Literal, cast, get_args

from finloom.store._models import Job as JobRow

__all__ = ["TERMINAL_STATUSES", "Job", "JobFile", "JobStatus", "JobSummary"]

JobStatus = Literal["queued", "running", "succeeded", "failed", "cancelled"]
TERMINAL_STATUSES: tuple[JobStatus, ...] = ("succeeded", "failed", "cancelled")


def _status(value: str) -> JobStatus:
    if value not in get_args(JobStatus):
        raise ValueError(f"job status must be one of {get_args(JobStatus)}; got {value!r}.")
    return cast(JobStatus, value)


@dataclass(frozen=True)
class JobSummary:
    """One line of a job list: no parameters and no result, so lists stay small.

    Examples
    --------
    >>> s = JobSummary("j1", "demo.count", "running", 0.5, "step 1 of 2", None, "ana", None, None, None)
    >>> s.finished, s.to_dict()["progress"]
    (False, 0.5)
    """

    id: str
    kind: str
    status: JobStatus
    progress: float
    message: str
    error: str | None
    created_by: str
    created_at: str | None  # ISO 8601, UTC
    started_at: str | None
    finished_at: str | None

    @property
    def finished(self) -> bool:
        """Whether the job reached a final status (succeeded, failed or cancelled)."""
        return self.status in TERMINAL_STATUSES

    def to_dict(self) -> dict[str, Any]:
        """The JSON-able view (the API's response body, the CLI's ``--json``)."""
        return dataclasses.asdict(self)

    @classmethod
    def _fields_of(cls, row: JobRow) -> dict[str, Any]:
        return {
            "id": row.id,
            "kind": row.kind,
            "status": _status(row.status),
            "progress": round(float(row.progress or 0.0), 4),
            "message": row.message or "",
            "error": row.error,
            "created_by": row.created_by or "",
            "created_at": row.created_at.isoformat() if row.created_at else None,
            "started_at": row.started_at.isoformat() if row.started_at else None,
            "finished_at": row.finished_at.isoformat() if row.finished_at else None,
        }

    @classmethod
    def from_row(cls, row: JobRow) -> JobSummary:
        """Read the summary columns of a job row."""
        return cls(**cls._fields_of(row))


@dataclass(frozen=True)
class Job(JobSummary):
    """A job with its (validated) parameters and, once it succeeded, its result.

    Examples
    --------
    >>> job = Job("j1", "demo.count", "succeeded", 1.0, "", None, "", None, None, None,
    ...           params={"steps": 2}, result={"counted": 2})
    >>> job.finished, job.result
    (True, {'counted': 2})
    """

    params: dict[str, Any] = dataclasses.field(default_factory=dict)
    result: dict[str, Any] | None = None

    @classmethod
    def from_row(cls, row: JobRow) -> Job:
        """Read every public column of a job row."""
        return cls(**cls._fields_of(row), params=dict(row.params or {}), result=row.result)


@dataclass(frozen=True)
class JobFile:
    """A file a succeeded job produced, relative to its folder."""

    name: str
    size_bytes: int
