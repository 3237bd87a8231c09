"""The dialogue manager: one customer message in, one reply out, with tasks, grounded FAQ
answers, "I don't know" + human offer, handoff to a human agent and agent replies."""

from __future__ import annotations

import re
import threading
from dataclasses import asdict, dataclass, field
from typing import Any

from finloom.apps.customer_service._answer import (
    AnswerGuard,
    GroundingGuard,
    TextBackend,
    compose_answer,
    llm_answer,
    mask_customer_text,
)
from finloom.apps.customer_service._banking import CoreBanking
from finloom.apps.customer_service._entities import extract_entities
from finloom.apps.customer_service._handoff import HandoffPolicy, summarize_transcript
from finloom.apps.customer_service._intents import (
    BANKING77_ROUTES,
    ROUTED_INTENTS,
    TASK_INTENTS,
    IntentClassifier,
)
from finloom.apps.customer_service._lang import detect_language
from finloom.apps.customer_service._messages import is_no, is_yes, say
from finloom.apps.customer_service._retrieval import KnowledgeBase
from finloom.apps.customer_service._sentiment import sentiment_score
from finloom.apps.customer_service._store import ConversationStore, Session, Turn
from finloom.apps.customer_service._tasks import MAX_SLOT_RETRIES, TaskRunner
from finloom.errors import ConflictError, InvalidDataError, PayloadTooLargeError

__all__ = ["AssistantConfig", "CustomerServiceAssistant", "Reply"]

_HOWTO = re.compile(r"^(how (do|can|to|long|much|does|will)|what (happens|is the|are the|does|if)|why|"
                    r"when|where|is it|can i|do i|does)\b|怎么|如何|多久|为什么|能不能|可以.*吗",
                    re.I)
_IMPERATIVE = re.compile(r"\b(can you|could you|please|i want|i need|i'd like)\b|帮我|请帮|我要|给我|麻烦",
                         re.I)


@dataclass(frozen=True)
class AssistantConfig:
    """Settings of the assistant.

    Parameters
    ----------
    max_message_chars : longer messages are refused with a clear error.
    top_k : articles retrieved per question.
    min_confidence : idf-weighted share of the question's terms the top article must contain to
        answer a message the intent model flags as out of scope.
    min_coverage : the share every answer needs, even for in-scope messages.
    min_similarity : cosine similarity the top article needs when the retriever is dense.
    min_intent_confidence : below this top probability the message is treated as out of scope
        (never as a task, a complaint or a request for a human).
    min_action_confidence : tasks, greetings, goodbyes, complaints and requests for a human need
        this probability; below it (but in scope) the message is answered from the knowledge base.
    intent_routes : classifier label -> routed intent (e.g. BANKING77 labels onto tasks); labels
        that are neither routed nor mapped are answered from the knowledge base.
    handoff : escalation rules.
    """

    max_message_chars: int = 2000
    top_k: int = 3
    min_confidence: float = 0.3
    min_coverage: float = 0.1
    min_similarity: float = 0.3
    min_intent_confidence: float = 0.3
    min_action_confidence: float = 0.45
    intent_routes: dict[str, str] = field(default_factory=lambda: dict(BANKING77_ROUTES))
    handoff: HandoffPolicy = field(default_factory=HandoffPolicy)


