"""Opening messages that sound like banking but are not Loom Bank business, and Loom Bank requests
worded unlike the seed examples: the whole assistant routes them (scope statement, task or answer).
Sentences are written for these tests (not from any eval set)."""

from __future__ import annotations

import pytest

from finloom.apps.customer_service import CustomerServiceAssistant, Reply
from finloom.apps.customer_service._about_bot import asks_about_assistant
from finloom.apps.customer_service._cues import cue_intent, is_off_topic
from finloom.apps.customer_service._question_forms import asks_about_procedure
from finloom.apps.customer_service._tool_router import route_tool


def _first(bot: CustomerServiceAssistant, text: str, lang: str = "en") -> Reply:
    session = bot.start_session(customer_id="demo", lang=lang)
    return bot.handle_message(session.id, text)


@pytest.mark.parametrize(("text", "lang"), [
    ("someone swiped my Barclaycard at the gym", "en"),  # a task verb on another bank's card
    ("how much credit is left on my cinema gift card?", "en"),  # a balance verb on a gift card
    ("my commuter season ticket got lost, can I get the money back?", "en"),
    ("饭卡丢了能补吗", "zh"), ("余额宝里还剩多少", "zh"), ("微信零钱怎么转到别人那", "zh"),
    ("what's the top rate of income tax this year?", "en"), ("车险续保哪家便宜", "zh"),
    ("bill is 64 between three of us, how much each?", "en"),
    ("get me a couple of spicy chicken burgers delivered", "en"), ("帮我订下周五的高铁票", "zh"),
    ("do you ever get a day off?", "en"), ("你晚上会睡觉吗", "zh"),
    ("which building society pays the best on a fixed bond?", "en"),
])
def test_near_misses_get_the_scope_statement(bot: CustomerServiceAssistant, text: str, lang: str) -> None:
    assert _first(bot, text, lang).kind == "scope_statement"


@pytest.mark.parametrize(("text", "intent"), [
    ("I'd like both my cards locked until I sort this out", "freeze_card"),
    ("no idea where my debit card went, just want it frozen for now", "freeze_card"),
    ("balance enquiry before I pay the plumber", "check_balance"),
    ("what have I still got left across my accounts?", "check_balance"),
    ("could you bring up the latest transactions on my saver so I can tick them off", "recent_transactions"),
])
def test_requests_worded_unlike_the_seeds_start_their_task(bot: CustomerServiceAssistant, text: str,
                                                           intent: str) -> None:
    reply = _first(bot, text)
    assert (reply.kind, reply.intent) in (("task_prompt", intent), ("task_done", intent))


@pytest.mark.parametrize(("text", "lang"), [
    ("say my card got pinched on a trip, what's the drill?", "en"),
    ("if my wallet is stolen with my cards in it, what do I do?", "en"),
    ("借记卡被盗了通常要办哪些手续？", "zh"),
])
def test_questions_about_the_procedure_are_answered_not_acted_on(bot: CustomerServiceAssistant, text: str,
                                                                 lang: str) -> None:
    assert asks_about_procedure(text) and cue_intent(text) is None
    assert _first(bot, text, lang).kind == "answer"


def test_a_request_inside_a_hypothetical_is_still_a_request() -> None:
    assert not asks_about_procedure("if it's been stolen, could you cancel it for me?")
    assert not asks_about_procedure("我的卡丢了，请帮我挂失")


@pytest.mark.parametrize("text", ["that's everything I needed, cheers", "all sorted, ta"])
def test_closings_with_british_thanks_are_goodbyes(text: str) -> None:
    assert cue_intent(text) == "goodbye"


def test_small_talk_about_the_assistant_is_off_topic() -> None:
    assert asks_about_assistant("who trained you?") and is_off_topic("what's your name, by the way?")
    assert not asks_about_assistant("can you tell me my balance?")  # near miss: asks it to act


def test_a_card_request_or_a_bill_is_no_tool_call() -> None:
    assert route_tool("could you get my credit card blocked right away") is None
    assert route_tool("we spent 120 on dinner, how do we split the bill four ways?") is None
    assert route_tool("is Nvidia stock a buy at today's price?") is None
    assert route_tool("my flatmate paid me back, pull up my latest payments please") is None


@pytest.mark.parametrize(("text", "kind"), [
    ("我的Revolut卡找不到了", "scope_statement"),  # another bank's card named in English inside Chinese
    ("store card里的积分能换现金吗", "scope_statement"),
    ("我的credit card好像被偷了", "task_prompt"),  # our own card, named in English
])
def test_mixed_language_messages_are_read_the_same_way(bot: CustomerServiceAssistant, text: str, kind: str) -> None:
    assert _first(bot, text, "zh").kind == kind
