"""Marketing pages: start a campaign on a dataset, its results (gains chart, contact list, segment
profiles in the page's language, copy variants with their checks), and the A/B planner and analyser."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response

from finloom.errors import FinloomError, NotFoundError, PermissionDeniedError
from finloom.services import marketing as service
from finloom.web._choices import order_for
from finloom.web._deps import WorkbenchDep
from finloom.web._pages import User, form_params, problems_of
from finloom.web._render import render

router = APIRouter(include_in_schema=False)
CAMPAIGN_FIELDS = ("dataset", "target", "positive", "id_column", "budget", "cost", "margin", "seed")
CHARTS = ("gains.png", "profit.png")
DOWNLOADS = ("contacts.csv", "gains.csv", "segments.csv", "copy.json", "campaign.json")


def _page(request: Request, workbench: Any, status_code: int = 200, **extra: Any) -> HTMLResponse:
    datasets = order_for([d.to_dict() for d in workbench.datasets.list()], "synth")
    return render(request, "marketing.html", status_code=status_code, datasets=datasets,
                  campaigns=service.list_campaigns(workbench), **extra)


@router.get("/marketing", response_class=HTMLResponse)
def marketing_page(request: Request, principal: User, workbench: WorkbenchDep) -> HTMLResponse:
    return _page(request, workbench)


@router.post("/marketing/campaigns", response_model=None)
async def marketing_start(request: Request, principal: User, workbench: WorkbenchDep) -> Response:
    form = await request.form()
    try:
        if not principal.can("analyst"):
            raise PermissionDeniedError(f"starting a campaign needs the 'analyst' role; your key has '{principal.role}'.")
        job = service.start_campaign(workbench, principal.user, form_params(form, *CAMPAIGN_FIELDS))
    except FinloomError as exc:
        return _page(request, workbench, 422, problems=problems_of(exc))
    return RedirectResponse(f"/marketing/campaigns/{job.id}", status_code=303)


@router.get("/marketing/campaigns/{job_id}", response_class=HTMLResponse)
def campaign_page(request: Request, job_id: str, principal: User, workbench: WorkbenchDep) -> HTMLResponse:
    job = workbench.jobs.get(job_id)
    if job.kind != service.KIND:
        raise NotFoundError(f"campaign must be a {service.KIND} job; got a {job.kind} job.")
    result = service.campaign(workbench, job_id) if job.status == "succeeded" else None
    return render(request, "marketing_campaign.html", j=job, r=result, downloads=DOWNLOADS)


@router.get("/marketing/campaigns/{job_id}/files/{name}", response_class=FileResponse)
def campaign_file(job_id: str, name: str, principal: User, workbench: WorkbenchDep) -> FileResponse:
    if name not in CHARTS + DOWNLOADS:
        raise NotFoundError(f"file must be one of {', '.join(CHARTS + DOWNLOADS)}; got {name[:60]!r}.")
    return FileResponse(workbench.jobs.file_path(job_id, name))


@router.post("/marketing/plan", response_class=HTMLResponse)
async def marketing_plan(request: Request, principal: User, workbench: WorkbenchDep) -> HTMLResponse:
    form = await request.form()
    try:
        plan = service.plan(form_params(form, "baseline", "mde", "n_control", "alpha", "power"))
    except FinloomError as exc:
        return _page(request, workbench, 422, plan_problems=problems_of(exc))
    return _page(request, workbench, plan=plan)


@router.post("/marketing/analyse", response_class=HTMLResponse)
async def marketing_analyse(request: Request, principal: User, workbench: WorkbenchDep) -> HTMLResponse:
    form = await request.form()
    try:
        fields = ("conv_control", "n_control", "conv_treatment", "n_treatment", "alpha", "looks")
        analysis = service.analyse(form_params(form, *fields))
    except FinloomError as exc:
        return _page(request, workbench, 422, test_problems=problems_of(exc))
    return _page(request, workbench, analysis=analysis)
