"""API keys: create, list and revoke; creation and revocation are audited with the key row."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from finloom.errors import ConflictError
from finloom.store import ApiKey, AuditEntry, create_api_key, list_api_keys, revoke_api_key
from finloom.workbench import Workbench

__all__ = ["KeyCreate", "KeyCreated", "KeyOut", "create_key", "list_keys", "revoke_key"]

Role = Literal["viewer", "analyst", "admin"]


class KeyCreate(BaseModel):
    """A key to create (POST /api/keys and ``finloom keys create``)."""

    user: str = Field(min_length=1, max_length=120, pattern=r"^[\w.@-]+$", description="Who the key is for.")
    role: Role = Field(default="analyst", description="viewers read, analysts also run jobs, admins also manage keys.")
    label: str = Field(default="", max_length=120, description="A note, e.g. the machine.")
    expires_in_days: int | None = Field(default=None, ge=1, le=3650, description="Expiry in days; none by default.")


class KeyOut(BaseModel):
    """A key as shown to admins (never its secret)."""

    id: str
    user: str
    role: str
    label: str
    created_at: str | None
    expires_at: str | None
    revoked: bool

    @classmethod
    def from_row(cls, row: ApiKey) -> KeyOut:
        return cls(
            id=row.id, user=row.user.name, role=row.user.role, label=row.label,
            created_at=row.created_at.isoformat() if row.created_at else None,
            expires_at=row.expires_at.isoformat() if row.expires_at else None,
            revoked=row.revoked_at is not None,
        )


class KeyCreated(KeyOut):
    """A new key with its secret, which is shown this once."""

    key: str = Field(description="The secret API key. It is shown only once; store it safely.")


def create_key(workbench: Workbench, actor: str, spec: KeyCreate) -> KeyCreated:
    """Create a key as ``spec`` says; audit ``key.create`` in the same transaction.

    Examples
    --------
    >>> import tempfile
    >>> from finloom.config import Settings
    >>> wb = Workbench(Settings(workspace=tempfile.mkdtemp()), executor_mode="thread").migrate()
    >>> created = create_key(wb, "root", KeyCreate(user="ana", role="viewer"))
    >>> created.key.startswith("fl_"), [k.user for k in list_keys(wb)]
    (True, ['ana'])
    """
    with workbench.session() as session:
        secret, row = create_api_key(
            session, user=spec.user, role=spec.role, label=spec.label, expires_in_days=spec.expires_in_days
        )
        AuditEntry(actor, "key.create", details={"user": spec.user, "role": spec.role}).record(session, target=row.id)
        return KeyCreated(key=secret, **KeyOut.from_row(row).model_dump())


def list_keys(workbench: Workbench) -> list[KeyOut]:
    """Every key, oldest first, without secrets."""
    with workbench.session() as session:
        return [KeyOut.from_row(row) for row in list_api_keys(session)]


def revoke_key(workbench: Workbench, actor: str, key_id: str) -> KeyOut:
    """Revoke a key (it and its web sessions stop working at once); audit ``key.revoke`` in the
    same transaction. The bootstrap admin key is refused while it is configured (409)."""
    if key_id == workbench.bootstrap_key_id:
        raise ConflictError(
            f"key id must not be the bootstrap admin key while FINLOOM_BOOTSTRAP_ADMIN_KEY is set; got {key_id!r}. "
            "Unset FINLOOM_BOOTSTRAP_ADMIN_KEY and restart the server, then revoke it."
        )
    with workbench.session() as session:
        row = revoke_api_key(session, key_id)
        AuditEntry(actor, "key.revoke").record(session, target=key_id, user=row.user.name)
        return KeyOut.from_row(row)
