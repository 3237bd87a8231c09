"""Users and API keys: keys are random secrets shown once; only their SHA-256 is stored."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from finloom.errors import (
    AuthenticationError,
    ConfigError,
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
)
from finloom.store._models import ApiKey, User, utcnow

__all__ = [
    "ROLES",
    "Principal",
    "authenticate",
    "create_api_key",
    "ensure_api_key",
    "key_id_of",
    "list_api_keys",
    "principal_for_key_id",
    "require_role",
    "revoke_api_key",
]

ROLES = ("viewer", "analyst", "admin")  # each role can do everything the previous one can
_PREFIX = "fl_"


@dataclass(frozen=True)
class Principal:
    """Who is calling: the user name, role and the id of the key used."""

    user: str
    role: str
    key_id: str

    def can(self, role: str) -> bool:
        return ROLES.index(self.role) >= ROLES.index(role)


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def _aware(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def key_id_of(key: str) -> str | None:
    """The public id inside an API key ``fl_<id>_<secret>``, or None if it is not shaped so.

    Examples
    --------
    >>> key_id_of("fl_0a1b2c3d4e5f_s3cr3t"), key_id_of("nope")
    ('0a1b2c3d4e5f', None)
    """
    parts = key.strip().split("_")
    if len(parts) < 3 or parts[0] != _PREFIX.rstrip("_") or not parts[1]:
        return None
    return parts[1][:16]


def create_api_key(
    session: Session,
    *,
    user: str,
    role: str,
    label: str = "",
    expires_in_days: int | None = None,
    secret: str | None = None,
) -> tuple[str, ApiKey]:
    """Create a key for ``user`` (created with ``role`` if new); returns (secret, row).

    The secret is returned once and never stored; only its SHA-256 hash is kept.

    Examples
    --------
    >>> from finloom.store import make_engine, make_session_factory, upgrade_database
    >>> engine = make_engine("sqlite://"); upgrade_database(engine)
    >>> with make_session_factory(engine)() as s:
    ...     key, row = create_api_key(s, user="ana", role="analyst"); s.commit()
    ...     authenticate(s, key).role
    'analyst'
    """
    if role not in ROLES:
        raise ConfigError(f"role must be one of {', '.join(ROLES)}; got {role!r}.")
    if expires_in_days is not None and expires_in_days < 1:
        raise ConfigError(f"expires_in_days must be >= 1; got {expires_in_days}.")
    owner = session.scalar(select(User).where(User.name == user))
    if owner is None:
        owner = User(name=user, role=role)
        session.add(owner)
        session.flush()
    elif owner.role != role:
        raise ConflictError(
            f"role must match the existing user's role; user {user!r} is '{owner.role}', got {role!r}. "
            "Use that role, or another user name."
        )
    key_id = secrets.token_hex(6)
    if secret is None:
        secret = f"{_PREFIX}{key_id}_{secrets.token_urlsafe(32)}"
    elif not secret.startswith(_PREFIX) or secret.count("_") < 2 or len(secret) < 24:
        raise ConfigError(
            f"an API key must look like 'fl_<id>_<secret>' and be at least 24 characters; got {len(secret)} characters."
        )
    else:
        key_id = key_id_of(secret) or key_id
    expires = utcnow() + dt.timedelta(days=expires_in_days) if expires_in_days else None
    row = ApiKey(id=key_id, user_id=owner.id, key_hash=_hash(secret), label=label, expires_at=expires)
    session.add(row)
    session.flush()
    return secret, row


def authenticate(session: Session, key: str | None) -> Principal:
    """Return the principal for ``key`` or raise :class:`AuthenticationError`."""
    if not key:
        raise AuthenticationError("an API key must be sent as 'Authorization: Bearer <key>'; got none.")
    key_id = key_id_of(key)
    if key_id is None:
        raise AuthenticationError("the API key is malformed; copy the whole key shown at creation.")
    row = session.get(ApiKey, key_id)
    if row is None or not hmac.compare_digest(row.key_hash, _hash(key.strip())):
        raise AuthenticationError("the API key is wrong; check it or create a new one with 'finloom keys create'.")
    now = utcnow()
    if row.revoked_at is not None:
        raise AuthenticationError("the API key was revoked; ask an admin for a new one.")
    if row.expires_at is not None and _aware(row.expires_at) <= now:
        raise AuthenticationError("the API key has expired; ask an admin for a new one.")
    row.last_used_at = now
    return Principal(user=row.user.name, role=row.user.role, key_id=row.id)


def principal_for_key_id(session: Session, key_id: str | None) -> Principal:
    """The principal of an already-verified key (web sessions); checks revocation and expiry."""
    row = session.get(ApiKey, key_id) if key_id else None
    if row is None or row.revoked_at is not None:
        raise AuthenticationError("your session is no longer valid; sign in again with your API key.")
    if row.expires_at is not None and _aware(row.expires_at) <= utcnow():
        raise AuthenticationError("the API key has expired; ask an admin for a new one.")
    return Principal(user=row.user.name, role=row.user.role, key_id=row.id)


def require_role(principal: Principal, role: str, action: str) -> None:
    """Raise :class:`PermissionDeniedError` unless ``principal`` has at least ``role``."""
    if not principal.can(role):
        raise PermissionDeniedError(
            f"{action} needs the '{role}' role; your key has '{principal.role}'. Ask an admin."
        )


def list_api_keys(session: Session) -> list[ApiKey]:
    """All keys (hashes stay in the database; callers show ids and labels only)."""
    return list(session.scalars(select(ApiKey).order_by(ApiKey.created_at)))


def revoke_api_key(session: Session, key_id: str) -> ApiKey:
    """Mark a key revoked; it stops working at once."""
    row = session.get(ApiKey, key_id)
    if row is None:
        raise NotFoundError(f"API key id must be an existing key; got {key_id!r}. List them with GET /api/keys.")
    row.revoked_at = utcnow()
    return row


EnsureOutcome = Literal["created", "present", "revoked", "expired", "conflict"]


def ensure_api_key(session: Session, *, user: str, role: str, secret: str, label: str = "") -> EnsureOutcome:
    """Make sure the key ``secret`` exists (bootstrap keys); never revives a revoked or expired one.

    Returns what was found: ``"created"``, ``"present"`` (valid), ``"revoked"``, ``"expired"``, or
    ``"conflict"`` (another key already has its id). The caller decides what to tell the operator.

    Examples
    --------
    >>> from finloom.store import make_engine, make_session_factory, upgrade_database
    >>> engine = make_engine("sqlite://"); upgrade_database(engine)
    >>> key = "fl_bootstrap01_" + "s" * 32
    >>> with make_session_factory(engine)() as s:
    ...     first = ensure_api_key(s, user="admin", role="admin", secret=key)
    ...     _ = revoke_api_key(s, "bootstrap01")
    ...     first, ensure_api_key(s, user="admin", role="admin", secret=key)
    ('created', 'revoked')
    """
    row = session.get(ApiKey, key_id_of(secret) or "")
    if row is None:
        create_api_key(session, user=user, role=role, label=label, secret=secret)
        return "created"
    if not hmac.compare_digest(row.key_hash, _hash(secret.strip())):
        return "conflict"
    if row.revoked_at is not None:
        return "revoked"
    if row.expires_at is not None and _aware(row.expires_at) <= utcnow():
        return "expired"
    return "present"
