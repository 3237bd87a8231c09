"""Run the text detectors of the five categories on one text and merge their findings."""

from __future__ import annotations

from finloom.apps.compliance._disclosure import detect_risk_disclosure
from finloom.apps.compliance._doc import Doc
from finloom.apps.compliance._promissory import detect_promissory
from finloom.apps.compliance._scope import Scope
from finloom.apps.compliance._suitability import detect_suitability
from finloom.apps.compliance._superlative import detect_superlative
from finloom.apps.compliance.schemas import Finding

__all__ = ["detect_categories"]


def detect_categories(doc: Doc) -> list[Finding]:
    """Promissory, superlative, suitability and risk-disclosure findings of one text.

    Risk disclosure reads the others: a promise, a superlative or a recommendation to a vulnerable
    customer promotes the product it speaks of.

    Examples
    --------
    >>> sorted({f.category for f in detect_categories(Doc("全城最高收益！这款理财保本保收益。"))})
    ['promissory', 'risk_disclosure', 'superlative']
    """
    scope = Scope.of(doc)
    promises = detect_promissory(doc, scope)
    superlatives = detect_superlative(doc)
    suitability = detect_suitability(doc, promises=promises)
    disclosure = detect_risk_disclosure(doc, scope, promotes=[*promises, *suitability, *superlatives])
    return [*promises, *superlatives, *suitability, *disclosure]
