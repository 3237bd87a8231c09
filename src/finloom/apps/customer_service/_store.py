"""Conversation state: sessions, turns, the :class:`ConversationStore` protocol and an
in-memory implementation (the SQL one lives on ``finloom.store``)."""

from __future__ import annotations

import copy
import datetime as dt
import threading
import uuid
from dataclasses import asdict, dataclass, field
from typing import Any, Protocol, runtime_checkable

from finloom.errors import NotFoundError, did_you_mean

__all__ = [
    "HANDOFF_STATUSES",
    "ConversationStore",
    "InMemoryConversationStore",
    "Session",
    "Turn",
]

# none: the bot answers; requested: waiting in the agent queue; agent: a human has taken over;
# closed: the conversation ended.
HANDOFF_STATUSES = ("none", "requested", "agent", "closed")
ROLES = ("customer", "assistant", "agent", "system")


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass
class Session:
    """The state of one conversation.

    ``slots`` holds the active task (``task``, its filled slots, what is awaited) and flags such
    as a pending offer of a human; ``failures`` counts consecutive misunderstandings.
    """

    id: str
    customer_id: str | None = None
    lang: str = "en"
    created_at: dt.datetime = field(default_factory=_now)
    updated_at: dt.datetime = field(default_factory=_now)
    intents: list[str] = field(default_factory=list)
    slots: dict[str, Any] = field(default_factory=dict)
    failures: int = 0
    handoff_status: str = "none"
    handoff_reason: str | None = None
    handoff_summary: str | None = None
    agent_id: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-able view."""
        out = asdict(self)
        out["created_at"] = self.created_at.isoformat()
        out["updated_at"] = self.updated_at.isoformat()
        return out


@dataclass(frozen=True)
class Turn:
    """One message: ``role`` is customer, assistant, agent or system. ``meta`` carries the
    intent, confidence, cited article ids, entities and the reply kind."""

    session_id: str
    index: int
    role: str
    text: str
    created_at: dt.datetime = field(default_factory=_now)
    meta: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """JSON-able view."""
        out = asdict(self)
        out["created_at"] = self.created_at.isoformat()
        return out


@runtime_checkable
class ConversationStore(Protocol):
    """Where sessions and turns live. Implementations must be safe to call from several threads
    and must return copies (callers change a session, then call :meth:`update_session`)."""

    def create_session(self, *, customer_id: str | None = None, lang: str = "en") -> Session:
        """Create and return a new session with a fresh unique id."""
        ...

    def get_session(self, session_id: str) -> Session:
        """Return the session; raise :class:`~finloom.errors.NotFoundError` when unknown."""
        ...

    def update_session(self, session: Session) -> Session:
        """Persist the session's fields (slots, intents, handoff status...)."""
        ...

    def append_turn(self, session_id: str, role: str, text: str,
                    meta: dict[str, Any] | None = None) -> Turn:
        """Append one turn with the next index; raise NotFoundError for an unknown session."""
        ...

    def list_turns(self, session_id: str, *, limit: int | None = None) -> list[Turn]:
        """Turns in order (the last ``limit`` when given)."""
        ...

    def list_handoff_queue(self) -> list[Session]:
        """Sessions waiting for or handled by a human (status requested or agent), oldest first."""
        ...


class InMemoryConversationStore:
    """A thread-safe :class:`ConversationStore` kept in process memory (demo, tests, CLI).

    Examples
    --------
    >>> store = InMemoryConversationStore()
    >>> s = store.create_session(customer_id="c1")
    >>> _ = store.append_turn(s.id, "customer", "hi")
    >>> [t.text for t in store.list_turns(s.id)]
    ['hi']
    >>> store.get_session("nope")
    Traceback (most recent call last):
    ...
    finloom.errors.NotFoundError: session_id must be an existing session; got 'nope'. Create a session first.
    """

    def __init__(self) -> None:
        self._sessions: dict[str, Session] = {}
        self._turns: dict[str, list[Turn]] = {}
        self._lock = threading.Lock()

    def _require(self, session_id: str) -> Session:
        session = self._sessions.get(session_id)
        if session is None:
            hint = did_you_mean(str(session_id), self._sessions)
            raise NotFoundError(f"session_id must be an existing session; got {session_id!r}. "
                                f"Create a session first.{hint}")
        return session

    def create_session(self, *, customer_id: str | None = None, lang: str = "en") -> Session:
        session = Session(id=uuid.uuid4().hex, customer_id=customer_id, lang=lang)
        with self._lock:
            self._sessions[session.id] = session
            self._turns[session.id] = []
        return copy.deepcopy(session)

    def get_session(self, session_id: str) -> Session:
        with self._lock:
            return copy.deepcopy(self._require(session_id))

    def update_session(self, session: Session) -> Session:
        with self._lock:
            self._require(session.id)
            session.updated_at = _now()
            self._sessions[session.id] = copy.deepcopy(session)
        return session

    def append_turn(self, session_id: str, role: str, text: str,
                    meta: dict[str, Any] | None = None) -> Turn:
        if role not in ROLES:
            raise ValueError(f"role must be one of {list(ROLES)}; got {role!r}.")
        with self._lock:
            self._require(session_id)
            turns = self._turns[session_id]
            turn = Turn(session_id, len(turns), role, text, meta=dict(meta or {}))
            turns.append(turn)
        return turn

    def list_turns(self, session_id: str, *, limit: int | None = None) -> list[Turn]:
        with self._lock:
            self._require(session_id)
            turns = list(self._turns[session_id])
        return turns[-limit:] if limit else turns

    def list_handoff_queue(self) -> list[Session]:
        with self._lock:
            waiting = [copy.deepcopy(s) for s in self._sessions.values()
                       if s.handoff_status in ("requested", "agent")]
        return sorted(waiting, key=lambda s: s.updated_at)
