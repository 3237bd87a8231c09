"""Customer-service chat actions, each audited: messages (typed, spoken, documents), handoffs and the agent desk."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from finloom.store import record_audit
from finloom.workbench import Workbench

if TYPE_CHECKING:
    from finloom.apps.customer_service import Reply, Turn, VoiceReply

__all__ = ["agent_reply", "release", "request_handoff", "return_to_bot", "send_document", "send_message",
           "send_voice_message", "take_over"]


def _record(workbench: Workbench, actor: str, action: str, session_id: str, **details: object) -> None:
    with workbench.session() as session:
        record_audit(session, actor=actor, action=action, target=session_id, details=dict(details))


def _record_handoff(workbench: Workbench, actor: str, session_id: str, reply: Reply) -> None:
    """A reply in which the assistant hands the chat to a human is audited as ``chat.handoff``."""
    if reply.kind == "handoff":
        _record(workbench, actor, "chat.handoff", session_id, reason="assistant")


def send_message(workbench: Workbench, actor: str, session_id: str, text: str, *, role: str = "viewer",
                 hub: Any = None) -> Reply:
    """The assistant's reply to the customer's ``text``, with the workspace's tools for a caller of
    ``role`` (the principal's: viewer = customer, analyst/admin = staff; ``hub`` the monitoring
    hub of this process). A reply that hands the chat to a human is audited as ``chat.handoff``;
    every tool reply as ``chat.tool`` (tool, reply kind, role; no message text or values).
    Raises ``WarmingUpError`` until the assistant is built."""
    from finloom.services.assistant_tools import tool_context

    tools = tool_context(workbench, actor, role, hub=hub)
    reply = workbench.assistant().handle_message(session_id, text, tools=tools)
    _record_handoff(workbench, actor, session_id, reply)
    if reply.intent in tools.registry and reply.kind in ("tool_result", "tool_prompt", "tool_denied", "chart",
                                                        "task_error", "cancelled"):
        _record(workbench, actor, "chat.tool", session_id, tool=reply.intent, kind=reply.kind, role=tools.role)
    return reply


def send_voice_message(workbench: Workbench, actor: str, session_id: str, audio: bytes, *,
                       lang: str = "en", speak: bool = True) -> VoiceReply:
    """A spoken message (see :func:`~finloom.apps.customer_service.voice_turn`) with the workspace's
    recogniser. Audited as ``chat.voice`` (length, words heard, reply kind; not the words), and as
    ``chat.handoff`` when the reply hands the chat to a human.

    Raises ``InvalidDataError`` for a non-WAV, empty, silent or Chinese recording or one with no
    words recognised, ``PayloadTooLargeError`` for one longer than 30 s, ``MissingDependencyError``
    without PocketSphinx.
    """
    from finloom.apps.customer_service import voice_turn

    out = voice_turn(workbench.assistant(), workbench.speech_recognizer, session_id, audio, lang=lang, speak=speak)
    _record_handoff(workbench, actor, session_id, out.reply)
    _record(workbench, actor, "chat.voice", session_id, seconds=out.transcript.seconds,
            words=len(out.transcript.text.split()), kind=out.reply.kind, spoken=out.audio is not None)
    return out


def send_document(workbench: Workbench, actor: str, session_id: str, data: bytes, filename: str, *,
                  question: str | None = None, lang: str | None = None) -> Reply:
    """A document uploaded in the chat (see :func:`~finloom.apps.customer_service.document_turn`).
    Audited as ``chat.document`` (type and field names, not values).

    Raises ``InvalidDataError`` for a page with no readable fields, ``UnreadableDocumentError``
    for a file that is not an image or PDF, ``MissingDependencyError`` without tesseract.
    """
    from finloom.apps.customer_service import document_turn

    reply, facts = document_turn(workbench.assistant(), session_id, data, filename, question=question, lang=lang)
    _record(workbench, actor, "chat.document", session_id, doc_type=facts.doc_type, fields=sorted(facts.known()))
    return reply


def request_handoff(workbench: Workbench, actor: str, session_id: str) -> Reply:
    """The customer asks for a human; audit ``chat.handoff``."""
    reply = workbench.assistant().request_handoff(session_id)
    _record(workbench, actor, "chat.handoff", session_id, reason="requested")
    return reply


def return_to_bot(workbench: Workbench, actor: str, session_id: str) -> Reply:
    """The customer leaves the queue for a person and carries on with the assistant (before an
    agent has taken over; afterwards the agent releases it); audit ``chat.return_to_bot``."""
    reply = workbench.assistant().return_to_bot(session_id)
    _record(workbench, actor, "chat.return_to_bot", session_id)
    return reply


def take_over(workbench: Workbench, actor: str, session_id: str) -> Turn:
    """Agent ``actor`` takes the conversation over from the assistant; audit ``chat.takeover``."""
    turn = workbench.assistant().agent_take_over(session_id, actor)
    _record(workbench, actor, "chat.takeover", session_id)
    return turn


def agent_reply(workbench: Workbench, actor: str, session_id: str, text: str) -> Turn:
    """Agent ``actor``'s reply, shown in the customer's chat; audit ``chat.agent_reply``."""
    turn = workbench.assistant().agent_reply(session_id, actor, text)
    _record(workbench, actor, "chat.agent_reply", session_id, turn=turn.index)
    return turn


def release(workbench: Workbench, actor: str, session_id: str) -> Turn:
    """Agent ``actor`` hands the conversation back to the assistant; audit ``chat.release``."""
    turn = workbench.assistant().release_to_bot(session_id, actor)
    _record(workbench, actor, "chat.release", session_id)
    return turn
