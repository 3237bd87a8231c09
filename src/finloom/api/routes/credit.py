"""Credit review: fit and score jobs, review queues, audited overrides, document findings, letters."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, File, Form, Query, Request, Response, UploadFile, status
from starlette.concurrency import run_in_threadpool

from finloom.api.deps import Analyst, Viewer, WorkbenchDep
from finloom.api.schemas import JobOut
from finloom.apps.credit_review import DocumentFinding, OverrideIn
from finloom.apps.credit_review.service import CreditFitParams
from finloom.jobs import Job
from finloom.services import credit
from finloom.services.datasets import read_upload
from finloom.services.jobs import submit_job

router = APIRouter(prefix="/api/credit", tags=["credit"])
Lang = Annotated[str, Query(pattern="^(en|zh)$")]


@router.post("/fit", response_model=JobOut, status_code=status.HTTP_202_ACCEPTED)
def fit(body: CreditFitParams, principal: Analyst, workbench: WorkbenchDep) -> Job:
    """Fit a scorecard and its monotone LightGBM challenger on a dataset as a job."""
    return submit_job(workbench, principal.user, "credit.fit", body)


@router.post("/score", response_model=JobOut, status_code=status.HTTP_202_ACCEPTED)
async def score(
    request: Request,
    principal: Analyst,
    workbench: WorkbenchDep,
    file: Annotated[UploadFile, File(description="Applications (CSV, TSV, Parquet, JSONL, Excel)")],
    model: Annotated[str, Form(min_length=1, max_length=200)],
    which: Annotated[str, Form(pattern="^(scorecard|challenger)$")] = "scorecard",
    findings: Annotated[
        UploadFile | None, File(description="JSON {applicant_id: [document findings]}")
    ] = None,
) -> Job:
    """Upload an application file and score it into a review queue (a job)."""
    declared = int(request.headers.get("content-length") or 0)
    data = await read_upload(file, declared, workbench.settings.max_upload_mb)
    extra = (
        await read_upload(findings, declared, workbench.settings.max_upload_mb)
        if findings
        else None
    )
    options = credit.ScoreUpload(model=model, which=which)  # type: ignore[arg-type]
    return await run_in_threadpool(
        credit.score_upload,
        workbench,
        principal.user,
        data,
        file.filename or "applications.csv",
        options,
        extra,
    )


@router.get("/queues", response_model=list[credit.QueueSummary])
def queues(principal: Viewer, workbench: WorkbenchDep) -> Any:
    """Scored batches, newest first."""
    return credit.list_queues(workbench)


@router.get("/queues/{job_id}", response_model=credit.QueueOut)
def queue(job_id: str, principal: Viewer, workbench: WorkbenchDep) -> Any:
    """Applicants with score, band, reasons and document findings; overrides and override rates."""
    return credit.get_queue(workbench, job_id)


@router.post("/queues/{job_id}/applicants/{applicant_id}/override")
def override(
    job_id: str, applicant_id: str, body: OverrideIn, principal: Analyst, workbench: WorkbenchDep
) -> Any:
    """Override the band with a mandatory reason (audited)."""
    return credit.override(workbench, principal.user, job_id, applicant_id, body)


@router.post("/queues/{job_id}/applicants/{applicant_id}/findings")
def findings(
    job_id: str,
    applicant_id: str,
    body: list[DocumentFinding],
    principal: Analyst,
    workbench: WorkbenchDep,
) -> Any:
    """Attach document findings beside the score (audited)."""
    return credit.attach_findings(
        workbench, principal.user, job_id, applicant_id, [f.model_dump() for f in body]
    )


@router.get(
    "/queues/{job_id}/applicants/{applicant_id}/letter",
    response_model=credit.LetterOut,
    responses={200: {"content": {"application/pdf": {}}, "description": "JSON, or the PDF with format=pdf"}},
)
async def letter(
    job_id: str,
    applicant_id: str,
    principal: Analyst,
    workbench: WorkbenchDep,
    lang: Lang = "en",
    format: Literal["json", "pdf"] = "json",
) -> Any:
    """The decision letter with its guard and compliance checks (HTML inside); ``format=pdf``
    returns the issued letter as a PDF file (409 when the letter is held)."""
    if format == "pdf":
        name, pdf = await run_in_threadpool(
            credit.letter_pdf, workbench, principal.user, job_id, applicant_id, lang
        )
        return Response(
            pdf,
            media_type="application/pdf",
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )
    return await run_in_threadpool(credit.letter, workbench, principal.user, job_id, applicant_id, lang)


@router.get("/models/{name}/statements")
def statements(name: str, principal: Viewer, workbench: WorkbenchDep) -> Any:
    """The reason statements (EN/ZH) in effect for each feature."""
    return credit.statements(workbench, name)


@router.put("/models/{name}/statements")
def edit_statements(
    name: str, body: dict[str, dict[str, str]], principal: Analyst, workbench: WorkbenchDep
) -> Any:
    """Edit statements per feature; saves a new model version (audited)."""
    return {
        "model": name,
        "version": credit.update_statements(workbench, principal.user, name, body),
    }
