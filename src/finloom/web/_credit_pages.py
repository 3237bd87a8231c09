"""Credit review pages: fit and score forms, the review queue with reasons and document findings,
the override form (mandatory reason; the cross-origin guard refuses foreign posts) and letters."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from finloom.errors import ConfigError, FinloomError, PermissionDeniedError
from finloom.services import credit
from finloom.services.datasets import read_upload
from finloom.web._choices import order_for
from finloom.web._deps import WorkbenchDep
from finloom.web._pages import User, form_params, problems_of, start_job
from finloom.web._render import render

router = APIRouter(include_in_schema=False)
PAGE_ROWS = 200  # applicants shown per page of a queue


def _credit_page(
    request: Request, workbench: Any, problems: list[str] | None = None
) -> HTMLResponse:
    models = sorted({a.name for a in workbench.artifacts.list() if a.kind == "CreditModel"})
    datasets = order_for([d.to_dict() for d in workbench.datasets.list()], "synth")
    return render(
        request,
        "credit.html",
        status_code=422 if problems else 200,
        models=models,
        datasets=datasets,
        queues=credit.list_queues(workbench),
        problems=problems,
    )


@router.get("/credit", response_class=HTMLResponse)
def credit_page(request: Request, principal: User, workbench: WorkbenchDep) -> HTMLResponse:
    return _credit_page(request, workbench)


@router.post("/credit/fit", response_model=None)
async def credit_fit(request: Request, principal: User, workbench: WorkbenchDep) -> Response:
    form = await request.form()
    fields = (
        "dataset",
        "target",
        "positive",
        "id_column",
        "protected",
        "approve_at",
        "decline_below",
        "name",
    )
    return start_job(
        workbench,
        principal,
        "credit.fit",
        lambda: form_params(form, *fields),
        lambda problems: _credit_page(request, workbench, problems),
    )


@router.post("/credit/score", response_model=None)
async def credit_score(request: Request, principal: User, workbench: WorkbenchDep) -> Response:
    form = await request.form()
    try:
        if not principal.can("analyst"):
            raise PermissionDeniedError(
                f"scoring needs the 'analyst' role; your key has '{principal.role}'."
            )
        upload = form.get("file")
        if not isinstance(upload, UploadFile) or not upload.filename:
            raise ConfigError(
                "application file must be chosen; got none. Pick a CSV, Parquet or Excel file."
            )
        declared = int(request.headers.get("content-length") or 0)
        data = await read_upload(upload, declared, workbench.settings.max_upload_mb)
        options = credit.ScoreUpload.model_validate(form_params(form, "model", "which"))
        job = await run_in_threadpool(
            credit.score_upload, workbench, principal.user, data, upload.filename, options
        )
    except (FinloomError, ValueError) as exc:
        problems = problems_of(exc) if isinstance(exc, FinloomError) else [str(exc)]
        return _credit_page(request, workbench, problems)
    return RedirectResponse(f"/jobs/{job.id}", status_code=303)


def _queue_page(
    request: Request,
    workbench: Any,
    job_id: str,
    band: str = "",
    page: int = 1,
    problems: list[str] | None = None,
    saved: str = "",
) -> HTMLResponse:
    out = credit.get_queue(workbench, job_id)
    rows = [a for a in out.applicants if not band or (a["final_band"] or a["band"]) == band]
    start = (max(page, 1) - 1) * PAGE_ROWS
    return render(
        request,
        "credit_queue.html",
        status_code=422 if problems else 200,
        queue=out,
        csi=credit.csi_rows(out.monitoring),
        rows=rows[start : start + PAGE_ROWS],
        total=len(rows),
        band=band,
        page=max(page, 1),
        pages=max(1, -(-len(rows) // PAGE_ROWS)),
        problems=problems,
        saved=saved,
    )


@router.get("/credit/queues/{job_id}", response_class=HTMLResponse)
def queue_page(
    request: Request,
    job_id: str,
    principal: User,
    workbench: WorkbenchDep,
    band: str = "",
    page: int = 1,
    saved: str = "",
) -> HTMLResponse:
    band = band if band in ("approve", "refer", "decline") else ""
    return _queue_page(request, workbench, job_id, band, page, saved=saved[:200])


@router.post("/credit/queues/{job_id}/override", response_model=None)
async def queue_override(
    request: Request, job_id: str, principal: User, workbench: WorkbenchDep
) -> Response:
    form = await request.form()
    applicant = str(form.get("applicant_id") or "")
    try:
        if not principal.can("analyst"):
            raise PermissionDeniedError(
                f"overriding needs the 'analyst' role; your key has '{principal.role}'."
            )
        reason = str(form.get("reason") or "").strip()
        if len(reason) < 5:
            raise ConfigError(
                "override reason must be given (at least 5 characters); got "
                f"{len(reason)}. Say why the model's band is overridden."
            )
        credit.override(
            workbench,
            principal.user,
            job_id,
            applicant,
            {"band": str(form.get("band") or ""), "reason": reason},
        )
    except (FinloomError, ValueError) as exc:
        problems = problems_of(exc) if isinstance(exc, FinloomError) else [str(exc).splitlines()[0]]
        return _queue_page(request, workbench, job_id, problems=problems)
    return RedirectResponse(f"/credit/queues/{job_id}?saved={applicant}", status_code=303)


@router.get("/credit/queues/{job_id}/letters/{applicant_id}", response_class=HTMLResponse)
def queue_letter(
    request: Request,
    job_id: str,
    applicant_id: str,
    principal: User,
    workbench: WorkbenchDep,
    lang: str = "en",
) -> HTMLResponse:
    out = credit.letter(
        workbench, principal.user, job_id, applicant_id, "zh" if lang == "zh" else "en"
    )
    if out.ok:
        return HTMLResponse(out.html)
    return render(request, "credit_letter_held.html", status_code=422, letter=out)
