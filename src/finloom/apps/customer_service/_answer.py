"""Grounded FAQ answers: extractive template answers citing article ids, an optional LLM
backend, and the faithfulness + compliance guard (numbers must come from the sources, a cited
id must be a source, PII masked, no promises a bank may not make)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from finloom.apps.customer_service._kb import Article
from finloom.apps.customer_service._lang import normalize_text, tokenize

__all__ = ["AnswerGuard", "GroundedAnswer", "GroundingGuard", "GuardVerdict", "TextBackend",
           "compose_answer", "llm_answer", "mask_customer_text", "mask_pii"]

_PII_LABELS = {"email": "[email]", "cn_id": "[id number]", "card": "[card number]", "phone": "[phone]",
               "iban": "[iban]", "ssn": "[ssn]", "account": "[account number]"}
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_CITATION = re.compile(r"\[([\w.-]+)\]|【([\w.-]+)】")
_FORBIDDEN = {
    "en": ("guaranteed return", "risk-free", "risk free", "cannot lose", "you should invest",
           "we promise"),
    "zh": ("保本保息", "稳赚", "无风险", "零风险", "保证收益", "包赚"),
}


def mask_pii(text: str, *, keep: Sequence[str] = ()) -> str:
    """Replace personal data and look-alikes (e-mails, ID, card, account and phone numbers) with
    a label, except ``keep`` strings; the one masker is :func:`finloom.textgen.mask_pii`.

    Examples
    --------
    >>> mask_pii("card 6222 0202 0000 1234, mail me at li.wei@example.com or 13800138000")
    'card [card number], mail me at [email] or [phone]'
    >>> mask_pii("call complaints@loombank.example", keep=["complaints@loombank.example"])
    'call complaints@loombank.example'
    """
    from finloom.textgen._pii import mask_pii as mask

    return mask(text, validate=False, labels=_PII_LABELS, keep=keep)


def mask_customer_text(text: str) -> str:
    """Mask personal data in a customer's message before it is stored: valid numbers keep their
    last 4 characters, look-alikes that fail their checksum are replaced by a label.

    Examples
    --------
    >>> mask_customer_text("card 4111 1111 1111 1111, phone 13800138000")
    'card **** **** **** 1111, phone *******8000'
    """
    from finloom.textgen._pii import mask_pii as mask

    return mask_pii(mask(text))


@dataclass(frozen=True)
class GroundedAnswer:
    """An answer, the article ids it cites and how it was made (``template`` or ``llm``)."""

    text: str
    citations: tuple[str, ...]
    method: str = "template"


@dataclass(frozen=True)
class GuardVerdict:
    """Whether an answer may be sent; ``text`` is the (masked) text to send; ``issues`` why not."""

    ok: bool
    text: str
    issues: tuple[str, ...] = field(default_factory=tuple)


@runtime_checkable
class AnswerGuard(Protocol):
    """Checks an answer against its sources before it reaches the customer."""

    def check(self, answer: GroundedAnswer, sources: Sequence[Article], lang: str) -> GuardVerdict:
        """Return the verdict for ``answer`` grounded on ``sources``."""
        ...


@runtime_checkable
class TextBackend(Protocol):
    """Any text generator with ``finloom.textgen``'s ``generate(prompt, ...)`` signature."""

    def generate(self, prompt_or_request: Any, *, max_tokens: int | None = None,
                 temperature: float = 1.0, **kwargs: Any) -> Any:
        """Return the generated text (a ``str`` when ``stream`` is false)."""
        ...


def _numbers(text: str) -> set[str]:
    return {n.replace(",", "").rstrip(".") for n in _NUMBER.findall(normalize_text(text))}


