"""A task answer and a side question in one message: the answer is kept, the question answered,
then the task's next question follows. Sentences are written for these tests (not from any eval
set)."""

from __future__ import annotations

import pytest

from finloom.apps.customer_service import CustomerServiceAssistant, Reply
from finloom.apps.customer_service._mixed_turns import answer_then_question


def _talk(bot: CustomerServiceAssistant, messages: list[str], lang: str = "en") -> list[Reply]:
    session = bot.start_session(customer_id="demo", lang=lang)
    return [bot.handle_message(session.id, m) for m in messages]


@pytest.mark.parametrize(("text", "parts"), [
    ("credit one. will the freeze stop my direct debits?", ("credit one", "will the freeze stop my direct debits?")),
    ("payment 5 — can I still use the card meanwhile?", ("payment 5", "can I still use the card meanwhile?")),
    ("储蓄卡，解冻要去网点吗？", ("储蓄卡", "解冻要去网点吗？")),
    ("最后一笔；一般几天出结果？", ("最后一笔", "一般几天出结果？")),
])
def test_an_answer_clause_then_a_question_is_split(text: str, parts: tuple[str, str]) -> None:
    assert answer_then_question(text) == parts


@pytest.mark.parametrize("text", [
    "the credit card is the one I lost",  # one clause
    "hmm, not sure",  # no question after the comma
    "what, already?",  # too short to be a question of its own
    "I think it was the one I used at the petrol station last week, is that ok?",  # long first clause
    "3.5 is the amount?",  # a decimal point is no boundary
    "是的，谢谢你",
])
def test_other_messages_are_not_split(text: str) -> None:
    assert answer_then_question(text) is None


def test_card_answer_with_a_question_keeps_the_card_and_answers(bot, bank) -> None:
    replies = _talk(bot, ["please put a block on one of my cards",
                          "debit - how do I undo the freeze later on?", "go ahead"])
    assert [(r.kind, r.intent) for r in replies] == [
        ("task_prompt", "freeze_card"), ("resume_reminder", "faq"), ("task_done", "freeze_card")]
    assert "debit" in replies[1].text.split("freezing your card")[-1]  # the confirmation names the card
    assert [c.status for c in bank.list_cards("demo")] == ["frozen", "active"]


def test_payment_answer_with_a_question_moves_on_to_the_reason(bot) -> None:
    replies = _talk(bot, ["我想对一笔消费提出申诉", "第二笔，处理期间这张卡还能刷吗？", "重复扣款", "确认"], lang="zh")
    assert [r.kind for r in replies] == ["task_prompt", "resume_reminder", "task_prompt", "task_done"]
    assert "1. 非本人交易" in replies[1].text  # the reason list, not the payment list again


def test_answer_with_an_off_topic_question_keeps_the_answer(bot) -> None:
    replies = _talk(bot, ["lock my card", "credit. who wins the league this year?", "yes"])
    assert [r.kind for r in replies] == ["task_prompt", "scope_statement", "task_done"]


def test_a_yes_with_a_question_is_not_taken_as_a_confirmation(bot, bank) -> None:
    replies = _talk(bot, ["freeze my credit card", "ok. and how long does a freeze last?"])
    assert replies[1].kind == "resume_reminder"
    assert all(c.status == "active" for c in bank.list_cards("demo"))  # nothing done before a plain yes
