"""Documents: upload pages to check against declared data, generate fictional documents, read results."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from fastapi import APIRouter, File, Form, Request, UploadFile, status
from starlette.concurrency import run_in_threadpool

from finloom.api.deps import Analyst, Viewer, WorkbenchDep
from finloom.api.schemas import JobOut
from finloom.apps.documents import DeclaredIn, DocumentCheckOptions, DocumentGenerateParams
from finloom.errors import NotFoundError
from finloom.jobs import Job
from finloom.services import documents as service
from finloom.services.datasets import read_upload

router = APIRouter(prefix="/api/documents", tags=["documents"])


@router.post("/check", response_model=JobOut, status_code=status.HTTP_202_ACCEPTED)
async def check_documents(
    request: Request,
    principal: Analyst,
    workbench: WorkbenchDep,
    files: Annotated[
        list[UploadFile], File(description="Images (PNG, JPEG, TIFF) or PDFs, up to 50")
    ],
    lang: Annotated[Literal["en", "zh"], Form()] = "en",
    doc_type: Annotated[
        Literal["payslip", "bank_statement", "utility_bill", "employment_letter", "id_card"] | None,
        Form(),
    ] = None,
    name: Annotated[str | None, Form(max_length=200)] = None,
    monthly_income: Annotated[float | None, Form(ge=0, le=1e9)] = None,
    id_number: Annotated[str | None, Form(max_length=40)] = None,
    as_of: Annotated[dt.date | None, Form()] = None,
    max_age_days: Annotated[int, Form(ge=1, le=3650)] = 90,
) -> Job:
    """Read and check uploaded documents as a job; its ``results.json`` lists fields and findings."""
    declared = int(request.headers.get("content-length") or 0)
    uploads = [
        (f.filename or "upload", await read_upload(f, declared, workbench.settings.max_upload_mb))
        for f in files
    ]
    options = DocumentCheckOptions(
        lang=lang,
        doc_type=doc_type,
        max_age_days=max_age_days,
        declared=DeclaredIn(
            name=name, monthly_income=monthly_income, id_number=id_number, as_of=as_of
        ),
    )
    return await run_in_threadpool(service.start_check, workbench, principal.user, uploads, options)


@router.get("/check/{job_id}", response_model=dict[str, Any])
def check_results(job_id: str, principal: Viewer, workbench: WorkbenchDep) -> Any:
    """The fields and findings of a finished check (404 until the job has succeeded)."""
    results = service.check_results(workbench, job_id)
    if results is None:
        raise NotFoundError(
            f"job {job_id} must be a succeeded documents.check job; got none with results. "
            "Wait for the job (GET /api/jobs/{id}) and try again."
        )
    return results


@router.post("/generate", response_model=JobOut, status_code=status.HTTP_202_ACCEPTED)
def generate_documents(
    body: DocumentGenerateParams, principal: Analyst, workbench: WorkbenchDep
) -> Job:
    """Generate fictional document images with their ground truth as a job (files: images + JSON)."""
    return service.start_generate(workbench, principal.user, body)
