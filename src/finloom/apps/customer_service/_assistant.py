"""The dialogue manager: one customer message in, one reply out — tasks that survive digressions,
cancels, corrections and carry-over, clarification of close intents, grounded FAQ answers, a scope
statement for off-topic messages, "I don't know" + human offer, and handoff to a human agent."""

from __future__ import annotations

import copy
import threading
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from finloom.apps.customer_service._agent_desk import AgentDesk
from finloom.apps.customer_service._answer import (
    AnswerGuard,
    GroundingGuard,
    TextBackend,
    compose_answer,
    llm_answer,
    mask_customer_text,
)
from finloom.apps.customer_service._banking import CoreBanking
from finloom.apps.customer_service._cues import (
    asks_to_act,
    cue_intent,
    is_angry,
    is_off_topic,
    mentions_banking,
    refers_back,
)
from finloom.apps.customer_service._dialogue import (
    DomainVocabulary,
    asks_for_human,
    is_back_to_bot,
    is_carry_over,
    is_correction,
    is_follow_up_question,
    is_unsure,
    looks_like_question,
    names_card_action,
    pick_choice,
    starts_correction,
    wants_list,
)
from finloom.apps.customer_service._entities import extract_entities
from finloom.apps.customer_service._handoff import HandoffPolicy
from finloom.apps.customer_service._intents import (
    BANKING77_ROUTES,
    ROUTED_INTENTS,
    TASK_INTENTS,
    IntentClassifier,
)
from finloom.apps.customer_service._lang import detect_language
from finloom.apps.customer_service._media import MediaDesk
from finloom.apps.customer_service._messages import (
    choice_label,
    is_cancel,
    is_no,
    is_yes,
    say,
    task_label,
)
from finloom.apps.customer_service._other_products import names_other_product
from finloom.apps.customer_service._retrieval import KnowledgeBase
from finloom.apps.customer_service._sentiment import sentiment_score
from finloom.apps.customer_service._side_questions import SideQuestionDesk
from finloom.apps.customer_service._store import ConversationStore, Session, Turn
from finloom.apps.customer_service._tasks import TASK_SLOTS, TaskOutcome, TaskRunner
from finloom.apps.customer_service._tool_desk import ToolDesk
from finloom.apps.customer_service._tools import ToolContext
from finloom.apps.customer_service._uncovered import names_uncovered_service
from finloom.apps.customer_service._understanding import (
    Understanding,
    close_task_intents,
    is_card_question,
    is_howto,
)
from finloom.errors import InvalidDataError, PayloadTooLargeError

