"""The audit log: who did what to which object, with details (PII masked before storing)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from finloom.store._models import AuditEvent

__all__ = ["list_audit", "record_audit"]


def record_audit(
    session: Session, *, actor: str, action: str, target: str = "", details: dict[str, Any] | None = None
) -> AuditEvent:
    """Append one audit event (committed with the caller's transaction).

    Examples
    --------
    >>> from finloom.store import make_engine, make_session_factory, upgrade_database
    >>> engine = make_engine("sqlite://"); upgrade_database(engine)
    >>> with make_session_factory(engine)() as s:
    ...     _ = record_audit(s, actor="ana", action="dataset.delete", target="loans"); s.commit()
    ...     [e.action for e in list_audit(s)]
    ['dataset.delete']
    """
    event = AuditEvent(actor=actor, action=action, target=target, details=details or {})
    session.add(event)
    session.flush()
    return event


def list_audit(session: Session, *, action: str | None = None, limit: int = 200) -> list[AuditEvent]:
    """Newest events first, optionally only one action."""
    query = select(AuditEvent).order_by(AuditEvent.id.desc()).limit(limit)
    if action:
        query = query.where(AuditEvent.action == action)
    return list(session.scalars(query))
