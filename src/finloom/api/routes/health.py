"""Health (public): liveness, readiness, and a summary that is 503 while the database is down."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Response, status
from pydantic import BaseModel
from sqlalchemy import text

import finloom
from finloom.api.deps import WorkbenchDep
from finloom.api.schemas import Health
from finloom.workbench import Workbench

router = APIRouter(prefix="/api", tags=["health"])
_UNAVAILABLE: dict[int | str, dict[str, Any]] = {status.HTTP_503_SERVICE_UNAVAILABLE: {"description": "Degraded: the database does not answer"}}


class HealthOut(Health):
    """The summary: ``status`` ok/degraded, the database, and the assistant's warm-up state."""

    assistant: Literal["idle", "warming", "ready", "failed"]


class Live(BaseModel):
    """Liveness: the process answers."""

    status: Literal["ok"]


def _database(workbench: Workbench) -> str:
    try:
        with workbench.session() as session:
            session.execute(text("SELECT 1"))
    except Exception:
        return "unavailable"
    return "ok"


@router.get("/health", response_model=HealthOut, responses=_UNAVAILABLE)
def health(workbench: WorkbenchDep, response: Response) -> HealthOut:
    """Version, database and assistant state; 503 while degraded (the database does not answer)."""
    database = _database(workbench)
    if database != "ok":
        response.status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    return HealthOut(status="ok" if database == "ok" else "degraded", version=finloom.__version__,
                     database=database, assistant=workbench.assistant_warmup.status)


@router.get("/health/live", response_model=Live)
def live() -> Live:
    """Liveness: the process answers requests (restart it if this fails)."""
    return Live(status="ok")


@router.get("/health/ready", response_model=Health, responses=_UNAVAILABLE)
def ready(workbench: WorkbenchDep, response: Response) -> Health:
    """Readiness: 200 when the database answers, else 503 (send no traffic here meanwhile)."""
    database = _database(workbench)
    if database != "ok":
        response.status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    return Health(status="ok" if database == "ok" else "degraded", version=finloom.__version__, database=database)
