"""Another member of the facts' own kind, named in the text: a second currency pair (EUR/JPY beside
a USD/JPY close, 英镑兑人民币 beside a 欧元兑人民币 fixing), an index whose short name hides inside the
facts' own index name (恒生 in 恒生科技指数), another fund category (股票型 beside 债券型基金), the
other half of retail sales (商品零售 beside 餐饮收入) and another insurer. The right number given to
that member is a wrong entity; each has a faithful near miss."""

from __future__ import annotations

import pytest

from finloom.textgen import FaithfulnessGuard, facts_from_dict

G = FaithfulnessGuard()


def reasons(facts: dict, text: str) -> list[str]:
    return [i.reason for i in G.check(text, facts_from_dict(facts)).issues]


YEN = {"pair": "USD/JPY", "date": "2026-02-03", "prev_close": 151.20, "close": 152.05}
FIX = {"pair": "欧元兑人民币中间价", "date": "2026-02-03", "prev": 7.9120, "value": 7.9348}
QUOTES = {"date": "2026-02-03", "usdcny": 7.0712, "eurcny": 7.9348, "cny_per_100jpy": 4.6318}
TECH = {"index": "恒生科技指数", "period": "2026年1月", "mtd_change_pct": 5.7, "close": 5920.4}
BOND_FUNDS = {"category": "债券型基金", "period": "2026-01", "net_flow_yi": 233.8, "prior_month_net_flow_yi": -95.1}
CATERING = {"series": "餐饮收入", "period": "2026-01", "value_yi": 4875, "yoy_pct": 2.6}
LIFE = {"insurer": "长宁人寿", "period": "2025年", "premium_yi": 318.6, "yoy_pct": 5.2}


@pytest.mark.parametrize(("facts", "text"), [
    (YEN, "GBP/JPY ended the session at 152.05, up from 151.20."),
    (YEN, "The euro-yen cross, EURJPY, closed at 152.05."),
    (FIX, "2月3日澳元兑人民币中间价报7.9348。"),
    (TECH, "1月恒生指数累计上涨5.7%，收于5920.4点。"),
    (BOND_FUNDS, "1月混合型基金净流入233.8亿元。"),
    (BOND_FUNDS, "January saw CNY23.38bn flow into equity funds."),
    (CATERING, "1月商品零售额4875亿元，同比增长2.6%。"),
    (LIFE, "2025年东港财险保费收入318.6亿元，同比增长5.2%。"),
])
def test_a_figure_given_to_another_member_of_its_kind_is_a_wrong_entity(facts: dict, text: str) -> None:
    assert "entity" in reasons(facts, text)


@pytest.mark.parametrize(("facts", "text"), [
    (YEN, "USD/JPY ended the session at 152.05, up from 151.20."),
    (YEN, "The dollar-yen rate (USDJPY) closed at 152.05 after 151.20 the day before."),
    (FIX, "2月3日欧元兑人民币中间价报7.9348，前一日为7.9120。"),
    # a figure the facts hold beside the pairs, unnamed by any pair key: other pairs are not ruled out
    (QUOTES, "2月3日美元兑人民币7.0712，欧元兑人民币7.9348，100日元兑人民币4.6318。"),
    (TECH, "1月恒生科技指数累计上涨5.7%，收于5920.4点。"),
    (TECH, "恒生科技1月累计上涨5.7%。"),
    (BOND_FUNDS, "1月债券型基金净流入233.8亿元，上月为净流出95.1亿元。"),
    (CATERING, "1月餐饮收入4875亿元，同比增长2.6%。"),
    (LIFE, "2025年长宁人寿保费收入318.6亿元，同比增长5.2%。"),
])
def test_a_figure_given_to_the_facts_own_member_passes(facts: dict, text: str) -> None:
    assert reasons(facts, text) == []
