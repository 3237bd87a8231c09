"""Synthetic-table pages: pick a dataset and a model, run it as a job; sample from saved models."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from finloom.errors import ConfigError
from finloom.web._choices import order_for
from finloom.web._deps import WorkbenchDep
from finloom.web._pages import User, form_params, start_job
from finloom.web._render import render

router = APIRouter(include_in_schema=False)
_SYNTH_KINDS = ("GaussianCopulaSynthesizer", "GANSynthesizer", "VAESynthesizer", "DiffusionSynthesizer")


def _page(request: Request, workbench: WorkbenchDep, problems: list[str] | None = None) -> HTMLResponse:
    from finloom.synth.tabular import DEFAULT_MODEL, MODELS

    saved = sorted({a.name for a in workbench.artifacts.list() if a.kind in _SYNTH_KINDS})
    return render(
        request, "synth.html", status_code=422 if problems else 200, datasets=order_for([d.to_dict() for d in workbench.datasets.list()], "synth"),
        models=[DEFAULT_MODEL, *(m for m in MODELS if m != DEFAULT_MODEL)], default_model=DEFAULT_MODEL, saved=saved,
        problems=problems,
    )


@router.get("/synth", response_class=HTMLResponse)
def synth_page(request: Request, principal: User, workbench: WorkbenchDep) -> HTMLResponse:
    return _page(request, workbench)


def _int(value: object, name: str, default: int | None) -> int | None:
    text = str(value or "").strip()
    if not text:
        return default
    if not text.isdigit() or int(text) < 1:
        raise ConfigError(f"{name} must be a whole number >= 1; got {text!r}.")
    return int(text)


@router.post("/synth/fit", response_model=None)
async def synth_fit(request: Request, principal: User, workbench: WorkbenchDep) -> Response:
    form = await request.form()

    def params() -> dict[str, Any]:  # parsed into SynthFitParams by the job service
        epochs = _int(form.get("epochs"), "epochs", None)
        config = {"epochs": epochs} if epochs and form.get("model") != "copula" else {}
        return {**form_params(form, "dataset", "model"), "params": config}

    return start_job(workbench, principal, "synth.fit", params, lambda problems: _page(request, workbench, problems))


@router.post("/synth/sample", response_model=None)
async def synth_sample(request: Request, principal: User, workbench: WorkbenchDep) -> Response:
    form = await request.form()
    return start_job(workbench, principal, "synth.sample", lambda: form_params(form, "model", "rows", "format"),
                     lambda problems: _page(request, workbench, problems))
