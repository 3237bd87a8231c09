"""Document pages: upload scans to check (a job), see each page with its fields and findings boxed;
generate fictional documents and see them as a grid."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response

from finloom.apps.documents import DeclaredIn, DocumentCheckOptions, DocumentGenerateParams
from finloom.errors import FinloomError, PermissionDeniedError
from finloom.services import documents as service
from finloom.services.datasets import read_upload
from finloom.web._deps import WorkbenchDep
from finloom.web._pages import User, problems_of
from finloom.web._render import render

router = APIRouter(include_in_schema=False)
SAMPLE_LIMIT = 12  # documents a page may generate at once (the CLI and API allow more)


def _page(request: Request, problems: list[str] | None = None) -> HTMLResponse:
    return render(
        request,
        "documents.html",
        status_code=422 if problems else 200,
        problems=problems,
        today=dt.date.today().isoformat(),
    )


def _blank(value: str) -> str | None:
    return value.strip() or None


@router.get("/documents", response_class=HTMLResponse)
def documents_page(request: Request, principal: User, workbench: WorkbenchDep) -> HTMLResponse:
    return _page(request)


@router.post("/documents/check", response_model=None)
async def documents_check(
    request: Request,
    principal: User,
    workbench: WorkbenchDep,
    files: Annotated[list[UploadFile], File()],
    lang: Annotated[str, Form()] = "en",
    name: Annotated[str, Form()] = "",
    monthly_income: Annotated[str, Form()] = "",
    as_of: Annotated[str, Form()] = "",
) -> Response:
    try:
        if not principal.can("analyst"):
            raise PermissionDeniedError(
                f"checking documents needs the 'analyst' role; your key has '{principal.role}'."
            )
        declared = DeclaredIn.model_validate(
            {"name": _blank(name), "monthly_income": _blank(monthly_income), "as_of": _blank(as_of)}
        )
        options = DocumentCheckOptions.model_validate({"lang": lang, "declared": declared})
        limit = workbench.settings.max_upload_mb
        uploads = [
            (f.filename or "upload", await read_upload(f, 0, limit)) for f in files if f.filename
        ]
        job = service.start_check(workbench, principal.user, uploads, options)
    except FinloomError as exc:
        return _page(request, problems_of(exc))
    except ValueError as exc:  # pydantic's ValidationError
        return _page(
            request, [str(exc).splitlines()[-1] if str(exc) else "the form has an invalid value"]
        )
    return RedirectResponse(f"/documents/checks/{job.id}", status_code=303)


@router.get("/documents/checks/{job_id}", response_class=HTMLResponse)
def documents_check_page(
    request: Request, job_id: str, principal: User, workbench: WorkbenchDep
) -> HTMLResponse:
    job = workbench.jobs.get(job_id)
    results = service.check_results(workbench, job_id) if job.status == "succeeded" else None
    return render(request, "documents_check.html", j=job, results=results)


@router.get("/documents/jobs/{job_id}/files/{name}", response_class=FileResponse)
def documents_file(
    job_id: str, name: str, principal: User, workbench: WorkbenchDep
) -> FileResponse:
    return FileResponse(workbench.jobs.file_path(job_id, name))


@router.post("/documents/generate", response_model=None)
async def documents_generate(
    request: Request, principal: User, workbench: WorkbenchDep
) -> Response:
    form = await request.form()
    try:
        if not principal.can("analyst"):
            raise PermissionDeniedError(
                f"generating documents needs the 'analyst' role; your key has '{principal.role}'."
            )
        raw: dict[str, Any] = {k: str(v).strip() for k, v in form.items() if str(v).strip()}
        if int(raw.get("n", 6)) > SAMPLE_LIMIT:
            raise FinloomError(
                f"n must be at most {SAMPLE_LIMIT} on this page; got {raw['n']}. "
                "Use 'finloom documents generate' or the API for more."
            )
        job = service.start_generate(
            workbench, principal.user, DocumentGenerateParams.model_validate(raw)
        )
    except FinloomError as exc:
        return _page(request, problems_of(exc))
    except ValueError as exc:
        return _page(
            request, [str(exc).splitlines()[-1] if str(exc) else "the form has an invalid value"]
        )
    return RedirectResponse(f"/documents/samples/{job.id}", status_code=303)


@router.get("/documents/samples/{job_id}", response_class=HTMLResponse)
def documents_samples(
    request: Request, job_id: str, principal: User, workbench: WorkbenchDep
) -> HTMLResponse:
    job = workbench.jobs.get(job_id)
    files = (
        [f.name for f in workbench.jobs.files(job_id) if f.name.endswith(".png")]
        if job.status == "succeeded"
        else []
    )
    return render(request, "documents_samples.html", j=job, images=sorted(files))
