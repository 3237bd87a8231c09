"""Handoff triggers: request, complaint, strongly negative sentiment, repeated failure."""

from __future__ import annotations

import pytest

from finloom.apps.customer_service import (
    AssistantConfig,
    CustomerServiceAssistant,
    HandoffPolicy,
    InMemoryConversationStore,
    Session,
    Turn,
    summarize_transcript,
)


@pytest.mark.parametrize(("message", "reason"), [
    ("转人工", "requested"),
    ("I want to make a formal complaint about your branch staff", "complaint"),
    ("WTF my card got declined AGAIN, this is ridiculous!!!", "negative_sentiment"),
    ("你们的汇率太离谱了，气死我了", "negative_sentiment"),
])
def test_handoff_trigger_sets_reason_and_queues(bot, message: str, reason: str) -> None:
    session = bot.start_session(customer_id="demo")
    reply = bot.handle_message(session.id, message)
    assert reply.kind == "handoff" and reply.handoff_status == "requested"
    stored = bot.store.get_session(session.id)
    assert stored.handoff_reason == reason
    assert message in (stored.handoff_summary or "")


def test_handoff_after_repeated_failures(seed_classifier, knowledge, bank) -> None:
    bot = CustomerServiceAssistant(
        classifier=seed_classifier, knowledge=knowledge, store=InMemoryConversationStore(),
        bank=bank, config=AssistantConfig(handoff=HandoffPolicy(max_failures=2), min_coverage=0.99,
                                          min_confidence=0.99))
    session = bot.start_session()
    first = bot.handle_message(session.id, "what is the bank's share price?")
    second = bot.handle_message(session.id, "how many staff does the bank employ?")
    assert first.kind == "dont_know"
    assert second.kind == "handoff"
    assert bot.store.get_session(session.id).handoff_reason == "repeated_failure"


def test_successful_answer_resets_failure_count(seed_classifier, knowledge, bank) -> None:
    bot = CustomerServiceAssistant(
        classifier=seed_classifier, knowledge=knowledge, store=InMemoryConversationStore(),
        bank=bank, config=AssistantConfig(handoff=HandoffPolicy(max_failures=2), min_coverage=0.6,
                                          min_confidence=0.6))
    session = bot.start_session()
    assert bot.handle_message(session.id, "what is the bank's share price?").kind == "dont_know"
    assert bot.handle_message(session.id, "no").kind == "offer_declined"
    assert bot.handle_message(session.id, "what is your swift code").kind == "answer"
    assert bot.handle_message(session.id, "how many staff does the bank employ?").kind == "dont_know"


def test_summary_lists_task_entities_and_last_messages() -> None:
    session = Session(id="s", customer_id="c1", handoff_reason="repeated_failure",
                      slots={"task": {"name": "dispute_transaction", "filled": {"reason": "duplicate"}}})
    turns = [Turn("s", 0, "customer", "charged twice ¥120 yesterday",
                  meta={"intent": "dispute_transaction",
                        "entities": [{"kind": "amount", "value": "120.00 CNY"}]}),
             Turn("s", 1, "assistant", "Which payment?", meta={"citations": []})]
    text = summarize_transcript(session, turns)
    assert "Open task: dispute_transaction" in text
    assert "amount=120.00 CNY" in text
    assert '"charged twice ¥120 yesterday"' in text