@dataclass(frozen=True)
class Reply:
    """What the customer sees for one message. ``kind`` is one of answer, dont_know, task_prompt,
    task_done, task_error, cancelled, greeting, goodbye, handoff, agent_pending, forwarded,
    unsupported_language, offer_declined, need_login."""

    session_id: str
    text: str
    lang: str
    kind: str
    intent: str | None = None
    confidence: float | None = None
    citations: tuple[str, ...] = ()
    handoff_status: str = "none"
    turn_index: int | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-able view."""
        out = asdict(self)
        out["citations"] = list(self.citations)
        return out


class CustomerServiceAssistant:
    """Customer-service dialogue manager; every collaborator is injected.

    Parameters
    ----------
    classifier : intent model with out-of-scope detection (``predict_intent``).
    knowledge : the :class:`KnowledgeBase` FAQ answers come from.
    store : where sessions and turns are kept (:class:`ConversationStore`).
    bank : the :class:`CoreBanking` adapter tasks act through.
    guard : checks answers before sending (default :class:`GroundingGuard`).
    backend : optional LLM backend; its answers go through the guard and fall back to the
        extractive template when rejected.
    config : :class:`AssistantConfig`.

    Examples
    --------
    >>> from finloom.apps.customer_service.service import build_demo_assistant
    >>> bot = build_demo_assistant()  # doctest: +SKIP
    >>> s = bot.start_session(customer_id="demo")  # doctest: +SKIP
    >>> bot.handle_message(s.id, "How long does a new card take to arrive?").citations[0]  # doctest: +SKIP
    'card-delivery-en'
    """

    def __init__(self, *, classifier: IntentClassifier, knowledge: KnowledgeBase,
                 store: ConversationStore, bank: CoreBanking, guard: AnswerGuard | None = None,
                 backend: TextBackend | None = None, config: AssistantConfig | None = None) -> None:
        self.classifier = classifier
        self.knowledge = knowledge
        self.store = store
        self.bank = bank
        self.guard = guard or GroundingGuard()
        self.backend = backend
        self.config = config or AssistantConfig()
        self.tasks = TaskRunner(bank)
        self._locks: dict[str, threading.Lock] = {}
        self._locks_guard = threading.Lock()

    # ------------------------------------------------------------------ sessions
    def start_session(self, *, customer_id: str | None = None, lang: str = "en") -> Session:
        """Open a conversation; ``customer_id`` is the signed-in customer (tasks need one)."""
        if lang not in ("en", "zh"):
            raise InvalidDataError(f"lang must be 'en' or 'zh'; got {lang!r}.")
        return self.store.create_session(customer_id=customer_id, lang=lang)

    def history(self, session_id: str, *, since: int = 0) -> list[Turn]:
        """Turns from index ``since`` on (poll with the last index seen to get agent replies)."""
        return [t for t in self.store.list_turns(session_id) if t.index >= since]

    def _lock(self, session_id: str) -> threading.Lock:
        with self._locks_guard:
            return self._locks.setdefault(session_id, threading.Lock())

    def _validate(self, text: Any, what: str = "message") -> str:
        if not isinstance(text, str):
            raise InvalidDataError(f"{what} must be a string; got {type(text).__name__}.")
        if not text.strip():
            raise InvalidDataError(f"{what} must contain some text; got an empty message. "
                                   "Type a question or a request.")
        if len(text) > self.config.max_message_chars:
            raise PayloadTooLargeError(
                f"{what} must be at most {self.config.max_message_chars} characters; got "
                f"{len(text)}. Shorten it or split it into several messages.")
        return text.strip()

    # ------------------------------------------------------------------ customer messages
    def handle_message(self, session_id: str, text: str) -> Reply:
        """Process one customer message and return the reply (also stored as a turn).

        Raises
        ------
        InvalidDataError
            Empty or non-string message.
        PayloadTooLargeError
            Message longer than ``config.max_message_chars``.
        NotFoundError
            Unknown session id.
        """
        text = self._validate(text)
        with self._lock(session_id):
            session = self.store.get_session(session_id)
            return self._handle(session, text)

    def _handle(self, session: Session, text: str) -> Reply:
        guess = detect_language(text)
        lang = guess.lang if guess.lang in ("en", "zh") else session.lang
        meta: dict[str, Any] = {"lang": guess.lang}
        if session.handoff_status in ("requested", "agent"):
            self.store.append_turn(session.id, "customer", mask_customer_text(text), meta)
            if session.handoff_status == "agent":
                return Reply(session.id, "", lang, "forwarded", handoff_status="agent")
            return self._say(session, say("agent_pending", lang), lang, "agent_pending")
        if not guess.supported:
            self.store.append_turn(session.id, "customer", mask_customer_text(text), meta)
            return self._say(session, say("unsupported_language", lang), lang, "unsupported_language")
        session.lang = lang
        pred = self.classifier.predict_intent([text])[0]
        intent = self.config.intent_routes.get(pred.intent, pred.intent)
        intent = intent if intent in ROUTED_INTENTS else "faq"
        if pred.confidence < self.config.min_intent_confidence:
            intent = "out_of_scope"
        elif intent not in ("faq", "out_of_scope") and pred.confidence < self.config.min_action_confidence:
            intent = "faq"
        sentiment = sentiment_score(text)
        meta.update(intent=intent, confidence=round(pred.confidence, 4),
                    oos_score=round(pred.oos_score, 4), sentiment=round(sentiment, 3),
                    entities=[asdict(e) for e in extract_entities(text)])
        self.store.append_turn(session.id, "customer", mask_customer_text(text), meta)
        session.intents.append(intent)
        in_scope = pred.intent != "out_of_scope"
        return self._route(session, text, lang, intent, pred.confidence, sentiment, in_scope)

    def _route(self, session: Session, text: str, lang: str, intent: str, conf: float,
               sentiment: float, in_scope: bool) -> Reply:
        policy = self.config.handoff
        offer = session.slots.pop("offer_human", False)
        if offer and is_yes(text):
            return self._handoff(session, "requested", lang)
        if offer and is_no(text):
            return self._say(session, say("offer_declined", lang), lang, "offer_declined")
        reason = policy.reason(intent=intent, sentiment=sentiment, failures=0)
        if reason is not None:
            return self._handoff(session, reason, lang)
        if session.slots.get("task"):
            return self._continue_task(session, text, lang)
        if intent in ("greeting", "goodbye"):
            return self._say(session, say(intent, lang), lang, intent, intent=intent)
        if intent in TASK_INTENTS and not (_HOWTO.search(text) and not _IMPERATIVE.search(text)):
            return self._start_task(session, intent, text, lang, conf)
        return self._answer(session, text, lang, intent, conf, in_scope)

    def _say(self, session: Session, text: str, lang: str, kind: str, *, intent: str | None = None,
             confidence: float | None = None, citations: tuple[str, ...] = ()) -> Reply:
        turn = self.store.append_turn(session.id, "assistant", text,
                                      {"kind": kind, "citations": list(citations), "intent": intent})
        self.store.update_session(session)
        return Reply(session.id, text, lang, kind, intent, confidence, citations,
                     session.handoff_status, turn.index)

    def _fail(self, session: Session, text: str, lang: str, kind: str, intent: str | None,
              conf: float | None) -> Reply:
        session.failures += 1
        if session.failures >= self.config.handoff.max_failures:
            return self._handoff(session, "repeated_failure", lang)
        session.slots["offer_human"] = True
        return self._say(session, text, lang, kind, intent=intent, confidence=conf)

    # ------------------------------------------------------------------ tasks
    def _start_task(self, session: Session, intent: str, text: str, lang: str, conf: float) -> Reply:
        if not session.customer_id:
            session.slots["offer_human"] = True
            return self._say(session, say("need_login", lang), lang, "need_login", intent=intent)
        session.slots["task"] = self.tasks.new(intent)
        return self._continue_task(session, text, lang, intent=intent, conf=conf)

    def _continue_task(self, session: Session, text: str, lang: str, *, intent: str | None = None,
                       conf: float | None = None) -> Reply:
        state = session.slots["task"]
        outcome = self.tasks.step(state, session.customer_id or "", text, lang)
        intent = intent or state["name"]
        if outcome.kind != "task_prompt":
            session.slots.pop("task", None)
            session.failures = 0 if outcome.kind == "task_done" else session.failures
            return self._say(session, outcome.text, lang, outcome.kind, intent=intent, confidence=conf)
        if outcome.misunderstood and state["retries"] >= MAX_SLOT_RETRIES:
            session.slots.pop("task", None)
            return self._handoff(session, "repeated_failure", lang)
        return self._say(session, outcome.text, lang, "task_prompt", intent=intent, confidence=conf)

    # ------------------------------------------------------------------ FAQ
    def _answer(self, session: Session, text: str, lang: str, intent: str, conf: float,
                in_scope: bool) -> Reply:
        hits = self.knowledge.search(text, lang, k=self.config.top_k)
        coverage = hits[0][1].confidence if hits else 0.0
        needed = self.config.min_coverage if in_scope else self.config.min_confidence
        similarity = hits[0][1].similarity if hits else None
        if coverage < needed or (similarity is not None and similarity < self.config.min_similarity):
            return self._fail(session, say("dont_know", lang), lang, "dont_know", intent, conf)
        articles = [a for a, _ in hits]
        answer = None
        if self.backend is not None:
            candidate = llm_answer(self.backend, text, articles, lang)
            verdict = self.guard.check(candidate, articles, lang)
            answer = verdict if verdict.ok else None
        if answer is None:
            verdict = self.guard.check(compose_answer(text, articles, lang), articles, lang)
            if not verdict.ok:
                return self._fail(session, say("dont_know", lang), lang, "dont_know", intent, conf)
            answer = verdict
        session.failures = 0
        cited = tuple(a.id for a in articles if a.id in answer.text)
        return self._say(session, answer.text, lang, "answer", intent=intent,
                         confidence=hits[0][1].confidence, citations=cited)

    # ------------------------------------------------------------------ handoff + agents
    def _handoff(self, session: Session, reason: str, lang: str) -> Reply:
        session.slots.pop("offer_human", None)
        session.handoff_status = "requested"
        session.handoff_reason = reason
        session.handoff_summary = summarize_transcript(session, self.store.list_turns(session.id))
        text = say("handoff_requested", lang, why=say(f"why_{reason}", lang))
        return self._say(session, text, lang, "handoff")

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
