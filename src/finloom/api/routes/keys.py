"""API keys (admin) and the caller's own identity."""

from __future__ import annotations

from fastapi import APIRouter, status

from finloom.api.deps import Admin, Viewer, WorkbenchDep, audit
from finloom.api.schemas import KeyCreate, KeyCreated, KeyOut, Me
from finloom.store import ApiKey, create_api_key, list_api_keys

router = APIRouter(prefix="/api", tags=["keys"])


def _key_out(row: ApiKey) -> dict[str, object]:
    return {
        "id": row.id,
        "user": row.user.name,
        "role": row.user.role,
        "label": row.label,
        "created_at": row.created_at.isoformat() if row.created_at else None,
        "expires_at": row.expires_at.isoformat() if row.expires_at else None,
        "revoked": row.revoked_at is not None,
    }


@router.get("/me", response_model=Me)
def me(principal: Viewer) -> Me:
    """Who the key belongs to and its role."""
    return Me(user=principal.user, role=principal.role, key_id=principal.key_id)


@router.post("/keys", response_model=KeyCreated, status_code=status.HTTP_201_CREATED)
def create_key(body: KeyCreate, principal: Admin, workbench: WorkbenchDep) -> KeyCreated:
    """Create a key; the secret is in this response only."""
    with workbench.session() as session:
        secret, row = create_api_key(
            session, user=body.user, role=body.role, label=body.label, expires_in_days=body.expires_in_days
        )
        out = KeyCreated(key=secret, **_key_out(row))  # type: ignore[arg-type]
    audit(workbench, principal, "key.create", out.id, user=body.user, role=body.role)
    return out


@router.get("/keys", response_model=list[KeyOut])
def list_keys(principal: Admin, workbench: WorkbenchDep) -> list[KeyOut]:
    """Every key, without secrets."""
    with workbench.session() as session:
        return [KeyOut(**_key_out(r)) for r in list_api_keys(session)]  # type: ignore[arg-type]


@router.delete("/keys/{key_id}", status_code=status.HTTP_204_NO_CONTENT)
def revoke_key(key_id: str, principal: Admin, workbench: WorkbenchDep) -> None:
    """Revoke a key; it stops working at once (and so do its web sessions). The bootstrap admin
    key cannot be revoked while ``FINLOOM_BOOTSTRAP_ADMIN_KEY`` is set (409)."""
    workbench.revoke_key(key_id)
    audit(workbench, principal, "key.revoke", key_id)
