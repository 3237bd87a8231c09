"""Pages for risk monitoring: the case queue (filter, assign, note, close), a case with its draft
narrative, and the sentiment dashboard (negative share per entity, recent alerts)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from finloom.errors import FinloomError, PermissionDeniedError
from finloom.services import monitoring as service
from finloom.web._deps import WorkbenchDep
from finloom.web._pages import User, problems_of
from finloom.web._render import render

router = APIRouter(include_in_schema=False)


def _hub(request: Request) -> service.MonitorHub:
    return service.hub_of(request.app.state)


def _sparkline(values: list[float], width: int = 160, height: int = 28) -> str:
    """SVG polyline points of a 0..1 series."""
    if len(values) < 2:
        return ""
    step = width / (len(values) - 1)
    return " ".join(f"{i * step:.1f},{height - v * height:.1f}" for i, v in enumerate(values))


@router.get("/monitoring", response_class=HTMLResponse)
def queue_page(
    request: Request,
    principal: User,
    workbench: WorkbenchDep,
    status: str = "open",
    assignee: str = "",
    account: str = "",
) -> HTMLResponse:
    hub = _hub(request)
    cases = service.cases(
        hub, workbench, status=status or None, assignee=assignee or None, account_id=account or None
    )
    sentiment = service.sentiment_series(hub)
    entities = [
        {
            "name": name,
            "points": _sparkline([p["share"] for p in points]),
            "last": points[-1]["share"] if points else 0.0,
            "alerts": sum(1 for p in points if p["alert"]),
        }
        for name, points in sorted(sentiment["series"].items())
    ]
    return render(
        request,
        "monitoring.html",
        cases=cases,
        counts=service.status(hub, workbench),
        status=status,
        assignee=assignee,
        account=account,
        entities=entities,
        sentiment_alerts=sentiment["alerts"][-20:][::-1],
    )


def _case_page(request: Request, workbench: Any, case_id: int, **extra: Any) -> HTMLResponse:
    case = service.case(_hub(request), workbench, case_id)
    return render(
        request, "monitoring_case.html", case=case, dispositions=service.DISPOSITIONS, **extra
    )


@router.get("/monitoring/cases/{case_id}", response_class=HTMLResponse)
def case_page(
    request: Request, case_id: int, principal: User, workbench: WorkbenchDep
) -> HTMLResponse:
    return _case_page(request, workbench, case_id)


@router.post("/monitoring/cases/{case_id}", response_model=None)
async def case_update(
    request: Request, case_id: int, principal: User, workbench: WorkbenchDep
) -> Response:
    form = await request.form()
    fields = {
        k: str(form.get(k) or "").strip() or None for k in ("assignee", "note", "disposition")
    }
    try:
        if not principal.can("analyst"):
            raise PermissionDeniedError(
                f"working cases needs the 'analyst' role; your key has '{principal.role}'."
            )
        body = service.CaseUpdateIn.model_validate(fields)
        service.update_case(_hub(request), workbench, principal.user, case_id, body)
    except FinloomError as exc:
        return _case_page(request, workbench, case_id, problems=problems_of(exc))
    except ValueError as exc:  # pydantic: an unknown disposition
        return _case_page(request, workbench, case_id, problems=[str(exc).splitlines()[-1]])
    return RedirectResponse(f"/monitoring/cases/{case_id}", status_code=303)


@router.post("/monitoring/cases/{case_id}/narrative", response_class=HTMLResponse)
def case_narrative(
    request: Request, case_id: int, principal: User, workbench: WorkbenchDep
) -> HTMLResponse:
    try:
        if not principal.can("analyst"):
            raise PermissionDeniedError(
                f"drafting needs the 'analyst' role; your key has '{principal.role}'."
            )
        out = service.narrative(_hub(request), workbench, principal.user, case_id)
    except FinloomError as exc:
        return render(request, "partials/monitoring_narrative.html", error=exc.message)
    return render(request, "partials/monitoring_narrative.html", narrative=out)
