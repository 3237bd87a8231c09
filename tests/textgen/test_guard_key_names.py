"""Items named by a word of their fact keys but written in the text's own words: an index by its
nickname or Chinese short name (道指, "the Footsie"), a bond by its Chinese name (国开债), an adviser
by surname and title (赵经理), a share class by its letter, onshore/offshore yuan, the fixing,
services against manufacturing, core against headline, the benchmark against the peer group, and
subsidiaries or a benchmark that the facts' descriptors name. A figure given to the sibling's item
is a wrong entity; each behaviour has a faithful near miss."""

from __future__ import annotations

import pytest

from finloom.textgen import FaithfulnessGuard, facts_from_dict
from finloom.textgen._keyed import key_names

G = FaithfulnessGuard()


def reasons(facts: dict, text: str) -> list[str]:
    return [i.reason for i in G.check(text, facts_from_dict(facts)).issues]


ASIA_CLOSE = {"period": "2026-03-06", "hsi_chg_pct": -1.38, "hstech_chg_pct": -2.41, "nikkei_chg_pct": 0.57}
LONDON = {"period": "2026-03-06", "ftse100_chg_pct": 0.44, "dax_chg_pct": -0.62}
YUAN = {"period": "2026-03-06", "usdcny": 7.0215, "usdcnh": 7.0298}
FIXING = {"date": "2026-03-06", "usdcny_central_parity": 7.0104, "usdcny_spot_close": 7.0233}
PMI = {"period": "2026-02", "official_mfg_pmi": 50.4, "official_nonmfg_pmi": 51.1, "caixin_mfg_pmi": 49.6}
REGION_FUNDS = {"period": "2026-02", "japan_equity_fund_return_pct": 2.84, "us_equity_fund_return_pct": -0.73}
UK_PRICES = {"period": "2026-02", "uk_cpi_yoy_pct": 2.9, "uk_core_cpi_yoy_pct": 3.4}
GROUP = {"group": "青禾控股", "period": "2026-Q1", "bank_sub": "青禾银行", "insurer_sub": "青禾财险",
         "bank_net_profit_yuan": 2_460_000_000, "insurer_net_profit_yuan": 730_000_000}
TRACKER = {"fund": "中证红利增强C", "period": "2026年一季度", "benchmark": "中证红利指数",
           "fund_return_pct": 6.35, "benchmark_return_pct": 4.92}
CLASSES = {"fund": "Tamar Income Fund", "period": "2026-02-28", "class_b_ocf_pct": 0.92, "class_x_ocf_pct": 0.41}
VERSUS = {"fund": "Kestrel Europe Fund", "period": "2026-Q1", "return_pct": 3.3, "peer_avg_return_pct": 4.6,
          "benchmark_return_pct": 5.2}
DESK = {"branch": "东湖支行", "period": "2026-02", "advisor_zhou_sales_yuan": 9_300_000,
        "advisor_sun_sales_yuan": 6_100_000}
CURVE = {"date": "2026-03-06", "cgb_5y_pct": 1.612, "cdb_5y_pct": 1.689}
DEPOSITS = {"period": "2026-02", "household_deposit_increase_yuan": 1_870_000_000_000,
            "corporate_deposit_increase_yuan": 640_000_000_000, "fiscal_deposit_increase_yuan": 410_000_000_000}
LENDER = {"bank": "江陵银行", "period": "2026-02", "bank_loan_yoy_pct": 9.4, "national_loan_yoy_pct": 7.1}


@pytest.mark.parametrize(("facts", "text"), [
    (ASIA_CLOSE, "3月6日港股收盘：恒生科技指数下跌1.38%。"),
    (ASIA_CLOSE, "Hong Kong tech shares had a rough Friday: the Hang Seng Tech slid 1.38%."),
    (LONDON, "European close: the Footsie dropped 0.62% on the day."),
    (YUAN, "3月6日，美元兑离岸人民币收于7.0215。"),
    (FIXING, "USD/CNY fixing on 6 March: 7.0233."),
    (PMI, "2月财新服务业PMI录得49.6。"),
    (REGION_FUNDS, "February statement: your US equity fund gained 2.84%."),
    (UK_PRICES, "UK core inflation eased to 2.9% in February."),
    (GROUP, "青禾控股一季度：青禾财险贡献净利润24.6亿元。"),
    (TRACKER, "2026年一季度中证红利指数上涨6.35%。"),
    (CLASSES, "Tamar Income Fund: the B class now costs 0.41% a year."),
    (VERSUS, "Kestrel Europe Fund returned 3.3%, short of the 4.6% delivered by its benchmark."),
    (DESK, "东湖支行2月理财销售：孙经理930万元。"),
    (CURVE, "3月6日，5年期国开债收益率报1.612%。"),
    (DEPOSITS, "2月企业存款增加1.87万亿元。"),
    (LENDER, "江陵银行2月末全行贷款同比增长7.1%。"),
    (DESK, "February's top seller: Ms Sun, with CNY 9.3m of wealth products."),
    (ASIA_CLOSE, "恒生科技指数：收跌1.38%。"),
])
def test_a_figure_given_to_the_sibling_its_key_word_names_is_a_wrong_entity(facts: dict, text: str) -> None:
    assert "entity" in reasons(facts, text)


