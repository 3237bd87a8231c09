"""What the dialogue manager knows about one customer message (intent, confidence, runner-up), and
the decisions made from it alone: is it a how-to question, a card question the help articles
answer, or close enough between two tasks to ask which one was meant."""

from __future__ import annotations

import re
from dataclasses import dataclass

from finloom.apps.customer_service._dialogue import (
    is_vague_trouble,
    mentions_card,
    names_card_action,
    names_card_symptom,
)
from finloom.apps.customer_service._intents import TASK_INTENTS
from finloom.apps.customer_service._question_forms import (
    asks_about_consequences,
    asks_about_procedure,
    without_lead_in,
)

__all__ = ["Understanding", "close_task_intents", "is_card_question", "is_howto"]

_HOWTO = re.compile(r"^(how (do|can|to|long|much|does|will)|what (happens|is the|are the|does|if)|what'?s the|"
                    r"whats the|why|when|where|is it|can i|do i|does|should i)\b|怎么|如何|多久|为什么|能不能|可以.*吗"
                    r"|什么时候|多长时间|(?:什么|啥)(?:区别|不同)",
                    re.I)
_IMPERATIVE = re.compile(r"\b(can you|could you|please|(?<!do )i want|(?<!do )i need|i'd like)\b|帮我|请帮|我要|给我|麻烦",
                         re.I)
_WH = re.compile(r"^\s*(?:what|what's|which|how|why|when|where|who|is|are|do|does|can)\b|多少|怎么|什么|如何|"
                 r"为什么|几|吗", re.I)
_CARD_TASKS = ("lost_card", "freeze_card")
_PAYMENT_WORD = re.compile(r"\b(?:payments?|transactions?|charges?|purchases?|debits?)\b|付款|交易|扣款|消费|一笔|支付",
                           re.I)


@dataclass(frozen=True)
class Understanding:
    """One customer message as the dialogue manager sees it."""

    text: str
    lang: str
    intent: str  # routed intent after the confidence gates
    label: str  # routed intent before them
    confidence: float
    oos_score: float
    in_scope: bool
    sentiment: float
    runner_up: str | None = None
    runner_up_confidence: float = 0.0
    cued: bool = False  # the intent comes from an unambiguous phrasing, not the model


def is_howto(text: str) -> bool:
    """A how-to question about a task ("how do I freeze my card?") is answered, not acted on.

    Examples
    --------
    >>> is_howto("how do I freeze my card?"), is_howto("can you freeze my card?")
    (True, False)
    >>> is_howto("do I need a new card after a dispute?"), is_howto("I need my card frozen")
    (True, False)
    """
    asks = (bool(_HOWTO.search(without_lead_in(text))) or asks_about_consequences(text)
            or asks_about_procedure(text))
    return asks and not _IMPERATIVE.search(text)


def is_card_question(u: Understanding) -> bool:
    """A card trouble the help articles answer ("my card was declined") that the intent model
    took for a lost or frozen card."""
    return not u.cued and u.label in _CARD_TASKS and names_card_symptom(u.text) and not names_card_action(u.text)


def close_task_intents(u: Understanding, *, margin: float, together: float) -> list[str] | None:
    """The two task intents to offer as choices, or ``None``: a card message that does not say what
    happened to the card ("my card has a problem"), or two tasks whose probabilities differ by less
    than ``margin`` and add up to at least ``together``.

    Examples
    --------
    >>> u = Understanding("my card has a problem", "en", "freeze_card", "freeze_card", 0.6, -1.0,
    ...                   True, 0.0, "lost_card", 0.2)
    >>> close_task_intents(u, margin=0.15, together=0.45)
    ['freeze_card', 'lost_card']
    """
    if u.cued:
        return None
    asks = bool(_WH.search(without_lead_in(u.text)))  # "and can I ...?" asks, it reports no trouble
    plain = not is_howto(u.text) and not asks and is_vague_trouble(u.text)
    if plain and mentions_card(u.text) and not names_card_action(u.text) and not names_card_symptom(u.text):
        top = u.label if u.label in _CARD_TASKS else "freeze_card"  # "卡出问题了": which card task?
        return [top, next(t for t in _CARD_TASKS if t != top)]
    if plain and _PAYMENT_WORD.search(u.text) and not mentions_card(u.text):
        return ["dispute_transaction", "recent_transactions"]  # "something is wrong with a payment"
    first, second = u.label, u.runner_up
    vague = u.intent in _CARD_TASKS or (second in _CARD_TASKS and is_vague_trouble(u.text))
    if (vague and first in _CARD_TASKS and mentions_card(u.text) and not names_card_action(u.text)
            and not is_howto(u.text) and not asks):
        return [first, next(t for t in _CARD_TASKS if t != first)]
    if (second is None or first == second or first not in TASK_INTENTS
            or second not in TASK_INTENTS or is_howto(u.text) or not u.in_scope):
        return None
    if u.confidence - u.runner_up_confidence >= margin or u.confidence + u.runner_up_confidence < together:
        return None
    return [first, second]
