"""Customer-service chat actions that involve people (handoffs and the agent desk), each audited."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from finloom.errors import FinloomError
from finloom.store import record_audit
from finloom.workbench import Workbench

if TYPE_CHECKING:
    from finloom.apps.customer_service import Reply, Turn
    from finloom.apps.customer_service._doc_answers import DocumentFacts
    from finloom.apps.customer_service._speech import Transcript

__all__ = ["VoiceReply", "agent_reply", "read_chat_document", "release", "request_handoff", "return_to_bot",
           "send_document", "send_message", "send_voice_message", "take_over"]

MAX_DOCUMENT_PAGES = 3


@dataclass(frozen=True)
class VoiceReply:
    """A spoken message's transcript, the assistant's reply, and the reply spoken (WAV bytes, or
    ``None`` with ``audio_error`` saying why, e.g. espeak-ng missing)."""

    transcript: Transcript
    reply: Reply
    audio: bytes | None
    audio_error: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-able view without the audio bytes."""
        return {"transcript": self.transcript.text, "audio_seconds": self.transcript.seconds,
                "decode_ms": self.transcript.decode_ms, "reply": self.reply.to_dict(),
                "audio_error": self.audio_error}


def _record(workbench: Workbench, actor: str, action: str, session_id: str, **details: object) -> None:
    with workbench.session() as session:
        record_audit(session, actor=actor, action=action, target=session_id, details=dict(details))


def send_message(workbench: Workbench, actor: str, session_id: str, text: str) -> Reply:
    """The assistant's reply to the customer's ``text``; a reply that hands the chat to a human
    is audited as ``chat.handoff``. Raises ``WarmingUpError`` until the assistant is built."""
    reply = workbench.assistant().handle_message(session_id, text)
    if reply.kind == "handoff":
        _record(workbench, actor, "chat.handoff", session_id, reason="assistant")
    return reply


def send_voice_message(workbench: Workbench, actor: str, session_id: str, audio: bytes, *,
                       lang: str = "en", speak: bool = True) -> VoiceReply:
    """A spoken message: WAV ``audio`` -> transcript (offline, English) -> the assistant's reply
    -> the reply spoken by espeak-ng in the reply's language. Audited as ``chat.voice`` (length,
    words heard, reply kind; not the words themselves), and as ``chat.handoff`` when the reply
    hands the chat to a human.

    Raises ``InvalidDataError`` for a non-WAV, empty, silent or Chinese recording or one with no
    words recognised, ``PayloadTooLargeError`` for one longer than 30 s, ``MissingDependencyError``
    without PocketSphinx.
    """
    transcript = workbench.speech_recognizer.transcribe(audio, lang=lang)
    reply = send_message(workbench, actor, session_id, transcript.text)
    spoken, audio_error = None, None
    if speak and reply.text:
        from finloom.apps.customer_service._speech import synthesize_speech

        try:
            spoken = synthesize_speech(reply.text, reply.lang)
        except FinloomError as exc:
            audio_error = exc.message
    _record(workbench, actor, "chat.voice", session_id, seconds=transcript.seconds,
            words=len(transcript.text.split()), kind=reply.kind, spoken=spoken is not None)
    return VoiceReply(transcript, reply, spoken, audio_error)


def read_chat_document(data: bytes, filename: str, lang: str) -> DocumentFacts:
    """The fields of an uploaded photo or PDF (its first pages) read by the documents engine; an
    ID number is kept masked. Raises ``UnreadableDocumentError`` for a file that is not an image
    or PDF and ``MissingDependencyError`` without tesseract."""
    from finloom.apps.customer_service._doc_answers import DocumentFacts
    from finloom.documents import DocumentLimits, check_tesseract, load_pages, read_page

    check_tesseract()
    pages = load_pages(data, name=filename, limits=DocumentLimits(max_pages=MAX_DOCUMENT_PAGES))
    fields: dict[str, str | None] = {}
    doc_type, transactions = None, 0
    for page in pages:
        ex = read_page(page, lang)
        doc_type = doc_type or ex.doc_type
        transactions += len(ex.transactions)
        for key, value in ex.values().items():
            fields[key] = fields.get(key) or value
    if fields.get("id_number"):
        fields["id_number"] = "****" + str(fields["id_number"])[-4:]
    return DocumentFacts(filename, doc_type, lang, fields, transactions)


def send_document(workbench: Workbench, actor: str, session_id: str, data: bytes, filename: str, *,
                  question: str | None = None, lang: str | None = None) -> Reply:
    """A document uploaded in the chat: read it (OCR + fields, in ``lang`` or the conversation's
    language), keep it in the conversation and answer ``question`` about it from its fields (or
    summarise what was read). Audited as ``chat.document`` (type and field names, not values).

    Raises ``InvalidDataError`` for a page with no readable fields, ``UnreadableDocumentError``
    for a file that is not an image or PDF.
    """
    bot = workbench.assistant()
    ocr_lang = lang or bot.store.get_session(session_id).lang
    facts = read_chat_document(data, filename, ocr_lang)
    reply = bot.attach_document(session_id, facts, question)
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
