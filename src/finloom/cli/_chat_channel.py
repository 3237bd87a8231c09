"""The two ways ``finloom chat`` talks to the assistant: through the service layer on the
workspace's assistant (tools, role checks and audit records, as over HTTP), or in process on an
assistant built from the user's own knowledge base (no tools)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from finloom.apps.customer_service import CustomerServiceAssistant, Reply, Turn, VoiceReply
    from finloom.workbench import Workbench

__all__ = ["ROLES", "LocalChannel", "WorkspaceChannel"]

# the CLI's --role -> the principal role the service layer checks tools against
ROLES = {"customer": "viewer", "analyst": "analyst"}


@dataclass
class WorkspaceChannel:
    """One chat session on the workspace's assistant; every message goes through
    :mod:`finloom.services.chat` as ``actor`` with ``role`` ("viewer" or "analyst")."""

    workbench: Workbench
    actor: str
    role: str
    session_id: str = ""

    @classmethod
    def open(cls, workbench: Workbench, actor: str, role: str, customer: str) -> WorkspaceChannel:
        """Build the workspace's assistant (waiting for it) and start a session for ``customer``."""
        bot = workbench.assistant_warmup.wait()
        return cls(workbench, actor, role, bot.start_session(customer_id=customer).id)

    @property
    def bot(self) -> CustomerServiceAssistant:
        return self.workbench.assistant()

    def send(self, text: str) -> Reply:
        from finloom.services import chat

        return chat.send_message(self.workbench, self.actor, self.session_id, text, role=self.role)

    def upload(self, path: Path) -> Reply:
        from finloom.services import chat

        return chat.send_document(self.workbench, self.actor, self.session_id, path.read_bytes(), path.name)

    def voice(self, audio: bytes, *, speak: bool) -> VoiceReply:
        from finloom.services import chat

        return chat.send_voice_message(self.workbench, self.actor, self.session_id, audio, speak=speak)

    def agent_reply(self, text: str) -> Turn:
        from finloom.services import chat

        if self.bot.store.get_session(self.session_id).handoff_status != "agent":
            chat.take_over(self.workbench, self.actor, self.session_id)
        return chat.agent_reply(self.workbench, self.actor, self.session_id, text)

    def release(self) -> None:
        from finloom.services import chat

        chat.release(self.workbench, self.actor, self.session_id)

    def close(self) -> None:
        self.workbench.close()


@dataclass
class LocalChannel:
    """One chat session on an in-process assistant (``--kb``): FAQ answers and card tasks, no tools,
    nothing audited."""

    bot: Any
    session_id: str
    _recognizer: Any = field(default=None, repr=False)

    @classmethod
    def open(cls, bot: Any, customer: str) -> LocalChannel:
        return cls(bot, bot.start_session(customer_id=customer).id)

    def send(self, text: str) -> Reply:
        return self.bot.handle_message(self.session_id, text)  # type: ignore[no-any-return]

    def upload(self, path: Path) -> Reply:
        from finloom.apps.customer_service import document_turn

        reply, _ = document_turn(self.bot, self.session_id, path.read_bytes(), path.name)
        return reply

    def voice(self, audio: bytes, *, speak: bool) -> VoiceReply:
        from finloom.apps.customer_service import build_speech_recognizer, voice_turn

        if self._recognizer is None:
            self._recognizer = build_speech_recognizer()
        return voice_turn(self.bot, self._recognizer, self.session_id, audio, speak=speak)

    def agent_reply(self, text: str) -> Turn:
        if self.bot.store.get_session(self.session_id).handoff_status != "agent":
            self.bot.agent_take_over(self.session_id, "agent")
        return self.bot.agent_reply(self.session_id, "agent", text)  # type: ignore[no-any-return]

    def release(self) -> None:
        self.bot.release_to_bot(self.session_id, "agent")

    def close(self) -> None:
        return None
