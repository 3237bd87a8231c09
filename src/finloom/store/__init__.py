"""Persistence: database engines, migrations, users and keys, audit log, dataset and model registries."""

from finloom.store._artifacts import ArtifactInfo, ArtifactRegistry
from finloom.store._audit import list_audit, record_audit
from finloom.store._chat_models import ChatSession, ChatTurn
from finloom.store._datasets import DatasetInfo, DatasetRegistry
from finloom.store._db import make_engine, make_session_factory, session_scope
from finloom.store._keys import (
    ROLES,
    Principal,
    authenticate,
    create_api_key,
    list_api_keys,
    principal_for_key_id,
    require_role,
    revoke_api_key,
)
from finloom.store._migrate import current_revision, upgrade_database
from finloom.store._models import (
    ApiKey,
    Artifact,
    AuditEvent,
    Base,
    Dataset,
    DatasetVersion,
    Job,
    User,
)

__all__ = [
    "ROLES",
    "ApiKey",
    "Artifact",
    "ArtifactInfo",
    "ArtifactRegistry",
    "AuditEvent",
    "ChatSession",
    "ChatTurn",
    "Base",
    "Dataset",
    "DatasetInfo",
    "DatasetRegistry",
    "DatasetVersion",
    "Job",
    "Principal",
    "User",
    "authenticate",
    "create_api_key",
    "current_revision",
    "list_api_keys",
    "list_audit",
    "make_engine",
    "make_session_factory",
    "principal_for_key_id",
    "record_audit",
    "require_role",
    "revoke_api_key",
    "session_scope",
    "upgrade_database",
]
