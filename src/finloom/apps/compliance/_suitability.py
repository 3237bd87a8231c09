"""Suitability read from the text (spec B.5), and the structured product-vs-customer check.

From the text: a high-risk product (leveraged or inverse ETF, R4/R5, crypto, options, futures,
CFDs, margin) recommended to a customer the text describes as conservative, retired, C1/C2,
保守型/谨慎型 or unable to bear losses. Declining, warning against, removing or forbidding the
product is fine. Lexicon: ``lexicons/suitability.yaml``; the recommendation triggers are shared
with the risk-disclosure lexicon.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from finloom.apps.compliance._doc import Doc
from finloom.apps.compliance._lexicon import load_lexicon
from finloom.apps.compliance._scope import answer_after, negated
from finloom.apps.compliance.schemas import Finding
from finloom.errors import ConfigError

__all__ = ["detect_suitability", "risk_level", "suitability_from_context"]

CATEGORY = "suitability"
SEVERITY = "high"
_LEVEL = re.compile(r"^\s*[RCrc]?\s*([1-5])\s*$")
_NAMED = {"conservative": 1, "cautious": 2, "moderate": 3, "balanced": 3, "growth": 4, "aggressive": 5,
          "保守型": 1, "谨慎型": 2, "稳健型": 3, "积极型": 4, "激进型": 5}


def risk_level(value: str | int) -> int:
    """Parse a risk level (R1–R5 product, C1–C5 customer, 1–5, or a profile name) to 1–5.

    Examples
    --------
    >>> risk_level("R4"), risk_level("C2"), risk_level("balanced"), risk_level("稳健型")
    (4, 2, 3, 3)
    """
    if isinstance(value, int) and 1 <= value <= 5:
        return value
    text = str(value).strip()
    m = _LEVEL.match(text)
    if m:
        return int(m.group(1))
    if text.lower() in _NAMED:
        return _NAMED[text.lower()]
    raise ConfigError(f"risk level must be R1-R5, C1-C5, 1-5 or one of {sorted(_NAMED)}; got {value!r}.")


def suitability_from_context(context: Mapping[str, Any]) -> list[Finding]:
    """SUIT-LEVEL: the product's risk level (``product_risk``) above the customer's (``customer_risk``).

    Examples
    --------
    >>> [f.rule_id for f in suitability_from_context({"product_risk": "R4", "customer_risk": "C2"})]
    ['SUIT-LEVEL']
    """
    if "product_risk" not in context or "customer_risk" not in context:
        return []
    product, customer = risk_level(context["product_risk"]), risk_level(context["customer_risk"])
    if product <= customer:
        return []
    return [Finding("SUIT-LEVEL", SEVERITY, CATEGORY,
                    f"The product's risk level exceeds the customer's risk tolerance: R{product} > C{customer}.")]


def _first(pattern: re.Pattern[str], doc: Doc) -> re.Match[str] | None:
    return next((m for m in pattern.finditer(doc.norm) if not negated(doc, m.start())), None)


def _for_aggressive(doc: Doc, pos: int) -> bool:
    """Whether the clause around ``pos`` speaks of an aggressive customer (and not a vulnerable one)."""
    start = max(doc.norm.rfind(c, 0, pos) for c in "。；;.!?！？\n") + 1
    ends = [i for i in (doc.norm.find(c, pos) for c in "。；;.!?！？\n") if i >= 0]
    clause = doc.norm[start : min(ends, default=len(doc.norm))]
    lex = load_lexicon(CATEGORY)
    return bool(lex.cue("aggressive").search(clause)) and not lex.cue("vulnerable").search(clause)


def _recommends(doc: Doc, after: int = 0) -> re.Match[str] | None:
    shared = load_lexicon("risk_disclosure")
    patterns = [e.pattern for e in shared.triggers if e.id in ("RISK-RECOMMEND", "RISK-CALL-TO-ACTION")]
    found = [m for p in [*patterns, load_lexicon(CATEGORY).cue("target")] for m in p.finditer(doc.norm, after)
             if not negated(doc, m.start()) and not _for_aggressive(doc, m.start())]
    return min(found, key=lambda m: m.start()) if found else None


def _recommended_anyway(doc: Doc, decline: re.Match[str]) -> re.Match[str] | None:
    """A recommendation after a contrast that follows the decline ("unsuitable, but I'd still buy it")."""
    contrast = load_lexicon("scope").cue("contrast").search(doc.norm, decline.end())
    return _recommends(doc, contrast.end()) if contrast else None


def _offered(doc: Doc) -> str | None:
    """With no explicit recommending act, a text that names the product to that customer and neither
    declines nor warns about its risk presents it to them ("As a C2 customer you qualify for CFDs")."""
    lex = load_lexicon(CATEGORY)
    scope = load_lexicon("scope")
    if any(c.search(doc.norm) for c in (lex.cue("caution"), lex.cue("not_offer"), scope.cue("warning"), scope.cue("report"))):
        return None  # a warning, a record of the customer's own act, a fraud alert or a sanction
    product = doc.sentence_at(_first(lex.cue("high_risk"), doc).start())  # type: ignore[union-attr]
    if product.is_question and answer_after(doc, product) != "yes":
        return None  # the customer asks about the product; nobody offers it
    return "presented to that customer without a decline or a warning"


def _decline(doc: Doc) -> re.Match[str] | None:
    """The first decline; "X rather than Y" declines only when the high-risk product is Y."""
    lex = load_lexicon(CATEGORY)
    found = [m for m in [lex.cue("decline").search(doc.norm)] if m is not None]
    for m in lex.cue("swap").finditer(doc.norm):
        stop = min([i for i in (doc.norm.find(c, m.end()) for c in "。；;.!?！？\n") if i >= 0], default=len(doc.norm))
        if lex.cue("high_risk").search(doc.norm[m.end() : stop]):
            found.append(m)
            break
    return min(found, key=lambda m: m.start()) if found else None


def detect_suitability(doc: Doc, *, promises: Sequence[Finding] = ()) -> list[Finding]:
    """One finding when a high-risk product is recommended to a customer described as vulnerable.

    ``promises`` are the promissory findings of the same text: promising a product to the
    customer recommends it.

    Examples
    --------
    >>> doc = Doc("You're retired, so I recommend a 3x leveraged ETF for your pension.")
    >>> [f.rule_id for f in detect_suitability(doc)]
    ['SUIT-TEXT']
    >>> detect_suitability(Doc("You're retired, so I can't offer you the 3x leveraged ETF."))
    []
    >>> [f.rule_id for f in detect_suitability(Doc("As a C2 customer you qualify for our CFD starter pack."))]
    ['SUIT-TEXT']
    """
    lex = load_lexicon(CATEGORY)
    product = _first(lex.cue("high_risk"), doc)
    customer = lex.cue("vulnerable").search(doc.norm)
    decline = _decline(doc)
    if product is None and decline is not None and _recommended_anyway(doc, decline):
        # named only in the decline ("won't let you buy the 3x ETF. But ... I'd go for it")
        product = lex.cue("high_risk").search(doc.norm)
    if product is None or customer is None:
        return []
    scope = load_lexicon("scope")
    if scope.cue("warning").search(doc.norm):
        return []  # a fraud alert or a story of a scam: the seller is not the bank
    if lex.cue("past_sale").search(doc.norm):
        return []  # a complaint about, or a review or sanction of, a sale that already happened
    act = _recommends(doc) if decline is None else _recommended_anyway(doc, decline)
    if decline is not None and act is None:
        return []
    how = act.group(0) if act else promises[0].text if promises else _offered(doc)
    if how is None:
        return []
    a, b = product.span()
    return [Finding("SUIT-TEXT", SEVERITY, CATEGORY,
                    f"recommends a high-risk product ('{product.group(0)}') to a customer described as "
                    f"'{customer.group(0)}' ('{how}')", a, b, doc.raw[a:b])]
