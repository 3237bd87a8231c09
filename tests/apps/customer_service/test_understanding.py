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


def _class_gap(encode, texts: list[str], labels: list[str]) -> float:
    """Mean cosine within intents minus mean cosine across them."""
    X = encode(texts)
    same = np.equal.outer(labels, labels)
    sims = X @ X.T
    off = ~np.eye(len(texts), dtype=bool)
    return float(sims[same & off].mean() - sims[~same].mean())


@pytest.mark.parametrize("objective", ["contrastive", "classification"])
def test_classifier_tunes_its_encoder_and_saves_it(tmp_path: Path, objective: str) -> None:
    from tests.nlp._toy import TOY_LABELS, TOY_TEXTS
    from tests.nlp.conftest import make_tiny_bert

    folder = str(make_tiny_bert(tmp_path / "enc"))
    frozen = EmbeddingIntentClassifier(encoder=folder, random_state=0).fit(TOY_TEXTS, TOY_LABELS)
    params = {"encoder": folder, "tune_epochs": 3, "tune_objective": objective,
              "tune_learning_rate": 3e-3, "random_state": 0}
    clf = EmbeddingIntentClassifier(**params)
    steps: list[float] = []
    clf.fit(TOY_TEXTS, TOY_LABELS, progress=lambda f, m="": steps.append(f))
    assert steps and steps[-1] == pytest.approx(1.0)
    # the tuned encoder pulls messages of one intent together (tiny random BERT: a clear margin)
    assert _class_gap(clf.encode_, TOY_TEXTS, TOY_LABELS) > _class_gap(frozen.encode_, TOY_TEXTS, TOY_LABELS) + 0.05
    again = EmbeddingIntentClassifier(**params).fit(TOY_TEXTS, TOY_LABELS)
    assert np.allclose(again.encode_(TOY_TEXTS), clf.encode_(TOY_TEXTS), atol=1e-5)  # seeded

    root = clf.save(tmp_path / "clf")
    assert (root / "encoder" / "config.json").is_file()
    loaded = EmbeddingIntentClassifier.load(root)
    assert loaded.encoder == folder and loaded.tune_epochs == 3 and loaded.tune_objective == objective
    a, b = loaded.predict_intent(TOY_TEXTS), clf.predict_intent(TOY_TEXTS)
    assert [p.intent for p in a] == [p.intent for p in b]
    assert np.allclose([p.oos_score for p in a], [p.oos_score for p in b], atol=1e-4)


def test_classifier_tuning_errors(tmp_path: Path) -> None:
    from finloom.errors import ConfigError
    from tests.nlp._toy import TOY_LABELS, TOY_TEXTS
    from tests.nlp.conftest import make_tiny_bert

    with pytest.raises(ConfigError, match="tune_epochs"):
        EmbeddingIntentClassifier(tune_epochs=-1).fit(TOY_TEXTS, TOY_LABELS)
    with pytest.raises(ConfigError, match="tune_objective"):
        EmbeddingIntentClassifier(tune_objective="triplet").fit(TOY_TEXTS, TOY_LABELS)
    with pytest.raises(ConfigError, match="encoder folder when tune_epochs > 0"):
        EmbeddingIntentClassifier(encoder="hashing", tune_epochs=1).fit(TOY_TEXTS, TOY_LABELS)
    folder = str(make_tiny_bert(tmp_path / "enc"))
    with pytest.raises(InvalidDataError, match="embeddings must not be passed"):
        EmbeddingIntentClassifier(encoder=folder, tune_epochs=1).fit(
            TOY_TEXTS, TOY_LABELS, embeddings=np.zeros((len(TOY_TEXTS), 32)))


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

