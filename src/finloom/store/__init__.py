"""Persistence: database engines, migrations, users and keys, audit log, dataset and model registries."""

from finloom.store._advisor_models import AdvisorProfile
from finloom.store._artifacts import ArtifactInfo, ArtifactRegistry
from finloom.store._audit import AuditEntry, list_audit, record_audit
from finloom.store._chat_models import ChatSession, ChatTurn
from finloom.store._datasets import DatasetInfo, DatasetRegistry
from finloom.store._db import make_engine, make_session_factory, session_scope
from finloom.store._keys import (
    ROLES,
    Principal,
    authenticate,
    create_api_key,
    ensure_api_key,
    key_id_of,
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
from finloom.store._web_sessions import (
    WebSession,
    close_web_session,
    open_web_session,
    principal_for_web_session,
)

__all__ = [
    "ROLES",
    "AdvisorProfile",
    "ApiKey",
    "Artifact",
    "ArtifactInfo",
    "ArtifactRegistry",
    "AuditEntry",
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
    "WebSession",
    "authenticate",
    "close_web_session",
    "create_api_key",
    "current_revision",
    "ensure_api_key",
    "key_id_of",
    "list_api_keys",
    "list_audit",
    "make_engine",
    "make_session_factory",
    "open_web_session",
    "principal_for_key_id",
    "principal_for_web_session",
    "record_audit",
    "require_role",
    "revoke_api_key",
    "session_scope",
    "upgrade_database",
]
