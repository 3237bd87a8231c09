"""Web pages: sign-in, home, datasets, jobs and models (Jinja2 + htmx)."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Mapping
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from finloom.data import ColumnKind
from finloom.errors import (
    AuthenticationError,
    FinloomError,
    InvalidDataError,
    PermissionDeniedError,
)
from finloom.services import datasets as dataset_service
from finloom.services import parse_input
from finloom.services.jobs import cancel_job, submit_job
from finloom.store import (
    Principal,
    authenticate,
    close_web_session,
    open_web_session,
    principal_for_web_session,
)
from finloom.web import SESSION_LIFETIME
from finloom.web._deps import WorkbenchDep
from finloom.web._i18n import LANGUAGES
from finloom.web._render import language_of, render
from finloom.workbench import Workbench

router = APIRouter(include_in_schema=False)


class LoginRequired(Exception):
    """Raised by page dependencies when no valid web session exists."""


def page_principal(request: Request, workbench: WorkbenchDep) -> Principal:
    """The signed-in user of a live server-side session, else a redirect to the sign-in page."""
    token = request.session.get("sid")
    if not token:
        raise LoginRequired
    try:
        with workbench.session() as session:
            principal = principal_for_web_session(session, token)
    except AuthenticationError as exc:
        request.session.clear()
        raise LoginRequired from exc
    request.state.principal = principal
    return principal


User = Annotated[Principal, Depends(page_principal)]


def problems_of(exc: FinloomError) -> list[str]:
    return exc.problems if isinstance(exc, InvalidDataError) else [exc.message]


def form_params(form: FormData, *names: str) -> dict[str, str]:
    """The non-blank fields ``names`` of a form, for a job kind's params model to parse (blank = default).

    Examples
    --------
    >>> form_params(FormData([("dataset", "loans"), ("epochs", " ")]), "dataset", "epochs")
    {'dataset': 'loans'}
    """
    values = {name: str(form.get(name) or "").strip() for name in names}
    return {name: value for name, value in values.items() if value}


def start_job(
    workbench: Workbench, principal: Principal, kind: str, build_params: Callable[[], Mapping[str, Any]],
    on_error: Callable[[list[str]], Response],
) -> Response:
    """Submit a job with parameters read from a form and show its page; problems re-render the form.

    The parameters are parsed into the kind's params model by the job service, exactly as for
    ``POST /api/jobs`` and the area routes, so a form shows the same messages as the API.
    """
    try:
        if not principal.can("analyst"):
            raise PermissionDeniedError(f"starting jobs needs the 'analyst' role; your key has '{principal.role}'.")
        job = submit_job(workbench, principal.user, kind, build_params())
    except FinloomError as exc:
        return on_error(problems_of(exc))
    return RedirectResponse(f"/jobs/{job.id}", status_code=303)


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, next: str = "/") -> HTMLResponse:
    return render(request, "login.html", next=next if next.startswith("/") else "/")


@router.post("/login", response_model=None)
def login(request: Request, workbench: WorkbenchDep, key: Annotated[str, Form()], next: Annotated[str, Form()] = "/") -> Response:
    try:
        with workbench.session() as session:
            principal = authenticate(session, key)
            token = open_web_session(session, principal.key_id, lifetime=SESSION_LIFETIME)
    except AuthenticationError as exc:
        return render(request, "login.html", status_code=401, error=exc.message, next=next)
    request.session.clear()
    request.session["sid"] = token
    return RedirectResponse(next if next.startswith("/") and not next.startswith("//") else "/", status_code=303)


@router.post("/logout")
def logout(request: Request, workbench: WorkbenchDep) -> RedirectResponse:
    """Sign out: the server-side session ends, so a copy of the cookie stops working too."""
    with workbench.session() as session:
        close_web_session(session, request.session.get("sid"))
    request.session.clear()
    return RedirectResponse("/login", status_code=303)


@router.get("/lang/{code}")
def set_language(request: Request, code: str) -> RedirectResponse:
    back = request.headers.get("referer") or "/"
    response = RedirectResponse(back, status_code=303)
    if code in LANGUAGES:
        response.set_cookie("lang", code, max_age=365 * 86400, samesite="lax")
    return response


@router.get("/", response_class=HTMLResponse)
def home(request: Request, principal: User, workbench: WorkbenchDep) -> HTMLResponse:
    demo = (workbench.workspace / ".demo").exists()
    return render(request, "home.html", demo=demo)


def _datasets_page(request: Request, workbench: Any, principal: Principal, **extra: Any) -> HTMLResponse:
    datasets = [d.to_dict() for d in workbench.datasets.list()]
    status = 422 if extra.get("problems") else 200
    return render(
        request, "datasets.html", status_code=status, datasets=datasets, can_write=principal.can("analyst"),
        form=extra.pop("form", {}), **extra,
    )


@router.get("/datasets", response_class=HTMLResponse)
def datasets_page(request: Request, principal: User, workbench: WorkbenchDep) -> HTMLResponse:
    return _datasets_page(request, workbench, principal)


@router.post("/datasets", response_model=None)
async def upload_page(
    request: Request,
    principal: User,
    workbench: WorkbenchDep,
    file: Annotated[UploadFile, File()],
    name: Annotated[str, Form()],
    target: Annotated[str, Form()] = "",
    description: Annotated[str, Form()] = "",
) -> Response:
    form = {"name": name, "target": target, "description": description}
    try:
        if not principal.can("analyst"):
            raise AuthenticationError("uploading needs the 'analyst' role; your key has 'viewer'.")
        options = parse_input(dataset_service.UploadOptions, {"target": target, "description": description})
        declared = int(request.headers.get("content-length") or 0)
        data = await dataset_service.read_upload(file, declared, workbench.settings.max_upload_mb)
        await run_in_threadpool(dataset_service.register_upload, workbench, principal.user, name, data,
                                file.filename or "upload.csv", options)
    except FinloomError as exc:
        if request.headers.get("hx-request"):  # the form stays as it is (with its file); only the problems change
            return render(request, "partials/upload_problems.html", problems=problems_of(exc))
        return _datasets_page(request, workbench, principal, problems=problems_of(exc), form=form)
    return _go(request, f"/datasets/{name}")


def _go(request: Request, url: str) -> Response:
    """A redirect after a successful form post (htmx follows ``HX-Redirect``, a plain form the 303)."""
    if request.headers.get("hx-request"):
        return Response(status_code=204, headers={"HX-Redirect": url})
    return RedirectResponse(url, status_code=303)


def _dataset_page(request: Request, workbench: Any, principal: Principal, name: str, **extra: Any) -> HTMLResponse:
    info = workbench.datasets.get(name)
    df = workbench.datasets.preview(name, 20)
    preview = {"columns": list(df.columns), "rows": df.astype(object).where(df.notna(), None).values.tolist()}
    return render(
        request, "dataset.html", d=info.to_dict(), preview=preview, kinds=[k.value for k in ColumnKind],
        can_write=principal.can("analyst"), can_delete=principal.can("admin"), **extra,
    )


@router.get("/datasets/{name}", response_class=HTMLResponse)
def dataset_page(request: Request, name: str, principal: User, workbench: WorkbenchDep, saved: int = 0) -> HTMLResponse:
    return _dataset_page(request, workbench, principal, name, saved=bool(saved))


@router.post("/datasets/{name}/metadata", response_model=None)
async def edit_metadata_page(request: Request, name: str, principal: User, workbench: WorkbenchDep) -> Response:
    form = await request.form()
    kinds = {str(k)[5:]: str(v) for k, v in form.items() if str(k).startswith("kind:")}
    try:
        if not principal.can("analyst"):
            raise AuthenticationError("editing needs the 'analyst' role.")
        fields = {"kinds": kinds, "target": str(form.get("target", "")), "primary_key": str(form.get("primary_key", ""))}
        edit = parse_input(dataset_service.MetadataEdit, fields)
        dataset_service.edit_metadata(workbench, principal.user, name, edit)
    except FinloomError as exc:
        return _dataset_page(request, workbench, principal, name, problems=problems_of(exc))
    return RedirectResponse(f"/datasets/{name}?saved=1", status_code=303)


@router.post("/datasets/{name}/profile", response_model=None)
def profile_page(request: Request, name: str, principal: User, workbench: WorkbenchDep) -> Response:
    return start_job(
        workbench, principal, "dataset.profile", lambda: {"dataset": name},
        lambda problems: _dataset_page(request, workbench, principal, name, problems=problems),
    )


@router.post("/datasets/{name}/insights", response_model=None)
async def insights_page(request: Request, name: str, principal: User, workbench: WorkbenchDep) -> Response:
    form = await request.form()
    return start_job(
        workbench, principal, "insights.run",
        lambda: {"dataset": name, "lang": language_of(request), **form_params(form, "question")},
        lambda problems: _dataset_page(request, workbench, principal, name, problems=problems),
    )


@router.post("/datasets/{name}/delete", response_model=None)
def delete_page(request: Request, name: str, principal: User, workbench: WorkbenchDep) -> Response:
    if not principal.can("admin"):
        return _dataset_page(request, workbench, principal, name, problems=["deleting needs the 'admin' role."])
    dataset_service.delete_dataset(workbench, principal.user, name)
    return RedirectResponse("/datasets", status_code=303)


@router.get("/jobs", response_class=HTMLResponse)
def jobs_page(request: Request, principal: User, workbench: WorkbenchDep) -> HTMLResponse:
    return render(request, "jobs.html", jobs=workbench.jobs.list(limit=50))


@router.get("/jobs/rows", response_class=HTMLResponse)
def job_rows(request: Request, principal: User, workbench: WorkbenchDep) -> HTMLResponse:
    return render(request, "partials/job_rows.html", jobs=workbench.jobs.list(limit=50))


def _job_context(workbench: Any, job_id: str, principal: Principal) -> dict[str, Any]:
    """A job, its readable result, its files without model weights (those are on the model page)
    and the report to embed."""
    from finloom.web._results import REPORT_FILES, is_model_weight, result_view

    job = workbench.jobs.get(job_id)
    all_files = workbench.jobs.files(job_id)
    files = [f for f in all_files if not is_model_weight(f.name)]
    names = {f.name: f for f in files}
    report = next((names[n] for n in REPORT_FILES if n in names), None)
    return {"j": job, "files": files, "hidden_weights": len(files) < len(all_files), "report": report,
            "view": result_view(job.kind, job.result), "can_write": principal.can("analyst")}


@router.get("/jobs/{job_id}", response_class=HTMLResponse)
def job_page(request: Request, job_id: str, principal: User, workbench: WorkbenchDep) -> HTMLResponse:
    return render(request, "job.html", **_job_context(workbench, job_id, principal))


@router.get("/jobs/{job_id}/state", response_class=HTMLResponse)
def job_state(request: Request, job_id: str, principal: User, workbench: WorkbenchDep) -> HTMLResponse:
    context = _job_context(workbench, job_id, principal)
    attrs = "" if context["j"].finished else f'hx-get="/jobs/{job_id}/state" hx-trigger="every 500ms" hx-swap="outerHTML"'
    inner = bytes(render(request, "partials/job_state.html", **context).body).decode()
    return HTMLResponse(f'<div id="job-state" {attrs}>{inner}</div>')


@router.post("/jobs/{job_id}/cancel", response_model=None)
def cancel_page(request: Request, job_id: str, principal: User, workbench: WorkbenchDep) -> Response:
    if principal.can("analyst"):
        with contextlib.suppress(FinloomError):  # finished meanwhile: the page shows the final state
            cancel_job(workbench, principal.user, job_id)
    return RedirectResponse(f"/jobs/{job_id}", status_code=303)
