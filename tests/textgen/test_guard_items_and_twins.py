"""Items told apart only by a word of their metric keys (cashback by category, NPL ratios by bank,
returns by fund); one metric given twice in a period, before and after a move (prev_q, open/close,
月初/月末, 调整前/后, a key naming the month before); amounts written CNY1,234; "year to date" of a
figure when the facts give the year-to-date one apart. Each behaviour with its near miss."""

from __future__ import annotations

import pytest

from finloom.textgen import FaithfulnessGuard, facts_from_dict
from finloom.textgen._items import item_words, own_item, wrong_item
from finloom.textgen._twins import before_after

G = FaithfulnessGuard()


def reasons(facts: dict, text: str) -> list[str]:
    return [i.reason for i in G.check(text, facts_from_dict(facts)).issues]


REWARDS = {"period": "2026-03", "dining_rewards_usd": 21.7, "travel_rewards_usd": 9.4, "other_rewards_usd": 3.1}
ZH_BANKS = {"period": "2026-Q1", "北川银行不良率_pct": 1.31, "西港银行不良率_pct": 1.77}
ZH_INDICES = {"period": "2026-02-12", "中证500涨跌幅_pct": 2.64, "中证1000涨跌幅_pct": 0.93}
FUNDS = {"client": "Ms Ortega", "period": "2026-Q1", "global_bond_fund_return_pct": 1.9,
         "india_equity_fund_return_pct": -4.1}
BANKS_EN = {"period": "2026-Q1", "ashford_bank_cet1_pct": 13.2, "millbrook_bank_cet1_pct": 11.6}


@pytest.mark.parametrize(("facts", "text"), [
    (REWARDS, "Travel was where you earned the most rewards in March: $21.70."),
    (REWARDS, "You earned $21.70 in rewards on travel last month."),
    (ZH_BANKS, "一季度末，西港银行不良贷款率为1.31%。"),
    (FUNDS, "Q1 update for Ms Ortega: India Equity led the way, up 1.9%."),
    (BANKS_EN, "Millbrook Bank ended the first quarter with a CET1 ratio of 13.2%."),
])
def test_a_figure_given_to_another_item_of_its_keys_is_flagged(facts: dict, text: str) -> None:
    assert "entity" in reasons(facts, text)


@pytest.mark.parametrize(("facts", "text"), [
    (REWARDS, "Dining was where you earned the most rewards in March: $21.70."),
    (REWARDS, "You earned $21.70 in rewards on dining and $9.40 on travel."),
    (ZH_BANKS, "一季度末，北川银行不良贷款率为1.31%，西港银行为1.77%。"),
    (FUNDS, "Q1 update for Ms Ortega: Global Bond was up 1.9%, while India Equity fell 4.1%."),
    (BANKS_EN, "Ashford Bank ended the first quarter with a CET1 ratio of 13.2%, ahead of Millbrook's 11.6%."),
])
def test_a_figure_given_to_its_own_item_passes(facts: dict, text: str) -> None:
    assert reasons(facts, text) == []


def test_index_items_that_differ_only_by_a_number_are_not_items() -> None:
    # 中证500 / 中证1000 differ by digits only: no item words, so nothing is read from the names
    assert item_words(facts_from_dict(ZH_INDICES).facts) == {}


def test_the_other_item_as_the_head_of_a_longer_name_is_not_that_item() -> None:
    facts = {"bank": "Fenwick Bank", "period": "2026-H1", "income_gbp_bn": 3.1, "nii_gbp_bn": 2.2}
    assert reasons(facts, "Fenwick Bank's income was £3.1bn, of which net interest income was £2.2bn.") == []


def test_item_helpers_name_the_other_item_and_the_own_one() -> None:
    fs = facts_from_dict(REWARDS).facts
    items = item_words(fs)
    dining = next(f for f in fs if "dining" in f.id)
    assert wrong_item(dining, "most rewards went to travel: ", items) == "travel"
    assert wrong_item(dining, "dining beat travel: ", items) is None
    assert own_item(dining, " on dining", items) and not own_item(dining, " on travel", items)


@pytest.mark.parametrize(("facts", "text"), [
    ({"bank": "Kestrel Bank", "period": "2026-Q1", "npl_ratio_pct": 1.62, "npl_ratio_prev_q_pct": 1.55},
     "Kestrel Bank's NPL ratio improved by 7 bp in the quarter, falling to 1.62%."),
    ({"account": "储蓄账户", "period": "2026-03", "月初余额_元": 18200, "月末余额_元": 16900},
     "3月您的储蓄余额增加了1,300元，月末余额16,900元。"),
    ({"政策": "1年期LPR", "period": "2026-02", "调整前_pct": 3.1, "调整后_pct": 3.0},
     "1年期LPR上调10个基点至3.0%。"),
    ({"category": "Groceries", "period": "2026-03", "spend_usd": 410.5, "spend_2026_02_usd": 388.0},
     "Groceries cost you $410.50 in March, $22.50 less than February."),
])
def test_a_move_against_the_figure_before_it_is_flagged(facts: dict, text: str) -> None:
    assert "direction" in reasons(facts, text)


