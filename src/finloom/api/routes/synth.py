"""Synthetic tables: start fit and sample jobs, list the synthesizer kinds and their settings."""

from __future__ import annotations

import dataclasses
from typing import Any

from fastapi import APIRouter, status
from pydantic import BaseModel

from finloom.api.deps import Analyst, Viewer, WorkbenchDep
from finloom.api.schemas import JobOut
from finloom.apps.synthetic_data import SynthFitParams, SynthSampleParams
from finloom.jobs import Job
from finloom.services.jobs import submit_job

router = APIRouter(prefix="/api/synth", tags=["synthetic data"])


class SynthKind(BaseModel):
    name: str
    cls: str
    config: dict[str, Any]


@router.get("/models", response_model=list[SynthKind])
def synthesizer_kinds(principal: Viewer) -> Any:
    """The synthesizer families and their configuration defaults ('auto' first: the default, which picks one)."""
    from finloom.synth.tabular import MODEL_NAMES, MODELS, config_class_of

    out = []
    for name in MODEL_NAMES:
        config_cls = config_class_of(name)
        defaults = dataclasses.asdict(config_cls())  # every config field has a default
        scalar = (int, float, str, bool, type(None))
        config = {k: v for k, v in defaults.items()
                  if isinstance(v, scalar) or (isinstance(v, list) and all(isinstance(x, scalar) for x in v))}
        out.append({"name": name, "cls": MODELS[name].__name__ if name in MODELS else "auto", "config": config})
    return out


@router.post("/fit", response_model=JobOut, status_code=status.HTTP_202_ACCEPTED)
def fit(body: SynthFitParams, principal: Analyst, workbench: WorkbenchDep) -> Job:
    """Fit a synthesizer on a dataset as a job (sample + quality report + saved model)."""
    return submit_job(workbench, principal.user, "synth.fit", body)


@router.post("/sample", response_model=JobOut, status_code=status.HTTP_202_ACCEPTED)
def sample(body: SynthSampleParams, principal: Analyst, workbench: WorkbenchDep) -> Job:
    """Sample rows from a saved synthesizer as a job (a CSV/Parquet file to download)."""
    return submit_job(workbench, principal.user, "synth.sample", body)
