"""Documents in and charts out in the dialogue: a document the customer uploads (its fields read
by the documents engine beforehand) is kept in the session and questions about it are answered
from its fields; "show my spending by category" is answered with a chart and its data table."""

from __future__ import annotations

import threading
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from finloom.apps.customer_service._banking import CoreBanking
from finloom.apps.customer_service._doc_answers import (
    DocumentFacts,
    answer_document_question,
    asks_about_document,
    describe_document,
)
from finloom.apps.customer_service._lang import detect_language
from finloom.apps.customer_service._messages import say
from finloom.apps.customer_service._spending import (
    CATEGORY_LABELS,
    asks_for_spending_chart,
    spending_by_category,
    spending_chart_png,
)
from finloom.apps.customer_service._store import ConversationStore, Session

if TYPE_CHECKING:
    from finloom.apps.customer_service._assistant import Reply

__all__ = ["MediaDesk"]


class MediaDesk:
    """Document and chart methods of :class:`CustomerServiceAssistant` (a mixin: it uses the
    assistant's store, bank, per-session locks and reply helper)."""

    store: ConversationStore
    bank: CoreBanking

    def _lock(self, session_id: str) -> threading.Lock:
        raise NotImplementedError

    def _validate(self, text: Any, what: str = "message") -> str:
        raise NotImplementedError

    def _say(self, session: Session, text: str, lang: str, kind: str, *, intent: str | None = None,
             confidence: float | None = None, citations: tuple[str, ...] = (),
             meta: dict[str, Any] | None = None) -> Reply:
        raise NotImplementedError

    def attach_document(self, session_id: str, facts: DocumentFacts, question: str | None = None) -> Reply:
        """The customer uploaded a document whose fields are ``facts``: keep it in the session and
        answer ``question`` about it (or summarise what was read). Kind ``document_answer``.

        Raises ``InvalidDataError`` when no field was read (the page has no readable text) or the
        question is empty; ``PayloadTooLargeError`` for an over-long question.
        """
        lang_hint = facts.lang
        question = self._validate(question, "question") if question is not None else None
        with self._lock(session_id):
            session = self.store.get_session(session_id)
            lang = session.lang if question is None else detect_language(question).lang
            lang = lang if lang in ("en", "zh") else lang_hint
            if question:
                text, field_name = answer_document_question(facts, question, lang)
            else:
                text, field_name = describe_document(facts, lang), None
            shown = f"[{facts.name}] {question}" if question else f"[{facts.name}]"
            self.store.append_turn(session.id, "customer", shown, {"document": facts.doc_type, "lang": lang})
            session.slots["document"] = facts.to_dict()
            session.slots["document_turn"] = len(session.intents)
            session.intents.append("document")
            reply = self._say(session, text, lang, "document_answer", intent="document")
            return replace(reply, attachment={"type": "document", "doc_type": facts.doc_type,
                                              "field": field_name, "fields": facts.known()})

    def _media_reply(self, session: Session, text: str, lang: str) -> Reply | None:
        """A chart or document answer for this message, or ``None`` (the dialogue goes on as usual).
        The caller has stored the customer's turn and appended the message's intent."""
        if asks_for_spending_chart(text):
            return self._spending_chart(session, lang)
        stored = session.slots.get("document")
        if stored is None:
            return None
        facts = DocumentFacts.from_dict(stored)
        just_uploaded = session.slots.get("document_turn") == len(session.intents) - 2
        if not asks_about_document(text, lang, facts, just_uploaded=just_uploaded):
            return None
        answer, field_name = answer_document_question(facts, text, lang)
        session.intents[-1] = "document"
        session.slots["document_turn"] = len(session.intents) - 1
        reply = self._say(session, answer, lang, "document_answer", intent="document")
        return replace(reply, attachment={"type": "document", "doc_type": facts.doc_type, "field": field_name,
                                          "fields": facts.known()})

    def _spending_chart(self, session: Session, lang: str) -> Reply:
        if not session.customer_id:
            return self._say(session, say("need_login", lang), lang, "need_login", intent="spending_chart")
        summary = spending_by_category(self.bank, session.customer_id)
        if not summary.rows:
            return self._say(session, say("no_spending", lang), lang, "answer", intent="spending_chart")
        i = 1 if lang == "zh" else 0
        cur = summary.currency
        parts = [f"{CATEGORY_LABELS[c][i]} {cur} {v:,.2f}" for c, v in summary.rows]
        text = say("spending_chart", lang, n=summary.transactions, since=summary.since,
                   parts=("，" if lang == "zh" else ", ").join(parts), total=f"{cur} {summary.total:,.2f}")
        chart = {"type": "chart", "title": "spending_by_category", "currency": cur, "lang": lang,
                 "table": summary.table(lang)}
        reply = self._say(session, text, lang, "chart", intent="spending_chart", meta={"chart": chart})
        return replace(reply, attachment={**chart, "png_base64": spending_chart_png(summary, lang)})
