"""The human side of a conversation: handoff to the agent queue, an agent taking over and replying,
and the way back to the assistant (the agent releases it, or the customer leaves the queue)."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

from finloom.apps.customer_service._handoff import summarize_transcript
from finloom.apps.customer_service._messages import say
from finloom.apps.customer_service._store import ConversationStore, Session, Turn
from finloom.errors import ConflictError

if TYPE_CHECKING:
    from finloom.apps.customer_service._assistant import Reply

__all__ = ["AgentDesk"]


class AgentDesk:
    """Handoff and agent-desk methods of :class:`CustomerServiceAssistant` (a mixin: it uses the
    assistant's store, per-session locks and reply helper)."""

    store: ConversationStore

    def _lock(self, session_id: str) -> threading.Lock:
        raise NotImplementedError

    def _validate(self, text: Any, what: str = "message") -> str:
        raise NotImplementedError

    def _say(self, session: Session, text: str, lang: str, kind: str, *, intent: str | None = None,
             confidence: float | None = None, citations: tuple[str, ...] = ()) -> Reply:
        raise NotImplementedError

    def _handoff(self, session: Session, reason: str, lang: str) -> Reply:
        session.slots.pop("offer_human", None)
        session.handoff_status = "requested"
        session.handoff_reason = reason
        session.handoff_summary = summarize_transcript(session, self.store.list_turns(session.id))
        text = say("handoff_requested", lang, why=say(f"why_{reason}", lang))
        intent = {"requested": "human_agent", "complaint": "complaint"}.get(reason)
        return self._say(session, text, lang, "handoff", intent=intent)

    def request_handoff(self, session_id: str, *, reason: str = "requested") -> Reply:
        """Put the conversation in the agent queue (e.g. the "talk to a person" button)."""
        with self._lock(session_id):
            session = self.store.get_session(session_id)
            if session.handoff_status in ("requested", "agent"):
                raise ConflictError(f"handoff status must be 'none' to request a human; got "
                                    f"'{session.handoff_status}'. An agent is already on the way.")
            return self._handoff(session, reason, session.lang)

    def handoff_queue(self) -> list[Session]:
        """Sessions waiting for or handled by an agent, with reason and summary, oldest first."""
        return self.store.list_handoff_queue()

    def agent_take_over(self, session_id: str, agent_id: str) -> Turn:
        """Agent ``agent_id`` takes the conversation; the customer is told who joined."""
        agent_id = self._validate(agent_id, "agent_id")
        with self._lock(session_id):
            session = self.store.get_session(session_id)
            if session.handoff_status == "agent" and session.agent_id != agent_id:
                raise ConflictError(f"session must not be handled by another agent; got agent "
                                    f"'{session.agent_id}'. Pick another conversation.")
            session.handoff_status, session.agent_id = "agent", agent_id
            session.slots.pop("task", None)
            self.store.update_session(session)
            return self.store.append_turn(session_id, "system",
                                          say("agent_joined", session.lang, agent=agent_id),
                                          {"kind": "agent_joined", "agent_id": agent_id})

    def agent_reply(self, session_id: str, agent_id: str, text: str) -> Turn:
        """Append an agent's reply (shown to the customer as is, as plain text)."""
        text = self._validate(text)
        with self._lock(session_id):
            session = self.store.get_session(session_id)
            if session.handoff_status != "agent" or session.agent_id != agent_id:
                raise ConflictError(f"session must be taken over by '{agent_id}' before replying; "
                                    f"got status '{session.handoff_status}' with agent "
                                    f"{session.agent_id!r}. Call agent_take_over first.")
            return self.store.append_turn(session_id, "agent", text, {"agent_id": agent_id})

    def return_to_bot(self, session_id: str) -> Reply:
        """The customer leaves the queue for a person and carries on with the assistant (only
        while no agent has taken the conversation; an agent releases it with :meth:`release_to_bot`).

        Raises
        ------
        ConflictError
            The conversation is not waiting for a person.
        """
        with self._lock(session_id):
            session = self.store.get_session(session_id)
            if session.handoff_status != "requested":
                raise ConflictError(f"handoff status must be 'requested' to go back to the assistant; "
                                    f"got '{session.handoff_status}'. An agent who has taken over "
                                    "releases the conversation instead.")
            return self._leave_queue(session, session.lang)

    def _leave_queue(self, session: Session, lang: str) -> Reply:
        session.handoff_status, session.handoff_reason, session.failures = "none", None, 0
        session.slots.pop("task", None)
        return self._say(session, say("customer_left_queue", lang), lang, "returned_to_bot")

    def release_to_bot(self, session_id: str, agent_id: str) -> Turn:
        """The agent hands the conversation back to the assistant."""
        with self._lock(session_id):
            session = self.store.get_session(session_id)
            if session.agent_id != agent_id:
                raise ConflictError(f"session must be handled by '{agent_id}' to release it; got "
                                    f"{session.agent_id!r}.")
            session.handoff_status, session.agent_id, session.failures = "none", None, 0
            self.store.update_session(session)
            return self.store.append_turn(session_id, "system", say("returned_to_bot", session.lang),
                                          {"kind": "returned_to_bot"})
