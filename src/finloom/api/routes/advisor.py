"""Robo-advisor over HTTP: questionnaire, profiles, proposals, letters (HTML/PDF) and rebalancing notices."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, status
from fastapi.responses import FileResponse

from finloom.api.deps import Analyst, Viewer, WorkbenchDep
from finloom.services import advisor as service

router = APIRouter(prefix="/api/advisor", tags=["advisor"])


@router.get("/questionnaire")
def questionnaire_route(principal: Viewer, lang: Literal["en", "zh"] = "en") -> dict[str, Any]:
    """The risk-profile questions in English or Chinese."""
    return service.questionnaire(lang)


@router.post("/profiles", response_model=service.ProfileOut, status_code=status.HTTP_201_CREATED)
def create_profile_route(
    body: service.ProfileIn, principal: Analyst, workbench: WorkbenchDep
) -> Any:
    """Score answers to C1-C5 and store the profile."""
    return service.create_profile(workbench, principal.user, body)


@router.get("/profiles", response_model=list[service.ProfileOut])
def list_profiles_route(
    principal: Viewer, workbench: WorkbenchDep, customer_id: str | None = None
) -> Any:
    """Stored profiles, newest first."""
    return service.list_profiles(workbench, customer_id)


@router.get("/profiles/{profile_id}", response_model=service.ProfileOut)
def get_profile_route(profile_id: str, principal: Viewer, workbench: WorkbenchDep) -> Any:
    """One stored profile."""
    return service.get_profile(workbench, profile_id)


@router.post("/proposals", status_code=status.HTTP_201_CREATED)
def propose_route(
    body: service.ProposeIn, principal: Analyst, workbench: WorkbenchDep
) -> dict[str, Any]:
    """Build, test and explain a suitable portfolio for a stored profile."""
    return service.propose(workbench, principal.user, body)


@router.get("/proposals/{proposal_id}")
def get_proposal_route(
    proposal_id: str, principal: Viewer, workbench: WorkbenchDep
) -> dict[str, Any]:
    """A stored proposal."""
    return service.get_proposal(workbench, proposal_id)


@router.post("/proposals/{proposal_id}/report")
def report_route(
    proposal_id: str,
    principal: Analyst,
    workbench: WorkbenchDep,
    lang: Literal["en", "zh"] = "en",
    fmt: Literal["html", "pdf"] = "html",
) -> FileResponse:
    """The advice letter as an HTML or PDF file."""
    path = service.report(workbench, principal.user, proposal_id, lang=lang, fmt=fmt)
    media = "application/pdf" if fmt == "pdf" else "text/html; charset=utf-8"
    return FileResponse(path, media_type=media, filename=path.name)


@router.post("/rebalance")
def rebalance_route(
    body: service.RebalanceIn, principal: Analyst, workbench: WorkbenchDep
) -> dict[str, Any]:
    """A rebalancing notice for current weights against a proposal's targets."""
    return service.rebalance(workbench, principal.user, body)
