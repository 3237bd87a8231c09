"""Conversation moves phrased in ways the first story authors did not use: short-hand cancels,
leaving the queue for a person, questions about the assistant itself, off-topic small talk in
the middle of a task, and account names typed in English inside Chinese."""

from __future__ import annotations

import pytest

from finloom.apps.customer_service import CustomerServiceAssistant, Reply
from finloom.apps.customer_service._about_bot import asks_about_assistant
from finloom.apps.customer_service._cues import cue_intent, is_off_topic
from finloom.apps.customer_service._dialogue import asks_for_human, is_back_to_bot, slot_entities
from finloom.apps.customer_service._messages import is_cancel


def _talk(bot: CustomerServiceAssistant, messages: list[str], lang: str = "en") -> list[Reply]:
    session = bot.start_session(customer_id="demo", lang=lang)
    return [bot.handle_message(session.id, m) for m in messages]


# ---------------------------------------------------------------- account and card names
def test_english_account_name_glued_to_chinese_is_found() -> None:
    assert slot_entities("那savings呢") == {"account_type": "saver"}
    assert slot_entities("看下everyday的") == {"account_type": "everyday"}
    assert slot_entities("my everydayish plans") == {}  # near miss: a longer English word


def test_bare_chusu_is_the_saver_account_but_a_chusu_card_is_a_debit_card() -> None:
    assert slot_entities("储蓄") == {"account_type": "saver"}
    assert slot_entities("储蓄卡") == {"card_type": "debit"}


def test_transactions_carry_over_to_an_account_named_in_english_inside_chinese(bot) -> None:
    replies = _talk(bot, ["帮我看下储蓄账户的交易记录", "那everyday的呢"], lang="zh")
    assert [(r.kind, r.intent) for r in replies] == [("task_done", "recent_transactions")] * 2


# ---------------------------------------------------------------- cancels
@pytest.mark.parametrize("text", ["nvm", "nvm, I'll sort it later", "不挂了", "哎算了", "我不查了吧",
                                  "算了不申诉了", "算了算了，不弄了"])
def test_short_hand_and_chinese_verb_cancels(text: str) -> None:
    assert is_cancel(text)


@pytest.mark.parametrize("text", ["看不了", "还冻吗", "不冻结的话会怎样？", "不申诉怎么办"])
def test_cancel_near_misses(text: str) -> None:
    # "I can't see it", "is it still frozen?", "what if I don't freeze it?"
    assert not is_cancel(text)


def test_cancel_naming_the_card_already_chosen_cancels_instead_of_correcting(bot, bank) -> None:
    replies = _talk(bot, ["请把我的借记卡冻结", "不不，借记卡还要刷，先不冻了"], lang="zh")
    assert [r.kind for r in replies] == ["task_prompt", "cancelled"]
    assert all(c.status == "active" for c in bank.list_cards("demo"))


def test_cancel_clause_that_names_another_card_stays_a_correction(bot) -> None:
    replies = _talk(bot, ["请把我的借记卡冻结", "算了，不冻借记卡了，冻信用卡"], lang="zh")
    assert [r.kind for r in replies] == ["task_prompt", "task_prompt"]
    assert "信用卡" in replies[1].text


# ---------------------------------------------------------------- leaving the queue for a person
@pytest.mark.parametrize("text", ["人工客服也不用了", "算了不找人了", "the bot's fine, thanks",
                                  "I'll just do it here with you", "no need for an agent"])
def test_more_ways_to_stay_with_the_assistant(text: str) -> None:
    assert is_back_to_bot(text) and not asks_for_human(text)


@pytest.mark.parametrize("text", ["我要找人工", "the bot is useless, get me an agent"])
def test_leaving_the_queue_near_misses(text: str) -> None:
    assert not is_back_to_bot(text)


def test_waiting_customer_who_changes_their_mind_in_chinese(bot) -> None:
    replies = _talk(bot, ["帮我转人工", "人工就不用了，我自己弄", "我的余额是多少"], lang="zh")
    assert [r.kind for r in replies] == ["handoff", "returned_to_bot", "task_done"]


