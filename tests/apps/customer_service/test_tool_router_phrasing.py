"""The tool router on phrasing families a second outside author used (issue 26, round 3), each with
near misses on the boundary (FAQ, card or account task, nothing at all). Own words throughout."""

from __future__ import annotations

import pytest

from finloom.apps.customer_service._tool_params import find_assets, find_case_id
from finloom.apps.customer_service._tool_router import route_tool
from finloom.apps.customer_service._tool_spelling import tidy_chat_spelling


def _tool(text: str) -> str:
    found = route_tool(text)
    return found.tool if found is not None else "none"


# (phrasing class, message, expected tool)
CASES = [
    # chat spelling and misspellings are read as the words they stand for
    ("chat spelling", "wat shud i invest 8k in?", "portfolio_proposal"),
    ("chat spelling", "pls can u redo my risk questionaire", "risk_profile"),
    ("chat spelling", "any update on my mortage aplication", "application_status"),
    ("chat spelling (none)", "whats a portfolio, why do u keep mentioning it", "none"),
    ("chat spelling (none)", "how r u today", "none"),
    # someone working on an application, or where it stands
    ("status", "have the credit team gotten to my overdraft application?", "application_status"),
    ("status", "we sent in a joint mortgage application in May - where does it stand?", "application_status"),
    ("status", "where does my card application stand", "application_status"),
    ("status (none)", "can someone look over my application form before I post it?", "none"),
    ("status (none)", "where do I stand with my loan repayments?", "none"),
    # risk: the short form 风评 in its questionnaire sense, the reflexive 自己, the bank as the subject of "why"
    ("risk", "我的风评好像到期了，重新来一次", "risk_profile"),
    ("risk", "我想重做风评", "risk_profile"),
    ("risk", "自己现在是哪一级风险等级？", "risk_profile"),
    ("risk (none)", "这只基金在网上风评怎么样", "none"),
    ("risk (none)", "why does the bank want a suitability questionnaire? just asking", "none"),
    # risk level as the basis of advice: the advice is the tool
    ("risk as basis", "based on my risk profile, how would you split 40k?", "portfolio_proposal"),
    ("risk as basis", "按照我的风险偏好，帮我推荐一个投资组合", "portfolio_proposal"),
    ("risk as basis (risk)", "given my risk level may have changed, can I retake the risk test?", "risk_profile"),
    # alerts: queue age and SLA, one alert out of many, several ids, code-switched Chinese
    ("alerts", "which alerts in our backlog are past the SLA?", "alerts_cases"),
    ("alerts", "show me any AML alert nobody has picked up", "alerts_cases"),
    ("alerts", "reassign cases 4410 and 4411 to dana", "alerts_cases"),
    ("alerts", "积压超过一周的alert有几个", "alerts_cases"),
    ("alerts", "有冇未处理嘅case", "alerts_cases"),
    ("alerts (none)", "what is a transaction monitoring alert?", "none"),
    ("alerts (none)", "I got an alert older than a week in my app", "none"),
    ("alerts (none)", "我收到一个alert，是什么意思", "none"),
    # credit: feasibility for the customer, any X贷 product, Cantonese 过唔过, preliminary judgement
    ("credit", "would a 30k car loan be realistic for me on 2.5k a month?", "credit_precheck"),
    ("credit", "想借二十万的创业贷，能不能批", "credit_precheck"),
    ("credit", "我想申请信用卡，唔知过唔过得", "credit_precheck"),
    ("credit", "月入九千，想借五万，帮我做个初步评估", "credit_precheck"),
    ("credit (none)", "is it realistic for me to pay off my mortgage in 8 years?", "none"),
    ("credit (none)", "什么是助学贷", "none"),
    ("credit (none)", "贷记卡怎么开通", "none"),
    ("credit (none)", "考试过唔过得", "none"),
    # charts: any X图 chart noun; 帮我出 is advice only with a plan noun
    ("chart", "想看白银近一年的折线图", "price_chart"),
    ("chart", "帮我出一张纳指今年的价格图", "price_chart"),
    ("chart", "show me a chart of ethereum this year", "price_chart"),
    ("chart (advice)", "帮我出个投资方案，十五万，三年", "portfolio_proposal"),
    ("chart (none)", "帮我出个转账凭证", "none"),
    # advice in Chinese with an amount: how to divide it, what to buy with it, code-switched nouns
    ("advice", "年终奖八万，怎么安排比较合适", "portfolio_proposal"),
    ("advice", "存款二十万，投点什么比较稳", "portfolio_proposal"),
    ("advice", "allocation 建议：30万，五年", "portfolio_proposal"),
    ("advice (none)", "三千块，买什么礼物好", "none"),
    ("advice (none)", "怎么分配信用卡额度", "none"),
    ("advice (none)", "资产配置具体指啥", "none"),
    ("advice (none)", "基金定投这个概念能举个例子吗", "none"),
    # data: a percentage, Cantonese 几多
    ("data", "what % of rows in loans_2024 have a missing income?", "dataset_question"),
    ("data", "呢张表入面有几多笔交易系深圳嘅", "dataset_question"),
    ("data (none)", "what % of my pay should I put aside?", "none"),
    ("data (none)", "你哋有几多间分行", "none"),
    # market: Ether is an asset
    ("market", "how did ETH do this week?", "market_summary"),
    ("market (none)", "what is ethereum?", "none"),
]


@pytest.mark.parametrize(("kind", "text", "tool"), CASES, ids=[f"{k}: {t}" for k, t, _ in CASES])
def test_route_tool_phrasing_families(kind, text, tool):
    assert _tool(text) == tool, kind


def test_tidy_chat_spelling_replaces_whole_words_only():
    assert tidy_chat_spelling("pls redo my risk assesment") == "please redo my risk assessment"
    assert tidy_chat_spelling("U盘 and R&D stay, u.s. too") == "U盘 and R&D stay, u.s. too"
    assert tidy_chat_spelling("ur rate") == "your rate"


def test_route_tool_reads_values_from_new_phrasings():
    assert find_case_id("pls reassign alerts 88 and 89 to the fraud team") == 88
    assert find_assets("ETH vs BTC since January") == ["ETH", "BTC"]
    found = route_tool("based on my risk profile, how would you split 40k?")
    assert found is not None and found.params == {"amount": 40000.0}
