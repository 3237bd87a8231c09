"""The tool router: own phrasings in English and Chinese, and near misses that are not tool calls."""

from __future__ import annotations

import pytest

from finloom.apps.customer_service._tool_params import (
    find_amount,
    find_assets,
    find_period,
    find_years,
)
from finloom.apps.customer_service._tool_router import route_tool

TOOL_CASES = [
    ("how did the nasdaq do last week?", "market_summary"),
    ("is oil up or down this month", "market_summary"),
    ("恒生指数今天表现如何", "market_summary"),
    ("原油这个月涨了多少", "market_summary"),
    ("can you plot the S&P 500 since 2015", "price_chart"),
    ("画一张纳斯达克近三个月的走势图", "price_chart"),
    ("I'd like to redo my risk questionnaire", "risk_profile"),
    ("which risk level am I? c1 to c5", "risk_profile"),
    ("帮我重新做一下风险评估", "risk_profile"),
    ("I have 200k in savings, where should I invest it?", "portfolio_proposal"),
    ("suggest a portfolio for 30,000 over ten years", "portfolio_proposal"),
    ("有20万闲钱，怎么理财比较好", "portfolio_proposal"),
    ("how much could I borrow for a car if I earn 6k a month?", "credit_precheck"),
    ("am I eligible for a credit card on 4000 a month", "credit_precheck"),
    ("我月薪一万五，能贷多少房贷", "credit_precheck"),
    ("any news on my credit card application?", "application_status"),
    ("我的房贷申请批下来了吗", "application_status"),
    ("list the unassigned cases", "alerts_cases"),
    ("assign case 17 to wei", "alerts_cases"),
    ("把42号案件关闭，误报", "alerts_cases"),
    ("what's the median age in the credit_applications dataset", "dataset_question"),
    ("us_macro 数据集里失业率的平均值是多少", "dataset_question"),
]

NONE_CASES = [
    "how do I apply for a mortgage?", "what is a risk profile?", "show my spending by category",
    "what is the S&P 500?", "what's the status of my dispute?", "how long does a credit card application take?",
    "什么是风险测评", "怎么申请信用卡", "我的卡丢了", "what's my balance?", "I want to talk to a person",
    "what's the weather in Paris tomorrow", "is bitcoin going to go up next year?", "do you sell stocks?",
    "how do I set up text alerts on my account?", "I got a fraud alert on my card", "in case I lose my card, what do I do?",
    "what are the fees for a gold card?", "what's the exchange rate fee for card payments abroad?",
    "what are the interest rates on personal loans?", "can I get a replacement card?", "hello", "thanks, bye",
    "比特币明年会涨吗", "信用卡年费是多少", "转账到国外要多少手续费", "how much do I have in savings",
]


@pytest.mark.parametrize(("text", "tool"), TOOL_CASES)
def test_route_tool_picks_the_tool(text, tool):
    found = route_tool(text)
    assert found is not None and found.tool == tool, (text, found)


@pytest.mark.parametrize("text", NONE_CASES)
def test_route_tool_leaves_faq_tasks_and_out_of_scope_alone(text):
    assert route_tool(text) is None


def test_route_tool_extracts_values():
    assert route_tool("suggest a portfolio for 30,000 over ten years").params == {"amount": 30000.0, "years": 10.0}
    assert route_tool("invest 5万 for 3 years please").params == {"amount": 50000.0, "years": 3.0}
    p = route_tool("how much could I borrow for a car if I earn 6k a month over 5 years?").params
    assert p == {"product": "car_loan", "monthly_income": 6000.0, "years": 5.0}
    assert route_tool("assign case 17 to wei").params == {"action": "assign", "assignee": "wei", "case_id": 17}
    assert route_tool("assign case 17 to me", actor="ana").params["assignee"] == "ana"
    assert route_tool("how is gold vs the s&p 500 this year").params == {"assets": ["GOLD", "SP500"], "period": "1y"}
    found = route_tool("average income in credit applications", datasets=["credit_applications"])
    assert found is not None and found.params["dataset"] == "credit_applications"


def test_params_amounts_periods_assets_in_both_languages():
    assert [find_amount(t) for t in ("10k", "5万", "1.5m", "三十万元", "I'm 45")] == [10000.0, 50000.0, 1500000.0,
                                                                                  300000.0, None]
    assert [find_years(t) for t in ("18 months", "十年", "半年")] == [1.5, 10.0, 0.5]
    assert [find_period(t) for t in ("year to date", "上周", "past 2 years", "自2016年以来")] == [
        "ytd", "1w", "2y", "since:2016-01-01"]
    assert find_assets("可口可乐和摩根大通") == ["KO", "JPM"]
