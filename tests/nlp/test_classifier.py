"""TextClassifier: both modes learn, multi-label, windows, persistence, contract, bad inputs."""

from __future__ import annotations

import numpy as np
import pytest

from finloom.errors import ConfigError, InvalidDataError, NotFittedError
from finloom.nlp import TextClassifier
from tests.nlp._toy import TOY_LABELS, TOY_TEXTS


def _accuracy(clf: TextClassifier) -> float:
    return float(np.mean([p == y for p, y in zip(clf.predict(TOY_TEXTS), TOY_LABELS, strict=True)]))


@pytest.fixture(scope="module")
def frozen(tiny_bert):
    return TextClassifier(encoder=tiny_bert, mode="frozen", C=100.0).fit(TOY_TEXTS, TOY_LABELS)


@pytest.fixture(scope="module")
def finetuned(tiny_bert):
    return TextClassifier(
        encoder=tiny_bert, mode="finetune", epochs=8, batch_size=4, learning_rate=3e-3,
        head_learning_rate=5e-2, linear_probe_init=False, validation_fraction=0.0,
        warmup_ratio=0.0, random_state=0,
    ).fit(TOY_TEXTS, TOY_LABELS)


def test_text_classifier_frozen_fits_toy_set(frozen):
    assert frozen.classes_ == ["card", "fx"]
    assert frozen.coef_.shape == (2, 32)
    assert _accuracy(frozen) >= 0.9


def test_text_classifier_finetune_loss_falls_and_beats_chance(finetuned):
    losses = finetuned.history_.epoch_loss
    assert len(losses) == 8
    assert losses[-1] < losses[0] * 0.5
    assert _accuracy(finetuned) >= 0.9


def test_text_classifier_predict_proba_rows_sum_to_one(frozen):
    proba = frozen.predict_proba(TOY_TEXTS[:3])
    assert proba.shape == (3, 2)
    np.testing.assert_allclose(proba.sum(1), 1.0, rtol=1e-6)


@pytest.mark.parametrize("which", ["frozen", "finetuned"])
def test_text_classifier_save_load_gives_identical_predictions(which, request, tmp_path):
    clf = request.getfixturevalue(which)
    path = clf.save(tmp_path / "m")
    assert (path / "encoder" / "config.json").is_file()
    assert (path / "encoder" / "tokenizer.json").is_file()
    assert not list(path.rglob("*.pkl")) and not list(path.rglob("*.bin"))
    assert "## Limitations" in (path / "MODEL_CARD.md").read_text()
    assert (path / "model_card.json").is_file()
    loaded = TextClassifier.load(path)
    np.testing.assert_allclose(loaded.predict_proba(TOY_TEXTS), clf.predict_proba(TOY_TEXTS), atol=1e-6)
    assert loaded.get_params()["mode"] == clf.mode


def test_text_classifier_finetune_early_stopping_and_progress(tiny_bert):
    calls: list[tuple[float, str]] = []
    clf = TextClassifier(encoder=tiny_bert, mode="finetune", epochs=6, batch_size=4, patience=1,
                         learning_rate=1e-9, head_learning_rate=1e-9, validation_fraction=0.25,
                         grad_accum_steps=2, class_weight="balanced", random_state=0)
    clf.fit(TOY_TEXTS, TOY_LABELS, progress=lambda f, m="": calls.append((f, m)))
    assert clf.history_.stopped_early
    assert len(clf.history_.val_score) == 2
    assert calls[-1] == (1.0, "done")
    assert any("validation score" in m for _, m in calls)
    assert all(0.0 <= f <= 1.0 for f, _ in calls)


def test_text_classifier_multi_label(tiny_bert):
    labels = [["card"] if y == "card" else ["fx", "rates"] for y in TOY_LABELS]
    clf = TextClassifier(encoder=tiny_bert, multi_label=True, C=100.0).fit(TOY_TEXTS, labels)
    assert clf.classes_ == ["card", "fx", "rates"]
    pred = clf.predict(TOY_TEXTS)
    assert np.mean([set(p) == set(y) for p, y in zip(pred, labels, strict=True)]) >= 0.8


def test_text_classifier_long_text_uses_windows(frozen):
    long_text = " ".join(["my card was lost"] * 60)
    vectors, mapping = frozen.encoder_.encode_windows([long_text, "rate"])
    assert (mapping == 0).sum() > 1
    assert frozen.predict([long_text]) == ["card"]


def test_text_classifier_not_fitted_raises():
    with pytest.raises(NotFittedError, match="not fitted yet"):
        TextClassifier().predict(["x"])


def test_text_classifier_bad_params_and_inputs(tiny_bert):
    with pytest.raises(ConfigError, match="'mode' parameter of TextClassifier must be"):
        TextClassifier(encoder=tiny_bert, mode="zero-shot").fit(TOY_TEXTS, TOY_LABELS)
    with pytest.raises(InvalidDataError, match="at least two classes"):
        TextClassifier(encoder=tiny_bert).fit(TOY_TEXTS, ["card"] * len(TOY_TEXTS))
    with pytest.raises(InvalidDataError, match="non-empty strings"):
        TextClassifier(encoder=tiny_bert).fit(["ok", " "], ["a", "b"])
    with pytest.raises(InvalidDataError, match="same length"):
        TextClassifier(encoder=tiny_bert).fit(["ok"], ["a", "b"])


def test_text_classifier_leaves_inputs_unchanged(tiny_bert):
    texts, labels = list(TOY_TEXTS), list(TOY_LABELS)
    TextClassifier(encoder=tiny_bert).fit(texts, labels)
    assert texts == TOY_TEXTS and labels == TOY_LABELS


def test_text_classifier_missing_encoder_names_path(tmp_path):
    with pytest.raises(Exception, match=str(tmp_path)):
        TextClassifier(encoder=tmp_path).fit(TOY_TEXTS, TOY_LABELS)


def test_text_classifier_save_failure_leaves_no_folder(frozen, tmp_path, monkeypatch):
    from finloom.nlp._encoder import Encoder

    def broken(self, path):
        raise OSError("disk full")

    monkeypatch.setattr(Encoder, "save", broken)
    with pytest.raises(OSError, match="disk full"):
        frozen.save(tmp_path / "m")
    assert list(tmp_path.iterdir()) == []
