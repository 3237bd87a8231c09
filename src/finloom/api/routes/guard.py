"""Faithfulness guard over HTTP: check one text or a batch against their facts."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from finloom.api.deps import Viewer, WorkbenchDep
from finloom.apps.guard import GuardBatchIn, GuardCheckIn, GuardCheckOut
from finloom.services import guard as service

router = APIRouter(prefix="/api/guard", tags=["guard"])


@router.post("/check", response_model=GuardCheckOut)
def check_route(body: GuardCheckIn, principal: Viewer, workbench: WorkbenchDep) -> Any:
    """Flag every number, period, entity and direction in ``text`` that ``facts`` do not support."""
    return service.check(workbench, principal.user, body)


@router.post("/check/batch", response_model=list[GuardCheckOut])
def check_batch_route(body: GuardBatchIn, principal: Viewer, workbench: WorkbenchDep) -> Any:
    """Check up to 1,000 texts, each with its own facts; results keep the order and ids given."""
    return service.check_batch(workbench, principal.user, body)
