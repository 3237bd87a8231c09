"""Lexical cues and the dialogue moves built on them: ordinary phrasings of every intent, banking
vocabulary vs other companies, cancel clauses, corrections that negate the old value, payment
numbers and dispute reasons inside sentences, wider confirmation words, vague payment trouble and
the way back from the human queue. Sentences are written for these tests (not from any eval set)."""

from __future__ import annotations

import pytest

from finloom.apps.customer_service._cues import (
    cue_intent,
    is_angry,
    is_off_topic,
    list_reference,
    mentions_banking,
    names_other_company,
    refers_back,
)
from finloom.apps.customer_service._dialogue import is_unsure, starts_correction
from finloom.apps.customer_service._messages import is_cancel, is_no, is_yes
from tests.apps.customer_service.test_assistant import _chat


@pytest.mark.parametrize(("text", "intent"), [
    ("hey there!", "greeting"), ("早上好呀", "greeting"),
    ("cheers, that's all for today", "goodbye"), ("好的谢了", "goodbye"), ("ok bye then", "goodbye"),
    ("please stick a temporary block on my credit card", "freeze_card"),
    ("信用卡先停用一下，找不着了", "freeze_card"), ("请把我的credit card先lock一下", "freeze_card"),
    ("my purse got pinched with the debit card inside", "lost_card"), ("借记卡被偷了，赶紧处理", "lost_card"),
    ("the cafe billed me double, sort it out please", "dispute_transaction"),
    ("这笔不是我刷的，要申诉", "dispute_transaction"),
    ("how much money have i got in everyday", "check_balance"), ("帮我看看还剩多少钱", "check_balance"),
    ("show me the latest transactions on my saver", "recent_transactions"),
    ("日常账户流水发我看看", "recent_transactions"),
    ("the service at your branch was appalling", "complaint"), ("客服态度太差了，我要投诉", "complaint"),
    ("I'd rather chat with an actual human", "human_agent"),
])
def test_cues_name_ordinary_phrasings(text: str, intent: str) -> None:
    assert cue_intent(text) == intent


@pytest.mark.parametrize("text", ["how can I freeze a card in the app?", "what should I do if I lose my card",
                                  "信用卡丢了怎么办", "how do I file a complaint?", "what is a pending payment?"])
def test_how_to_questions_get_no_task_cue(text: str) -> None:
    assert cue_intent(text) is None


def test_banking_vocabulary_and_other_companies() -> None:
    assert mentions_banking("how much to send money to Canada") and mentions_banking("你们有房贷吗")
    assert not mentions_banking("who wrote Hamlet")
    assert names_other_company("what does Revolut charge for FX?") and names_other_company("微信支付怎么提现")
    assert names_other_company("can you recommend a good pair of headphones")
    assert not names_other_company("can you recommend a savings account?")


def test_list_references_inside_sentences() -> None:
    assert list_reference("I need to challenge payment 2 please", 5) == 1
    assert list_reference("the fourth one looks wrong", 5) == 3
    assert list_reference("第二笔有问题", 5) == 1
    assert list_reference("payment 9", 5) is None
    assert list_reference("what's my balance first?", 2) is None  # an adverb, not a pick


def test_balance_question_while_an_account_is_asked_is_a_digression(bot) -> None:
    _, replies = _chat(bot, ["list my recent transactions", "hang on, what's my balance first?", "saver"])
    assert [r.kind for r in replies] == ["task_prompt", "resume_reminder", "task_done"]


def test_reply_words() -> None:
    assert is_cancel("stop, I found it in my coat") and is_cancel("算了算了，不弄了")
    assert not is_cancel("don't cancel it, freeze it")
    assert is_yes("确认冻结") and is_yes("没错，就这样") and not is_yes("ok, can I use it abroad?")
    assert is_no("hmm, no thanks") and starts_correction("不好意思，我说错了")
    assert is_unsure("I can't remember which one it was") and refers_back("do the same for that one")


def test_cancel_clause_during_a_task(bot) -> None:
    _, replies = _chat(bot, ["freeze my debit card", "wait, stop - I just found it"])
    assert [r.kind for r in replies] == ["task_prompt", "cancelled"]


