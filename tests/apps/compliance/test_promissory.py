"""Promissory: "can't lose" with a market crash as the only exception; payoffs tied to an index level."""

from __future__ import annotations

import pytest

from finloom.apps.compliance import audit_text


def _promise(text: str) -> bool:
    return any(f.category == "promissory" for f in audit_text(text, classifier=None))


@pytest.mark.parametrize("text", [
    # "markets" here is a noun, not "never market ..." in a staff rule
    "Thanks to the 70% barrier you can't lose on this note unless markets fall by a third. Capital at risk.",
    # a condition on the customer's own action is no market condition: still a promise
    "If you invest today you'll get 9% in a year. Capital at risk.",
    "You'll get 9% in a year even if the index stays above its barrier. Capital at risk.",
])
def test_promises_are_flagged(text: str) -> None:
    assert _promise(text)


@pytest.mark.parametrize("text", [
    "If the Hang Seng closes at or above its starting level on the review date, you'll get 8% in a year; "
    "otherwise your capital is at risk.",
    "Staff must never market this note as safe. Capital at risk.",
])
def test_conditional_payoffs_and_staff_rules_are_not(text: str) -> None:
    assert not _promise(text)
