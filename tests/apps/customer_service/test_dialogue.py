"""Robust dialogue: digressions resume the task, cancels, corrections, carry-over, clarification,
out-of-scope scope statements, when to hand off, and the way back to the assistant."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from finloom.apps.customer_service import (
    CustomerServiceAssistant,
    InMemoryConversationStore,
    IntentPrediction,
    SimulatedCoreBanking,
)
from finloom.apps.customer_service._dialogue import (
    asks_for_human,
    is_back_to_bot,
    is_carry_over,
    is_correction,
    names_card_action,
    pick_choice,
)
from finloom.apps.customer_service._messages import is_cancel
from finloom.errors import ConflictError
from tests.apps.customer_service.test_assistant import _chat


# ---------------------------------------------------------------- the broken conversation
@pytest.mark.parametrize(("messages", "which_card", "card_answer", "yes"), [
    (["I lost my card", "what is the fee for an international transfer?", "what's the weather",
      "what is my balance?"], "Which card?", "the debit card", "yes"),
    (["我的卡丢了", "国际转账手续费是多少？", "今天天气怎么样", "我的余额是多少？"], "请问是哪张卡", "借记卡", "确认"),
])
def test_regression_story_digression_scope_and_balance(bot, bank: SimulatedCoreBanking, messages,
                                                       which_card, card_answer, yes) -> None:
    session, replies = _chat(bot, messages + [card_answer, yes])
    kinds = [r.kind for r in replies]
    assert kinds == ["task_prompt", "resume_reminder", "scope_statement", "resume_reminder",
                     "task_prompt", "task_done"]
    assert which_card in replies[0].text
    fee, weather, balance = replies[1], replies[2], replies[3]
    assert fee.intent == "faq" and fee.citations
    assert fee.text.index(which_card) > 0  # the answer first, then the pending question again
    assert "Loom" in weather.text or "织锦银行" in weather.text  # scope statement with examples
    assert which_card in weather.text  # ... and the task is still open
    assert balance.intent == "check_balance"
    for account in bank.list_accounts("demo"):
        assert f"{account.balance:,.2f}" in balance.text
    assert all(r.handoff_status == "none" for r in replies)
    assert bot.handoff_queue() == []
    assert bank.list_cards("demo")[0].status == "cancelled"


def test_out_of_scope_is_never_a_failure_that_hands_off(bot) -> None:
    _, replies = _chat(bot, ["what's the weather like in Paris tomorrow?", "who won the football match last night?",
                             "write me a poem about the moon", "今天天气怎么样", "what is my balance?"])
    assert [r.kind for r in replies] == ["scope_statement"] * 4 + ["task_done"]
    assert "freeze or report a lost card" in replies[0].text  # examples of what the bot can do
    assert bot.handoff_queue() == []


# ---------------------------------------------------------------- digressions
def test_digression_at_confirmation_then_yes_completes_the_task(bot, bank) -> None:
    _, replies = _chat(bot, ["please freeze my credit card", "how do I unfreeze it later?", "yes"])
    assert [r.kind for r in replies] == ["task_prompt", "resume_reminder", "task_done"]
    assert "Back to freezing your card: Shall I freeze" in replies[1].text
    assert bank.list_cards("demo")[1].status == "frozen"


def test_balance_during_a_task_is_answered_and_the_task_resumes_in_chinese(bot, bank) -> None:
    _, replies = _chat(bot, ["我要挂失银行卡", "我的余额是多少？", "借记卡", "确认"])
    assert [r.kind for r in replies] == ["task_prompt", "resume_reminder", "task_prompt", "task_done"]
    assert "我们继续刚才的挂失银行卡" in replies[1].text


# ---------------------------------------------------------------- cancel
@pytest.mark.parametrize("phrase", ["cancel", "never mind", "forget it", "算了", "不用了", "取消"])
def test_cancel_phrases_leave_the_task(bot, bank, phrase: str) -> None:
    _, replies = _chat(bot, ["freeze my credit card", phrase])
    assert [r.kind for r in replies] == ["task_prompt", "cancelled"]
    assert all(c.status == "active" for c in bank.list_cards("demo"))


def test_cancel_detection_needs_the_whole_message() -> None:
    assert all(is_cancel(t) for t in ("I changed my mind", "no thanks, cancel that", "先不用了", "不办了，我再想想"))
    assert not is_cancel("I want to stop my card")
    assert not is_cancel("how do I cancel a transfer?")
    assert not is_cancel("怎么取消定时转账") and not is_cancel("取消转账怎么操作")


# ---------------------------------------------------------------- corrections
@pytest.mark.parametrize(("start", "correction", "yes"), [
    ("freeze my debit card", "no, the credit card", "yes"),
    ("冻结我的借记卡", "不对，是信用卡", "是的"),
])
def test_correction_changes_the_card_and_asks_again(bot, bank, start, correction, yes) -> None:
    _, replies = _chat(bot, [start, correction, yes])
    assert [r.kind for r in replies] == ["task_prompt", "task_prompt", "task_done"]
    debit, credit = bank.list_cards("demo")
    assert credit.last4 in replies[1].text
    assert (debit.status, credit.status) == ("active", "frozen")


def test_correction_detection() -> None:
    assert is_correction("actually I meant the credit card") and is_correction("我是说借记卡")
    assert not is_correction("no") and not is_correction("the credit card")


# ---------------------------------------------------------------- carry-over
@pytest.mark.parametrize(("messages", "follow_up"), [
    (["freeze my debit card", "yes"], "and for my credit card?"),
    (["冻结借记卡", "是"], "那信用卡呢"),
])
def test_carry_over_repeats_the_last_task_with_the_new_card(bot, bank, messages, follow_up) -> None:
    _, replies = _chat(bot, messages + [follow_up, "yes"])
    assert [r.kind for r in replies] == ["task_prompt", "task_done", "task_prompt", "task_done"]
    assert replies[2].intent == "freeze_card"
    assert [c.status for c in bank.list_cards("demo")] == ["frozen", "frozen"]


def test_carry_over_of_a_look_up_in_chinese(bot, bank) -> None:
    _, replies = _chat(bot, ["查一下日常账户最近的交易", "那储蓄账户呢"])
    assert [(r.kind, r.intent) for r in replies] == [("task_done", "recent_transactions")] * 2
    saver = bank.list_accounts("demo")[1]
    assert saver.last4 in replies[1].text


def test_carry_over_detection() -> None:
    assert is_carry_over("what about the saver account?") and is_carry_over("储蓄账户也查一下")
    assert not is_carry_over("and then what?")  # no card or account named


# ---------------------------------------------------------------- clarification
class _CloseCall:
    """A stub intent model: every message is lost_card 0.40 vs freeze_card 0.35."""

    def predict_intent(self, texts: Sequence[str]) -> list[IntentPrediction]:
        return [IntentPrediction("lost_card", 0.40, -1.0, "lost_card", "freeze_card", 0.35) for _ in texts]


def test_close_intents_are_offered_as_choices(knowledge, bank) -> None:
    bot = CustomerServiceAssistant(classifier=_CloseCall(), knowledge=knowledge,
                                   store=InMemoryConversationStore(), bank=bank)
    _, replies = _chat(bot, ["something is wrong with my card", "2"])
    assert replies[0].kind == "clarify"
    assert "1. report a card lost or stolen" in replies[0].text and "2. freeze a card" in replies[0].text
    assert (replies[1].kind, replies[1].intent) == ("task_prompt", "freeze_card")


def test_pick_choice_in_both_languages() -> None:
    assert [pick_choice(t) for t in ("1", "the first one", "option 2", "第二个", "后者", "3")] == [0, 0, 1, 1, 1, None]
    assert [pick_choice(t, 5) for t in ("the last one", "第三笔", "I'll take the 2nd", "一")] == [4, 2, 1, 0]


@pytest.mark.parametrize("message", ["my card has a problem", "我的银行卡出问题了"])
def test_card_message_that_does_not_say_what_happened_is_clarified(bot, message: str) -> None:
    _, replies = _chat(bot, [message, "1"])
    assert replies[0].kind == "clarify" and {replies[0].intent, replies[1].intent} <= {"lost_card", "freeze_card"}
    assert replies[1].kind == "task_prompt"
    assert names_card_action("I misplaced my debit card") and not names_card_action("card problem")


@pytest.mark.parametrize(("message", "article"), [
    ("my card was declined", "card-declined-en"), ("my new card hasn't arrived yet", "card-delivery-en"),
    ("新卡还没收到", "card-delivery-zh"),
])
def test_card_trouble_the_articles_answer_is_not_a_card_task(bot, message: str, article: str) -> None:
    _, (reply,) = _chat(bot, [message])
    assert (reply.kind, reply.intent) == ("answer", "faq") and reply.citations[0] == article


@pytest.mark.parametrize(("messages", "done"), [
    (["dispute a payment", "the second one", "charged twice", "yes"], "DSP-"),
    (["我要申诉一笔交易", "第二笔", "重复扣款", "确认"], "DSP-"),
])
def test_ordinal_slot_answers(bot, messages, done: str) -> None:
    _, replies = _chat(bot, messages)
    assert [r.kind for r in replies] == ["task_prompt"] * 3 + ["task_done"] and done in replies[-1].text


# ---------------------------------------------------------------- handoff rules
def test_three_misunderstandings_in_a_row_hand_off(bot) -> None:
    session, replies = _chat(bot, ["I lost my card", "banana", "purple", "flibbertigibbet"])
    assert [r.kind for r in replies] == ["task_prompt", "task_prompt", "task_prompt", "handoff"]
    assert bot.store.get_session(session.id).handoff_reason == "repeated_failure"


def test_a_good_answer_resets_the_misunderstanding_count(bot) -> None:
    _, replies = _chat(bot, ["I lost my card", "banana", "purple", "debit", "mango"])
    assert [r.kind for r in replies] == ["task_prompt"] * 5


# ---------------------------------------------------------------- back to the bot
@pytest.mark.parametrize("message", ["never mind, back to the bot", "算了，不用人工了"])
def test_customer_leaves_the_queue_by_message(bot, message: str) -> None:
    session, replies = _chat(bot, ["I want to talk to a human", "hello?", message, "what is my balance?"])
    assert [r.kind for r in replies] == ["handoff", "agent_pending", "returned_to_bot", "task_done"]
    assert bot.handoff_queue() == []


@pytest.mark.parametrize("message", ["I'd like to speak with an agent", "please connect me to a real person",
                                     "我想和真人聊"])
def test_explicit_request_for_a_person_hands_off_whatever_the_model_says(bot, message: str) -> None:
    _, (reply,) = _chat(bot, [message])
    assert reply.kind == "handoff"
    assert not asks_for_human("你是人工智能吗") and not asks_for_human("what is the fee for a transfer?")


def test_back_to_bot_phrases() -> None:
    assert all(is_back_to_bot(t) for t in ("forget the human, I'll use the bot", "不用转人工了", "还是问你吧"))
    assert not is_back_to_bot("I want to talk to a human")


def test_return_to_bot_method_and_its_conflicts(bot) -> None:
    session = bot.start_session(customer_id="demo")
    with pytest.raises(ConflictError, match="must be 'requested'"):
        bot.return_to_bot(session.id)
    bot.handle_message(session.id, "转人工")
    assert bot.return_to_bot(session.id).kind == "returned_to_bot"
    bot.request_handoff(session.id)
    bot.agent_take_over(session.id, "mei")
    with pytest.raises(ConflictError, match="releases the conversation"):
        bot.return_to_bot(session.id)
    bot.release_to_bot(session.id, "mei")
    reply = bot.handle_message(session.id, "what is my balance?")
    assert reply.kind == "task_done" and reply.handoff_status == "none"


def test_dialogue_state_survives_the_sql_store(seed_classifier, knowledge, bank, session_factory) -> None:
    from finloom.apps.customer_service._sql_store import SqlConversationStore

    bot = CustomerServiceAssistant(classifier=seed_classifier, knowledge=knowledge,
                                   store=SqlConversationStore(session_factory), bank=bank)
    _, replies = _chat(bot, ["I lost my card", "what is the fee for an international transfer?", "the debit card",
                             "no, the credit card", "yes", "and for my debit card?", "cancel"])
    assert [r.kind for r in replies] == ["task_prompt", "resume_reminder", "task_prompt", "task_prompt",
                                         "task_done", "task_prompt", "cancelled"]
    assert [c.status for c in bank.list_cards("demo")] == ["active", "cancelled"]
