"""Insights: tested, ranked findings of a dataset as a job (summary, report, JSON), and drill-downs."""

from __future__ import annotations

from fastapi import APIRouter, status

from finloom.api.deps import Analyst, WorkbenchDep
from finloom.api.schemas import JobOut
from finloom.jobs import Job
from finloom.services.insights import InsightsParams, start_insights

router = APIRouter(prefix="/api/insights", tags=["insights"])


@router.post("", response_model=JobOut, status_code=status.HTTP_202_ACCEPTED)
def run(body: InsightsParams, principal: Analyst, workbench: WorkbenchDep) -> Job:
    """Find insights in a dataset as a job; with ``question`` (e.g. "why did defaults rise in March?")
    or ``where`` ({column: value}) it answers that drill-down instead. Files: summary.html/.pdf,
    report.html/.pdf, insights.json (GET /api/jobs/{id}/files/...)."""
    return start_insights(workbench, principal.user, body)
