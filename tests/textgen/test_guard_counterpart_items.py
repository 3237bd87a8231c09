"""A deposit figure given to loans, or a loan figure to deposits, when the facts hold only one side of
the book, and a retail-loan figure given to mortgages alone (a part named for the whole): the key
word names the item even without a sibling fact beside it. Words naming both sides
at once (存贷比, loan-to-deposit) and a set that holds both sides leave the figure alone."""

from __future__ import annotations

import pytest

from finloom.textgen import FaithfulnessGuard, facts_from_dict

G = FaithfulnessGuard()


def reasons(facts: dict, text: str) -> list[str]:
    return [i.reason for i in G.check(text, facts_from_dict(facts)).issues]


SAVINGS = {"bank": "临港银行", "period": "2025-Q4", "deposit_balance_yi": 3615, "deposit_growth_ytd_pct": 6.4}
BOOK = {"bank": "Fairhaven Bank", "period": "2025-Q4", "loan_balance_bn_usd": 84.2, "loan_growth_yoy_pct": 5.9}
SEGMENTS = {"bank": "Northmoor Bank", "period": "2025-Q4", "corporate_loan_growth_yoy_pct": 6.1,
            "retail_loan_growth_yoy_pct": 2.4}
HOMES = {"bank": "Northmoor Bank", "period": "2025-Q4", "retail_loan_growth_yoy_pct": 2.4, "mortgage_growth_yoy_pct": 0.8}
BOTH = {"bank": "临港银行", "period": "2025-Q4", "deposit_balance_yi": 3615, "loan_balance_yi": 2980}


@pytest.mark.parametrize(("facts", "text"), [
    (SAVINGS, "截至四季度末，临港银行贷款余额3615亿元。"),
    (BOOK, "Fairhaven Bank ended the year with USD84.2bn of deposits."),
    (SEGMENTS, "Northmoor Bank's business lending rose 6.1%, while mortgage lending grew 2.4%."),
    (SEGMENTS, "Northmoor Bank四季度个人住房贷款同比增长2.4%。"),
])
def test_a_figure_given_to_the_other_side_of_the_book_is_a_wrong_entity(facts: dict, text: str) -> None:
    assert "entity" in reasons(facts, text)


@pytest.mark.parametrize(("facts", "text"), [
    (SAVINGS, "截至四季度末，临港银行存款余额3615亿元，较年初增长6.4%。"),
    (SAVINGS, "临港银行存贷款业务稳步推进，存款余额3615亿元。"),
    (BOOK, "Fairhaven Bank ended the year with USD84.2bn of loans, up 5.9% on the year."),
    (BOOK, "Fairhaven Bank's lending book reached USD84.2bn."),
    (BOTH, "临港银行存款余额3615亿元，贷款余额2980亿元。"),
    (SEGMENTS, "Northmoor Bank's corporate loans rose 6.1%; retail loans, mostly mortgages, grew 2.4%."),
    (SEGMENTS, "Northmoor Bank四季度个人贷款同比增长2.4%，对公贷款增长6.1%。"),
    # with a mortgage figure of its own, the mortgage is a sibling, not a part named for the whole
    (HOMES, "Northmoor Bank's retail loans grew 2.4% in the fourth quarter; mortgages grew 0.8%."),
])
def test_a_figure_given_to_its_own_side_passes(facts: dict, text: str) -> None:
    assert reasons(facts, text) == []
