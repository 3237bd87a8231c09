"""Market scenarios: simulate price paths (stylized-facts report) and test strategies on them."""

from __future__ import annotations

from fastapi import APIRouter, status

from finloom.api.deps import Analyst, WorkbenchDep
from finloom.api.schemas import JobOut
from finloom.apps.engine_jobs import LabRunParams, MarketSimulateParams
from finloom.jobs import Job
from finloom.services.jobs import submit_job

router = APIRouter(prefix="/api", tags=["market"])


@router.post("/market/simulate", response_model=JobOut, status_code=status.HTTP_202_ACCEPTED)
def simulate(body: MarketSimulateParams, principal: Analyst, workbench: WorkbenchDep) -> Job:
    """Fit a simulator and generate paths as a job (report with ACF curves, QQ plot, fan chart)."""
    return submit_job(workbench, principal.user, "market.simulate", body)


@router.post("/lab/run", response_model=JobOut, status_code=status.HTTP_202_ACCEPTED)
def lab_run(body: LabRunParams, principal: Analyst, workbench: WorkbenchDep) -> Job:
    """Walk-forward test of a strategy grid on synthetic continuations and on real history, as a job."""
    return submit_job(workbench, principal.user, "lab.run", body)
