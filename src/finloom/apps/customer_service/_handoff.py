"""When to pass a conversation to a human, and the summary the agent reads first."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from finloom.apps.customer_service._store import Session, Turn

__all__ = ["HandoffPolicy", "summarize_transcript"]


@dataclass(frozen=True)
class HandoffPolicy:
    """Escalation rules.

    Parameters
    ----------
    max_failures : consecutive misunderstandings ("I don't know", unfilled slots) before handoff.
    negative_sentiment : a message scoring at or below this (see ``sentiment_score``) escalates.
    on_complaint : escalate on the complaint intent.

    Examples
    --------
    >>> HandoffPolicy().reason(intent="human_agent", sentiment=0.0, failures=0)
    'requested'
    >>> HandoffPolicy(max_failures=2).reason(intent="faq", sentiment=0.0, failures=2)
    'repeated_failure'
    >>> HandoffPolicy().reason(intent="faq", sentiment=0.0, failures=0) is None
    True
    """

    max_failures: int = 2
    negative_sentiment: float = -0.5
    on_complaint: bool = True

    def reason(self, *, intent: str, sentiment: float, failures: int) -> str | None:
        """The handoff reason for this turn, or ``None`` to keep the bot in charge."""
        if intent == "human_agent":
            return "requested"
        if intent == "complaint" and self.on_complaint:
            return "complaint"
        if sentiment <= self.negative_sentiment:
            return "negative_sentiment"
        if failures >= self.max_failures:
            return "repeated_failure"
        return None


def _clip(text: str, n: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def summarize_transcript(session: Session, turns: Sequence[Turn], *, last: int = 3) -> str:
    """A short English summary for the agent: why, language, intents, task, key entities and the
    customer's last messages (quoted as plain text; the agent page must escape it).

    Examples
    --------
    >>> s = Session(id="s1", customer_id="c9", lang="zh", handoff_reason="complaint")
    >>> t = [Turn("s1", 0, "customer", "你们乱扣费，我要投诉", meta={"intent": "complaint"})]
    >>> print(summarize_transcript(s, t))
    Handoff reason: complaint. Customer: c9. Language: zh. Turns: 1.
    Intents: complaint (1).
    Last customer messages:
    - "你们乱扣费，我要投诉"
    """
    customer = [t for t in turns if t.role == "customer"]
    intents = Counter(t.meta.get("intent") for t in customer if t.meta.get("intent"))
    lines = [f"Handoff reason: {session.handoff_reason or 'n/a'}. Customer: "
             f"{session.customer_id or 'anonymous'}. Language: {session.lang}. Turns: {len(turns)}."]
    if intents:
        lines.append("Intents: " + ", ".join(f"{k} ({v})" for k, v in intents.most_common()) + ".")
    task = session.slots.get("task")
    if task:
        lines.append(f"Open task: {task['name']} with {task['filled'] or 'no slots filled'}.")
    entities = sorted({f"{e['kind']}={e['value']}" for t in customer for e in t.meta.get("entities", [])})
    if entities:
        lines.append("Mentioned: " + ", ".join(entities[:10]) + ".")
    cited = sorted({c for t in turns for c in t.meta.get("citations", [])})
    if cited:
        lines.append("Articles shown: " + ", ".join(cited[:6]) + ".")
    if customer:
        lines.append("Last customer messages:")
        lines.extend(f'- "{_clip(t.text)}"' for t in customer[-last:])
    return "\n".join(lines)