@pytest.mark.parametrize(("facts", "text"), [
    ({"bank": "Kestrel Bank", "period": "2026-Q1", "npl_ratio_pct": 1.62, "npl_ratio_prev_q_pct": 1.55},
     "Kestrel Bank's NPL ratio rose by 7 bp in the quarter to 1.62%."),
    ({"account": "储蓄账户", "period": "2026-03", "月初余额_元": 18200, "月末余额_元": 16900},
     "3月您的储蓄余额减少了1,300元，月末余额16,900元。"),
    ({"category": "Groceries", "period": "2026-03", "spend_usd": 410.5, "spend_2026_02_usd": 388.0},
     "Groceries cost you $410.50 in March, $22.50 more than February."),
])
def test_a_move_the_figures_bear_out_passes(facts: dict, text: str) -> None:
    assert reasons(facts, text) == []


def test_a_currency_said_to_move_against_its_pair_open_and_close_is_flagged() -> None:
    facts = {"pair": "USD/JPY", "period": "2026-03-03", "open": 149.1, "close": 150.4}
    assert "direction" in reasons(facts, "The yen firmed on the day; USD/JPY finished at 150.4.")
    assert reasons(facts, "The yen weakened on the day; USD/JPY finished at 150.4.") == []
    zh = {"pair": "欧元/美元", "period": "2026-03-03", "close": 1.0912, "prev_close": 1.0968}
    assert "direction" in reasons(zh, "欧元对美元走强，欧元/美元收于1.0912。")
    assert reasons(zh, "欧元对美元走弱，欧元/美元收于1.0912。") == []


def test_twins_need_one_stem() -> None:
    fs = facts_from_dict({"period": "2026-03", "open": 10.0, "close": 11.0, "volume_count": 300}).facts
    by = {f.label: f for f in fs}
    pair = before_after(by["close"], by["open"])
    assert pair is not None and pair[0].label == "open"
    assert before_after(by["close"], by["volume"]) is None


def test_an_amount_written_with_its_code_is_checked() -> None:
    facts = {"customer": "Mr Lu", "period": "2026-03", "atm_withdrawals_cny": 2400}
    assert reasons(facts, "In March you withdrew CNY2,400 at ATMs.") == []
    assert reasons(facts, "In March you withdrew CNY4,200 at ATMs.") != []
    loans = {"entity": "Eastland new loans", "period": "2026-03", "new_loans_cny_yi": 21400}
    assert reasons(loans, "New loans came to CNY2.14trn in March.") == []
    assert reasons(loans, "New loans came to CNY2.41trn in March.") != []


def test_year_to_date_of_a_monthly_figure_is_flagged_when_the_ytd_one_is_given() -> None:
    facts = {"client": "Mr Yip", "period": "2026-04", "monthly_return_pct": 0.84, "ytd_return_pct": 2.95}
    assert "period" in reasons(facts, "Your portfolio has returned 0.84% year to date.")
    assert reasons(facts, "Your portfolio returned 0.84% in April and 2.95% year to date.") == []
    zh = {"客户": "吴女士", "period": "2026-04", "本月收益率_pct": 0.84, "今年以来收益率_pct": 2.95}
    assert "period" in reasons(zh, "吴女士，您的组合今年以来收益0.84%。")
    assert reasons(zh, "吴女士，您的组合今年以来收益2.95%。") == []


def test_a_chinese_key_naming_a_change_of_either_sign_gives_the_figure_its_direction() -> None:
    facts = {"品种": "沪金主力", "period": "2026-Q1", "季度涨跌幅_pct": 5.2, "季末价格_元每克": 612.4}
    assert "direction" in reasons(facts, "沪金一季度累计下跌5.2%。")
    assert reasons(facts, "沪金一季度累计上涨5.2%。") == []


@pytest.mark.parametrize(("text", "flagged"), [
    ("松涛成长混合一季度收益率4.3%，继续领先同类。", True),
    ("Pine Growth Fund returned 4.3% in the first quarter.", True),
    ("松涛成长混合一季度收益率-4.3%。", False),
    ("松涛成长混合一季度亏损4.3%。", False),
    ("Pine Growth Fund was off 4.3% in the first quarter.", False),
    ("A rough quarter: Pine Growth Fund returned 4.3% less than it started with.", False),
])
def test_a_fall_stated_as_a_bare_percentage_reads_as_a_gain(text: str, flagged: bool) -> None:
    facts = {"fund": "Pine Growth Fund", "aliases": {"Pine Growth Fund": ["松涛成长混合"]}, "period": "2026-Q1",
             "return_pct": -4.3}
    assert ("direction" in reasons(facts, text)) is flagged


def test_a_move_written_as_lifting_or_pushing_up_is_a_rise() -> None:
    facts = {"instrument": "Bund 10Y yield", "period": "2026-03-04", "yield_change_bp": -9, "yield_pct": 2.41}
    assert "direction" in reasons(facts, "Bunds rallied, lifting the 10-year yield 9 basis points to 2.41%.")
    assert reasons(facts, "Bunds rallied, pulling the 10-year yield down 9 basis points to 2.41%.") == []


def test_keys_naming_two_years_of_one_metric_give_the_change_from_the_earlier() -> None:
    facts = {"metric": "chargebacks (USD mn)", "chargebacks_2026_usd_mn": 3.0, "chargebacks_2025_usd_mn": 4.0}
    assert reasons(facts, "Chargebacks fell 25% to $3.0m.") == []
    assert reasons(facts, "Chargebacks fell 33% to $3.0m.") != []  # measured from the later year
