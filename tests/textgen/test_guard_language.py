"""The guard on text someone else writes: rounding, derivations, Chinese forms, periods, entities,
directions — each with its near miss."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from finloom.errors import ConfigError, InvalidDataError
from finloom.textgen import FaithfulnessGuard, facts_from_dict

G = FaithfulnessGuard()
BANK = {"bank": "Harbor Bank", "periods": {"2024-Q1": {"nim_pct": 1.72, "npl_ratio_pct": 1.31,
                                                      "net_profit_cny_yi": 52.3, "net_profit_yoy_pct": -3.4},
                                          "2023-Q1": {"nim_pct": 1.85, "npl_ratio_pct": 1.38}}}
INDEX = {"period": "2024-03", "entities": {"S&P 500": {"change_pct": -2.37, "close": 21133.68},
                                          "Nasdaq Composite": {"change_pct": 1.1}}}


def ok(facts: dict, text: str) -> bool:
    return G.check(text, facts_from_dict(facts)).ok


def reasons(facts: dict, text: str) -> list[str]:
    return [i.reason for i in G.check(text, facts_from_dict(facts)).issues]


@pytest.mark.parametrize(
    "text",
    [
        "The S&P 500 fell 2.37% in March.",
        "The S&P 500 fell about 2.4% in March.",  # rounded, hedged
        "The S&P 500 fell 2% in March.",
        "The S&P 500 closed around 21,100.",  # rounded to the hundreds it shows
        "The S&P 500 returned -2.37% while the Nasdaq rose 1.1%.",
        "标普500指数3月下跌2.37%，纳指上涨1.1%。",
        "The Nasdaq outperformed the S&P 500 by 3.47 percentage points.",
    ],
)
def test_faithful_index_texts(text: str) -> None:
    assert ok(INDEX, text), G.check(text, facts_from_dict(INDEX)).issues


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("The S&P 500 fell 2.3% in March.", "wrong_number"),  # truncation is not rounding
        ("The S&P 500 rose 2.37% in March.", "direction"),
        ("The Nasdaq fell 2.37% in March.", "entity"),
        ("The Dow fell 2.37% in March.", "entity"),
        ("The S&P 500 fell 2.37% in April.", "period"),
        ("The S&P 500 fell 2.37% and its fund flows were 5,800.", "unsupported_number"),
        ("The S&P 500 outperformed the Nasdaq by 3.47 percentage points.", "direction"),
        ("The S&P 500 fell 2.37%; analysts see 12% upside.", "unsupported_number"),
    ],
)
def test_unfaithful_index_texts(text: str, reason: str) -> None:
    assert reason in reasons(INDEX, text)


@pytest.mark.parametrize(
    "text",
    [
        "Harbor Bank's NIM narrowed 13 bp year on year to 1.72% in Q1.",
        "Harbor Bank's NIM narrowed 0.13 percentage points to 1.72% in the first quarter.",
        "一季度海港银行净利润52.3亿元，同比下降3.4%。",
        "Harbor Bank earned 5.23 billion yuan in Q1 2024, down 3.4% year on year.",
        "海港银行一季度不良率较上年同期下降7个基点至1.31%。",
    ],
)
def test_faithful_bank_texts(text: str) -> None:
    facts = facts_from_dict(BANK)
    report = G.check(text, facts, aliases={"Harbor Bank": ["海港银行"]})
    assert report.ok, report.issues


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("Harbor Bank's NIM narrowed 0.13% to 1.72% in Q1.", "wrong_number"),  # points written as percent
        ("Harbor Bank's NIM widened 13 bp year on year to 1.72% in Q1.", "direction"),
        ("一季度海港银行净利润52.3亿元，环比下降3.4%。", "basis"),  # 同比 fact stated as 环比
        ("2024年上半年海港银行净利润52.3亿元。", "period"),  # a quarter's figure given for the half
        ("Harbor Bank earned 52.3 billion yuan in Q1.", "wrong_number"),  # 亿 is not billion
    ],
)
def test_unfaithful_bank_texts(text: str, reason: str) -> None:
    report = G.check(text, facts_from_dict(BANK), aliases={"Harbor Bank": ["海港银行"]})
    assert reason in [i.reason for i in report.issues], report.issues


def test_chinese_scales_and_shares() -> None:
    facts = {"customer": "李娜", "period": "2024-04", "dining_cny": 1500, "total_cny": 6000, "share_pct": 40}
    assert ok(facts, "李娜4月餐饮支出一千五百元，占总支出的四分之一。")
    assert ok(facts, "4月总支出6000元，其中四成用于房租以外的开销。") is True
    assert "wrong_number" in reasons(facts, "李娜4月餐饮支出1600元。")


def test_currency_pair_directions() -> None:
    pair = {"pair": "USD/CNY", "period": "2024-04", "change_pct": 0.27}
    assert ok(pair, "4月美元兑人民币上涨0.27%，人民币小幅贬值。")
    assert "direction" in reasons(pair, "4月美元兑人民币上涨0.27%，人民币小幅升值。")
    assert ok(pair, "The yuan weakened in April as USD/CNY rose 0.27%.")


def test_bad_input_gives_clear_results() -> None:
    facts = facts_from_dict(INDEX)
    assert G.check("", facts).ok
    mixed = G.check("The S&P 500 fell 2.37%，纳指上涨1.1%。", facts)
    assert mixed.ok
    with pytest.raises(ConfigError, match="at most"):
        G.check("x" * 1_000_001, facts)
    with pytest.raises(ConfigError, match="text must be a str"):
        G.check(None, facts)  # type: ignore[call-overload]


def test_check_accepts_plain_dict_facts_either_order() -> None:
    assert G.check({"index": "S&P 500", "change_pct": -2.37}, "The S&P 500 fell 2.37%.").ok
    assert G.check("The S&P 500 fell 2.37%.", {"index": "S&P 500", "change_pct": -2.37}).ok


def test_issue_28_period_regressions() -> None:
    year = {"company": "Harbor Bank", "period": "2023", "revenue_yoy_pct": 7.8}
    assert ok(year, "Revenue rose 7.8% in 2023.")  # the year before a full stop is a year, not a number
    quarter = {"company": "Harbor Bank", "period": "2024-Q1", "revenue_yoy_pct": 7.8}
    assert ok(quarter, "Revenue rose 7.8% in the first quarter of 2024.")
    half = {"company": "Harbor Bank", "period": "2024-H1", "revenue_yoy_pct": 7.8}
    assert "period" in reasons(half, "2024年一季度营收同比增长7.8%。")  # a quarter is not the half-year
    assert ok(half, "2024年上半年营收同比增长7.8%。")


def test_no_disclaimer_needed_by_default() -> None:
    assert ok({"index": "S&P 500", "change_pct": -2.37}, "The S&P 500 fell 2.37%.")
    strict = FaithfulnessGuard(require_disclaimer=True)
    assert [i.reason for i in strict.check("The S&P 500 fell 2.37%.", {"index": "S&P 500", "change_pct": -2.37}).issues] == ["disclaimer"]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    facts=st.dictionaries(st.sampled_from(["x_pct", "y_usd_mn", "z", "change_pct", "close", "n_count"]),
                          st.floats(allow_nan=False, allow_infinity=False, width=64), min_size=1, max_size=5),
    text=st.text(alphabet=st.sampled_from(list("0123456789.,%$ 亿万元点上涨下跌rose fell Q12024年季度-bp")), max_size=80),
)
def test_guard_never_crashes_on_odd_numbers(facts: dict, text: str) -> None:
    try:
        fs = facts_from_dict(facts)
    except InvalidDataError as err:  # 1.7e308 million overflows: a clear message, not a crash
        assert "finite" in err.message
        return
    report = G.check(text, fs)  # extreme values, odd number shapes: a verdict, not a crash
    assert 0.0 <= report.score <= 1.0


def test_month_to_date_facts_are_checked_without_error() -> None:
    facts = {"fund": "Fund X", "as_of": "2024-03-15", "mtd_return_pct": 2.0, "ytd_return_pct": 5.1}
    assert ok(facts, "Fund X is up 2% month to date and 5.1% this year.")
    assert "basis" in reasons(facts, "Fund X rose 2% year on year.")  # a month-to-date figure is no yoy change
