"""Robust training: augmentation copies, FGM/PGD on the head (frozen) and on the word embeddings
(fine-tuning, tagger), input normalisation; recorded in the saved model and its card."""

from __future__ import annotations

import json

import numpy as np
import pytest

from finloom.errors import ConfigError
from finloom.nlp import TextClassifier, TokenTagger
from finloom.nlp._adversarial import (
    AdversarialConfig,
    _attack,
    _softmax,
    adversarial_head,
    augment_texts,
    augment_tokens,
)
from tests.nlp._toy import NER_TAGS, NER_TOKENS, TOY_LABELS, TOY_TEXTS


@pytest.fixture(autouse=True)
def _one_thread():
    import torch

    torch.set_num_threads(1)


def _blobs(seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Feature 0 separates the classes with a tiny margin, feature 1 with a wide but noisy one."""
    rng = np.random.default_rng(seed)
    side = np.r_[np.ones(60), -np.ones(60)]
    X = np.c_[side * 0.05 + rng.normal(0, 0.01, 120), side * 0.5 + rng.normal(0, 0.25, 120)]
    return X, (side < 0).astype(int)


def test_adversarial_head_has_a_lower_loss_under_attack_than_the_plain_head():
    X, y = _blobs()
    start = (np.zeros((2, 2)), np.zeros(2))
    fit = {"C": 1000, "epochs": 50, "learning_rate": 0.05}
    plain = adversarial_head(X, y, *start, AdversarialConfig("fgm", epsilon=1e-9), **fit, rng=np.random.default_rng(0))
    robust = adversarial_head(X, y, *start, AdversarialConfig("fgm", epsilon=0.1), **fit, rng=np.random.default_rng(0))

    def attacked_loss(W: np.ndarray, b: np.ndarray) -> float:
        x = _attack(X, np.eye(2)[y], W, b, AdversarialConfig("pgd", epsilon=0.1))
        return float(-np.log(_softmax(x @ W.T + b)[np.arange(len(y)), y]).mean())

    assert attacked_loss(*robust) < attacked_loss(*plain)
    assert abs(robust[0][0, 0]) < abs(plain[0][0, 0])  # less weight on the thin-margin feature
    again = adversarial_head(X, y, *start, AdversarialConfig("fgm", epsilon=0.1), **fit, rng=np.random.default_rng(0))
    np.testing.assert_array_equal(again[0], robust[0])  # deterministic under the generator


def test_pgd_stays_inside_the_epsilon_ball():
    X, y = _blobs()
    W = np.array([[1.0, 1.0], [-1.0, -1.0]])
    moved = _attack(X, np.eye(2)[y], W, np.zeros(2), AdversarialConfig("pgd", epsilon=0.2, steps=5))
    assert np.linalg.norm(moved - X, axis=1).max() <= 0.2 + 1e-9


def test_augment_texts_and_tokens_are_seeded_and_keep_labels_aligned():
    texts, source = augment_texts(TOY_TEXTS, 2, seed=3)
    assert (texts, source) == augment_texts(TOY_TEXTS, 2, seed=3)
    assert texts != augment_texts(TOY_TEXTS, 2, seed=4)[0]
    assert all(0 <= i < len(TOY_TEXTS) for i in source) and all(t not in TOY_TEXTS for t in texts)
    tokens, tags = augment_tokens(NER_TOKENS, NER_TAGS, 2, seed=0)
    assert tokens and all(len(a) == len(b) for a, b in zip(tokens, tags, strict=True))


def test_frozen_classifier_with_augmentation_fgm_and_normalisation_round_trips(tiny_bert, tmp_path):
    clf = TextClassifier(encoder=tiny_bert, augment=1, adversarial="fgm", normalize_text=True, char_ngrams=False,
                         random_state=0).fit(TOY_TEXTS, TOY_LABELS)
    plain = TextClassifier(encoder=tiny_bert, char_ngrams=False, random_state=0).fit(TOY_TEXTS, TOY_LABELS)
    assert not np.allclose(clf.coef_, plain.coef_)
    width = ["ｍｙ ｃａｒｄ ｗａｓ ｌｏｓｔ", "my card was lost"]
    np.testing.assert_allclose(*clf.predict_proba(width), rtol=1e-5)  # normalised to the same text
    clf.save(tmp_path / "m")
    loaded = TextClassifier.load(tmp_path / "m")
    assert loaded.normalize_text and loaded.adversarial == "fgm" and loaded.augment == 1
    np.testing.assert_allclose(loaded.predict_proba(width), clf.predict_proba(width), rtol=1e-5)
    card = json.loads((tmp_path / "m" / "model_card.json").read_text(encoding="utf-8"))
    assert card["parameters"]["adversarial"] == "fgm" and card["parameters"]["augment"] == 1


@pytest.mark.parametrize("method", ["fgm", "pgd"])
def test_finetune_adversarial_training_changes_the_weights_and_removes_its_hook(tiny_bert, method):
    kw = {"encoder": tiny_bert, "mode": "finetune", "epochs": 1, "batch_size": 8, "validation_fraction": 0.0,
          "linear_probe_init": False, "char_ngrams": False, "random_state": 0}
    plain = TextClassifier(**kw).fit(TOY_TEXTS, TOY_LABELS)
    robust = TextClassifier(**kw, adversarial=method, adv_steps=2).fit(TOY_TEXTS, TOY_LABELS)
    again = TextClassifier(**kw, adversarial=method, adv_steps=2).fit(TOY_TEXTS, TOY_LABELS)
    assert not np.allclose(plain.coef_, robust.coef_)
    np.testing.assert_allclose(robust.coef_, again.coef_, rtol=1e-5)
    embeddings = robust.encoder_.model.get_input_embeddings()
    assert not embeddings._forward_hooks  # the adversary's hook is gone after training


def test_tagger_trains_with_augmentation_and_fgm(tiny_bert, tmp_path):
    tagger = TokenTagger(encoder=tiny_bert, epochs=1, validation_fraction=0, augment=1, adversarial="fgm",
                         normalize_text=True, random_state=0).fit(NER_TOKENS, NER_TAGS)
    tags = tagger.predict([["ａｃｍｅ", "corp"], ["acme", "corp"]])
    assert tags[0] == tags[1]  # full-width words are normalised before encoding
    tagger.save(tmp_path / "t")
    assert TokenTagger.load(tmp_path / "t").adversarial == "fgm"


def test_bad_robust_options_are_config_errors():
    with pytest.raises(ConfigError, match=r"'augment' parameter of TextClassifier must be an int in \[0, 10\]"):
        TextClassifier(augment=-1).fit(TOY_TEXTS, TOY_LABELS)
    with pytest.raises(ConfigError, match="'adversarial' parameter of TextClassifier must be None, 'fgm' or 'pgd'"):
        TextClassifier(adversarial="fsgm").fit(TOY_TEXTS, TOY_LABELS)
    with pytest.raises(ConfigError, match="'augment_kinds' parameter of TextClassifier must be None or a list"):
        TextClassifier(augment=1, augment_kinds=["directional"]).fit(TOY_TEXTS, TOY_LABELS)
    with pytest.raises(ConfigError, match="adversarial must be 'fgm' or 'pgd'; got 'x'"):
        AdversarialConfig("x")