class GroundingGuard:
    """Default :class:`AnswerGuard`: every number must appear in a source, at least one source
    id must be cited and every cited id must be a source, no forbidden promise, PII masked
    (contact details written in the sources are kept).

    Examples
    --------
    >>> src = [Article(id="fee-en", lang="en", title="Fees", body="The fee is CNY 30.")]
    >>> g = GroundingGuard()
    >>> g.check(GroundedAnswer("The fee is CNY 30. [fee-en]", ("fee-en",)), src, "en").ok
    True
    >>> g.check(GroundedAnswer("The fee is CNY 20. [fee-en]", ("fee-en",)), src, "en").issues
    ("number '20' is not in the cited articles",)
    """

    def check(self, answer: GroundedAnswer, sources: Sequence[Article], lang: str) -> GuardVerdict:
        issues = []
        source_ids = {a.id for a in sources}
        source_text = " ".join(f"{a.title} {a.body}" for a in sources)
        cited = {a or b for a, b in _CITATION.findall(answer.text)}
        if not cited & source_ids:
            issues.append("the answer must cite at least one source article id")
        issues += [f"cited id '{c}' is not a source" for c in sorted(cited - source_ids)]
        body = _CITATION.sub(" ", answer.text)
        for effective in {a.effective_date.isoformat() for a in sources if a.effective_date}:
            body = body.replace(effective, " ")
        allowed = _numbers(source_text)
        issues += [f"number '{n}' is not in the cited articles" for n in sorted(_numbers(body) - allowed)]
        lower = body.lower()
        issues += [f"forbidden promise '{w}'" for w in _FORBIDDEN.get(lang, ()) if w in lower]
        keep = re.findall(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+|[\d+][\d -]{6,}\d", source_text)
        return GuardVerdict(not issues, mask_pii(answer.text, keep=keep), tuple(issues))


def _best_sentences(article: Article, query: str, n: int) -> list[str]:
    parts = re.split(r"(?<=[.!?])\s+|(?<=[。！？；])", article.body)
    sentences = [s.strip() for s in parts if s.strip()]
    q = set(tokenize(query, article.lang))
    scored = [(len(q.intersection(tokenize(s, article.lang))), -i) for i, s in enumerate(sentences)]
    keep = sorted(sorted(range(len(sentences)), key=lambda i: scored[i], reverse=True)[:n])
    if 0 not in keep and len(keep) == n and scored[0][0] > 0:
        keep = sorted([0, *keep[:-1]])
    return [sentences[i] for i in keep]


def compose_answer(query: str, articles: Sequence[Article], lang: str, *,
                   max_sentences: int = 3) -> GroundedAnswer:
    """Build an extractive answer from the top article, citing it (and a runner-up as "see also").

    Examples
    --------
    >>> a = Article(id="cf-en", lang="en", title="Freeze a card",
    ...             body="Freeze it in the app. It takes effect immediately. Unfreeze any time.")
    >>> print(compose_answer("how to freeze my card", [a], "en").text)
    Freeze it in the app. It takes effect immediately. Unfreeze any time. [cf-en]
    Source: "Freeze a card" (cf-en).
    """
    top = articles[0]
    sentences = _best_sentences(top, query, max_sentences)
    date = f", effective {top.effective_date.isoformat()}" if top.effective_date else ""
    if lang == "zh":
        date = f"，{top.effective_date.isoformat()}起生效" if top.effective_date else ""
        text = "".join(sentences) + f"【{top.id}】\n来源：《{top.title}》（{top.id}{date}）。"
        if len(articles) > 1:
            text += f"\n相关：《{articles[1].title}》【{articles[1].id}】"
    else:
        text = " ".join(sentences) + f" [{top.id}]\nSource: \"{top.title}\" ({top.id}{date})."
        if len(articles) > 1:
            text += f"\nSee also: \"{articles[1].title}\" [{articles[1].id}]"
    return GroundedAnswer(text, tuple(a.id for a in articles[:2]))


def llm_answer(backend: TextBackend, query: str, articles: Sequence[Article], lang: str, *,
               max_tokens: int = 200) -> GroundedAnswer:
    """Ask a text backend for an answer grounded on ``articles`` (checked by the guard later)."""
    language = "Simplified Chinese" if lang == "zh" else "English"
    context = "\n\n".join(f"[{a.id}] {a.title}\n{a.body}" for a in articles)
    prompt = (f"You are Loom Bank's assistant. Answer in {language} using only the articles "
              f"below, copy numbers exactly, and cite the article id in square brackets.\n\n"
              f"{context}\n\nQuestion: {query}\nAnswer:")
    text = backend.generate(prompt, max_tokens=max_tokens, temperature=0.2)
    if not isinstance(text, str):
        text = "".join(text)
    return GroundedAnswer(text.strip(), tuple(a.id for a in articles), method="llm")
