"""Synthetic tables: start fit and sample jobs, list the synthesizer kinds and their settings."""

from __future__ import annotations

import dataclasses
from typing import Any, Literal

from fastapi import APIRouter, status
from pydantic import BaseModel, Field

from finloom.api.deps import Analyst, Viewer, WorkbenchDep, audit
from finloom.api.schemas import JobOut
from finloom.errors import ConfigError, did_you_mean

router = APIRouter(prefix="/api/synth", tags=["synthetic data"])


class SynthFit(BaseModel):
    dataset: str = Field(min_length=1, max_length=120)
    version: int | None = Field(default=None, ge=1, le=1_000_000)
    model: str = Field(default="copula", max_length=40, description="see GET /api/synth/models")
    params: dict[str, Any] = Field(default_factory=dict, description="config fields, e.g. {'epochs': 50}")
    constraints: list[dict[str, Any]] = Field(default_factory=list)
    name: str | None = Field(default=None, max_length=120, description="model name (default '<dataset>-<model>')")
    seed: int = Field(default=0, ge=0, le=2**31 - 1)
    holdout_fraction: float = Field(default=0.3, ge=0.0, lt=1.0)
    report: bool = True


class SynthSample(BaseModel):
    model: str = Field(min_length=1, max_length=120)
    version: int | None = Field(default=None, ge=1, le=1_000_000)
    rows: int = Field(default=1000, ge=1, le=50_000_000)
    conditions: dict[str, Any] = Field(default_factory=dict)
    seed: int = Field(default=0, ge=0, le=2**31 - 1)
    format: Literal["csv", "parquet"] = "csv"
    register_as: str | None = Field(default=None, max_length=120)


class SynthKind(BaseModel):
    name: str
    cls: str
    config: dict[str, Any]


@router.get("/models", response_model=list[SynthKind])
def synthesizer_kinds(principal: Viewer) -> Any:
    """The synthesizer families and their configuration defaults."""
    from finloom.synth.tabular import MODELS

    out = []
    for name, cls in MODELS.items():
        defaults = {f.name: f.default for f in dataclasses.fields(cls.config_class) if f.default is not dataclasses.MISSING}
        out.append({"name": name, "cls": cls.__name__, "config": {k: v for k, v in defaults.items() if isinstance(v, int | float | str | bool | None)}})
    return out


@router.post("/fit", response_model=JobOut, status_code=status.HTTP_202_ACCEPTED)
def fit(body: SynthFit, principal: Analyst, workbench: WorkbenchDep) -> Any:
    """Fit a synthesizer on a dataset as a job (sample + quality report + saved model)."""
    from finloom.synth.tabular import MODELS

    if body.model not in MODELS:
        raise ConfigError(f"model must be one of {sorted(MODELS)}; got {body.model!r}.{did_you_mean(body.model, MODELS)}")
    workbench.datasets.get(body.dataset, body.version)  # 404 now rather than a failed job later
    job = workbench.jobs.submit("synth.fit", body.model_dump(), created_by=principal.user)
    audit(workbench, principal, "synth.fit", job["id"], dataset=body.dataset, model=body.model)
    return job


@router.post("/sample", response_model=JobOut, status_code=status.HTTP_202_ACCEPTED)
def sample(body: SynthSample, principal: Analyst, workbench: WorkbenchDep) -> Any:
    """Sample rows from a saved synthesizer as a job (a CSV/Parquet file to download)."""
    workbench.artifacts.get(body.model, body.version)
    job = workbench.jobs.submit("synth.sample", body.model_dump(), created_by=principal.user)
    audit(workbench, principal, "synth.sample", job["id"], model=body.model, rows=body.rows)
    return job
