from __future__ import annotations

from finloom.apps.compliance._doc import Doc, detect_lang


def test_normalisation_keeps_offsets() -> None:
    text = "ＣＡＰＩＴＡＬ at risk！“保本”（确认）"
    doc = Doc(text)
    assert len(doc.norm) == len(text)
    assert doc.norm.startswith("CAPITAL at risk!") and '"保本"' in doc.norm and "(确认)" in doc.norm


def test_sentences_split_on_both_scripts_and_keep_abbreviations() -> None:
    doc = Doc("Visit No. 1 branch. Is it safe? 问：会亏吗？答：会。\nNew line")
    assert [s.text.strip() for s in doc.sentences] == [
        "Visit No. 1 branch.", "Is it safe?", "问:会亏吗?", "答:会。", "New line"]
    assert doc.sentence_at(doc.norm.index("safe")).is_question


def test_clause_before_and_asks() -> None:
    doc = Doc("Top fund in town, why wait? It's great, isn't it?")
    assert doc.clause_before(doc.norm.index("wait")) == " why "
    assert not doc.asks(doc.norm.index("Top")) and doc.asks(doc.norm.index("wait"))


def test_quoted() -> None:
    doc = Doc("Never call a fund 'risk-free' in writing. 禁止使用“保本”字样。")
    assert doc.quoted(doc.norm.index("risk-free"), doc.norm.index("risk-free") + 9)
    assert doc.quoted(doc.norm.index("保本"), doc.norm.index("保本") + 2)
    assert not doc.quoted(0, 5)


def test_detect_lang_by_script_share() -> None:
    assert detect_lang("这款理财保本") == "zh"
    assert detect_lang("Hi 阿姨, since you're 保守型, this ETF is great") == "en"
