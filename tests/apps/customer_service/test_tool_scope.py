"""What no tool answers (issue 26): a forecast is not a market summary or chart, a buy/sell call on
one named security is not a portfolio proposal, whichever layer (rules or the learned fill-in)
would pick the tool. Near misses keep the tools they ask for. Own words throughout."""

from __future__ import annotations

import pytest

from finloom.apps.customer_service._cues import is_off_topic
from finloom.apps.customer_service._tool_router import route_tool
from finloom.apps.customer_service._tool_scope import asks_forecast, asks_stock_tip, beyond_tool


def _tool(text: str, *, learned: bool = True) -> str:
    found = route_tool(text, learned=learned)
    return found.tool if found is not None else "none"


CASES = [
    # forecasts: where a price WILL go
    ("forecast", "do you reckon ethereum is going to climb this month?", "none"),
    ("forecast", "will the FTSE end the year higher?", "none"),
    ("forecast", "what's your outlook for oil over the next quarter?", "none"),
    ("forecast", "can you predict where the yen will be in six months", "none"),
    ("forecast", "draw me a forecast chart of silver for 2027", "none"),
    ("forecast", "how high could gold get by christmas", "none"),
    ("forecast", "恒指下个月会不会跌", "none"),
    ("forecast", "以太坊能涨到多少", "none"),
    ("forecast", "给我做个原油的走势预测", "none"),
    ("forecast", "美元兑人民币接下来怎么走", "none"),
    # near misses: how a market did, or a chart of what happened
    ("past (tool)", "how has ethereum done this month?", "market_summary"),
    ("past (tool)", "did the FTSE end last year higher?", "market_summary"),
    ("past (tool)", "show me a chart of silver over the last year", "price_chart"),
    ("past (tool)", "恒指上个月跌了多少", "market_summary"),
    ("past (tool)", "以太坊今年涨了多少", "market_summary"),
    # a buy/sell call on one named security
    ("tip", "should I sell my Exxon shares now?", "none"),
    ("tip", "is it a good time to buy Coca-Cola stock", "none"),
    ("tip", "would we be smart to load up on bitcoin?", "none"),
    ("tip", "这时候买可口可乐好不好", "none"),
    ("tip", "要不要抛掉手上的比特币", "none"),
    # near misses: a plan for an amount or horizon, a choice among asset classes
    ("plan (tool)", "where should I put 30k for the next ten years?", "portfolio_proposal"),
    ("plan (tool)", "should I buy funds or bonds with my 12k savings?", "portfolio_proposal"),
    ("plan (tool)", "I'd like to invest 5k in gold for 8 years, how should I allocate it", "portfolio_proposal"),
    ("plan (tool)", "手上有20万，买什么基金好", "portfolio_proposal"),
]


@pytest.mark.parametrize(("kind", "text", "tool"), CASES, ids=[f"{k}: {t}" for k, t, _ in CASES])
def test_forecasts_and_single_stock_tips_are_no_tool(kind, text, tool):
    assert _tool(text) == tool


@pytest.mark.parametrize("text", ["is ethereum going to rally this year?", "should I buy Coca-Cola shares"])
def test_the_gate_holds_for_the_learned_fill_in_too(text):
    assert _tool(text, learned=False) == "none"
    assert _tool(text) == "none"


def test_scope_predicates_and_their_near_misses():
    assert asks_forecast("where do you see the dow heading next year?")
    assert not asks_forecast("where did the dow close yesterday?")
    assert asks_stock_tip("is JPMorgan worth buying?")
    assert not asks_stock_tip("which funds should I buy for my 10k?")
    assert not asks_stock_tip("should I put my savings into gold for the next 15 years?")
    # the gate belongs to the tools a forecast or a tip would be mistaken for, and no other
    assert beyond_tool("price_chart", "will silver go up?") and not beyond_tool("credit_precheck", "will I get a loan?")


def test_the_dialogue_treats_a_named_stock_tip_as_out_of_scope():
    assert is_off_topic("should I buy Procter shares?")
    assert not is_off_topic("should I buy some shares with my savings or keep cash?")