# ---------------------------------------------------------------- questions about the assistant
@pytest.mark.parametrize("text", ["r u a real human?", "are you an actual person or a bot",
                                  "is this a chatbot?", "你到底是不是真人", "我是在跟机器人聊天吗"])
def test_questions_about_the_assistant_are_small_talk_not_handoff(text: str) -> None:
    assert asks_about_assistant(text) and is_off_topic(text)
    assert not asks_for_human(text) and cue_intent(text) != "human_agent"


@pytest.mark.parametrize("text", ["I need a real person", "转真人客服", "are you a bot? then put me through to a person"])
def test_asking_for_a_person_still_hands_off(text: str) -> None:
    assert asks_for_human(text)


def test_identity_question_mid_task_gets_the_scope_statement_and_the_task_resumes(bot) -> None:
    replies = _talk(bot, ["please freeze my card", "wait, am I chatting with a human or a robot?",
                          "the credit one", "yes"])
    assert [r.kind for r in replies] == ["task_prompt", "scope_statement", "task_prompt", "task_done"]


# ---------------------------------------------------------------- off-topic small talk
@pytest.mark.parametrize("text", ["will it be sunny in Leeds tomorrow?", "when is sunrise on Saturday",
                                  "any good tv series to binge?", "后天会下雪吗", "最近追什么剧好，有好看的电视剧吗"])
def test_weather_and_tv_are_off_topic(text: str) -> None:
    assert is_off_topic(text)


@pytest.mark.parametrize("text", ["show me my recent transactions", "what is the interest rate on the saver",
                                  "国际转账到账要多久"])
def test_off_topic_near_misses(text: str) -> None:
    # "show" as a verb is not a TV show; banking questions are not small talk
    assert not is_off_topic(text)


def test_weather_question_during_a_dispute_is_not_answered_from_the_articles(bot) -> None:
    replies = _talk(bot, ["I want to dispute payment 2, I didn't make it", "is it going to rain on Sunday?"])
    assert [r.kind for r in replies] == ["task_prompt", "scope_statement"]


# ---------------------------------------------------------------- vague trouble is clarified
@pytest.mark.parametrize(("text", "lang"), [("one of the charges on my account I'm unsure about", "en"),
                                            ("这笔消费看着怪怪的", "zh"), ("账户里一笔扣款不明不白", "zh")])
def test_payment_someone_is_unsure_about_is_clarified(bot, text: str, lang: str) -> None:
    assert _talk(bot, [text], lang=lang)[0].kind == "clarify"


def test_payment_clarify_near_miss_that_says_what_is_wrong(bot) -> None:
    replies = _talk(bot, ["这笔消费看着怪怪的，不是我买的"], lang="zh")
    assert (replies[0].kind, replies[0].intent) == ("task_prompt", "dispute_transaction")


def test_card_that_had_something_happen_is_clarified_then_resolved(bot) -> None:
    replies = _talk(bot, ["我的卡出了点状况", "可能是被人偷了"], lang="zh")
    assert [(r.kind, r.intent) for r in replies][1] == ("task_prompt", "lost_card")
    assert replies[0].kind == "clarify"


# ---------------------------------------------------------------- greetings, reasons, anger
def test_wei_is_a_greeting_also_in_the_middle_of_a_task(bot) -> None:
    replies = _talk(bot, ["帮我冻结信用卡", "喂喂？", "喂，在吗"], lang="zh")
    assert [(r.kind, r.intent) for r in replies][1:] == [("resume_reminder", "greeting")] * 2
    assert cue_intent("喂，帮我冻结信用卡") == "freeze_card"  # near miss: a greeting with a request


def test_dispute_reasons_typed_without_apostrophes() -> None:
    from finloom.apps.customer_service._tasks import _reason_in

    assert _reason_in("i didnt make that one") == "unauthorised"
    assert _reason_in("it wasnt me") == "unauthorised"
    assert _reason_in("i did make it") is None


@pytest.mark.parametrize(("text", "lang"), [("honestly your support is a complete joke", "en"),
                                            ("这个破app真是受不了", "zh"), ("烂透了你们这个系统", "zh")])
