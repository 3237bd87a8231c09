"""One turn of each medium, for the API, the web page and the CLI alike: a voice message (WAV in,
transcript, reply, reply spoken) and a document upload (OCR + fields, answer from the fields)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from finloom.apps.customer_service._doc_answers import DocumentFacts
from finloom.apps.customer_service._speech import SpeechRecognizer, Transcript, synthesize_speech
from finloom.errors import FinloomError

if TYPE_CHECKING:
    from finloom.apps.customer_service._assistant import CustomerServiceAssistant, Reply

__all__ = ["MAX_DOCUMENT_PAGES", "VoiceReply", "document_turn", "read_chat_document", "voice_turn"]

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


def voice_turn(bot: CustomerServiceAssistant, recognizer: SpeechRecognizer, session_id: str, audio: bytes, *,
               lang: str = "en", speak: bool = True) -> VoiceReply:
    """WAV ``audio`` -> transcript (offline, English) -> the assistant's reply -> the reply spoken
    by espeak-ng in the reply's language.

    Raises ``InvalidDataError`` for a non-WAV, empty, silent or Chinese recording or one with no
    words recognised, ``PayloadTooLargeError`` for one longer than 30 s.

    Examples
    --------
    >>> from finloom.apps.customer_service.service import build_demo_assistant, build_speech_recognizer
    >>> bot, rec = build_demo_assistant(), build_speech_recognizer()  # doctest: +SKIP
    >>> s = bot.start_session(customer_id="c1")  # doctest: +SKIP
    >>> voice_turn(bot, rec, s.id, synthesize_speech("what is my balance")).reply.intent  # doctest: +SKIP
    'check_balance'
    """
    transcript = recognizer.transcribe(audio, lang=lang)
    reply = bot.handle_message(session_id, transcript.text)
    spoken, audio_error = None, None
    if speak and reply.text:
        try:
            spoken = synthesize_speech(reply.text, reply.lang)
        except FinloomError as exc:
            audio_error = exc.message
    return VoiceReply(transcript, reply, spoken, audio_error)


def read_chat_document(data: bytes, filename: str, lang: str) -> DocumentFacts:
    """The fields of an uploaded photo or PDF (its first pages) read by the documents engine; an
    ID number is kept masked. Raises ``UnreadableDocumentError`` for a file that is not an image
    or PDF, ``MissingDependencyError`` without tesseract.

    Examples
    --------
    >>> import io
    >>> from finloom.documents import generate_document
    >>> buf = io.BytesIO(); generate_document("payslip", "en", noise="none", seed=3).image.save(buf, "PNG")
    >>> facts = read_chat_document(buf.getvalue(), "slip.png", "en")  # doctest: +SKIP
    >>> facts.doc_type, facts.fields["net_income"]  # doctest: +SKIP
    ('payslip', '5975.54')
    """
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


def document_turn(bot: CustomerServiceAssistant, session_id: str, data: bytes, filename: str, *,
                  question: str | None = None, lang: str | None = None) -> tuple[Reply, DocumentFacts]:
    """Read an uploaded document (in ``lang`` or the conversation's language), keep it in the
    conversation and answer ``question`` from its fields (or summarise what was read).

    Raises ``InvalidDataError`` for a page with no readable fields, ``UnreadableDocumentError``
    for a file that is not an image or PDF.
    """
    facts = read_chat_document(data, filename, lang or bot.store.get_session(session_id).lang)
    return bot.attach_document(session_id, facts, question), facts
