"""Questions asked on the side of an open task: the answer (an article, or the scope statement
for a question that is not about the bank) before the task's pending question is asked again; and
a task answer with a side question in one message ("debit. and can I unfreeze it myself?"), where
the answer is kept and the question answered too."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import TYPE_CHECKING

from finloom.apps.customer_service._cues import mentions_banking
from finloom.apps.customer_service._dialogue import is_unsure
from finloom.apps.customer_service._messages import say, task_label
from finloom.apps.customer_service._mixed_turns import answer_then_question
from finloom.apps.customer_service._store import Session
from finloom.apps.customer_service._tasks import TASK_SLOTS, TaskRunner
from finloom.apps.customer_service._understanding import Understanding

if TYPE_CHECKING:
    from finloom.apps.customer_service._assistant import AssistantConfig, Reply

__all__ = ["SideAnswer", "SideQuestionDesk"]


@dataclass(frozen=True)
class SideAnswer:
    """The reply to a question asked while a task waits (the task's question follows it).

    Examples
    --------
    >>> SideAnswer("Branches open at 9.", "faq", "resume_reminder").kind
    'resume_reminder'
    """

    text: str
    intent: str
    kind: str
    citations: tuple[str, ...] = ()


class SideQuestionDesk:
    """Side-question methods of :class:`CustomerServiceAssistant` (a mixin: it uses the
    assistant's task runner, understanding, knowledge search and reminder helper)."""

    config: AssistantConfig
    tasks: TaskRunner

    def _understand(self, text: str, lang: str) -> Understanding:
        raise NotImplementedError

    def _off_domain(self, u: Understanding) -> bool:
        raise NotImplementedError

    def _find_answer(self, text: str, lang: str, needed: float) -> tuple[str, tuple[str, ...], float] | None:
        raise NotImplementedError

    def _resume(self, session: Session, answer: str, lang: str, intent: str, *,
                kind: str = "resume_reminder", citations: tuple[str, ...] = ()) -> Reply:
        raise NotImplementedError

    def _side_answer(self, u: Understanding, topic: str = "") -> SideAnswer | None:
        """The answer to a question asked while a task waits: an article (searched with ``topic``,
        the task's subject, in front of the question), or the scope statement for a question that
        is not about the bank; ``None`` when neither fits."""
        if self._off_domain(u):
            return SideAnswer(say("scope_statement", u.lang), "out_of_scope", "scope_statement")
        needed = self.config.min_coverage if u.in_scope else self.config.min_confidence
        found = self._find_answer(f"{topic} {u.text}".strip(), u.lang, needed)
        if found is not None:
            return SideAnswer(found[0], "faq", "resume_reminder", found[1])
        if not mentions_banking(u.text):
            return SideAnswer(say("scope_statement", u.lang), "out_of_scope", "scope_statement")
        return None

    def _answer_and_question(self, session: Session, u: Understanding) -> Reply | None:
        """"debit. and can I unlock it later?": the answer clause fills the pending question and
        the question is answered before the task's next question (``None`` when the message is
        not such a pair, or the answer could end the task: a yes/no, or the last question)."""
        parts = answer_then_question(u.text)
        state, customer = session.slots["task"], session.customer_id or ""
        later = [s for s in TASK_SLOTS[state["name"]] if s not in state["filled"] and s != state["awaiting"]]
        if parts is None or state["awaiting"] in (None, "confirm") or "confirm" not in later \
                or not self.tasks.answers_pending(state, customer, parts[0]):
            return None
        trial = copy.deepcopy(state)  # the confirmation is still ahead: this step acts on nothing
        if self.tasks.step(trial, customer, parts[0], u.lang).kind != "task_prompt":
            return None
        asked = self._understand(parts[1], u.lang)
        if asked.intent not in ("faq", "out_of_scope", state["name"]) or is_unsure(asked.text):
            return None  # "debit. and can you freeze the credit one too?" asks for more than an answer
        # "how long does it take?" after "number 3": the question is about the task
        side = self._side_answer(asked, task_label(state["name"], u.lang))
        if side is None:
            return None
        session.slots["task"], session.failures = trial, 0
        return self._resume(session, side.text, u.lang, side.intent, kind=side.kind, citations=side.citations)
