"""Store, simulated core banking, retrieval, guard and service functions."""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path

import pytest

from finloom.apps.customer_service import (
    Article,
    ConversationStore,
    CoreBanking,
    EmbeddingIntentClassifier,
    GroundedAnswer,
    GroundingGuard,
    HashingEncoder,
    InMemoryConversationStore,
    KnowledgeBase,
    SimulatedCoreBanking,
    evaluate_faq_retrieval,
    fit_intent_classifier,
    load_builtin_kb,
)
from finloom.errors import ConflictError, InvalidDataError, NotFoundError


def test_in_memory_store_is_a_conversation_store_and_thread_safe() -> None:
    store = InMemoryConversationStore()
    assert isinstance(store, ConversationStore)
    session = store.create_session(customer_id="c")
    threads = [threading.Thread(target=lambda: [store.append_turn(session.id, "customer", "x")
                                                for _ in range(50)]) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    turns = store.list_turns(session.id)
    assert [t.index for t in turns] == list(range(200))
    assert len(store.list_turns(session.id, limit=3)) == 3


def test_store_returns_copies_and_queue_lists_handoffs() -> None:
    store = InMemoryConversationStore()
    s = store.create_session()
    s.handoff_status = "requested"
    assert store.get_session(s.id).handoff_status == "none"
    store.update_session(s)
    assert [q.id for q in store.list_handoff_queue()] == [s.id]
    with pytest.raises(ValueError, match="role must be one of"):
        store.append_turn(s.id, "robot", "x")


def test_simulated_bank_is_deterministic_and_enforces_states() -> None:
    a, b = SimulatedCoreBanking(today=dt.date(2026, 1, 1)), SimulatedCoreBanking(today=dt.date(2026, 1, 1))
    assert isinstance(a, CoreBanking)
    assert a.list_accounts("x") == b.list_accounts("x")
    assert a.list_cards("x") != a.list_cards("y")
    card = a.list_cards("x")[0]
    a.report_lost_card("x", card.id)
    with pytest.raises(ConflictError, match="card status must be active"):
        a.freeze_card("x", card.id)
    tx = a.recent_transactions("x", "x-everyday", limit=1)[0]
    case = a.open_dispute("x", tx.id, "duplicate")
    assert case.reference.startswith("DSP-") and case.amount == abs(tx.amount)
    with pytest.raises(ConflictError, match="already be disputed"):
        a.open_dispute("x", tx.id, "duplicate")
    with pytest.raises(NotFoundError):
        a.recent_transactions("x", "nope")


def test_guard_rejects_invented_numbers_and_wrong_citations() -> None:
    src = [Article(id="f-en", lang="en", title="Fees", body="Express delivery costs CNY 30.")]
    guard = GroundingGuard()
    assert guard.check(GroundedAnswer("Express costs CNY 30 [f-en]", ("f-en",)), src, "en").ok
    bad = guard.check(GroundedAnswer("Express costs CNY 25 [x-en], risk-free", ("x-en",)), src, "en")
    assert not bad.ok
    assert len(bad.issues) == 4


def test_retrieval_stays_in_language_and_gives_low_confidence_off_topic() -> None:
    kb = KnowledgeBase(load_builtin_kb())
    hits = kb.search("How do I report a stolen card?", "en", k=3)
    assert hits[0][0].id == "card-lost-stolen-en" and all(a.lang == "en" for a, _ in hits)
    off = kb.search("recipe for chocolate cake", "en", k=1)
    assert not off or off[0][1].confidence < 0.3


def test_evaluate_faq_retrieval_on_a_few_gold_questions() -> None:
    kb = KnowledgeBase(load_builtin_kb())
    gold = [{"question": "what's your swift code", "lang": "en", "gold": "xfer-receive-international-en"},
            {"question": "春节期间银行上班吗", "lang": "zh", "gold": "svc-chinese-new-year-zh"}]
    out = evaluate_faq_retrieval(kb, gold)
    assert out["n"] == 2 and out["hit_at_3"] == 1.0 and set(out["by_lang"]) == {"en", "zh"}


def test_fit_intent_classifier_job_reports_progress_and_bad_csv(tmp_path: Path) -> None:
    seen: list[float] = []
    out = fit_intent_classifier({"random_state": 0}, lambda f, m="": seen.append(f), tmp_path)
    assert seen[0] == 0.0 and seen[-1] == 1.0
    assert Path(out["path"], "config.json").is_file()
    bad = tmp_path / "bad.csv"
    bad.write_text("utterance,label\nhi,greeting\n", encoding="utf-8")
    with pytest.raises(InvalidDataError, match=r"columns 'text' and 'category' must exist in bad.csv; got columns "
                                               r"\['utterance', 'label'\]\.$"):
        fit_intent_classifier({"train_csv": str(bad)})
    with pytest.raises(NotFoundError, match="data file must exist"):
        fit_intent_classifier({"train_csv": str(tmp_path / "none.csv")})


def test_fit_intent_classifier_job_takes_an_encoder_list(tmp_path: Path) -> None:
    # a JSON job parameter arrives as a list; the saved model keeps it and loads again
    out = fit_intent_classifier({"random_state": 0, "encoder": ["hashing", "hashing"]}, out_dir=tmp_path)
    loaded = EmbeddingIntentClassifier.load(out["path"])
    assert loaded.encoder == ("hashing", "hashing")
    assert loaded.detector_.memory_.shape[1] == 2 * HashingEncoder().dim


def test_every_builtin_article_yields_an_answer_the_guard_accepts() -> None:
    from finloom.apps.customer_service import compose_answer

    guard = GroundingGuard()
    for article in load_builtin_kb():
        answer = compose_answer(" ".join(article.tags), [article], article.lang)
        verdict = guard.check(answer, [article], article.lang)
        assert verdict.ok, (article.id, verdict.issues)
        assert article.id in answer.text


def test_nlp_retriever_adapter_plugs_into_knowledge_base() -> None:
    from finloom.apps.customer_service import NlpRetrieverAdapter

    articles = load_builtin_kb(langs=("zh",))
    adapter = NlpRetrieverAdapter(lang="zh", use_dense=False).add(articles)
    kb = KnowledgeBase(articles, retrievers={"zh": adapter})
    article, hit = kb.search("银行卡丢了怎么挂失", "zh", k=3)[0]
    assert article.lang == "zh" and 0.0 <= hit.confidence <= 1.0
    assert kb.search("hello", "en") == []
