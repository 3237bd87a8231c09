"""Liveness and readiness (public)."""

from __future__ import annotations

from fastapi import APIRouter
from sqlalchemy import text

import finloom
from finloom.api.deps import WorkbenchDep
from finloom.api.schemas import Health

router = APIRouter(prefix="/api", tags=["health"])


@router.get("/health", response_model=Health)
def health(workbench: WorkbenchDep) -> Health:
    """Report the version and whether the database answers."""
    try:
        with workbench.session() as session:
            session.execute(text("SELECT 1"))
        database = "ok"
    except Exception:
        database = "unavailable"
    return Health(status="ok" if database == "ok" else "degraded", version=finloom.__version__, database=database)
