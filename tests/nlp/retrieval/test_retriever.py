"""Retriever: exact results on toy English and Chinese corpora, fusion, persistence, errors."""

from __future__ import annotations

import numpy as np
import pytest

from finloom.errors import ConfigError, InvalidDataError
from finloom.nlp.retrieval import Hit, Retriever, reciprocal_rank_fusion, tokenize

EN = [
    {"id": "fee", "text": "The annual fee of the gold credit card is 50 euros.", "topic": "cards"},
    {"id": "pin", "text": "You can reset your PIN in the mobile app under security settings."},
    {"id": "lost", "text": "If your card is lost or stolen, block it immediately in the app."},
    {"id": "fx", "text": "Foreign exchange rates are updated every business day at noon."},
    {"id": "loan", "text": "Personal loan interest rates start at 4.9 percent per year."},
]
ZH = [
    {"id": "z-fee", "text": "金卡信用卡的年费是五百元。"},
    {"id": "z-pin", "text": "您可以在手机银行中重置密码。"},
    {"id": "z-lost", "text": "如果银行卡丢失，请立即挂失。"},
    {"id": "z-fx", "text": "外汇汇率每个工作日中午更新。"},
]


def test_tokenize_english_and_chinese():
    assert tokenize("How do I reset my PIN?") == ["reset", "pin"]
    assert "年费" in tokenize("信用卡的年费是多少")


def test_bm25_english_exact_ranking():
    r = Retriever(use_dense=False).add(EN)
    hits = r.search("reset PIN", k=2)
    assert hits[0].id == "pin" and hits[0].bm25_rank == 1 and hits[0].dense_rank is None
    assert r.search("annual fee credit card", k=1)[0].metadata == {"topic": "cards"}
    assert [h.id for h in r.search("exchange rates", k=1)] == ["fx"]


def test_bm25_chinese_exact_ranking():
    r = Retriever(use_dense=False).add(ZH)
    assert r.search("年费多少", k=1)[0].id == "z-fee"
    assert r.search("银行卡丢失怎么办", k=1)[0].id == "z-lost"
    assert r.search("汇率", k=1)[0].id == "z-fx"


def test_reciprocal_rank_fusion_exact_scores():
    fused = reciprocal_rank_fusion([[0, 1], [1, 2]], k=60)
    assert fused[1] == pytest.approx(1 / 62 + 1 / 61)
    assert fused[0] == pytest.approx(1 / 61) and fused[2] == pytest.approx(1 / 62)


def test_dense_and_hybrid_with_minilm(minilm):
    dense = Retriever(encoder=minilm, use_bm25=False).add(EN)
    assert dense.search("my debit card was stolen", k=1)[0].id == "lost"  # no shared keyword "debit"
    hybrid = Retriever(encoder=minilm).add(EN)
    top = hybrid.search("forgot my PIN code", k=3)
    assert top[0].id == "pin" and top[0].bm25_rank == 1 and top[0].dense_rank == 1
    assert top[0].score == pytest.approx(2 / 61)
    assert [h.score for h in top] == sorted((h.score for h in top), reverse=True)


def test_retriever_incremental_add_save_load(minilm, tmp_path):
    r = Retriever(encoder=minilm).add(EN[:3])
    r.add(EN[3:])
    assert len(r) == 5
    before = r.search("interest rate on loans", k=3)
    path = r.save(tmp_path / "idx")
    assert (path / "model.safetensors").is_file()
    loaded = Retriever.load(path, encoder=minilm)
    after = loaded.search("interest rate on loans", k=3)
    assert [h.id for h in after] == [h.id for h in before] and after[0].id == "loan"
    assert np.allclose([h.score for h in after], [h.score for h in before])
    loaded.add([{"id": "new", "text": "Mortgage interest rates for home loans"}])
    assert "new" in {h.id for h in loaded.search("mortgage", k=2)}


def test_retriever_bad_inputs():
    r = Retriever(use_dense=False).add(EN)
    with pytest.raises(InvalidDataError, match="unique"):
        r.add([{"id": "fee", "text": "dup"}])
    with pytest.raises(InvalidDataError, match="non-empty 'text'"):
        r.add([{"id": "x", "text": " "}])
    with pytest.raises(ConfigError):
        Retriever(use_dense=False, use_bm25=False)
    assert r.search("   ") == [] and Retriever(use_dense=False).search("x") == []
    assert isinstance(r.search("fee")[0], Hit)
