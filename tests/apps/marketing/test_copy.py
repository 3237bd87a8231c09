"""Copy variants: every number checked against the product facts, compliance findings and missing risk
warnings reject a variant with its reason, SMS length limits, and a product without facts refused."""

from __future__ import annotations

import datetime as dt

import pytest

from finloom.apps.marketing import (
    ProductFacts,
    generate_copy,
    product_facts,
    sms_limit,
    write_variants,
)
from finloom.errors import InvalidDataError

DEPOSIT = ProductFacts(id="td", name_en="Term deposit", name_zh="定期存款", rate=2.15, term_months=12,
                       min_amount=1000, offer_ends=dt.date(2027, 3, 31))
FUND = ProductFacts(id="fund", name_en="Balanced fund", name_zh="平衡基金", kind="fund", risk_level="R3",
                    rate=4.2, rate_label_en="past annual return", rate_label_zh="过往年化收益", fee_pct=1.2)


def test_template_variants_pass_every_check():
    out = generate_copy([DEPOSIT, FUND], {"A": {"age": 60}, "B": {"age": 25}})
    assert len(out) == 2 * 2 * 3 * 2 * 4  # products × segments × channels × languages × styles
    counts = write_variants(out)
    assert counts["unsupported_numbers_in_accepted"] == 0 and counts["sms_length_violations"] == 0
    for v in out:
        if v.channel == "sms" and v.accepted:
            length, limit = sms_limit(v.text)
            assert length <= limit
        if v.product == "fund" and v.accepted:
            assert "risk" in v.text.lower() or "风险" in v.text
    zh_sms = [v for v in out if v.channel == "sms" and v.lang == "zh" and v.product == "td"]
    assert all("2.15%" in v.text and "2027年3月31日" in v.text for v in zh_sms)


def test_a_compliance_finding_rejects_the_variant_with_its_reason():
    def rules(text, lang):
        return [{"rule_id": "SUP-BEST", "explanation": "superlative"}] if "Term deposit" in text else []

    out = generate_copy([DEPOSIT], {"A": {}}, channels=["push"], langs=["en"], compliance=rules)
    assert out and not any(v.accepted for v in out)
    assert out[0].reasons == ["compliance SUP-BEST: superlative"]


def test_an_llm_rewrite_that_invents_a_number_is_rejected_and_the_template_kept():
    class Liar:
        def generate(self, prompt, **kw):
            return "Term deposit: annual rate 3.15%, the best around. Reply STOP to opt out."

    out = generate_copy([DEPOSIT], {"A": {}}, channels=["sms"], langs=["en"], backend=Liar())
    llm = [v for v in out if v.source == "llm"]
    assert llm and all(not v.accepted and v.unsupported_numbers >= 1 for v in llm)
    assert any(v.accepted for v in out if v.source == "template")


def test_investment_copy_without_the_risk_warning_is_rejected():
    class Dropper:
        def generate(self, prompt, **kw):
            return "平衡基金：过往年化收益4.20%，年费率1.20%。"

    out = generate_copy([FUND], {"A": {}}, channels=["push"], langs=["zh"], backend=Dropper())
    llm = [v for v in out if v.source == "llm"]
    assert all(any(r.startswith("risk disclosure") for r in v.reasons) for v in llm)


def test_sms_limits_follow_the_encoding():
    assert sms_limit("a" * 160) == (160, 160) and sms_limit("€" * 80) == (160, 160)
    assert sms_limit("年" * 71) == (71, 70)
    long_name = ProductFacts(id="x", name_en="X" * 60, name_zh="长" * 20, rate=2.0, fee=12.5, min_amount=50000,
                             term_months=36, offer_ends=dt.date(2027, 1, 1))
    out = generate_copy([long_name], {"A": {}}, channels=["sms"])
    assert any(r.startswith("length: the SMS has") for v in out for r in v.reasons)


def test_a_product_with_no_facts_is_refused():
    with pytest.raises(InvalidDataError, match="product 'empty' must have at least one fact"):
        product_facts(ProductFacts(id="empty", name_en="Empty", name_zh="空"))
    with pytest.raises(InvalidDataError, match="product 'empty' must have at least one fact"):
        generate_copy([ProductFacts(id="empty", name_en="Empty", name_zh="空")], {"A": {}})
