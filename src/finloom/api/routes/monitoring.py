"""Risk monitoring over HTTP: ingest transaction events (one or a batch), read and work the case queue."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Path, Request

from finloom.api.deps import Analyst, Viewer, WorkbenchDep
from finloom.errors import InvalidDataError
from finloom.services import monitoring as service

router = APIRouter(prefix="/api/monitoring", tags=["monitoring"])
CaseId = Annotated[int, Path(ge=1, le=2**63 - 1, description="a case number")]  # SQLite integers are 64-bit


def _hub(request: Request) -> service.MonitorHub:
    return service.hub_of(request.app.state)


HubDep = Annotated[service.MonitorHub, Depends(_hub)]


@router.post("/events", response_model=service.IngestOut)
def event_route(
    event: Annotated[dict[str, Any], Body()],
    principal: Analyst,
    workbench: WorkbenchDep,
    hub: HubDep,
) -> Any:
    """Score one event (idempotent by ``event_id``); a refused event is 422 with its reason."""
    out = service.ingest(hub, workbench, [event])
    if out.problems:
        raise InvalidDataError(out.problems)
    return out


@router.post("/events/batch", response_model=service.IngestOut)
def batch_route(
    body: service.EventBatchIn, principal: Analyst, workbench: WorkbenchDep, hub: HubDep
) -> Any:
    """Score up to 10,000 events in order; refused events are counted by reason, the rest flow on."""
    return service.ingest(hub, workbench, body.events)


@router.get("/status")
def status_route(principal: Viewer, workbench: WorkbenchDep, hub: HubDep) -> dict[str, Any]:
    """Events seen, alerts, open cases and rejections by reason."""
    return service.status(hub, workbench)


@router.get("/cases", response_model=list[service.CaseOut])
def cases_route(
    principal: Viewer,
    workbench: WorkbenchDep,
    hub: HubDep,
    status: str | None = None,
    assignee: str | None = None,
    account_id: str | None = None,
) -> Any:
    """The case queue, riskiest first."""
    return service.cases(hub, workbench, status=status, assignee=assignee, account_id=account_id)


@router.get("/cases/{case_id}", response_model=service.CaseOut)
def case_route(case_id: CaseId, principal: Viewer, workbench: WorkbenchDep, hub: HubDep) -> Any:
    """One case with its alerts and notes."""
    return service.case(hub, workbench, case_id)


@router.post("/cases/{case_id}", response_model=service.CaseOut)
def update_route(
    case_id: CaseId,
    body: service.CaseUpdateIn,
    principal: Analyst,
    workbench: WorkbenchDep,
    hub: HubDep,
) -> Any:
    """Assign, note and/or close with a disposition (audited)."""
    return service.update_case(hub, workbench, principal.user, case_id, body)


@router.post("/cases/{case_id}/narrative", response_model=service.NarrativeOut)
def narrative_route(case_id: CaseId, principal: Analyst, workbench: WorkbenchDep, hub: HubDep) -> Any:
    """Draft the case's suspicious-activity narrative; ``unsupported_numbers`` is the guard's count."""
    return service.narrative(hub, workbench, principal.user, case_id)


@router.post("/sentiment", response_model=service.SentimentOut)
def sentiment_route(
    body: service.SentimentIn, principal: Analyst, workbench: WorkbenchDep, hub: HubDep
) -> Any:
    """Classify texts with a registered sentiment model; alerts for windows that closed (audited)."""
    return service.sentiment_observe(hub, workbench, principal.user, body)


@router.get("/sentiment")
def sentiment_series_route(principal: Viewer, hub: HubDep) -> dict[str, Any]:
    """Per-entity negative-share series and the recent sentiment alerts."""
    return service.sentiment_series(hub)


@router.post("/fit", response_model=service.FitOut)
def fit_route(body: service.QuickFitIn, principal: Analyst, workbench: WorkbenchDep, hub: HubDep) -> Any:
    """Fit the scorer on small generated demo streams within the request (≤ 200 accounts × 30 days, a few
    seconds); larger fits: ``finloom monitor fit``. Audited as ``monitoring.fit``."""
    return service.fit_demo(hub, workbench, principal.user, body)
