"""Models (artifacts): list, show, delete; and the audit log."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, status

from finloom.api.deps import Admin, Viewer, WorkbenchDep
from finloom.api.schemas import AuditOut, ModelOut
from finloom.services.models import delete_model as delete
from finloom.store import list_audit

router = APIRouter(prefix="/api", tags=["models"])


@router.get("/models", response_model=list[ModelOut])
def list_models(principal: Viewer, workbench: WorkbenchDep) -> Any:
    """Every stored model version, newest first."""
    return [a.to_dict() for a in workbench.artifacts.list()]


@router.get("/models/{name}", response_model=ModelOut)
def show_model(name: str, principal: Viewer, workbench: WorkbenchDep, version: Annotated[int | None, Query(ge=1, le=1_000_000)] = None) -> Any:
    """One model version (newest by default) with metrics, lineage and licences."""
    return workbench.artifacts.get(name, version).to_dict()


@router.delete("/models/{name}", status_code=status.HTTP_204_NO_CONTENT)
def delete_model(name: str, principal: Admin, workbench: WorkbenchDep, version: Annotated[int | None, Query(ge=1, le=1_000_000)] = None) -> None:
    """Delete one version, or every version when none is given (admin)."""
    delete(workbench, principal.user, name, version)


@router.get("/audit", response_model=list[AuditOut], tags=["audit"])
def audit_log(
    principal: Admin,
    workbench: WorkbenchDep,
    action: Annotated[str | None, Query(max_length=120)] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
) -> Any:
    """Newest audit events first (admin)."""
    with workbench.session() as session:
        return [
            {"id": e.id, "at": e.at.isoformat(), "actor": e.actor, "action": e.action, "target": e.target, "details": e.details}
            for e in list_audit(session, action=action, limit=limit)
        ]
