"""Robo-advisor pages: the questionnaire (English or Chinese) → the proposal (allocation, fan chart, letter)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from finloom.errors import FinloomError, PermissionDeniedError
from finloom.services import advisor, parse_input
from finloom.web._deps import WorkbenchDep
from finloom.web._pages import User, form_params, problems_of
from finloom.web._render import language_of, render

router = APIRouter(include_in_schema=False)
METHODS = ("min_variance", "max_sharpe", "risk_parity", "hrp", "cvar")


def _page(
    request: Request, problems: list[str] | None = None, values: dict[str, Any] | None = None
) -> HTMLResponse:
    lang = language_of(request)
    return render(
        request,
        "advisor.html",
        status_code=422 if problems else 200,
        questions=advisor.questionnaire(lang if lang in ("en", "zh") else "en")["questions"],  # type: ignore[arg-type]
        methods=METHODS,
        problems=problems,
        values=values or {},
    )


@router.get("/advisor", response_class=HTMLResponse)
def advisor_page(request: Request, principal: User) -> HTMLResponse:
    return _page(request)


@router.post("/advisor", response_model=None)
async def advisor_submit(request: Request, principal: User, workbench: WorkbenchDep) -> Response:
    form = await request.form()
    values = {k: str(v) for k, v in form.items()}
    lang = language_of(request)
    try:
        if not principal.can("analyst"):
            raise PermissionDeniedError(
                f"proposals need the 'analyst' role; your key has '{principal.role}'."
            )
        questions = advisor.questionnaire("en")["questions"]
        answers = {q["id"]: values.get(f"q_{q['id']}", "") for q in questions}
        body = parse_input(
            advisor.ProfileIn,
            {
                "customer_id": values.get("customer_id", "").strip(),
                "answers": {k: v for k, v in answers.items() if v},
                "lang": lang if lang in ("en", "zh") else "en",
            },
        )
        plan = form_params(form, "initial", "goal", "years", "method", "n_paths")
        profile = advisor.create_profile(workbench, principal.user, body)
        proposal = advisor.propose(
            workbench,
            principal.user,
            parse_input(advisor.ProposeIn, {**plan, "profile_id": profile.id}),
        )
    except FinloomError as exc:
        return _page(request, problems_of(exc), values)
    return RedirectResponse(f"/advisor/proposals/{proposal['id']}", status_code=303)


@router.get("/advisor/proposals/{proposal_id}", response_class=HTMLResponse)
def proposal_page(
    request: Request, proposal_id: str, principal: User, workbench: WorkbenchDep
) -> HTMLResponse:
    proposal = advisor.get_proposal(workbench, proposal_id)
    lang = language_of(request)
    letter_lang = lang if lang in proposal["letters"] else "en"
    return render(
        request,
        "advisor_proposal.html",
        p=proposal,
        letter=proposal["letters"][letter_lang],
        letter_lang=letter_lang,
        findings=proposal["compliance"].get(letter_lang, []),
    )


@router.post("/advisor/proposals/{proposal_id}/report", response_model=None)
async def proposal_report(
    request: Request, proposal_id: str, principal: User, workbench: WorkbenchDep
) -> Response:
    from fastapi.responses import FileResponse

    form = await request.form()
    fmt = "pdf" if form.get("format") == "pdf" else "html"
    lang = "zh" if form.get("lang") == "zh" else "en"
    path = advisor.report(workbench, principal.user, proposal_id, lang=lang, fmt=fmt)  # type: ignore[arg-type]
    media = "application/pdf" if fmt == "pdf" else "text/html; charset=utf-8"
    return FileResponse(path, media_type=media, filename=path.name)