def test_mild_words_of_anger_at_the_bank_hand_off(bot, text: str, lang: str) -> None:
    reply = _talk(bot, [text], lang=lang)[0]
    assert reply.kind == "handoff" and reply.intent is None


@pytest.mark.parametrize(("text", "lang"), [("tell me a joke", "en"), ("头疼得受不了吃什么药", "zh")])
def test_joke_requests_and_pain_are_not_anger(bot, text: str, lang: str) -> None:
    assert _talk(bot, [text], lang=lang)[0].kind == "scope_statement"


# ---------------------------------------------------------------- carry-over
def test_freeze_verb_with_a_card_noun_after_a_cancel_runs_freeze_again(bot) -> None:
    assert cue_intent("那冻一下信用卡") == "freeze_card"
    assert cue_intent("冻卡了怎么办") is None  # near miss: a how-to question
    replies = _talk(bot, ["帮我冻结信用卡", "不要", "还是冻借记卡吧", "好"], lang="zh")
    assert [r.kind for r in replies] == ["task_prompt", "cancelled", "task_prompt", "task_done"]
    assert "借记卡" in replies[2].text


def test_follow_up_without_a_card_or_account_after_an_answer_is_answered(bot) -> None:
    replies = _talk(bot, ["国际转账手续费是多少？", "那到账要多久呢？", "那明天天气呢？"], lang="zh")
    assert [r.kind for r in replies] == ["answer", "answer", "scope_statement"]


# ---------------------------------------------------------------- questions after a task
def test_banking_words_in_the_plural_are_banking() -> None:
    from finloom.apps.customer_service._cues import mentions_banking

    assert mentions_banking("when do the replacements come") and mentions_banking("are my direct debits safe")
    assert not mentions_banking("replacing the batteries")  # near miss: no banking noun


def test_lead_in_words_do_not_hide_a_question() -> None:
    from finloom.apps.customer_service._question_forms import without_lead_in
    from finloom.apps.customer_service._understanding import is_howto

    assert without_lead_in("btw, so can I pay by phone?") == "can I pay by phone?"
    assert is_howto("and can I still use a virtual card?") and is_howto("对了，怎么解冻？")
    assert not is_howto("and can you freeze the other card?")  # near miss: a request


@pytest.mark.parametrize(("text", "lang"), [("does a dispute mean my card gets cancelled?", "en"),
                                            ("will my standing orders still go out after I report it lost?", "en"),
                                            ("挂失以后自动扣款还会扣吗？", "zh")])
def test_yes_no_questions_about_a_task_are_answered_not_started(bot, text: str, lang: str) -> None:
    reply = _talk(bot, [text], lang=lang)[0]
    assert (reply.kind, reply.intent) == ("answer", "faq")


@pytest.mark.parametrize(("text", "lang"), [("will you block my credit card?", "en"),
                                            ("能帮我冻结信用卡吗？", "zh")])
def test_polite_requests_phrased_as_questions_still_start_the_task(bot, text: str, lang: str) -> None:
    reply = _talk(bot, [text], lang=lang)[0]
    assert (reply.kind, reply.intent) == ("task_prompt", "freeze_card")


def test_questions_after_a_lost_card_are_answered(bot) -> None:
    replies = _talk(bot, ["report my credit card stolen", "yes", "when will the replacements turn up?",
                          "and can I pay with a virtual card until then?"])
    assert [r.kind for r in replies] == ["task_prompt", "task_done", "answer", "answer"]


# ---------------------------------------------------------------- the same classes, more wordings
@pytest.mark.parametrize("text", ["oh never mind about the agent", "I'm happy to stick with you", "不用转了，谢谢",
                                  "we don't need anybody, I'll keep using the chat"])
def test_further_ways_to_give_up_waiting_for_a_person(text: str) -> None:
    assert is_back_to_bot(text)


@pytest.mark.parametrize("text", ["I'd rather stick with my old card", "never mind the fee, is it quick?"])
def test_give_up_waiting_near_misses(text: str) -> None:
    assert not is_back_to_bot(text)