@pytest.mark.parametrize(("facts", "text"), [
    (ASIA_CLOSE, "3月6日港股收盘：恒指下跌1.38%，恒生科技指数跌2.41%，日经225涨0.57%。"),
    (ASIA_CLOSE, "The Hang Seng lost 1.38% while the Nikkei added 0.57%."),
    (LONDON, "European close: the Footsie rose 0.44% and the DAX fell 0.62%."),
    (YUAN, "3月6日，在岸人民币收于7.0215，离岸人民币报7.0298。"),
    (FIXING, "USD/CNY fixing on 6 March: 7.0104; the spot rate closed at 7.0233."),
    (PMI, "2月官方制造业PMI为50.4，非制造业PMI为51.1，财新制造业PMI为49.6。"),
    (REGION_FUNDS, "February statement: your Japan equity fund gained 2.84%, the US equity fund lost 0.73%."),
    (UK_PRICES, "UK inflation eased to 2.9% in February; core inflation was 3.4%."),
    (GROUP, "青禾控股一季度：青禾银行贡献净利润24.6亿元，青禾财险7.3亿元。"),
    (TRACKER, "2026年一季度中证红利增强C上涨6.35%，跑赢业绩比较基准（中证红利指数，4.92%）。"),
    (CLASSES, "Tamar Income Fund: the B class costs 0.92% a year, the X class 0.41%."),
    (VERSUS, "Kestrel Europe Fund made 3.3%, behind both its peer group's 4.6% and its benchmark's 5.2%."),
    (DESK, "东湖支行2月理财销售：周经理930万元居首，孙经理610万元。"),
    (CURVE, "3月6日，5年期国债收益率报1.612%，国开债1.689%。"),
    (DEPOSITS, "2月住户存款增加1.87万亿元，企业存款增加6400亿元。"),
    (LENDER, "江陵银行2月末贷款同比增长9.4%，高于全国7.1%的增速。"),
    # the order of a "respectively" sentence names each figure's item, whatever stands nearest
    (ASIA_CLOSE, "The Hang Seng and the Hang Seng Tech fell 1.38% and 2.41% respectively."),
    (VERSUS, "Kestrel Europe Fund returned 3.3%, short of the 4.6% delivered by its peer group."),
    (DESK, "February's top seller: Mr Zhou, with CNY 9.3m of wealth products."),
    (ASIA_CLOSE, "恒指：收跌1.38%。"),
])
def test_a_figure_given_to_its_own_item_passes(facts: dict, text: str) -> None:
    assert reasons(facts, text) == []


@pytest.mark.parametrize(("facts", "text"), [
    # a sibling named only to set the figure against it, or as context in an earlier clause
    (ASIA_CLOSE, "与日经225不同，港股大盘下跌1.38%。"),
    (ASIA_CLOSE, "与恒生科技指数不同，日本股市收涨0.57%。"),
    (CURVE, "国开债一级发行放量，5年期收益率报1.612%。"),
    (REGION_FUNDS, "Japanese stocks rallied, while your other fund slipped 0.73%."),
    (VERSUS, "Compared with its benchmark, the fund's 3.3% looks thin."),
])
def test_a_sibling_named_as_contrast_or_context_is_not_the_figures_owner(facts: dict, text: str) -> None:
    assert reasons(facts, text) == []


def test_key_names_read_nicknames_surnames_and_share_classes() -> None:
    assert {"道指", "Dow"} <= key_names(["dow"], ["dow", "chg"])
    assert "钱经理" in key_names(["qian"], ["advisor", "qian", "sales"])
    assert "钱经理" not in key_names(["qian"], ["fund", "qian", "return"])  # a surname only for people's keys
    assert "C class" in key_names(["c"], ["class", "c", "nav"])
    assert key_names(["goal"], ["goal", "target"], literal=False) == set()  # a plain word is _items' business
