from __future__ import annotations

from typing import Any

import pytest

from finloom.apps.compliance import (
    Finding,
    audit_text,
    builtin_packs,
    find_pii,
    mask_pii,
    risk_level,
)
from finloom.apps.compliance._lexicon import load_lexicon
from finloom.errors import ConfigError


def audit_rules(*args: Any, **kwargs: Any) -> list[Finding]:
    """The rules alone (these tests are the rules'; the learned classifier has its own in test_learned)."""
    return audit_text(*args, classifier=None, **kwargs)


# (rule id, violating text, near-miss clean text): every rule and trigger, both languages
CASES = [
    ("PROM-GUARANTEED-RETURN", "Enjoy guaranteed returns of 7% a year. Capital at risk.",
     "Returns are not guaranteed and capital is at risk."),
    ("PROM-GUARANTEED-RETURN", "The Vale Fund will pay you 6% — guaranteed. Capital at risk.",
     "We guarantee a reply within two working days."),
    ("PROM-RISK-FREE", "A risk-free investment for your savings. Capital at risk.",
     "Bond yields are compared with the risk-free rate."),
    ("PROM-RISK-FREE", "零风险，年化6%，这款理财投资需谨慎。", "天下没有零风险的高收益，投资需谨慎。"),
    ("PROM-NO-LOSS", "With this plan you can't lose money. Capital at risk.",
     "Remember that you can lose money with this plan."),
    ("PROM-NO-LOSS", "本产品保本保收益，市场有风险。", "本产品不保本、不保证收益，市场有风险。"),
    ("PROM-NO-LOSS", "这只基金亏不了，投资有风险。", "警惕所谓“亏不了”的荐股群，投资有风险。"),
    ("PROM-CERTAIN-GAIN", "The Heron Note will return at least 5% a year. Capital at risk.",
     "The Heron Note aims for 5% a year but may return less. Capital at risk."),
    ("PROM-CERTAIN-GAIN", "这款信托我们承诺年化8%，产品有风险。", "我行不承诺任何收益，产品有风险。"),
    ("PROM-TRACK-RECORD", "这只产品从来没亏过，放心买吧。投资有风险。", "该指数历史上也曾多次下跌，投资有风险。"),
    ("PROM-TRACK-RECORD", "Our fund has never had a losing year, so just buy it. Capital at risk.",
     "No fund can promise a year without losses. Capital at risk."),
    ("PROM-ANSWERED", "Q: Can I lose money on the Ivy Note? A: No, not at all. Capital at risk.",
     "Q: Can I lose money on the Ivy Note? A: Yes, you can. Capital at risk."),
    ("RISK-RECOMMEND", "I'd go for the Apex Emerging Markets Fund, it did well last year.",
     "I'd go for the Apex Emerging Markets Fund; remember you may get back less than you invest."),
    ("RISK-RECOMMEND", "客户经理推荐其申购“锐进”股票基金20万元。", "客户经理推荐其申购“锐进”股票基金，并提示基金有风险。"),
    ("RISK-CALL-TO-ACTION", "Invest in our Global Equity Fund today and watch your savings grow.",
     "Invest in our Global Equity Fund today; capital at risk and you may get back less."),
    ("RISK-CALL-TO-ACTION", "“月月盈”理财新品发售，1元起购！", "“月月盈”理财新品发售，1元起购。理财非存款，产品有风险。"),
    ("RISK-RATING", "We upgrade Corran plc to BUY with a 420p target.",
     "We upgrade Corran plc to BUY with a 420p target. Key risks: weaker demand."),
    ("RISK-SALES-CLAIM", "Our Orion Bond Fund pays 5.2% a year.", "Our Orion Bond Fund pays 5.2% a year. Capital at risk."),
    ("RISK-PROMOTED", "全城最好的理财，就在我行！", "全城最好的理财，就在我行！理财非存款，产品有风险。"),
    ("SUP-BEST", "We are the best bank for savers.", "Rated the best bank for savers by Global Finance in 2023."),
    ("SUP-BEST", "No other bank gives you more for your money.", "Our adviser acts in your best interests."),
    ("SUP-MOST", "Enjoy the cheapest FX rates on the high street.", "The pound hit its lowest level since 2022."),
    ("SUP-HASHTAG", "Zero fees on transfers abroad. #BestBankEver", "Join our 10k run for the food bank. #TeamHarbor"),
    ("SUP-ZH", "我们是全国第一的理财平台。", "据《银行家》杂志评选，我行位列城商行第一。"),
    ("SUP-ZH", "审批最快、利率最低，就选我行。", "最低1元起购，最高可申购50万元。"),
    ("SUIT-TEXT", "You're retired, so I recommend a 3x leveraged ETF for your pension. Capital at risk.",
     "You're retired, so I can't offer you the 3x leveraged ETF. A deposit may suit you better."),
    ("SUIT-TEXT", "您是保守型客户，这款R5级私募很适合您，产品有风险。", "您是保守型客户，暂时无法购买R5级产品。"),
    ("EN-PROH-001", "This product is approved by the SEC.",
     "This product is not approved or guaranteed by any government agency."),
    ("EN-PROH-001", "Our analysts have insider information on the merger.",
     "Our analysts never trade on insider information."),
    ("EN-SUIT-002", "This plan is suitable for all investors.", "This plan may not be suitable for all investors."),
    ("ZH-PROH-001", "我们有内幕消息，这只股票要涨，投资有风险。", "公司严禁员工利用内幕消息交易。"),
    ("ZH-PROH-001", "本基金经证监会批准，请放心，投资有风险。", "本产品并非政府担保产品。"),
    ("ZH-SUIT-002", "这款产品老少皆宜。", "这款高风险产品不适合所有投资者。"),
    ("PII-CARD", "My card is 4111 1111 1111 1111.", "Order number 4111 1111 1111 1112."),
    ("PII-CNID", "身份证号11010519491231002X。", "编号110105194912310021。"),
    ("PII-IBAN", "Pay to GB82 WEST 1234 5698 7654 32.", "Reference GB82 WEST 1234 5698 7654 33."),
    ("PII-SSN", "Her social security number is 123-45-6789.", "Her number on file is 666-45-6789."),
    ("PII-ACCOUNT", "Pay rent to account number 73015522, sort code 40-11-62.",
     "A sort code has six digits, for example 12-34-56."),
    ("PII-PHONE", "请拨打13800138000联系我。", "订单金额为1380元，客服热线95588。"),
    ("PII-PHONE", "Text me on 07700 900461 when you're free.", "Call us free on 0800 123 4567."),
    ("PII-EMAIL", "Write to jane.doe@example.com.", "Write to support@bank.example."),
]


