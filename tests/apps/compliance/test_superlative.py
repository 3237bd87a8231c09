"""Superlatives: which source vouches for which claim, advice worded with "best", deposits."""

from __future__ import annotations

import pytest

from finloom.apps.compliance import audit_text


def _superlative(text: str) -> bool:
    return any(f.category == "superlative" for f in audit_text(text, classifier=None))


@pytest.mark.parametrize("text", [
    # the award has its source; the second claim, joined by ", and", has none
    "Our cards team won 'Card Issuer of the Year' at the Retail Banker Awards, and frankly our app is the best in Malaysia.",
    "Put your savings in our 12-month Term Deposit, the highest-paying term deposit on the island this summer.",
    # a comparison limited to a table still needs the table's source somewhere in the text
    "下表为三家银行的两年期定存利率。在上表所列银行中，本行利率最高。",
])
def test_unsourced_claims_are_flagged(text: str) -> None:
    assert _superlative(text)


@pytest.mark.parametrize("text", [
    "Savings you may need soon are best held in an instant-access account.",
    "Windfalls are usually best left in cash until you have decided what to do.",
    "Kestrel Bank was named 'Best Private Bank – Singapore' at the Wealth Briefing Asia Awards 2024.",
    "下表为三家银行的两年期定存利率。数据来源：各行官网牌告，统计日2025年5月10日。在上表所列银行中，本行利率最高。",
    "Rates as at 1 May (source: Moneyfacts). Of the accounts listed above, the Orchard Saver pays the highest rate.",
])
def test_advice_and_sourced_comparisons_are_not(text: str) -> None:
    assert not _superlative(text)