def test_negated_value_in_a_correction_at_confirmation(bot) -> None:
    _, replies = _chat(bot, ["freeze my debit card", "no sorry, the credit one, not the debit"])
    assert replies[1].kind == "task_prompt" and "credit" in replies[1].text


def test_payment_number_and_reason_in_the_first_message_then_reason_restated(bot) -> None:
    _, replies = _chat(bot, ["I want to dispute payment 2, the parcel never arrived",
                             "oh wait, it's not that, they took the money twice", "yes"])
    assert [r.kind for r in replies] == ["task_prompt", "task_prompt", "task_done"]
    assert "(goods not received)" in replies[0].text and "(charged twice)" in replies[1].text


def test_chinese_correction_with_a_reason_is_not_a_no(bot) -> None:
    _, replies = _chat(bot, ["第一笔付款我要申诉，没收到货", "不是我本人买的", "确认"])
    assert [r.kind for r in replies] == ["task_prompt", "task_prompt", "task_done"]


def test_values_of_the_task_just_left_carry_over(bot) -> None:
    _, replies = _chat(bot, ["report my credit card stolen", "actually stop", "just freeze it instead",
                             "yes"])
    assert [r.kind for r in replies] == ["task_prompt", "cancelled", "task_prompt", "task_done"]
    assert replies[3].intent == "freeze_card" and "credit" in replies[3].text


def test_vague_payment_trouble_is_clarified(bot) -> None:
    _, replies = _chat(bot, ["there's some issue with a payment", "2", "the everyday account"])
    assert [r.kind for r in replies] == ["clarify", "task_prompt", "task_done"]
    assert replies[2].intent == "recent_transactions"


def test_off_topic_and_other_companies_get_the_scope_statement(bot) -> None:
    _, replies = _chat(bot, ["recommend me a good laptop", "how do I open an account at HSBC?",
                             "what's the capital of Peru?"])
    assert [r.kind for r in replies] == ["scope_statement"] * 3
    assert bot.handoff_queue() == []


def test_off_topic_question_during_a_task_keeps_it_open(bot) -> None:
    _, replies = _chat(bot, ["lock my credit card please", "and who is the president of France?"])
    assert replies[1].kind == "scope_statement" and "credit" in replies[1].text


def test_theft_story_is_a_task_not_an_angry_handoff(bot) -> None:
    _, replies = _chat(bot, ["I lost my card", "a thief stole it from my bag on the bus"])
    assert replies[1].kind == "task_prompt" and replies[1].handoff_status == "none"


def test_how_to_complain_is_answered(bot) -> None:
    _, replies = _chat(bot, ["how do I file a complaint?"])
    assert replies[0].kind == "answer" and replies[0].handoff_status == "none"


def test_leaving_the_queue_with_a_cancel_clause(bot) -> None:
    session, replies = _chat(bot, ["let me talk to a human", "never mind, I'll try again myself"])
    assert [r.kind for r in replies] == ["handoff", "returned_to_bot"]


def test_never_banking_subjects_and_anger() -> None:
    assert is_off_topic("what is 48 divided by 6") and is_off_topic("明天北京天气")
    assert not is_off_topic("how long does a transfer take?")
    assert is_angry("this bot is hopeless") and not is_angry("my card was stolen yesterday")


def test_a_question_is_never_a_farewell(bot) -> None:
    _, replies = _chat(bot, ["are you a robot or what?", "thanks a lot for your help"])
    assert replies[0].kind != "goodbye" and replies[1].kind == "goodbye"


def test_a_card_reported_lost_is_not_carried_into_a_freeze(bot) -> None:
    _, replies = _chat(bot, ["report my debit card lost", "yes", "and freeze it too"])
    assert [r.kind for r in replies] == ["task_prompt", "task_done", "task_prompt"]
    assert replies[2].intent == "freeze_card" and "debit" not in replies[2].text.split("?")[0]


# ---------------------------------------------------------------- fixes from the dev set AL (own words)
@pytest.mark.parametrize("text", ["a couple of my payments look a bit fishy", "one transaction seems off to me",
                                  "最近有笔消费有点可疑"])
def test_payment_said_to_look_wrong_is_clarified_not_listed(bot, text: str) -> None:
    assert cue_intent(text) is None
    _, replies = _chat(bot, [text, "I never authorised it"])
    assert [r.kind for r in replies] == ["clarify", "task_prompt"]
    assert replies[1].intent == "dispute_transaction"


