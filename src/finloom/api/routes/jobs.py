"""Jobs: submit, list, show, cancel and follow progress (Server-Sent Events); a job's files."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import APIRouter, Query, Response, status
from fastapi.responses import FileResponse, StreamingResponse
from starlette.concurrency import run_in_threadpool

from finloom.api.deps import Analyst, Viewer, WorkbenchDep
from finloom.api.schemas import JobCreate, JobFile, JobOut, JobStatusOut, JobSummaryOut
from finloom.jobs import JOB_KINDS, Job, JobSummary, resolve_params
from finloom.jobs import JobFile as JobFileRecord
from finloom.services.jobs import cancel_job as cancel
from finloom.services.jobs import submit_job as submit

router = APIRouter(prefix="/api/jobs", tags=["jobs"])


@router.get("/kinds", response_model=list[str])
def list_kinds(principal: Viewer) -> list[str]:
    """The job kinds this server can run."""
    return sorted(JOB_KINDS)


@router.get("/kinds/{kind}", response_model=dict[str, Any])
def describe_kind(kind: str, principal: Viewer) -> dict[str, Any]:
    """The JSON schema of a kind's parameters (what ``params`` of POST /api/jobs must look like)."""
    return resolve_params(kind).model_json_schema()


@router.post("", response_model=JobOut, status_code=status.HTTP_202_ACCEPTED)
def submit_job(body: JobCreate, principal: Analyst, workbench: WorkbenchDep) -> Job:
    """Queue a job; ``params`` are checked against the kind's model first (422 naming the field).

    Follow it with GET /api/jobs/{id} or /api/jobs/{id}/events.
    """
    return submit(workbench, principal.user, body.kind, body.params)


@router.get("", response_model=list[JobSummaryOut])
def list_jobs(
    response: Response,
    principal: Viewer,
    workbench: WorkbenchDep,
    status_: Annotated[JobStatusOut | None, Query(alias="status")] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> list[JobSummary]:
    """Job summaries (no params, no result), newest first; page with limit and offset.

    The ``X-Total-Count`` header holds the number of jobs (with that status).
    """
    response.headers["X-Total-Count"] = str(workbench.jobs.count(status=status_))
    return workbench.jobs.list(status=status_, limit=limit, offset=offset)


@router.get("/{job_id}", response_model=JobOut)
def show_job(job_id: str, principal: Viewer, workbench: WorkbenchDep) -> Job:
    """One job with its parameters, progress, result or error."""
    return workbench.jobs.get(job_id)


@router.post("/{job_id}/cancel", response_model=JobOut)
def cancel_job(job_id: str, principal: Analyst, workbench: WorkbenchDep) -> Job:
    """Cancel a queued or running job (409 when it already finished)."""
    return cancel(workbench, principal.user, job_id)


@router.get("/{job_id}/events", response_class=StreamingResponse, responses={200: {"content": {"text/event-stream": {}}}})
async def job_events(
    job_id: str, principal: Viewer, workbench: WorkbenchDep, timeout: Annotated[float, Query(gt=0, le=3600)] = 600
) -> StreamingResponse:
    """Server-Sent Events: one ``progress`` event per change, then ``done`` with the final job."""
    first = await run_in_threadpool(workbench.jobs.get, job_id)  # 404 before the stream starts

    async def stream() -> AsyncIterator[str]:
        job, last = first, None
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            state = (job.status, job.progress, job.message)
            if state != last:
                yield f"event: progress\ndata: {json.dumps(job.to_dict())}\n\n"
                last = state
            if job.finished or loop.time() > deadline:
                yield f"event: done\ndata: {json.dumps(job.to_dict())}\n\n"
                return
            await asyncio.sleep(0.25)
            job = await run_in_threadpool(workbench.jobs.get, job_id)

    return StreamingResponse(stream(), media_type="text/event-stream", headers={"Cache-Control": "no-cache"})


@router.get("/{job_id}/files", response_model=list[JobFile])
def list_job_files(job_id: str, principal: Viewer, workbench: WorkbenchDep) -> list[JobFileRecord]:
    """The files a job produced (a job has files only once it succeeded)."""
    return workbench.jobs.files(job_id)


@router.get("/{job_id}/files/{name:path}", response_class=FileResponse, responses={200: {"content": {"application/octet-stream": {}}}})
def download_job_file(job_id: str, name: str, principal: Viewer, workbench: WorkbenchDep) -> FileResponse:
    """Download one file a job produced (HTML reports open in the browser)."""
    path = workbench.jobs.file_path(job_id, name)
    inline = path.suffix in (".html", ".png", ".svg", ".pdf", ".json", ".txt")
    return FileResponse(path, filename=path.name, content_disposition_type="inline" if inline else "attachment")
