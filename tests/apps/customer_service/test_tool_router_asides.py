"""The tool router on phrasing classes a third outside author used (issue 26, set BP), each with a
near miss that keeps its own answer: disowned asides, words-only market figures, handed-over cases,
terse loan questions, loan-book rates by cohort, a known risk level beside an advice request,
questions about a tool itself, and why markets move. Own words throughout."""

from __future__ import annotations

import pytest

from finloom.apps.customer_service._tool_asides import drop_disowned
from finloom.apps.customer_service._tool_router import route_tool


def _tool(text: str) -> str:
    found = route_tool(text)
    return found.tool if found is not None else "none"


# (phrasing class, message, expected tool)
CASES = [
    # an aside the user disowns names what they do NOT want
    ("disowned", "I'm not asking about a complaint, it's my credit card application - any news?", "application_status"),
    ("disowned", "不是问投诉 是问我的信用卡申请进度", "application_status"),
    ("disowned", "I already know how to apply for a loan, I just want to know if I'd be approved on 40k a year",
     "credit_precheck"),
    ("disowned (none)", "I want to complain about how my credit card application was handled", "none"),
    ("disowned (none)", "how do I apply for a loan?", "none"),
    # the figures in words, whatever chart is mentioned
    ("words only", "no graphs please, just tell me in words how the Dow did this month", "market_summary"),
    ("words only", "原油这周表现怎么样 不要图 直接告诉我", "market_summary"),
    ("words only", "a friend sent me a chart of gold, how much did it gain this month? just give me the numbers",
     "market_summary"),
    ("words only (chart)", "can I get a graph of the Dow this month", "price_chart"),
    ("words only (chart)", "给我画一张原油这周的走势图", "price_chart"),
    # alerts a screening system raised, a colleague's cases handed over
    ("cases", "alerts flagged by the sanctions screening last night, list them", "alerts_cases"),
    ("cases", "Priya is off sick, pass her cases to me", "alerts_cases"),
    ("cases", "小李离职了 他的预警都移交给我", "alerts_cases"),
    ("cases (none)", "my card got flagged by fraud, why?", "none"),
    # an application's stage without the word "application"
    ("stage", "has our remortgage gone through yet?", "application_status"),
    ("stage (none)", "what does underwriting mean?", "none"),
    # terse or colloquial loan questions
    ("terse loan", "car loan 15k doable?", "credit_precheck"),
    ("terse loan", "我月薪一万二 想借个五万装修 你们肯借给我吗", "credit_precheck"),
    ("terse loan (none)", "is a car loan a good idea?", "none"),
    ("terse loan (none)", "朋友借给我五万 怎么转账", "none"),
    # a loan book's rates by cohort, a table on the workbench
    ("book metric", "按发放月份的cohort看看逾期率趋势", "dataset_question"),
    ("book metric", "show me the default rate by origination quarter", "dataset_question"),
    ("book metric", "工作台上客户表每个月新增多少", "dataset_question"),
    ("book metric (none)", "what's your default rate on mortgages?", "none"),
    # advice asked without the word "invest"
    ("advice", "I sold my car and want to put the money somewhere for three years, what would you suggest",
     "portfolio_proposal"),
    ("advice", "手上有8万闲钱 三年内不用 怎么投合适", "portfolio_proposal"),
    ("advice (none)", "怎么投诉你们的客服", "none"),
    ("advice (none)", "我妈的存款要怎么办理过户", "none"),
    # the risk level already known or waved off: the advice beside it is the tool
    ("risk known", "my risk level came back C2 already, so what would you put 15k into", "portfolio_proposal"),
    ("risk known", "风评已经做完了 跳过 直接说这10万怎么配置", "portfolio_proposal"),
    ("risk known (risk)", "I did the risk test last year, can I redo it?", "risk_profile"),
    ("risk category", "things have changed since my last assessment, what risk category would I fall into today?",
     "risk_profile"),
    # a question about a tool itself is the FAQ's
    ("about a tool", "how long does the investment questionnaire take?", "none"),
    ("about a tool", "投资建议要收费吗", "none"),
    ("about a tool", "does the loan pre-check do a hard credit search?", "none"),
    ("about a tool (tool)", "could I get a 20k loan on 35k salary?", "credit_precheck"),
    # why markets move in general is an explanation; why one moved this week is its summary
    ("why", "why do bond prices fall when rates rise?", "none"),
    ("why", "为什么油价一涨股市就跌", "none"),
    ("why (tool)", "why did bond prices fall this week?", "market_summary"),
    ("why (tool)", "油价这周为什么跌了", "market_summary"),
]


@pytest.mark.parametrize(("kind", "text", "tool"), CASES, ids=[f"{k}: {t}" for k, t, _ in CASES])
def test_route_tool_phrasing_classes(kind, text, tool):
    assert _tool(text) == tool


def test_drop_disowned_cuts_only_the_disowned_aside():
    assert drop_disowned("it isn't about my refund, where is my mortgage application") == "where is my mortgage application"
    assert drop_disowned("跟转账无关 我的贷款申请批了吗") == "我的贷款申请批了吗"
    assert drop_disowned("why is my card not working?") == "why is my card not working?"
