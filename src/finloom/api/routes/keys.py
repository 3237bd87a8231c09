"""API keys (admin) and the caller's own identity."""

from __future__ import annotations

from fastapi import APIRouter, status

from finloom.api.deps import Admin, Viewer, WorkbenchDep
from finloom.api.schemas import KeyCreate, KeyCreated, KeyOut, Me
from finloom.services import keys as service

router = APIRouter(prefix="/api", tags=["keys"])


@router.get("/me", response_model=Me)
def me(principal: Viewer) -> Me:
    """Who the key belongs to and its role."""
    return Me(user=principal.user, role=principal.role, key_id=principal.key_id)


@router.post("/keys", response_model=KeyCreated, status_code=status.HTTP_201_CREATED)
def create_key(body: KeyCreate, principal: Admin, workbench: WorkbenchDep) -> KeyCreated:
    """Create a key; the secret is in this response only."""
    return service.create_key(workbench, principal.user, body)


@router.get("/keys", response_model=list[KeyOut])
def list_keys(principal: Admin, workbench: WorkbenchDep) -> list[KeyOut]:
    """Every key, without secrets."""
    return service.list_keys(workbench)


@router.delete("/keys/{key_id}", status_code=status.HTTP_204_NO_CONTENT)
def revoke_key(key_id: str, principal: Admin, workbench: WorkbenchDep) -> None:
    """Revoke a key; it stops working at once (and so do its web sessions). The bootstrap admin
    key cannot be revoked while ``FINLOOM_BOOTSTRAP_ADMIN_KEY`` is set (409)."""
    service.revoke_key(workbench, principal.user, key_id)
