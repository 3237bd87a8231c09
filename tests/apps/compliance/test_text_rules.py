from __future__ import annotations

import pytest

from finloom.apps.compliance import audit_text, builtin_packs, find_pii, mask_pii, risk_level
from finloom.errors import ConfigError

# (rule id, violating text, near-miss clean text)
CASES = [
    ("EN-PROM-001", "Enjoy guaranteed returns of 7% a year. Capital at risk.",
     "Returns are not guaranteed and capital is at risk."),
    ("EN-PROM-001", "With this plan you can't lose. Capital at risk.",
     "Remember that you can lose money with this plan."),
    ("EN-PROM-001", "A risk-free investment for your savings. Capital at risk.",
     "Bond yields are compared with the risk-free rate."),
    ("EN-RISK-001", "Invest in our Global Equity Fund today and watch your savings grow.",
     "Invest in our Global Equity Fund today; capital at risk and you may get back less."),
    ("EN-SUP-001", "We are the best bank for savers.",
     "Rated the best bank for savers by Global Finance in 2023."),
    ("EN-SUP-001", "Enjoy the lowest fees on the market.",
     "Our adviser acts in your best interests."),
    ("EN-PROH-001", "This product is approved by the SEC.",
     "This product is not approved or guaranteed by any government agency."),
    ("EN-PROH-001", "Our analysts have insider information on the merger.",
     "Our analysts never trade on insider information."),
    ("EN-SUIT-002", "This plan is suitable for all investors.",
     "This plan may not be suitable for all investors."),
    ("ZH-PROM-001", "本产品保本保收益，市场有风险。", "本产品不保本、不保证收益，市场有风险。"),
    ("ZH-PROM-001", "这是一项无风险投资。", "收益率与无风险利率相比更高。"),
    ("ZH-RISK-001", "这款理财产品年化收益率高达6%。", "这款理财产品业绩比较基准为6%，市场有风险，投资需谨慎。"),
    ("ZH-SUP-001", "我们是全国第一的理财平台。", "据《银行家》杂志评选，我们是行业领先的财富管理机构。"),
    ("ZH-SUP-001", "首选的养老理财，投资有风险。", "2024年第一季度净利润同比增长。"),
    ("ZH-PROH-001", "我们有内幕消息，这只股票要涨，投资有风险。", "公司严禁员工利用内幕消息交易。"),
    ("ZH-PROH-001", "本基金经证监会批准，请放心，投资有风险。", "本产品并非政府担保产品。"),
    ("ZH-SUIT-002", "这款产品老少皆宜。", "这款高风险产品不适合所有投资者。"),
    ("PII-CARD", "My card is 4111 1111 1111 1111.", "Order number 4111 1111 1111 1112."),
    ("PII-CNID", "身份证号11010519491231002X。", "编号110105194912310021。"),
    ("PII-IBAN", "Pay to GB82 WEST 1234 5698 7654 32.", "Reference GB82 WEST 1234 5698 7654 33."),
    ("PII-PHONE", "请拨打13800138000联系我。", "订单金额为1380元。"),
    ("PII-EMAIL", "Write to jane.doe@example.com.", "Write to us via the website form."),
]


@pytest.mark.parametrize(("rule_id", "bad", "clean"), CASES)
def test_rule_positive_and_near_miss(rule_id: str, bad: str, clean: str) -> None:
    hits = [f for f in audit_text(bad) if f.rule_id == rule_id]
    assert hits, f"{rule_id} missed: {bad}"
    finding = hits[0]
    if finding.start is not None:
        assert bad[finding.start : finding.end] == finding.text
    assert finding.explanation and finding.severity in {"medium", "high", "critical"}
    assert not [f for f in audit_text(clean) if f.rule_id == rule_id], f"{rule_id} false alarm: {clean}"


def test_every_builtin_rule_has_a_test_case() -> None:
    tested = {c[0] for c in CASES} | {"SUIT-LEVEL"}
    declared = {r.id for pack in builtin_packs().values() for r in pack.rules}
    assert declared == tested


def test_suitability_product_vs_customer_risk() -> None:
    assert [f.rule_id for f in audit_text("Hello.", context={"product_risk": "R4", "customer_risk": "C2"})] == [
        "SUIT-LEVEL"]
    assert audit_text("Hello.", context={"product_risk": "R2", "customer_risk": "aggressive"}) == []
    with pytest.raises(ConfigError, match="risk level must be"):
        risk_level("R9")


def test_mask_pii_keeps_last_four_and_text_unchanged() -> None:
    text = "Card 4111-1111-1111-1111, phone +86 138 0013 8000, IBAN GB82WEST12345698765432."
    masked = mask_pii(text)
    assert "4111-1111-1111-1111" not in masked and masked.count("1111") == 1
    assert "8000" in masked and "0013" not in masked
    assert find_pii(masked) == []
    assert text.startswith("Card 4111")


def test_audit_text_bad_lang() -> None:
    with pytest.raises(ConfigError, match="lang must be 'en', 'zh' or None"):
        audit_text("x", lang="fr")
