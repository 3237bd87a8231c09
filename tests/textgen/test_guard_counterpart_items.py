"""A deposit figure given to loans, or a loan figure to deposits, when the facts hold only one side of
the book: the key word names the item even without a sibling fact beside it. Words naming both sides
at once (存贷比, loan-to-deposit) and a set that holds both sides leave the figure alone."""

from __future__ import annotations

import pytest

from finloom.textgen import FaithfulnessGuard, facts_from_dict

G = FaithfulnessGuard()


def reasons(facts: dict, text: str) -> list[str]:
    return [i.reason for i in G.check(text, facts_from_dict(facts)).issues]


SAVINGS = {"bank": "临港银行", "period": "2025-Q4", "deposit_balance_yi": 3615, "deposit_growth_ytd_pct": 6.4}
BOOK = {"bank": "Fairhaven Bank", "period": "2025-Q4", "loan_balance_bn_usd": 84.2, "loan_growth_yoy_pct": 5.9}
BOTH = {"bank": "临港银行", "period": "2025-Q4", "deposit_balance_yi": 3615, "loan_balance_yi": 2980}


@pytest.mark.parametrize(("facts", "text"), [
    (SAVINGS, "截至四季度末，临港银行贷款余额3615亿元。"),
    (BOOK, "Fairhaven Bank ended the year with USD84.2bn of deposits."),
])
def test_a_figure_given_to_the_other_side_of_the_book_is_a_wrong_entity(facts: dict, text: str) -> None:
    assert "entity" in reasons(facts, text)


@pytest.mark.parametrize(("facts", "text"), [
    (SAVINGS, "截至四季度末，临港银行存款余额3615亿元，较年初增长6.4%。"),
    (SAVINGS, "临港银行存贷款业务稳步推进，存款余额3615亿元。"),
    (BOOK, "Fairhaven Bank ended the year with USD84.2bn of loans, up 5.9% on the year."),
    (BOOK, "Fairhaven Bank's lending book reached USD84.2bn."),
    (BOTH, "临港银行存款余额3615亿元，贷款余额2980亿元。"),
])
def test_a_figure_given_to_its_own_side_passes(facts: dict, text: str) -> None:
    assert reasons(facts, text) == []
