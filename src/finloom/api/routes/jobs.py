"""Jobs: submit, list, show, cancel and follow progress (Server-Sent Events)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, status
from fastapi.responses import FileResponse, StreamingResponse
from starlette.concurrency import run_in_threadpool

from finloom.api.deps import Analyst, Viewer, WorkbenchDep, audit
from finloom.api.schemas import JobCreate, JobFile, JobOut
from finloom.errors import NotFoundError
from finloom.jobs import JOB_KINDS
from finloom.workbench import Workbench

router = APIRouter(prefix="/api/jobs", tags=["jobs"])
Status = Literal["queued", "running", "succeeded", "failed", "cancelled"]


@router.get("/kinds", response_model=list[str])
def list_kinds(principal: Viewer) -> list[str]:
    """The job kinds this server can run."""
    return sorted(JOB_KINDS)


@router.post("", response_model=JobOut, status_code=status.HTTP_202_ACCEPTED)
def submit_job(body: JobCreate, principal: Analyst, workbench: WorkbenchDep) -> Any:
    """Queue a job; follow it with GET /api/jobs/{id} or /api/jobs/{id}/events."""
    job = workbench.jobs.submit(body.kind, body.params, created_by=principal.user)
    audit(workbench, principal, "job.submit", job["id"], kind=body.kind)
    return job


@router.get("", response_model=list[JobOut])
def list_jobs(
    principal: Viewer,
    workbench: WorkbenchDep,
    status_: Annotated[Status | None, Query(alias="status")] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> Any:
    """Newest first, optionally filtered by status."""
    return workbench.jobs.list(status=status_, limit=limit)


@router.get("/{job_id}", response_model=JobOut)
def show_job(job_id: str, principal: Viewer, workbench: WorkbenchDep) -> Any:
    """One job with its progress, result or error."""
    return workbench.jobs.get(job_id)


@router.post("/{job_id}/cancel", response_model=JobOut)
def cancel_job(job_id: str, principal: Analyst, workbench: WorkbenchDep) -> Any:
    """Cancel a queued or running job (409 when it already finished)."""
    job = workbench.jobs.cancel(job_id)
    audit(workbench, principal, "job.cancel", job_id)
    return job


@router.get("/{job_id}/events", response_class=StreamingResponse, responses={200: {"content": {"text/event-stream": {}}}})
async def job_events(
    job_id: str, principal: Viewer, workbench: WorkbenchDep, timeout: Annotated[float, Query(gt=0, le=3600)] = 600
) -> StreamingResponse:
    """Server-Sent Events: one ``progress`` event per change, then ``done`` with the final job."""
    first = await run_in_threadpool(workbench.jobs.get, job_id)  # 404 before the stream starts

    async def stream() -> AsyncIterator[str]:
        job: dict[str, Any] = first
        last = None
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            state = (job["status"], job["progress"], job["message"])
            if state != last:
                yield f"event: progress\ndata: {json.dumps(job)}\n\n"
                last = state
            if job["status"] in ("succeeded", "failed", "cancelled") or loop.time() > deadline:
                yield f"event: done\ndata: {json.dumps(job)}\n\n"
                return
            await asyncio.sleep(0.25)
            job = await run_in_threadpool(workbench.jobs.get, job_id)

    return StreamingResponse(stream(), media_type="text/event-stream", headers={"Cache-Control": "no-cache"})


def job_files(workbench: Workbench, job_id: str) -> list[dict[str, Any]]:
    """Files a job wrote under ``<workspace>/jobs/<id>/`` (reports, samples, plots)."""
    workbench.jobs.get(job_id)  # 404 for unknown ids
    root = workbench.workspace / "jobs" / job_id
    if not root.is_dir():
        return []
    return [
        {"name": str(p.relative_to(root)), "size_bytes": p.stat().st_size}
        for p in sorted(root.rglob("*"))
        if p.is_file() and not p.name.startswith(".")
    ]


def job_file_path(workbench: Workbench, job_id: str, name: str) -> Path:
    """Resolve a job file safely (no escaping the job's folder)."""
    workbench.jobs.get(job_id)
    root = (workbench.workspace / "jobs" / job_id).resolve()
    path = (root / name).resolve()
    if not path.is_relative_to(root) or not path.is_file():
        raise NotFoundError(f"file must be one of the job's files; got {name!r}. List them with GET /api/jobs/{job_id}/files.")
    return path


@router.get("/{job_id}/files", response_model=list[JobFile])
def list_job_files(job_id: str, principal: Viewer, workbench: WorkbenchDep) -> Any:
    """The files a job produced."""
    return job_files(workbench, job_id)


@router.get("/{job_id}/files/{name:path}", response_class=FileResponse, responses={200: {"content": {"application/octet-stream": {}}}})
def download_job_file(job_id: str, name: str, principal: Viewer, workbench: WorkbenchDep) -> FileResponse:
    """Download one file a job produced (HTML reports open in the browser)."""
    path = job_file_path(workbench, job_id, name)
    inline = path.suffix in (".html", ".png", ".svg", ".pdf", ".json", ".txt")
    return FileResponse(path, filename=path.name, content_disposition_type="inline" if inline else "attachment")
