"""The audit log: who did what to which object, with details (PII masked before storing)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from finloom.store._models import AuditEvent

__all__ = ["AuditEntry", "list_audit", "record_audit"]


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


@dataclass(frozen=True)
class AuditEntry:
    """An audit event to record inside the transaction that makes a change (services build it).

    The registries and the job service take one as ``audit=`` and call :meth:`record` in the
    session that publishes, deletes or stores the object, so the change and its record commit
    together or not at all. ``target`` defaults to the object the store names (a job id, a
    dataset name); ``record`` may add details only the store knows (a version, a row count).

    Examples
    --------
    >>> from finloom.store import make_engine, make_session_factory, upgrade_database
    >>> engine = make_engine("sqlite://"); upgrade_database(engine)
    >>> entry = AuditEntry(actor="ana", action="job.submit", details={"kind": "demo.count"})
    >>> with make_session_factory(engine)() as s:
    ...     event = entry.record(s, target="j1", queued=True)
    ...     (event.actor, event.target, event.details)
    ('ana', 'j1', {'kind': 'demo.count', 'queued': True})
    """

    actor: str
    action: str
    target: str | None = None
    details: dict[str, Any] = field(default_factory=dict)

    def record(self, session: Session, *, target: str = "", **details: Any) -> AuditEvent:
        """Append this event in ``session`` (the caller's transaction)."""
        target = self.target if self.target is not None else target
        return record_audit(session, actor=self.actor, action=self.action, target=target,
                            details={**self.details, **details})


def list_audit(session: Session, *, action: str | None = None, limit: int = 200) -> list[AuditEvent]:
    """Newest events first, optionally only one action."""
    query = select(AuditEvent).order_by(AuditEvent.id.desc()).limit(limit)
    if action:
        query = query.where(AuditEvent.action == action)
    return list(session.scalars(query))
