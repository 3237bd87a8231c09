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

    max_failures: int = 3
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


_LABELS = {
    "en": {"reason": "Handoff reason", "customer": "Customer", "language": "Language", "turns": "Turns",
           "intents": "Intents", "task": "Open task: {name} with {filled}", "no_slots": "no slots filled",
           "mentioned": "Mentioned", "articles": "Articles shown", "last": "Last customer messages",
           "anonymous": "anonymous", ". ": ". ", ": ": ": ", ", ": ", ", ".": "."},
    "zh": {"reason": "转人工原因", "customer": "客户", "language": "语言", "turns": "轮数",
           "intents": "意图", "task": "未完成的业务：{name}，已填写 {filled}", "no_slots": "无",
           "mentioned": "提及", "articles": "已展示的条款", "last": "客户最近的消息",
           "anonymous": "匿名", ". ": "。", ": ": "：", ", ": "，", ".": "。"},
}
_REASONS_ZH = {"requested": "客户要求", "complaint": "投诉", "negative_sentiment": "负面情绪",
               "repeated_failure": "多次未能理解"}


def summarize_transcript(session: Session, turns: Sequence[Turn], *, last: int = 3, lang: str = "en") -> str:
    """A short summary for the agent, in ``lang`` (``en`` or ``zh``): why, language, intents, task,
    key entities and the customer's last messages (quoted as plain text; the agent page must escape it).

    Examples
    --------
    >>> s = Session(id="s1", customer_id="c9", lang="zh", handoff_reason="complaint")
    >>> t = [Turn("s1", 0, "customer", "你们乱扣费，我要投诉", meta={"intent": "complaint"})]
    >>> print(summarize_transcript(s, t))
    Handoff reason: complaint. Customer: c9. Language: zh. Turns: 1.
    Intents: complaint (1).
    Last customer messages:
    - "你们乱扣费，我要投诉"
    >>> print(summarize_transcript(s, t, lang="zh").splitlines()[0])
    转人工原因：投诉。客户：c9。语言：zh。轮数：1。
    """
    w = _LABELS.get(lang, _LABELS["en"])
    customer = [t for t in turns if t.role == "customer"]
    intents = Counter(t.meta.get("intent") for t in customer if t.meta.get("intent"))
    reason = session.handoff_reason or "n/a"
    reason = _REASONS_ZH.get(reason, reason) if lang == "zh" else reason
    sep, colon, comma, end = w[". "], w[": "], w[", "], w["."]
    lines = [f"{w['reason']}{colon}{reason}{sep}{w['customer']}{colon}{session.customer_id or w['anonymous']}{sep}"
             f"{w['language']}{colon}{session.lang}{sep}{w['turns']}{colon}{len(turns)}{end}"]
    if intents:
        lines.append(w["intents"] + colon + comma.join(f"{k} ({v})" for k, v in intents.most_common()) + end)
    task = session.slots.get("task")
    if task:
        lines.append(w["task"].format(name=task["name"], filled=task["filled"] or w["no_slots"]) + end)
    entities = sorted({f"{e['kind']}={e['value']}" for t in customer for e in t.meta.get("entities", [])})
    if entities:
        lines.append(w["mentioned"] + colon + comma.join(entities[:10]) + end)
    cited = sorted({c for t in turns for c in t.meta.get("citations", [])})
    if cited:
        lines.append(w["articles"] + colon + comma.join(cited[:6]) + end)
    if customer:
        lines.append(w["last"] + colon.rstrip())
        lines.extend(f'- "{_clip(t.text)}"' for t in customer[-last:])
    return "\n".join(lines)