@pytest.mark.parametrize(("rule_id", "bad", "clean"), CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_rule_positive_and_near_miss(rule_id: str, bad: str, clean: str) -> None:
    hits = [f for f in audit_rules(bad) if f.rule_id == rule_id]
    assert hits, f"{rule_id} missed: {bad}"
    finding = hits[0]
    if finding.start is not None:
        assert bad[finding.start : finding.end] == finding.text
    assert finding.explanation and finding.severity in {"medium", "high", "critical"}
    category = finding.category
    assert not [f for f in audit_rules(clean) if f.category == category], f"{rule_id} false alarm: {clean}"


def test_every_rule_and_trigger_has_a_test_case() -> None:
    tested = {c[0] for c in CASES} | {"SUIT-LEVEL"}
    declared = {r.id for pack in builtin_packs().values() for r in pack.rules}
    triggers = {e.id for name in ("promissory", "risk_disclosure", "superlative") for e in load_lexicon(name).triggers}
    in_code = {"PROM-ANSWERED", "RISK-PROMOTED", "SUIT-TEXT"}
    assert declared | triggers | in_code == tested


def test_findings_name_rule_span_and_why() -> None:
    text = "您好，这款理财保本保收益，欢迎认购。"
    findings = audit_rules(text)
    assert {f.category for f in findings} == {"promissory", "risk_disclosure"}
    for f in findings:
        assert f.rule_id and f.explanation and text[f.start : f.end] == f.text


def test_texts_mixing_languages_use_both_lexicons() -> None:
    text = "Hi 阿姨, since you're 保守型 (C1), this 3x leveraged ETF is a nice way to boost your income."
    assert {f.category for f in audit_rules(text, "en")} == {"suitability", "risk_disclosure"}


def test_suitability_product_vs_customer_risk() -> None:
    assert [f.rule_id for f in audit_rules("Hello.", context={"product_risk": "R4", "customer_risk": "C2"})] == [
        "SUIT-LEVEL"]
    assert audit_rules("Hello.", context={"product_risk": "R2", "customer_risk": "aggressive"}) == []
    with pytest.raises(ConfigError, match="risk level must be"):
        risk_level("R9")


def test_mask_pii_keeps_last_four_and_text_unchanged() -> None:
    text = "Card 4111-1111-1111-1111, phone +86 138 0013 8000, IBAN GB82WEST12345698765432."
    masked = mask_pii(text)
    assert "4111-1111-1111-1111" not in masked and masked.count("1111") == 1
    assert "8000" in masked and "0013" not in masked
    assert find_pii(masked) == []
    assert text.startswith("Card 4111")


def test_audit_text_bad_input() -> None:
    with pytest.raises(ConfigError, match="lang must be 'en', 'zh' or None; got 'fr'"):
        audit_rules("x", lang="fr")
    with pytest.raises(ConfigError, match="text must be a str; got int"):
        audit_rules(3)  # type: ignore[arg-type]


def test_audit_text_leaves_the_text_unchanged() -> None:
    text = "ＧＵＡＲＡＮＴＥＥＤ returns！“保本”"
    before = str(text)
    assert audit_rules(text)
    assert text == before


def test_an_faq_answer_speaks_in_the_sense_of_its_question() -> None:
    service = "Q: How does your rate-match guarantee work?\nA: Show us a better rate from a UK bank and we'll refund the difference."
    fund = "Q: Is the Apex fund safe?\nA: If it falls, we'll refund the difference, so buy with confidence."
    assert not [f for f in audit_rules(service) if f.category == "promissory"]
    assert [f.rule_id for f in audit_rules(fund) if f.category == "promissory"] == ["PROM-NO-LOSS"]
