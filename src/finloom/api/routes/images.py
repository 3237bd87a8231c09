"""Image synthesizers: upload a zip of images, start fit and sample jobs, list models, get sample grids."""

from __future__ import annotations

import dataclasses
from typing import Annotated, Any

from fastapi import APIRouter, File, Query, Request, Response, UploadFile, status
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from finloom.api.deps import Analyst, Viewer, WorkbenchDep
from finloom.api.schemas import JobOut
from finloom.apps.image_synth import ImageFitParams, ImageSampleParams
from finloom.jobs import Job
from finloom.services import images as service
from finloom.services.datasets import read_upload

router = APIRouter(prefix="/api/images", tags=["image synthesizers"])


class ImageKind(BaseModel):
    name: str
    cls: str
    config: dict[str, Any]


class UploadOut(BaseModel):
    source: str


@router.get("/kinds", response_model=list[ImageKind])
def image_kinds(principal: Viewer) -> Any:
    """The image synthesizer families and their configuration defaults."""
    from finloom.synth.images import IMAGE_MODELS

    return [
        {"name": name, "cls": cls.__name__, "config": dataclasses.asdict(cls.config_class())}
        for name, cls in IMAGE_MODELS.items()
    ]


@router.post("/uploads", response_model=UploadOut, status_code=status.HTTP_201_CREATED)
async def upload_images(
    request: Request,
    principal: Analyst,
    workbench: WorkbenchDep,
    file: Annotated[
        UploadFile, File(description="A .zip of PNG/JPEG images, one sub-folder per class")
    ],
) -> Any:
    """Store a zip of images; pass the returned ``source`` to POST /api/images/fit."""
    declared = int(request.headers.get("content-length") or 0)
    data = await read_upload(file, declared, workbench.settings.max_upload_mb)
    source = await run_in_threadpool(
        service.store_image_upload, workbench, principal.user, data, file.filename or "images.zip"
    )
    return {"source": source}


@router.post("/fit", response_model=JobOut, status_code=status.HTTP_202_ACCEPTED)
def fit(body: ImageFitParams, principal: Analyst, workbench: WorkbenchDep) -> Job:
    """Fit an image synthesizer (bundled digits or an uploaded zip) as a job; its files hold grid.png."""
    return service.start_image_fit(workbench, principal.user, body)


@router.post("/sample", response_model=JobOut, status_code=status.HTTP_202_ACCEPTED)
def sample(body: ImageSampleParams, principal: Analyst, workbench: WorkbenchDep) -> Job:
    """Sample images from a saved image synthesizer as a job (samples.zip + grid.png)."""
    return service.start_image_sample(workbench, principal.user, body)


@router.get("/models")
def list_models(principal: Viewer, workbench: WorkbenchDep) -> list[dict[str, Any]]:
    """The saved image synthesizers, newest first."""
    return [m.to_dict() for m in service.image_models(workbench)]


@router.get(
    "/models/{name}/grid.png",
    response_class=Response,
    responses={200: {"content": {"image/png": {}}, "description": "One row of samples per class."}},
)
def model_grid(
    name: str,
    principal: Viewer,
    workbench: WorkbenchDep,
    version: Annotated[int | None, Query(ge=1, le=1_000_000)] = None,
    per_class: Annotated[int, Query(ge=1, le=16)] = 8,
    seed: Annotated[int, Query(ge=0, le=2**31 - 1)] = 0,
) -> Response:
    """A PNG grid of samples, one row per class."""
    png = service.model_grid_png(workbench, name, version, per_class=per_class, seed=seed)
    return Response(content=png, media_type="image/png")