__all__ = ["AssistantConfig", "CustomerServiceAssistant", "Reply"]

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
    clarify_margin : when the two most likely intents are both tasks, their probabilities differ by
        less than this and together reach ``min_action_confidence``, the assistant asks which one
        was meant.
    min_domain_share : per language, the share of a message's words that must occur in the bank's
        articles for an unanswered message to count as a banking question ("I don't know" + human
        offer) rather than out of scope (a scope statement).
    intent_routes : classifier label -> routed intent (e.g. BANKING77 labels onto tasks); labels
        that are neither routed nor mapped are answered from the knowledge base.
    handoff : escalation rules.
    """

    max_message_chars: int = 2000
    top_k: int = 3
    min_confidence: float = 0.4
    min_coverage: float = 0.1
    min_similarity: float = 0.3
    min_intent_confidence: float = 0.3
    min_action_confidence: float = 0.45
    clarify_margin: float = 0.15
    min_domain_share: dict[str, float] = field(default_factory=lambda: {"en": 0.5, "zh": 0.35})
    intent_routes: dict[str, str] = field(default_factory=lambda: dict(BANKING77_ROUTES))
    handoff: HandoffPolicy = field(default_factory=HandoffPolicy)


@dataclass(frozen=True)
class Reply:
    """What the customer sees for one message. ``kind`` is one of answer, dont_know, task_prompt,
    task_done, task_error, cancelled, resume_reminder (a digression answered, then the unfinished
    task's question again), scope_statement (out of scope: what the assistant can do instead),
    clarify (two close intents offered as choices), greeting, goodbye, handoff, agent_pending,
    forwarded, returned_to_bot (the customer left the queue for a person), unsupported_language,
    offer_declined, need_login, chart (spending by category: ``attachment`` holds the table and
    the PNG; also a tool's series result: a price chart, a data breakdown, an allocation),
    document_answer (about an uploaded document: ``attachment`` holds its fields), tool_result (a
    tool's answer, its figures checked by the faithfulness guard against the tool's facts),
    tool_prompt (a tool asks for a missing value or for a yes before it acts), tool_denied (the
    tool needs another role or a signed-in customer, or is not available without the bank's
    systems)."""

    session_id: str
    text: str
    lang: str
    kind: str
    intent: str | None = None
    confidence: float | None = None
    citations: tuple[str, ...] = ()
    handoff_status: str = "none"
    turn_index: int | None = None
    attachment: dict[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-able view."""
        out = asdict(self)
        out["citations"] = list(self.citations)
        return out


class CustomerServiceAssistant(AgentDesk, MediaDesk, ToolDesk, SideQuestionDesk):
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
        by_lang: dict[str, list[str]] = {}
        for article in knowledge.articles.values():
            by_lang.setdefault(article.lang, []).append(f"{article.title} {article.body}")
        self.vocabulary = DomainVocabulary([], texts_by_lang=by_lang)
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
    def handle_message(self, session_id: str, text: str, *, tools: ToolContext | None = None) -> Reply:
        """Process one customer message and return the reply (also stored as a turn).

        ``tools`` is the tool context the service layer injects (the caller's role, the registry
        of tools and the workbench they run on); without it a message asking for a tool is told
        that the tool is not available here.

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
            return self._handle(session, text, tools)

    def _handle(self, session: Session, text: str, tools: ToolContext | None = None) -> Reply:
        guess = detect_language(text)
        lang = guess.lang if guess.lang in ("en", "zh") else session.lang
        meta: dict[str, Any] = {"lang": guess.lang}
        if session.handoff_status in ("requested", "agent"):
            self.store.append_turn(session.id, "customer", mask_customer_text(text), meta)
            if session.handoff_status == "agent":
                return Reply(session.id, "", lang, "forwarded", handoff_status="agent")
            if is_back_to_bot(text) or is_cancel(text):
                return self._leave_queue(session, lang)
            return self._say(session, say("agent_pending", lang), lang, "agent_pending")
        if not guess.supported:
            self.store.append_turn(session.id, "customer", mask_customer_text(text), meta)
            return self._say(session, say("unsupported_language", lang), lang, "unsupported_language")
        session.lang = lang
        u = self._understand(text, lang)
        meta.update(intent=u.intent, confidence=round(u.confidence, 4), oos_score=round(u.oos_score, 4),
                    sentiment=round(u.sentiment, 3),
                    entities=[asdict(e) for e in extract_entities(text)])
        self.store.append_turn(session.id, "customer", mask_customer_text(text), meta)
        session.intents.append(u.intent)
        media = self._media_reply(session, text, lang)
        if media is not None:
            return media
        tool = self._tool_reply(session, u, tools)
        return tool if tool is not None else self._route(session, u)

    def _understand(self, text: str, lang: str) -> Understanding:
        pred = self.classifier.predict_intent([text])[0]
        routes = self.config.intent_routes
        label = routes.get(pred.intent, pred.intent)
        label = label if label in ROUTED_INTENTS else "faq"
        intent = label
        cue = None if asks_for_human(text) else cue_intent(text)
        if cue in TASK_INTENTS and names_other_product(text):
            cue = None  # "I lost my gym card", 余额宝还有多少: another company's card, no Loom task
        confidence = pred.confidence
        other = is_off_topic(text)
        if asks_for_human(text):  # an explicit request for a person never depends on the model
            label = intent = "human_agent"
        elif cue is not None:  # an unambiguous phrasing (greeting, "freeze my card", 投诉...)
            label = intent = cue
            confidence = max(confidence, self.config.min_action_confidence)
        elif other or (pred.confidence < self.config.min_intent_confidence and not mentions_banking(text)):
            intent = "out_of_scope"  # another company's products are out of scope however bank-like
        elif intent not in ("faq", "out_of_scope") and pred.confidence < self.config.min_action_confidence:
            intent = "faq"
        if intent == "complaint" and is_howto(text):  # "how do I make a complaint?" is answered
            label = intent = "faq"
        if intent in ("greeting", "goodbye") and cue is None and looks_like_question(text):
            label = intent = "faq"  # a question is never a greeting or a farewell
        in_scope = cue is not None or (not other and (pred.intent != "out_of_scope" or mentions_banking(text)))
        second = getattr(pred, "runner_up", None)
        return Understanding(
            text=text, lang=lang, intent=intent, label=label, confidence=confidence,
            oos_score=pred.oos_score, in_scope=in_scope,
            sentiment=sentiment_score(text), runner_up=routes.get(second, second) if second else None,
            runner_up_confidence=float(getattr(pred, "runner_up_confidence", 0.0)), cued=cue is not None)

    def _route(self, session: Session, u: Understanding) -> Reply:
        text, lang = u.text, u.lang
        offer = session.slots.pop("offer_human", False)
        if offer and is_yes(text):
            return self._handoff(session, "requested", lang)
        if offer and is_no(text):
            return self._say(session, say("offer_declined", lang), lang, "offer_declined")
        choice = session.slots.pop("clarify", None)
        pick = pick_choice(text, len(choice["options"])) if choice else None
        if choice and pick is not None:
            return self._start_task(session, choice["options"][pick], choice["text"], lang, None)
        if choice and not u.cued:  # "lost it": the reply read together with the vague message
            both = cue_intent(f"{choice['text']} {text}")
            if both is not None and both in choice["options"]:
                return self._start_task(session, both, f"{choice['text']} {text}", lang, None)
            if "recent_transactions" in choice["options"] and wants_list(text):
                return self._start_task(session, "recent_transactions", text, lang, None)
            if u.intent in choice["options"] and not looks_like_question(text):
                # "I'd just like to look at them first": the model's reading of the reply, when it
                # is one of the offered tasks
                return self._start_task(session, u.intent, f"{choice['text']} {text}", lang, None)
        # a task request or an account of a theft or fraud is not an angry customer
        incident = u.intent in TASK_INTENTS or (bool(session.slots.get("task")) and names_card_action(text))
        sentiment = 0.0 if incident and not is_angry(text) else u.sentiment
        if looks_like_question(text) and not is_angry(text):
            sentiment = max(sentiment, 0.0)  # "the fees are awful, why so high?" is a question to answer
        if is_angry(text):  # "this app is a joke", 烂透了: anger at the bank hands off however mild the words
            sentiment = min(sentiment, self.config.handoff.negative_sentiment)
        reason = self.config.handoff.reason(intent=u.intent, sentiment=sentiment, failures=0)
        if reason is not None:
            return self._handoff(session, reason, lang)
        if session.slots.get("task"):
            return self._in_task(session, u)
        follow_up = is_carry_over(text) or (is_correction(text) and not (u.cued and u.intent in TASK_INTENTS))
        last = session.slots.get("last")
        if last and last["kind"] == "faq" and not u.cued and not is_off_topic(text) and is_follow_up_question(text):
            follow_up = True  # "那汇出去呢？" right after an answer: the same subject, asked again
        carried = self._carry_over(session, u) if follow_up else None
        if carried is not None:
            return carried
        if u.intent in ("greeting", "goodbye"):
            return self._say(session, say(u.intent, lang), lang, u.intent, intent=u.intent)
        if is_card_question(u):  # "my card was declined": answered, not a lost/frozen-card task
            return self._answer(session, replace(u, intent="faq"))
        close = close_task_intents(u, margin=self.config.clarify_margin,
                                   together=self.config.min_action_confidence)
        if close:
            session.slots["clarify"] = {"options": close, "text": text}
            return self._say(session, say("clarify", lang, first=choice_label(close[0], lang),
                                          second=choice_label(close[1], lang)),
                             lang, "clarify", intent=close[0], confidence=u.confidence)
        if u.intent in TASK_INTENTS and (u.cued or not is_howto(text)):
            return self._start_task(session, u.intent, text, lang, u.confidence, reuse=True)
        return self._answer(session, u)

    def _off_domain(self, u: Understanding) -> bool:
        """Not about the bank at all: another company's products, or mostly words the bank's
        articles never use and none of its product words."""
        if is_off_topic(u.text):
            return True
        if mentions_banking(u.text):
            return False
        if not u.in_scope:
            return True
        share = self.vocabulary.share(u.text, u.lang)
        return share < self.config.min_domain_share.get(u.lang, 0.5)

    def _say(self, session: Session, text: str, lang: str, kind: str, *, intent: str | None = None,
             confidence: float | None = None, citations: tuple[str, ...] = (),
             meta: dict[str, Any] | None = None) -> Reply:
        turn = self.store.append_turn(session.id, "assistant", text,
                                      {"kind": kind, "citations": list(citations), "intent": intent, **(meta or {})})
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
    def _start_task(self, session: Session, intent: str, text: str, lang: str,
                    conf: float | None, *, reuse: bool = False) -> Reply:
        if not session.customer_id:
            session.slots["offer_human"] = True
            return self._say(session, say("need_login", lang), lang, "need_login", intent=intent)
        state = self.tasks.new(intent)
        last = session.slots.get("last")
        if reuse and last and last.get("kind") == "task" and refers_back(text):
            # "I'd rather freeze it instead", 还是申诉吧，不过是第五笔，原因一样: the values of the
            # task just left carry over, then the new message's own values win
            self.tasks.prefill(state, last["filled"], session.customer_id)
            if state["filled"]:
                self.tasks.correct(state, session.customer_id, text)
                session.slots["task"] = state
                return self._task_reply(session, self.tasks.advance(state, session.customer_id, lang),
                                        lang, intent=intent, conf=conf)
        session.slots["task"] = state
        return self._continue_task(session, text, lang, intent=intent, conf=conf)

    def _in_task(self, session: Session, u: Understanding) -> Reply:
        """A message while a task waits for an answer: cancel, correction, the answer itself, a
        digression (answered, then the pending question again) or a misunderstanding."""
        state, customer, text, lang = session.slots["task"], session.customer_id or "", u.text, u.lang
        at_confirm = (state["awaiting"] == "confirm" and not is_yes(text) and not is_cancel(text)
                      and not looks_like_question(text))
        changes = is_cancel(text) and self._changes_value(state, customer, text)
        if is_cancel(text) and not changes:
            # "不不，借记卡我还要用，不冻了": the card named is the one already chosen — a cancel
            return self._task_reply(session, TaskOutcome(say("cancelled", lang), "cancelled"), lang)
        if u.cued and u.intent in TASK_INTENTS and u.intent != state["name"] and TASK_SLOTS[u.intent] \
                and asks_to_act(text):
            # "wait, it was stolen, report the credit card": another task asked for outright, even
            # with a card that would also correct this one ("no, the debit one is the one I lost"
            # only corrects the card)
            return self._switch_task(session, u)
        if (changes or is_correction(text) or starts_correction(text) or at_confirm) and not is_howto(text) \
                and self.tasks.correct(state, customer, text):
            return self._task_reply(session, self.tasks.advance(state, customer, lang), lang)
        if is_cancel(text):
            return self._task_reply(session, TaskOutcome(say("cancelled", lang), "cancelled"), lang)
        both = self._answer_and_question(session, u)
        if both is not None:
            return both
        if self.tasks.answers_pending(state, customer, text):
            return self._continue_task(session, text, lang)
        if u.intent == "goodbye":
            session.slots.pop("task", None)
            return self._say(session, say("goodbye", lang), lang, "goodbye", intent="goodbye")
        if u.intent == "greeting":
            return self._resume(session, say("greeting", lang), lang, "greeting")
        if u.intent in TASK_INTENTS and u.intent != state["name"] and (u.cued or not is_howto(text)):
            if not TASK_SLOTS[u.intent]:  # a one-step look-up (balance): do it, then resume
                done = self.tasks.step(self.tasks.new(u.intent), customer, text, lang)
                return self._resume(session, done.text, lang, u.intent)
            return self._switch_task(session, u)
        # "how long does a dispute take?" (not a slot answer), "what's the difference between
        # freezing and reporting it lost?" (a question about a task, not a request for it)
        about_task = u.intent == state["name"] or (u.intent in TASK_INTENTS and is_howto(text))
        if (u.intent in ("faq", "out_of_scope") or about_task) and looks_like_question(text) \
                and not is_unsure(text):
            side = self._side_answer(u)
            if side is not None:
                return self._resume(session, side.text, lang, side.intent, kind=side.kind,
                                    citations=side.citations)
        return self._continue_task(session, text, lang)

    def _switch_task(self, session: Session, u: Understanding) -> Reply:
        """The customer moved on to another task; "I'd rather report it stolen" keeps the card."""
        state = session.slots.pop("task")
        if state["filled"] and refers_back(u.text):
            session.slots["last"] = {"kind": "task", "name": state["name"], "filled": dict(state["filled"])}
            return self._start_task(session, u.intent, u.text, u.lang, u.confidence, reuse=True)
        return self._start_task(session, u.intent, u.text, u.lang, u.confidence)

    def _changes_value(self, state: dict[str, Any], customer: str, text: str) -> bool:
        """True when ``text`` names a slot value different from the one the task already holds
        ("cancel that, do the credit card instead"), i.e. it is a correction, not only a cancel."""
        trial = copy.deepcopy(state)
        if not self.tasks.correct(trial, customer, text):
            return False
        before = {k: v for k, v in state["filled"].items() if k != "confirm"}
        return {k: v for k, v in trial["filled"].items() if k != "confirm"} != before

    def _resume(self, session: Session, answer: str, lang: str, intent: str, *,
                kind: str = "resume_reminder", citations: tuple[str, ...] = ()) -> Reply:
        """``answer`` to a digression, then the unfinished task's pending question again."""
        state = session.slots["task"]
        prompt = self.tasks.current_prompt(state, session.customer_id or "", lang)
        text = say("resume_reminder", lang, answer=answer, task=task_label(state["name"], lang),
                   prompt=prompt)
        return self._say(session, text, lang, kind, intent=intent, citations=citations)

    def _continue_task(self, session: Session, text: str, lang: str, *, intent: str | None = None,
                       conf: float | None = None) -> Reply:
        outcome = self.tasks.step(session.slots["task"], session.customer_id or "", text, lang)
        return self._task_reply(session, outcome, lang, intent=intent, conf=conf)

    def _task_reply(self, session: Session, outcome: TaskOutcome, lang: str, *,
                    intent: str | None = None, conf: float | None = None) -> Reply:
        state = session.slots["task"]
        intent = intent or state["name"]
        if outcome.kind != "task_prompt":
            session.slots.pop("task", None)
            if outcome.kind in ("task_done", "cancelled"):
                session.slots["last"] = {"kind": "task", "name": state["name"], "filled": state["filled"]}
            session.failures = 0 if outcome.kind == "task_done" else session.failures
            return self._say(session, outcome.text, lang, outcome.kind, intent=intent, confidence=conf)
        if outcome.misunderstood:
            session.failures += 1
            if session.failures >= self.config.handoff.max_failures:
                session.slots.pop("task", None)
                return self._handoff(session, "repeated_failure", lang)
        else:
            session.failures = 0
        return self._say(session, outcome.text, lang, "task_prompt", intent=intent, confidence=conf)

    def _carry_over(self, session: Session, u: Understanding) -> Reply | None:
        """"And for my credit card?": the last task again with the new value, or the last question
        asked again with the new words."""
        last = session.slots.get("last")
        if not last:
            return None
        if u.cued and u.intent in TASK_INTENTS and u.intent != last.get("name"):
            return None  # "and freeze my credit card" after a lost card: a new task, not a repeat
        if last["kind"] == "faq":
            both = f"{last['question']} {u.text}"
            if not u.cued and not is_off_topic(u.text) and mentions_banking(both):
                u = replace(u, intent="faq", in_scope=True)  # read with the question it follows
            return self._answer(session, replace(u, text=both), remember=False)
        customer = session.customer_id or ""
        state = self.tasks.prefill(self.tasks.new(last["name"]), last["filled"], customer or None)
        if not customer or (TASK_SLOTS[last["name"]] and not self.tasks.correct(state, customer, u.text)):
            return None
        session.slots["task"] = state
        return self._task_reply(session, self.tasks.advance(state, customer, u.lang), u.lang)

    # ------------------------------------------------------------------ FAQ
    def _find_answer(self, text: str, lang: str, needed: float
                     ) -> tuple[str, tuple[str, ...], float] | None:
        """A guarded answer from the knowledge base, its citations and coverage, or ``None``."""
        hits = self.knowledge.search(text, lang, k=self.config.top_k)
        coverage = hits[0][1].confidence if hits else 0.0
        similarity = hits[0][1].similarity if hits else None
        if coverage < needed or (similarity is not None and similarity < self.config.min_similarity):
            return None
        articles = [a for a, _ in hits]
        answer = None
        if self.backend is not None:
            candidate = llm_answer(self.backend, text, articles, lang)
            verdict = self.guard.check(candidate, articles, lang)
            answer = verdict if verdict.ok else None
        if answer is None:
            verdict = self.guard.check(compose_answer(text, articles, lang), articles, lang)
            if not verdict.ok:
                return None
            answer = verdict
        return answer.text, tuple(a.id for a in articles if a.id in answer.text), coverage

    def _answer(self, session: Session, u: Understanding, *, remember: bool = True) -> Reply:
        off_domain = self._off_domain(u)
        needed = self.config.min_coverage if u.in_scope else self.config.min_confidence
        uncovered = names_uncovered_service(u.text)  # a nearby article would answer another question
        found = None if off_domain or uncovered else self._find_answer(u.text, u.lang, needed)
        if found is None and not uncovered and (off_domain or u.intent == "out_of_scope"
                                                or not mentions_banking(u.text)):
            return self._say(session, say("scope_statement", u.lang), u.lang, "scope_statement",
                             intent="out_of_scope", confidence=u.confidence)
        if found is None:
            intent = "faq" if uncovered else u.intent
            return self._fail(session, say("dont_know", u.lang), u.lang, "dont_know", intent, u.confidence)
        session.failures = 0
        if remember:
            session.slots["last"] = {"kind": "faq", "question": u.text}
        return self._say(session, found[0], u.lang, "answer", intent="faq", confidence=found[2],
                         citations=found[1])
