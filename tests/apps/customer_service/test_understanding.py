"""Language detection, entities, sentiment, intents and out-of-scope detection."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pytest

from finloom.apps.customer_service import (
    EmbeddingIntentClassifier,
    HashingEncoder,
    OutOfScopeDetector,
    concat_encoders,
    detect_language,
    extract_entities,
    sentiment_score,
)
from finloom.errors import InvalidDataError, NotFittedError


@pytest.mark.parametrize(("text", "lang", "supported"), [
    ("Hi, my card is blocked", "en", True),
    ("我的信用卡被锁了", "zh", True),
    ("帮我查一下 Loom Bank 的 swift code", "zh", True),
    ("Bonjour, où est ma carte bancaire? Je suis très inquiète", "unknown", False),
    ("カードをなくしました", "unknown", False),
])
def test_detect_language(text: str, lang: str, supported: bool) -> None:
    guess = detect_language(text)
    assert (guess.lang, guess.supported) == (lang, supported)


def test_extract_entities_covers_every_kind() -> None:
    ents = extract_entities("On 3 May I sent $250 from my savings; my gold card ending with 9921 "
                            "was charged 1.5k euros yesterday", today=dt.date(2026, 5, 10))
    found = {(e.kind, e.value) for e in ents}
    assert {("date", "2026-05-03"), ("amount", "250.00 USD"), ("account_type", "saver"),
            ("card_type", "credit"), ("last4", "9921"), ("amount", "1500.00 EUR"),
            ("date", "2026-05-09"), ("currency", "EUR")} <= found


def test_extract_entities_leaves_input_unchanged() -> None:
    text = "尾号１２３４的借记卡 5月3日 消费200元"
    before = str(text)
    kinds = {(e.kind, e.value) for e in extract_entities(text, today=dt.date(2026, 6, 1))}
    assert text == before
    assert {("last4", "1234"), ("card_type", "debit"), ("date", "2026-05-03"),
            ("amount", "200.00 CNY")} <= kinds


def test_sentiment_negation_and_intensity() -> None:
    assert sentiment_score("this is not bad") > sentiment_score("this is bad")
    assert sentiment_score("太差劲了，我非常生气") <= -0.5
    assert sentiment_score("where is my card") == 0.0


def test_classifier_flags_far_away_messages(seed_classifier: EmbeddingIntentClassifier) -> None:
    preds = seed_classifier.predict_intent(["I lost my card", "zxqv plorb wendle frump"])
    assert preds[0].intent == "lost_card"
    assert preds[1].intent == "out_of_scope" and preds[1].oos_score > preds[0].oos_score


def test_classifier_save_load_roundtrip(seed_classifier: EmbeddingIntentClassifier,
                                        tmp_path: Path) -> None:
    path = seed_classifier.save(tmp_path / "clf")
    loaded = EmbeddingIntentClassifier.load(path)
    texts = ["冻结我的卡", "what's my balance"]
    a, b = loaded.predict_intent(texts), seed_classifier.predict_intent(texts)
    assert [p.intent for p in a] == [p.intent for p in b]
    assert np.allclose([p.oos_score for p in a], [p.oos_score for p in b], atol=1e-4)


def test_concat_encoders_average_member_cosines() -> None:
    a, b = HashingEncoder(dim=64), HashingEncoder(dim=32)
    texts = ["freeze my card", "freeze the card please", "what is my balance"]
    both = concat_encoders([a, b])(texts)
    assert both.shape == (3, 96)
    assert np.allclose(np.linalg.norm(both, axis=1), 1.0, atol=1e-5)
    expected = ((a(texts) @ a(texts).T) + (b(texts) @ b(texts).T)) / 2
    assert np.allclose(both @ both.T, expected, atol=1e-5)


def test_classifier_with_local_encoder_folder_and_ensemble_roundtrip(tmp_path: Path) -> None:
    from tests.nlp.conftest import make_tiny_bert

    folder = make_tiny_bert(tmp_path / "enc")
    texts = ["lost card", "card lost", "balance please", "my balance", "refund money", "money refund"] * 3
    labels = ["lost", "lost", "bal", "bal", "refund", "refund"] * 3
    clf = EmbeddingIntentClassifier(encoder=("hashing", str(folder)), random_state=0).fit(texts, labels)
    assert clf.detector_.memory_.shape[1] == HashingEncoder().dim + 32
    loaded = EmbeddingIntentClassifier.load(clf.save(tmp_path / "clf"))
    assert loaded.encoder == ("hashing", str(folder))
    a, b = loaded.predict_intent(texts[:4]), clf.predict_intent(texts[:4])
    assert [p.intent for p in a] == [p.intent for p in b]
    assert np.allclose([p.oos_score for p in a], [p.oos_score for p in b], atol=1e-4)


def test_classifier_contract_errors() -> None:
    with pytest.raises(NotFittedError):
        EmbeddingIntentClassifier().predict_intent(["hi"])
    with pytest.raises(InvalidDataError, match="at least 2 intents"):
        EmbeddingIntentClassifier().fit(["a", "b"], ["x", "x"])
    with pytest.raises(InvalidDataError, match="local Hugging Face encoder folder"):
        EmbeddingIntentClassifier(encoder="/no/such/encoder").fit(["a", "b"], ["x", "y"])


def test_oos_detector_calibrated_recall_on_in_domain_data() -> None:
    rng = np.random.default_rng(0)
    centers = rng.normal(size=(3, 8)) * 4
    def draw(n: int) -> np.ndarray:
        return np.vstack([c + rng.normal(size=(n, 8)) for c in centers])
    proba = np.full((90, 3), 1 / 3)
    det = OutOfScopeDetector(k=3, in_domain_recall=0.9).fit(draw(30), draw(30), proba)
    kept = 1 - det.predict(draw(200), np.full((600, 3), 1 / 3)).mean()
    assert 0.8 <= kept <= 0.97
    with pytest.raises(Exception, match="in_domain_recall"):
        OutOfScopeDetector(in_domain_recall=1.5).fit(draw(5), draw(5), np.full((15, 3), 1 / 3))