def test_asking_to_see_payments_is_still_a_listing() -> None:
    assert cue_intent("can you show me the odd payments on my everyday account") == "recent_transactions"
    assert cue_intent("查一下最近的交易记录") == "recent_transactions"


@pytest.mark.parametrize("reason", ["honestly i dont recognise that charge", "that one isnt mine",
                                    "it wasn’t mine, I was at home that day"])
def test_unauthorised_reason_without_apostrophes_or_with_curly_ones(bot, reason: str) -> None:
    _, replies = _chat(bot, ["I'd like to challenge payment 3", reason, "go ahead"])
    assert [r.kind for r in replies] == ["task_prompt", "task_prompt", "task_done"]
    assert "(I didn't make it)" in replies[1].text


def test_chinese_freeze_verb_forms_win_over_a_misplaced_card() -> None:
    assert cue_intent("钱包一时找不着，卡先冻住") == "freeze_card"
    assert cue_intent("暂时找不到信用卡了，帮我冻起来") == "freeze_card"


@pytest.mark.parametrize("text", ["稍等，先不冻结，我再找找", "暂时不挂失了", "hmm hold off on it, I may have left it at work"])
def test_not_yet_clause_cancels_at_the_confirmation(bot, text: str) -> None:
    assert is_cancel(text)
    _, replies = _chat(bot, ["please freeze my credit card", text])
    assert [r.kind for r in replies] == ["task_prompt", "cancelled"]


def test_not_yet_words_do_not_cancel_other_talk() -> None:
    assert not is_cancel("先不说这个，转账限额是多少") and not is_cancel("don't freeze it, report it stolen")


# ---------------------------------------------------------------- spec-driven fixes (own probe conversations)
def test_more_ways_to_name_tasks() -> None:
    assert cue_intent("how much cash have I got at the moment") == "check_balance"
    assert cue_intent("请帮我把借记卡锁了") == "freeze_card" and cue_intent("信用卡麻烦先停一下") == "freeze_card"
    assert cue_intent("stop all transactions on my debit card") == "freeze_card"
    assert cue_intent("借记卡好像丢在饭店了") == "lost_card" and cue_intent("my debit card went missing") == "lost_card"
    assert cue_intent("a thief grabbed my handbag, both cards were inside") == "lost_card"
    assert cue_intent("the hotel overcharged me on my card") == "dispute_transaction"


def test_a_spending_control_is_not_a_card_freeze(bot) -> None:
    assert cue_intent("could I block online gambling transactions?") is None
    _, replies = _chat(bot, ["can I turn off contactless payments on my card?"])
    assert replies[0].kind == "answer"


def test_payment_number_in_words_and_late_parcel_reason(bot) -> None:
    assert list_reference("it's transaction four", 5) == 3 and list_reference("I have one more thing", 5) is None
    _, replies = _chat(bot, ["my order never turned up and I'd like a refund, it's payment three", "yes"])
    assert [r.kind for r in replies] == ["task_prompt", "task_done"]


def test_vague_payment_clarify_resolved_by_the_models_reading(bot) -> None:
    _, replies = _chat(bot, ["有笔扣款好像有问题", "先查一下账单", "储蓄账户"])
    assert [r.kind for r in replies] == ["clarify", "task_prompt", "task_done"]
    assert replies[2].intent == "recent_transactions"


def test_frustrated_question_is_answered_not_handed_off(bot) -> None:
    _, replies = _chat(bot, ["ATM fees abroad are terrible, how much do you charge per withdrawal?"])
    assert replies[0].kind == "answer"
    _, replies = _chat(bot, ["this is useless, I'm livid"])
    assert replies[0].kind == "handoff"


def test_not_knowing_which_option_repeats_the_question(bot) -> None:
    _, replies = _chat(bot, ["report my card lost", "hmm, no idea which one", "the credit one"])
    assert [r.kind for r in replies] == ["task_prompt", "task_prompt", "task_prompt"]


def test_other_latin_languages_are_unsupported(bot) -> None:
    _, replies = _chat(bot, ["hallo, ich habe meine Karte verloren", "hi, I lost my debit card"])
    assert [r.kind for r in replies] == ["unsupported_language", "task_prompt"]


