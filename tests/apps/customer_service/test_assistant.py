"""Scripted multi-turn conversations: one per task, FAQ answers, "I don't know", handoff."""

from __future__ import annotations

import pytest

from finloom.apps.customer_service import CustomerServiceAssistant, SimulatedCoreBanking
from finloom.errors import ConflictError


def _chat(bot: CustomerServiceAssistant, messages: list[str], customer: str | None = "demo"):
    session = bot.start_session(customer_id=customer)
    return session, [bot.handle_message(session.id, m) for m in messages]


def test_freeze_card_asks_which_card_then_confirms(bot, bank: SimulatedCoreBanking) -> None:
    session, replies = _chat(bot, ["Please freeze my card", "1", "yes"])
    assert [r.kind for r in replies] == ["task_prompt", "task_prompt", "task_done"]
    assert "Which card?" in replies[0].text
    assert "Shall I freeze" in replies[1].text
    debit = bank.list_cards("demo")[0]
    assert debit.status == "frozen" and debit.last4 in replies[2].text


def test_freeze_card_fills_slot_from_last4_in_chinese(bot, bank: SimulatedCoreBanking) -> None:
    credit = bank.list_cards("demo")[1]
    session, replies = _chat(bot, [f"帮我冻结尾号{credit.last4}的卡", "是的"])
    assert [r.kind for r in replies] == ["task_prompt", "task_done"]
    assert replies[0].lang == "zh" and "确认冻结" in replies[0].text
    assert bank.list_cards("demo")[1].status == "frozen"


def test_lost_card_declined_confirmation_changes_nothing(bot, bank: SimulatedCoreBanking) -> None:
    _, replies = _chat(bot, ["I lost my debit card", "no"])
    assert [r.kind for r in replies] == ["task_prompt", "cancelled"]
    assert bank.list_cards("demo")[0].status == "active"


def test_lost_card_reports_and_cancels(bot, bank: SimulatedCoreBanking) -> None:
    _, replies = _chat(bot, ["my credit card was stolen", "yes"])
    assert replies[-1].kind == "task_done"
    assert "5 to 7 business days" in replies[-1].text
    assert bank.list_cards("demo")[1].status == "cancelled"


def test_dispute_transaction_collects_transaction_reason_and_confirmation(
        bot, bank: SimulatedCoreBanking) -> None:
    tx = bank.recent_transactions("demo", "demo-everyday", limit=5)[1]
    _, replies = _chat(bot, ["I want to dispute a transaction", "2", "I was charged twice", "yes"])
    assert [r.kind for r in replies] == ["task_prompt", "task_prompt", "task_prompt", "task_done"]
    assert tx.merchant in replies[2].text
    assert "DSP-" in replies[3].text


def test_dispute_matches_amount_entity(bot, bank: SimulatedCoreBanking) -> None:
    tx = bank.recent_transactions("demo", "demo-everyday", limit=5)[0]
    _, replies = _chat(bot, [f"I didn't make the {abs(tx.amount):.2f} yuan payment, please dispute it",
                             "yes"])
    assert replies[0].kind == "task_prompt" and tx.merchant in replies[0].text
    assert replies[1].kind == "task_done"


def test_check_balance_lists_every_account(bot, bank: SimulatedCoreBanking) -> None:
    _, replies = _chat(bot, ["what's my balance?"])
    assert replies[0].kind == "task_done"
    for acc in bank.list_accounts("demo"):
        assert f"{acc.balance:,.2f}" in replies[0].text


def test_recent_transactions_asks_account_then_lists(bot, bank: SimulatedCoreBanking) -> None:
    _, replies = _chat(bot, ["最近的交易记录", "日常账户"])
    assert [r.kind for r in replies] == ["task_prompt", "task_done"]
    newest = bank.recent_transactions("demo", "demo-everyday", limit=1)[0]
    assert newest.merchant in replies[1].text


def test_task_can_be_cancelled_midway(bot, bank: SimulatedCoreBanking) -> None:
    _, replies = _chat(bot, ["freeze my card", "cancel"])
    assert replies[-1].kind == "cancelled"
    assert all(c.status == "active" for c in bank.list_cards("demo"))


def test_task_without_signed_in_customer_offers_human(bot) -> None:
    session, replies = _chat(bot, ["freeze my card", "yes"], customer=None)
    assert replies[0].kind == "need_login"
    assert replies[1].kind == "handoff"
    assert bot.store.get_session(session.id).handoff_status == "requested"


@pytest.mark.parametrize(("question", "lang", "article"), [
    ("How long until my new card arrives?", "en", "card-delivery-en"),
    ("信用卡逾期了会怎么样", "zh", "cc-late-payment-zh"),
])
def test_faq_answer_is_grounded_and_cites_article(bot, question: str, lang: str, article: str) -> None:
    _, (reply,) = _chat(bot, [question])
    assert reply.kind == "answer" and reply.lang == lang
    assert reply.citations[0] == article
    body = bot.knowledge.get(article).body
    first_sentence = reply.text.split("[")[0].split("【")[0].strip()
    assert first_sentence[:30] in body


