"""Marketing: a campaign as a job (contact list, gains, segments, checked copy), and the A/B test
planner and analyser answered in the request."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, status

from finloom.api.deps import Analyst, Viewer, WorkbenchDep
from finloom.api.schemas import JobOut
from finloom.jobs import Job
from finloom.services import marketing as service

router = APIRouter(prefix="/api/marketing", tags=["marketing"])


@router.post("/campaigns", response_model=JobOut, status_code=status.HTTP_202_ACCEPTED)
def start_campaign_route(body: service.CampaignParams, principal: Analyst, workbench: WorkbenchDep) -> Job:
    """Build a campaign on a registered dataset as a job: a calibrated response model (gains and lift on
    a hold-out), the contact list at ``budget``/``cost``, segments with EN/ZH profiles and copy variants
    with their checks. Files: contacts.csv, gains.csv, gains.png, profit.png, segments.csv, copy.json."""
    return service.start_campaign(workbench, principal.user, body)


@router.get("/campaigns")
def list_campaigns_route(principal: Viewer, workbench: WorkbenchDep) -> list[dict[str, Any]]:
    """Campaign jobs, newest first, with their headline figures."""
    return service.list_campaigns(workbench)


@router.get("/campaigns/{job_id}")
def campaign_route(job_id: str, principal: Viewer, workbench: WorkbenchDep) -> dict[str, Any]:
    """A finished campaign's result."""
    return service.campaign(workbench, job_id)


@router.post("/tests/plan")
def plan_route(body: service.PlanTestIn, principal: Viewer) -> dict[str, Any]:
    """A/B planner: customers per arm to detect ``baseline → target`` (or ``+mde``) at ``alpha`` and
    ``power``; with ``n_control``, the minimum detectable effect of that size."""
    return service.plan(body)


@router.post("/tests/analyse")
def analyse_route(body: service.AnalyseTestIn, principal: Viewer) -> dict[str, Any]:
    """A/B analyser: treatment − control conversion with a confidence interval and p-value; ``looks`` > 1
    adds a warning about peeking."""
    return service.analyse(body)
