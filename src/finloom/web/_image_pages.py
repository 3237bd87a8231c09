"""Image synthesizer pages: fit a GAN, VAE or DDPM on bundled digits or an uploaded zip (a job);
each saved image model shown as a grid of samples, one row per class."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, Response

from finloom.errors import ConfigError, FinloomError
from finloom.services import images as service
from finloom.services.datasets import read_upload
from finloom.web._deps import WorkbenchDep
from finloom.web._pages import User, problems_of, start_job
from finloom.web._render import render

router = APIRouter(include_in_schema=False)
MODELS = ("vae", "gan", "ddpm")  # the job's names; the first is the form's default (fastest)
SOURCES = ("digits", "mnist", "upload")


def _page(
    request: Request, workbench: WorkbenchDep, problems: list[str] | None = None
) -> HTMLResponse:
    saved = [
        {
            "name": m.name,
            "version": m.version,
            "kind": m.kind,
            "classes": m.manifest.get("lineage", {}).get("classes", []),
            "shape": m.manifest.get("lineage", {}).get("image_shape", []),
            "metrics": m.manifest.get("metrics", {}),
        }
        for m in service.image_models(workbench)
    ]
    return render(
        request,
        "images.html",
        status_code=422 if problems else 200,
        models=MODELS,
        sources=SOURCES,
        saved=saved,
        problems=problems,
    )


@router.get("/images", response_class=HTMLResponse)
def images_page(request: Request, principal: User, workbench: WorkbenchDep) -> HTMLResponse:
    return _page(request, workbench)


def _epochs(text: str) -> dict[str, Any]:
    text = text.strip()
    if not text:
        return {}
    if not text.isdigit() or int(text) < 1:
        raise ConfigError(f"epochs must be a whole number >= 1; got {text!r}.")
    return {"epochs": int(text)}


@router.post("/images/fit", response_model=None)
async def images_fit(
    request: Request,
    principal: User,
    workbench: WorkbenchDep,
    source: Annotated[str, Form()] = "digits",
    model: Annotated[str, Form()] = "vae",
    epochs: Annotated[str, Form()] = "",
    image_size: Annotated[str, Form()] = "",
    file: Annotated[UploadFile | None, File()] = None,
) -> Response:
    data: bytes | None = None
    if source == "upload" and principal.can("analyst"):
        try:
            declared = int(request.headers.get("content-length") or 0)
            data = (
                await read_upload(file, declared, workbench.settings.max_upload_mb)
                if file is not None
                else b""
            )
        except FinloomError as exc:
            return _page(request, workbench, problems_of(exc))

    def params() -> dict[str, Any]:  # parsed into ImageFitParams by the job service
        chosen = source
        if source == "upload":
            chosen = service.store_image_upload(
                workbench,
                principal.user,
                data or b"",
                (file.filename if file is not None else "") or "images.zip",
            )
        out: dict[str, Any] = {"source": chosen, "model": model, "params": _epochs(epochs)}
        if image_size.strip():
            out["image_size"] = image_size.strip()
        return out

    return start_job(
        workbench,
        principal,
        "images.fit",
        params,
        lambda problems: _page(request, workbench, problems),
    )


@router.get("/images/models/{name}/grid.png", response_class=Response)
def images_grid(
    name: str,
    principal: User,
    workbench: WorkbenchDep,
    version: Annotated[int | None, Query(ge=1, le=1_000_000)] = None,
) -> Response:
    return Response(
        content=service.model_grid_png(workbench, name, version),
        media_type="image/png",
        headers={"Cache-Control": "private, max-age=300"},
    )