def test_standing_order_question_is_answered(bot) -> None:
    _, replies = _chat(bot, ["can you explain how to create a standing order for my rent?"])
    assert replies[0].kind == "answer"


def test_more_confirmation_words_and_naming_the_action_again(bot) -> None:
    assert is_yes("yea") and is_yes("fine, go on") and is_yes("没问题") and is_yes("sounds good to me")
    for n, confirm in enumerate(("alright then, freeze it", "那就冻结吧")):
        _, replies = _chat(bot, ["please freeze my debit card", confirm], customer=f"c{n}")
        assert [r.kind for r in replies] == ["task_prompt", "task_done"]
    _, replies = _chat(bot, ["please freeze my debit card", "不要冻结"], customer="c9")
    assert replies[1].kind == "cancelled"


@pytest.mark.parametrize("found", ["oh hang on, found it", "啊，又找到了"])
def test_finding_the_card_cancels(bot, found: str) -> None:
    _, replies = _chat(bot, ["I can't find my credit card, report it lost", found])
    assert [r.kind for r in replies] == ["task_prompt", "cancelled"]


def test_switching_card_task_keeps_the_card_named_before(bot) -> None:
    _, replies = _chat(bot, ["lock my credit card", "on second thought, report it as stolen instead", "yes"])
    assert [r.kind for r in replies] == ["task_prompt", "task_prompt", "task_done"]
    assert replies[2].intent == "lost_card" and "credit" in replies[2].text


def test_should_i_question_is_answered() -> None:
    assert cue_intent("should I freeze my card if I can't find it?") is None


def test_a_listed_payment_that_was_not_me_opens_a_dispute(bot) -> None:
    assert cue_intent("the fourth payment wasn't me") == "dispute_transaction"
    _, replies = _chat(bot, ["show the latest transactions on my everyday account", "number 1 isn't mine", "yes"])
    assert [r.kind for r in replies] == ["task_done", "task_prompt", "task_done"]
    assert replies[2].intent == "dispute_transaction"


def test_chinese_short_forms_at_a_task(bot) -> None:
    _, replies = _chat(bot, ["信用卡找不到了，帮我挂失", "那就挂吧"], customer="z1")
    assert [r.kind for r in replies] == ["task_prompt", "task_done"]
    _, replies = _chat(bot, ["把借记卡冻结", "先别冻了，我再翻翻包"], customer="z2")
    assert [r.kind for r in replies] == ["task_prompt", "cancelled"]
    assert cue_intent("超市那笔给我扣了两遍") == "dispute_transaction" and not is_cancel("别担心，是第二笔")


def test_leaving_the_queue_to_do_it_oneself(bot) -> None:
    for n, leave in enumerate(("不等了，我自己处理吧", "never mind, I'll sort it myself")):
        _, replies = _chat(bot, ["I want a real person", leave], customer=f"q{n}")
        assert [r.kind for r in replies] == ["handoff", "returned_to_bot"]
    _, replies = _chat(bot, ["我自己弄不了，帮我转人工"], customer="q9")
    assert replies[0].kind == "handoff"


@pytest.mark.parametrize(("text", "intent"), [
    ("mornin'", "greeting"), ("g'day", "greeting"), ("good night!", "goodbye"), ("晚安", "goodbye"),
    ("k thanks", "goodbye"), ("I need the debit card blocked until I find it", "freeze_card"),
    ("can you get my card frozen please", "freeze_card"),
    ("what's the difference between a freeze and reporting it lost?", None),
    ("how much does it cost to replace a damaged card", None), ("what if my card turns up after I report it?", None),
    ("挂失后新卡什么时候寄到？", None), ("冻结跟挂失有啥不同", None),
])
def test_later_author_wordings(text: str, intent: str | None) -> None:
    assert cue_intent(text) == intent


@pytest.mark.parametrize("text", ["something's not quite right with my card", "the card thing, need help",
                                  "我的卡有点情况"])
def test_vague_card_trouble_is_clarified(bot, text: str) -> None:
    _, replies = _chat(bot, [text], customer="v")
    assert replies[0].kind == "clarify"
