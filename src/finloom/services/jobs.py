"""Jobs: submit and cancel, each recorded in the audit log with the job row."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel

from finloom.jobs import Job
from finloom.store import AuditEntry
from finloom.workbench import Workbench

__all__ = ["cancel_job", "submit_job"]


def submit_job(
    workbench: Workbench, actor: str, kind: str, params: Mapping[str, Any] | BaseModel | None = None
) -> Job:
    """Validate ``params`` with ``kind``'s params model, store and queue the job, audit ``job.submit``.

    The audit event is written in the transaction that stores the job row.

    Examples
    --------
    >>> import tempfile
    >>> from finloom.config import Settings
    >>> wb = Workbench(Settings(workspace=tempfile.mkdtemp()), executor_mode="thread").start()
    >>> job = submit_job(wb, "ana", "demo.count", {"steps": 1, "delay": 0})
    >>> wb.jobs.wait(job.id).status, job.created_by
    ('succeeded', 'ana')
    >>> wb.close()
    """
    return workbench.jobs.submit(kind, params, created_by=actor, audit=AuditEntry(actor, "job.submit"))


def cancel_job(workbench: Workbench, actor: str, job_id: str) -> Job:
    """Cancel a queued or running job (409 once it finished) and audit ``job.cancel``."""
    return workbench.jobs.cancel(job_id, audit=AuditEntry(actor, "job.cancel"))
