"""Contrastive (SetFit-style) tuning: pair sampling, loss, and TextClassifier(mode="contrastive")."""

from __future__ import annotations

import numpy as np
import pytest

from finloom.errors import ConfigError
from finloom.nlp import TextClassifier
from finloom.nlp._contrastive import positive_pairs, supervised_contrastive_loss
from tests.nlp._toy import TOY_LABELS, TOY_TEXTS


def test_positive_pairs_share_labels_and_skip_singletons():
    y = np.array([0, 0, 0, 1, 1, 2])
    pairs = positive_pairs(y, 3, np.random.default_rng(0))
    assert pairs.shape == (15, 2)  # 5 texts with partners x 3; the lone class-2 text has none
    assert (y[pairs[:, 0]] == y[pairs[:, 1]]).all()
    assert (pairs[:, 0] != pairs[:, 1]).all()
    assert 5 not in pairs


def test_positive_pairs_same_seed_same_pairs():
    y = np.array([0, 0, 1, 1, 1])
    a = positive_pairs(y, 2, np.random.default_rng(1))
    b = positive_pairs(y, 2, np.random.default_rng(1))
    np.testing.assert_array_equal(a, b)


def test_supervised_contrastive_loss_low_when_pairs_align():
    torch = pytest.importorskip("torch")
    a = torch.nn.functional.normalize(torch.eye(3, 4), dim=-1)
    labels = torch.tensor([0, 1, 2])
    aligned = supervised_contrastive_loss(a, a, labels, 0.05)
    shuffled = supervised_contrastive_loss(a, a[[1, 2, 0]], labels, 0.05)
    assert float(aligned) < 1e-3 < float(shuffled)


def test_supervised_contrastive_loss_masks_same_label_rows():
    torch = pytest.importorskip("torch")
    a = torch.nn.functional.normalize(torch.tensor([[1.0, 0.0], [1.0, 0.0], [0.0, 1.0]]), dim=-1)
    same = supervised_contrastive_loss(a, a, torch.tensor([0, 0, 1]), 0.05)
    diff = supervised_contrastive_loss(a, a, torch.tensor([0, 1, 2]), 0.05)
    assert float(same) < 1e-3 < float(diff)  # identical rows of one label are not negatives


@pytest.fixture(scope="module")
def contrastive(tiny_bert):
    return TextClassifier(encoder=tiny_bert, mode="contrastive", epochs=3, batch_size=4,
                          learning_rate=3e-3, pairs_per_text=2, C=100.0, random_state=0,
                          ).fit(TOY_TEXTS, TOY_LABELS)


def test_text_classifier_contrastive_fits_toy_set(contrastive):
    assert len(contrastive.history_.epoch_loss) == 3
    assert len(contrastive.history_.step_loss) == 3 * 8  # 16 texts x 2 pairs / 4 per step
    pred = contrastive.predict(TOY_TEXTS)
    assert np.mean([p == y for p, y in zip(pred, TOY_LABELS, strict=True)]) >= 0.9


def test_text_classifier_contrastive_same_seed_same_model(tiny_bert, contrastive):
    again = TextClassifier(encoder=tiny_bert, mode="contrastive", epochs=3, batch_size=4,
                           learning_rate=3e-3, pairs_per_text=2, C=100.0, random_state=0,
                           ).fit(TOY_TEXTS, TOY_LABELS)
    np.testing.assert_allclose(again.predict_proba(TOY_TEXTS), contrastive.predict_proba(TOY_TEXTS),
                               atol=1e-5)


def test_text_classifier_contrastive_save_load_keeps_tuned_encoder(contrastive, tmp_path):
    loaded = TextClassifier.load(contrastive.save(tmp_path / "m"))
    assert loaded.mode == "contrastive"
    np.testing.assert_allclose(loaded.predict_proba(TOY_TEXTS), contrastive.predict_proba(TOY_TEXTS),
                               atol=1e-6)


def test_text_classifier_contrastive_rejects_multi_label(tiny_bert):
    labels = [[y] for y in TOY_LABELS]
    with pytest.raises(ConfigError, match="'frozen' or 'finetune' when multi_label=True"):
        TextClassifier(encoder=tiny_bert, mode="contrastive", multi_label=True).fit(TOY_TEXTS, labels)


def test_text_classifier_contrastive_bad_pairs_per_text(tiny_bert):
    with pytest.raises(ConfigError, match="'pairs_per_text' parameter of TextClassifier"):
        TextClassifier(encoder=tiny_bert, mode="contrastive", pairs_per_text=0).fit(TOY_TEXTS, TOY_LABELS)