def test_out_of_scope_question_gets_scope_statement_not_a_human(bot) -> None:
    session, replies = _chat(bot, ["What's the weather like in Paris tomorrow?", "yes"])
    assert replies[0].kind == "scope_statement" and "Loom Bank" in replies[0].text
    assert replies[1].kind != "handoff"
    assert bot.handoff_queue() == []


def test_unanswerable_banking_question_says_dont_know_and_offers_human(
        seed_classifier, knowledge, bank) -> None:
    from finloom.apps.customer_service import AssistantConfig, InMemoryConversationStore

    strict = CustomerServiceAssistant(classifier=seed_classifier, knowledge=knowledge,
                                      store=InMemoryConversationStore(), bank=bank,
                                      config=AssistantConfig(min_coverage=0.99, min_confidence=0.99))
    session, replies = _chat(strict, ["what is the bank's share price?", "yes"])
    assert replies[0].kind == "dont_know"
    assert "don't know" in replies[0].text and "(yes/no)" in replies[0].text
    assert replies[1].kind == "handoff"
    queued = strict.handoff_queue()
    assert [s.id for s in queued] == [session.id] and queued[0].handoff_reason == "requested"


def test_how_to_question_about_a_task_gets_an_answer_not_the_task(bot) -> None:
    _, (reply,) = _chat(bot, ["how do I freeze my card?"])
    assert reply.kind == "answer" and reply.citations[0] == "card-freeze-en"


def test_greeting_and_goodbye_in_customer_language(bot) -> None:
    _, replies = _chat(bot, ["你好", "hello", "thanks, bye"])
    assert [(r.kind, r.lang) for r in replies] == [("greeting", "zh"), ("greeting", "en"),
                                                   ("goodbye", "en")]
    assert "织锦银行" in replies[0].text


def test_agent_takes_over_and_customer_sees_agent_reply(bot) -> None:
    session, replies = _chat(bot, ["I want to talk to a human"])
    assert replies[0].kind == "handoff"
    assert "Handoff reason: requested" in (bot.store.get_session(session.id).handoff_summary or "")
    pending = bot.handle_message(session.id, "are you there?")
    assert pending.kind == "agent_pending"
    bot.agent_take_over(session.id, "mei")
    forwarded = bot.handle_message(session.id, "my card was charged twice")
    assert forwarded.kind == "forwarded" and forwarded.text == ""
    turn = bot.agent_reply(session.id, "mei", "I can see the two payments; refunding one now.")
    seen = bot.history(session.id, since=turn.index - 1)
    assert [t.role for t in seen] == ["customer", "agent"]
    with pytest.raises(ConflictError, match="another agent"):
        bot.agent_take_over(session.id, "li")
    bot.release_to_bot(session.id, "mei")
    assert bot.handle_message(session.id, "hello").kind == "greeting"


def test_agent_reply_before_take_over_is_refused(bot) -> None:
    session = bot.start_session()
    with pytest.raises(ConflictError, match="agent_take_over first"):
        bot.agent_reply(session.id, "mei", "hi")


def test_banking77_style_labels_route_to_tasks_or_faq(knowledge, bank) -> None:
    from finloom.apps.customer_service import (
        EmbeddingIntentClassifier,
        InMemoryConversationStore,
    )

    texts = ["my card was stolen", "someone stole my card", "lost my card yesterday",
             "what is the exchange rate", "exchange rate for euros", "rate to convert dollars"] * 3
    labels = ["lost_or_stolen_card"] * 3 + ["exchange_rate"] * 3
    clf = EmbeddingIntentClassifier(random_state=0).fit(texts, labels * 3)
    bot = CustomerServiceAssistant(classifier=clf, knowledge=knowledge,
                                   store=InMemoryConversationStore(), bank=bank)
    session = bot.start_session(customer_id="demo")
    assert bot.handle_message(session.id, "my card was stolen").intent == "lost_card"
    other = bot.start_session(customer_id="demo")
    assert bot.handle_message(other.id, "what is the exchange rate for euros").kind == "answer"


def test_dense_similarity_below_threshold_gives_dont_know(seed_classifier, bank) -> None:
    from finloom.apps.customer_service import (
        AssistantConfig,
        HashingEncoder,
        InMemoryConversationStore,
        KnowledgeBase,
        load_builtin_kb,
    )

    kb = KnowledgeBase(load_builtin_kb(), encoder=HashingEncoder(dim=256))
    hit = kb.search("How long until my new card arrives?", "en", k=1)[0][1]
    assert hit.similarity is not None and -1.0 <= hit.similarity <= 1.0
    assert kb.search("新卡多久能寄到", "zh", k=1)[0][1].similarity is None
    strict = CustomerServiceAssistant(classifier=seed_classifier, knowledge=kb,
                                      store=InMemoryConversationStore(), bank=bank,
                                      config=AssistantConfig(min_similarity=0.999))
    session = strict.start_session()
    assert strict.handle_message(session.id, "How long until my new card arrives?").kind == "dont_know"


def test_low_confidence_task_intent_is_answered_from_the_kb(bot) -> None:
    _, (reply,) = _chat(bot, ["有没有适合青少年的账户"])
    assert reply.kind == "answer" and reply.citations[0] == "acct-youth-zh"