def test_assistant_question_with_latin_letters_inside_chinese() -> None:
    assert is_off_topic("你是AI吗？") and is_off_topic("你是 AI 吗")
    assert not is_off_topic("AI 能帮我查余额吗")  # near miss: asks the assistant to act


@pytest.mark.parametrize("text", ["this whole process is a farce", "honestly a waste of my time", "无语，你们这什么效率",
                                  "太坑了你们", "服了你们了"])
def test_more_words_of_anger(text: str) -> None:
    from finloom.apps.customer_service._cues import is_angry

    assert is_angry(text)


def test_vague_trouble_more_wordings() -> None:
    from finloom.apps.customer_service._dialogue import is_vague_trouble

    assert is_vague_trouble("my card keeps acting up") and is_vague_trouble("有一笔扣费我看不明白")
    assert is_vague_trouble("there's a debit I don't get") and is_vague_trouble("卡有点毛病")
    assert not is_vague_trouble("I don't get paid till Friday")  # near miss: no trouble reported


# ---------------------------------------------------------------- wordings of a later author
@pytest.mark.parametrize("text", ["on second thoughts, scrap it", "erm, leave that one", "ok scrap that",
                                  "nah actually leave it", "no, leave the saver account", "那不用查了",
                                  "看了下钱没少，不用锁了"])
def test_more_cancel_wordings(text: str) -> None:
    assert is_cancel(text)


@pytest.mark.parametrize("text", ["leave the credit card active and freeze the debit", "scrap gold prices?",
                                  "不用锁卡吗？"])
def test_more_cancel_near_misses(text: str) -> None:
    assert not is_cancel(text)


@pytest.mark.parametrize(("first", "again"), [
    (["lock my debit card", "yes"], "the credit card too then"),
    (["帮我把信用卡冻上", "好的"], "借记卡也一起吧"),
    (["帮我把信用卡冻上", "好的"], "借记卡也锁了吧"),
])
def test_carry_over_with_a_trailing_word_or_another_chinese_verb(bot, first, again) -> None:
    lang = "zh" if "帮" in first[0] else "en"
    replies = _talk(bot, [*first, again, "yes" if lang == "en" else "是的"], lang=lang)
    assert [(r.kind, r.intent) for r in replies] == [
        ("task_prompt", "freeze_card"), ("task_done", "freeze_card"),
        ("task_prompt", "freeze_card"), ("task_done", "freeze_card")]


def test_another_task_named_outright_replaces_the_open_one(bot, bank) -> None:
    replies = _talk(bot, ["please pause my credit card", "hold on, it's been stolen actually, report the credit card"])
    assert [(r.kind, r.intent) for r in replies] == [("task_prompt", "freeze_card"), ("task_prompt", "lost_card")]
    replies = _talk(bot, ["我要挂失借记卡", "算了不挂了吧"], lang="zh")
    assert replies[-1].kind == "cancelled"


def test_a_comparison_question_during_a_task_is_answered(bot) -> None:
    replies = _talk(bot, ["帮我冻结借记卡", "冻结跟挂失到底有啥不同？", "好"], lang="zh")
    assert [(r.kind, r.intent) for r in replies] == [
        ("task_prompt", "freeze_card"), ("resume_reminder", "faq"), ("task_done", "freeze_card")]


def test_wanting_only_the_list_resolves_a_payment_clarify(bot) -> None:
    replies = _talk(bot, ["a charge on my account looks a bit funky", "I'd rather just see the list", "saver"])
    assert [r.kind for r in replies] == ["clarify", "task_prompt", "task_done"]
    assert replies[-1].intent == "recent_transactions"


def test_a_declined_offer_after_that_in_chinese(bot) -> None:
    replies = _talk(bot, ["你们有没有保险箱可以租？", "那就不用了"], lang="zh")
    assert [r.kind for r in replies] == ["dont_know", "offer_declined"]


def test_a_correction_that_only_tells_what_happened_keeps_the_task(bot) -> None:
    replies = _talk(bot, ["can you freeze one of my cards", "the credit one", "no sorry, it's the debit card that went missing"])
    assert [(r.kind, r.intent) for r in replies] == [("task_prompt", "freeze_card")] * 3
    assert "debit" in replies[-1].text
