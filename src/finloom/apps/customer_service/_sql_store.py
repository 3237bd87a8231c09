"""A :class:`ConversationStore` on the finloom database (SQLite or PostgreSQL)."""

from __future__ import annotations

import time
import uuid
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session as DbSession
from sqlalchemy.orm import sessionmaker

from finloom.apps.customer_service._store import ROLES, Session, Turn
from finloom.errors import ConfigError, NotFoundError
from finloom.store import ChatSession, ChatTurn, session_scope
from finloom.store._models import utcnow

__all__ = ["SqlConversationStore"]

_FIELDS = ("customer_id", "lang", "intents", "slots", "failures", "handoff_status", "handoff_reason",
           "handoff_summary", "agent_id")


def _session(row: ChatSession) -> Session:
    return Session(
        id=row.id, customer_id=row.customer_id, lang=row.lang, created_at=row.created_at, updated_at=row.updated_at,
        intents=list(row.intents or []), slots=dict(row.slots or {}), failures=row.failures,
        handoff_status=row.handoff_status, handoff_reason=row.handoff_reason,
        handoff_summary=row.handoff_summary, agent_id=row.agent_id,
    )


def _turn(row: ChatTurn) -> Turn:
    return Turn(row.session_id, row.index, row.role, row.text, created_at=row.created_at, meta=dict(row.meta or {}))


class SqlConversationStore:
    """Sessions and turns persisted in ``chat_sessions`` / ``chat_turns``; safe across threads.

    Examples
    --------
    >>> from finloom.store import make_engine, make_session_factory, upgrade_database
    >>> engine = make_engine("sqlite://"); upgrade_database(engine)
    >>> store = SqlConversationStore(make_session_factory(engine))
    >>> s = store.create_session(customer_id="c1")
    >>> _ = store.append_turn(s.id, "customer", "hi")
    >>> [t.text for t in store.list_turns(s.id)]
    ['hi']
    """

    def __init__(self, factory: sessionmaker[DbSession]) -> None:
        self.factory = factory

    def _row(self, db: DbSession, session_id: str, *, lock: bool = False) -> ChatSession:
        row = db.get(ChatSession, str(session_id)[:32], with_for_update=lock)
        if row is None:
            raise NotFoundError(f"session_id must be an existing session; got {session_id!r}. Create a session first.")
        return row

    def create_session(self, *, customer_id: str | None = None, lang: str = "en") -> Session:
        row = ChatSession(id=uuid.uuid4().hex, customer_id=customer_id, lang=lang, intents=[], slots={})
        with session_scope(self.factory) as db:
            db.add(row)
            db.flush()
            return _session(row)

    def get_session(self, session_id: str) -> Session:
        with session_scope(self.factory) as db:
            return _session(self._row(db, session_id))

    def update_session(self, session: Session) -> Session:
        with session_scope(self.factory) as db:
            row = self._row(db, session.id)
            for name in _FIELDS:
                setattr(row, name, getattr(session, name))
            row.updated_at = session.updated_at = utcnow()
        return session

    def append_turn(self, session_id: str, role: str, text: str, meta: dict[str, Any] | None = None) -> Turn:
        if role not in ROLES:
            raise ConfigError(f"role must be one of {list(ROLES)}; got {role!r}.")
        # The session row is locked (PostgreSQL) so writers of one conversation queue up; SQLite
        # serialises writers itself, and a lost race on the unique index is retried.
        for attempt in range(20):
            try:
                with session_scope(self.factory) as db:
                    session_row = self._row(db, session_id, lock=True)
                    index = db.scalar(select(func.count()).where(ChatTurn.session_id == session_row.id)) or 0
                    row = ChatTurn(session_id=session_row.id, index=index, role=role, text=text, meta=dict(meta or {}))
                    db.add(row)
                    session_row.updated_at = utcnow()
                    db.flush()
                    return _turn(row)
            except IntegrityError:
                time.sleep(0.005 * (attempt + 1))
        raise ConfigError(f"turn could not be stored for session {session_id!r} after 20 attempts; retry.")

    def list_turns(self, session_id: str, *, limit: int | None = None) -> list[Turn]:
        with session_scope(self.factory) as db:
            self._row(db, session_id)
            rows = db.scalars(select(ChatTurn).where(ChatTurn.session_id == session_id).order_by(ChatTurn.index)).all()
            turns = [_turn(r) for r in rows]
        return turns[-limit:] if limit else turns

    def list_handoff_queue(self) -> list[Session]:
        with session_scope(self.factory) as db:
            rows = db.scalars(
                select(ChatSession).where(ChatSession.handoff_status.in_(("requested", "agent"))).order_by(ChatSession.updated_at)
            ).all()
            return [_session(r) for r in rows]
