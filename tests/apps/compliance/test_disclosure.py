"""Risk disclosure: fee offers promote, recorded explanations warn, deposit-insurance and fresh funds are no products."""

from __future__ import annotations

import pytest

from finloom.apps.compliance import audit_text


def _missing_warning(text: str) -> bool:
    return any(f.category == "risk_disclosure" for f in audit_text(text, classifier=None))


def test_a_cut_price_entry_charge_on_a_fund_promotes_it() -> None:
    assert _missing_warning("Join us on Thursday evening to meet the managers of the Larch Asia Income Fund; "
                            "guests enjoy a discounted 1% initial charge.")


@pytest.mark.parametrize("text", [
    # the risks were explained (a record of the conversation names several of them)
    "Meeting note: RM proposed the Ardent Commodity Fund. Risks of commodity price swings and possible loss of capital explained.",
    "Adviser discussed the Ledger Growth Fund; potential loss of principal covered in the meeting.",
    # deposits need no warning: fresh funds are money, the deposit insurance fund is no investment fund
    "Earn 3.2% p.a. on a 3-month Fixed Deposit with a minimum of S$10,000 in fresh funds. Apply in the app today.",
    "三年期大额存单，年利率2.1%，20万元起存，已纳入存款保险基金保障范围，额度有限，欢迎到网点办理。",
])
def test_warned_or_non_investment_texts_are_not_flagged(text: str) -> None:
    assert not _missing_warning(text)
