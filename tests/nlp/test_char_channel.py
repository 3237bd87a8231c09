"""The hashed character n-gram channel beside the encoder (issue 18: Chinese intents with the
English MiniLM): added automatically for CJK training texts, saved and reloaded identically."""

from __future__ import annotations

import json

import numpy as np
import pytest

from finloom.nlp import TextClassifier
from finloom.nlp._hashing import CharChannel, cjk_share, resolve_char_channel

ZH_TEXTS = ["我的卡丢了", "银行卡被偷了", "卡不见了", "钱包丢了", "冻结我的卡", "把卡锁起来", "临时冻结银行卡",
            "先把卡冻上"]
ZH_LABELS = ["lost"] * 4 + ["freeze"] * 4


def test_auto_adds_the_channel_only_when_cjk_texts_are_a_fifth_or_more():
    assert resolve_char_channel("auto", ["lost card"] * 9 + ["卡丢了"]) is None
    assert resolve_char_channel("auto", ["lost card"] * 4 + ["卡丢了"]) is not None
    assert resolve_char_channel(True, ["lost card"]) is not None
    assert resolve_char_channel(False, ZH_TEXTS) is None
    assert cjk_share([]) == 0.0


def test_channel_block_has_the_weight_as_norm_and_follows_the_window_mapping():
    ch = CharChannel(dim=32, weight=3.0)
    X = ch.append(np.ones((3, 2), np.float32), np.array([0, 0, 1]), ["冻结", "余额"])
    assert X.shape == (3, 34) and X.dtype == np.float32
    assert np.allclose(np.linalg.norm(X[:, 2:], axis=1), 3.0)
    assert np.array_equal(X[0], X[1]) and not np.array_equal(X[0], X[2])


def test_chinese_text_classifier_saves_the_channel_and_reloads_identically(tiny_bert, tmp_path):
    clf = TextClassifier(encoder=tiny_bert, random_state=0).fit(ZH_TEXTS, ZH_LABELS)
    assert clf.char_channel_ is not None
    before = clf.predict_proba(["卡丢了怎么办", "帮我冻结"])
    path = clf.save(tmp_path / "m")
    config = json.loads((path / "config.json").read_text(encoding="utf-8"))
    assert config["config"]["char_channel"] == {"kind": "hashed_char_ngrams", "dim": 4096, "weight": 3.0}
    card = json.loads((path / "model_card.json").read_text(encoding="utf-8"))
    assert card["parameters"]["char_channel"]["dim"] == 4096
    assert not list(path.rglob("*.pkl"))
    again = TextClassifier.load(path)
    assert np.allclose(again.predict_proba(["卡丢了怎么办", "帮我冻结"]), before, atol=1e-6)
    assert list(again.predict(["卡丢了怎么办", "帮我冻结"])) == ["lost", "freeze"]


def test_english_text_classifier_has_no_channel(tiny_bert, tmp_path):
    from tests.nlp._toy import TOY_LABELS, TOY_TEXTS

    clf = TextClassifier(encoder=tiny_bert, random_state=0).fit(TOY_TEXTS, TOY_LABELS)
    off = TextClassifier(encoder=tiny_bert, char_ngrams=False, random_state=0).fit(TOY_TEXTS, TOY_LABELS)
    assert clf.char_channel_ is None and clf.coef_.shape == off.coef_.shape
    assert np.array_equal(clf.predict_proba(TOY_TEXTS), off.predict_proba(TOY_TEXTS))
    assert TextClassifier.load(clf.save(tmp_path / "m")).char_channel_ is None


def test_fine_tune_mode_refits_the_head_with_the_channel(tiny_bert):
    clf = TextClassifier(encoder=tiny_bert, mode="finetune", epochs=1, validation_fraction=0.0,
                         random_state=0).fit(ZH_TEXTS, ZH_LABELS)
    assert clf.coef_.shape == (2, 32 + 4096) and len(clf.history_.epoch_loss) == 1
    assert list(clf.predict(["我的卡丢了", "冻结我的卡"])) == ["lost", "freeze"]


def test_onnx_export_computes_the_channel(tiny_bert, tmp_path):
    pytest.importorskip("onnx")
    from finloom.nlp import OnnxClassifier, export_onnx

    clf = TextClassifier(encoder=tiny_bert, random_state=0).fit(ZH_TEXTS, ZH_LABELS)
    runner = OnnxClassifier.load(export_onnx(clf, tmp_path / "onnx", int8=False))
    assert np.abs(runner.predict_proba(ZH_TEXTS) - clf.predict_proba(ZH_TEXTS)).max() < 1e-4


def test_bad_setting_is_a_clear_error():
    from finloom.errors import ConfigError

    with pytest.raises(ConfigError, match="char_ngrams"):
        TextClassifier(char_ngrams="yes").fit(ZH_TEXTS, ZH_LABELS)
