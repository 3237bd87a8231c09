"""Market scenarios: simulate price paths (stylized-facts report) and test strategies on them."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, status
from pydantic import BaseModel, Field

from finloom.api.deps import Analyst, WorkbenchDep, audit
from finloom.api.schemas import JobOut

router = APIRouter(prefix="/api", tags=["market"])
Model = Literal["bootstrap", "garch", "hybrid", "quantgan"]


def _default_grid() -> list[dict[str, int | float]]:
    return [{"fast": 20, "slow": 100}]


class SimulateIn(BaseModel):
    source: str = Field(default="sp500", max_length=120, description="'sp500' or a dataset with a datetime column")
    model: Model = "hybrid"
    n_paths: int = Field(default=500, ge=1, le=20_000)
    n_days: int = Field(default=252, ge=5, le=5000)
    regime: Literal["calm", "stressed"] | None = None
    seed: int = Field(default=0, ge=0, le=2**31 - 1)
    name: str | None = Field(default=None, max_length=120)


class LabIn(BaseModel):
    source: str = Field(default="sp500", max_length=120)
    model: Model = "hybrid"
    strategy: Literal["ma_crossover", "momentum", "mean_reversion", "vol_target", "buy_and_hold"] = "ma_crossover"
    grid: list[dict[str, int | float]] = Field(default_factory=_default_grid, min_length=1, max_length=500)
    test_days: int = Field(default=252, ge=5, le=2520)
    n_paths: int = Field(default=1000, ge=1, le=20_000)
    cost: float = Field(default=0.0005, ge=0, le=0.1)
    seed: int = Field(default=0, ge=0, le=2**31 - 1)


def _check_source(workbench: Any, source: str) -> None:
    if source != "sp500":
        workbench.datasets.get(source)


@router.post("/market/simulate", response_model=JobOut, status_code=status.HTTP_202_ACCEPTED)
def simulate(body: SimulateIn, principal: Analyst, workbench: WorkbenchDep) -> Any:
    """Fit a simulator and generate paths as a job (report with ACF curves, QQ plot, fan chart)."""
    _check_source(workbench, body.source)
    job = workbench.jobs.submit("market.simulate", body.model_dump(), created_by=principal.user)
    audit(workbench, principal, "market.simulate", job["id"], model=body.model)
    return job


@router.post("/lab/run", response_model=JobOut, status_code=status.HTTP_202_ACCEPTED)
def lab_run(body: LabIn, principal: Analyst, workbench: WorkbenchDep) -> Any:
    """Walk-forward test of a strategy grid on synthetic continuations and on real history, as a job."""
    _check_source(workbench, body.source)
    job = workbench.jobs.submit("lab.run", body.model_dump(), created_by=principal.user)
    audit(workbench, principal, "lab.run", job["id"], strategy=body.strategy)
    return job
