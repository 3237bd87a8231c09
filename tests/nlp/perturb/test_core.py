"""Perturbations: seeded, severity-driven, and keeping what each kind declares it keeps."""

from __future__ import annotations

import unicodedata

import pytest

from finloom.errors import ConfigError, InvalidDataError
from finloom.nlp._ner_metrics import extract_entities
from finloom.nlp._readers import io_to_bio
from finloom.nlp.perturb import (
    KINDS,
    LABEL_PRESERVING,
    load_lexicon,
    numbers_in,
    perturb,
    perturb_many,
    perturb_tokens,
)
from finloom.nlp.perturb._normalize import normalize_text

EN = ("Please block my card: a payment of $1,200.50 to Acme Capital in London was declined "
      "yesterday and the transfer of 300 EUR is still pending, the stock rose 5% today")
ZH = "我的银行卡转账失败了，账户余额还有5000元，招商银行股价上涨3%，请问怎么办"
TEXTS = [EN, ZH, "card lost", "汇率多少", "I lost 2 cards in New York"]
TOKENS = ["Acme", "Bank", "lends", "money", "to", "John", "Smith", "in", "London", "on", "2024-01-31", "at", "5", "%"]
TAGS = ["B-ORG", "I-ORG", "O", "O", "O", "B-PER", "I-PER", "O", "B-LOC", "O", "O", "O", "O", "O"]


def _entities(text: str) -> list[str]:
    lex = load_lexicon()
    names = [n for names in lex.entities.values() for n in names]
    return sorted(n for n in names if n in text)


@pytest.mark.parametrize("kind", list(KINDS))
def test_perturb_is_deterministic_under_a_seed_and_differs_across_seeds(kind):
    text = ZH if kind in ("traditional", "codeswitch") else EN
    first = perturb(text, kind, severity=0.5, seed=7)
    assert first == perturb(text, kind, severity=0.5, seed=7)
    assert first != text, kind
    if kind not in ("traditional", "codeswitch", "directional"):  # these rewrite one way only
        outputs = {perturb(text, kind, severity=0.5, seed=s) for s in range(5)}
        assert len(outputs) > 1, kind


@pytest.mark.parametrize("kind", [k for k in KINDS if "numbers" in KINDS[k].preserves])
def test_kinds_that_preserve_numbers_keep_every_number(kind):
    for text in TEXTS:
        for seed in range(3):
            assert numbers_in(perturb(text, kind, severity=1.0, seed=seed)) == numbers_in(text), (kind, text)


@pytest.mark.parametrize("kind", [k for k in KINDS if "entities" in KINDS[k].preserves])
def test_kinds_that_preserve_entities_keep_the_mentions(kind):
    for text in TEXTS:
        out = unicodedata.normalize("NFKC", perturb(text, kind, severity=1.0, seed=1))
        assert _entities(out) == _entities(text), (kind, out)


def test_number_and_entity_swaps_change_what_they_target_and_keep_the_rest():
    out = perturb(EN, "number", severity=1.0, seed=0)
    assert numbers_in(out) != numbers_in(EN) and len(numbers_in(out)) == len(numbers_in(EN))
    assert _entities(out) == _entities(EN)
    out = perturb(EN, "entity", severity=1.0, seed=0)
    assert "Acme Capital" not in out and "London" not in out and numbers_in(out) == numbers_in(EN)


def test_severity_sets_the_share_of_words_touched():
    words = " ".join(["payment"] * 100)
    changed = lambda sev: sum(a != b for a, b in zip(words.split(), perturb(words, "typo_swap", severity=sev).split(), strict=True))  # noqa: E731
    assert changed(0.1) == 10 and changed(0.5) == 50 and changed(0.0) == 0
    assert perturb("card", "typo_swap", severity=0.01) != "card"  # at least one place when severity > 0


def test_directional_swaps_flip_the_direction_words_only():
    assert perturb("Shares rose and revenue jumped", "directional", severity=1.0) == "Shares fell and revenue dropped"
    assert perturb("股价上涨", "directional", severity=1.0) == "股价下跌"
    assert "directional" not in LABEL_PRESERVING and "label" not in KINDS["directional"].preserves


def test_chinese_kinds_traditional_codeswitch_fullwidth():
    assert perturb("转账失败", "traditional", severity=1.0) == "轉賬失敗"
    assert perturb("我的账户被冻结", "codeswitch", severity=1.0) == "我的account被freeze"
    assert perturb("ab1", "fullwidth", severity=1.0) == "ａｂ１"
    assert normalize_text(perturb(EN, "fullwidth", severity=1.0)) == normalize_text(EN)
    assert normalize_text(perturb(ZH, "traditional", severity=1.0)) == normalize_text(ZH)


def test_perturb_many_is_order_independent():
    many = perturb_many(["card lost", "rate today", "card lost"], "typo_keyboard", severity=1.0, seed=3)
    assert perturb_many(["rate today"], "typo_keyboard", severity=1.0, seed=3)[0] != "rate today"
    assert many[0] == perturb_many(["card lost"], "typo_keyboard", severity=1.0, seed=3)[0]


@pytest.mark.parametrize("kind", [k for k in KINDS if KINDS[k].tokens])
def test_perturb_tokens_realigns_entity_spans(kind):
    for seed in range(3):
        words, tags = perturb_tokens(TOKENS, TAGS, kind, severity=0.5, seed=seed)
        assert len(words) == len(tags) and all(words)
        before = extract_entities(io_to_bio(TAGS))
        after = extract_entities(io_to_bio(tags))
        assert [t for t, _, _ in after] == [t for t, _, _ in before], kind
        if kind != "entity":  # entity words are left alone by every other kind
            assert [words[a : b + 1] for _, a, b in after] == [TOKENS[a : b + 1] for _, a, b in before], kind
        if "numbers" in KINDS[kind].preserves:
            assert numbers_in(" ".join(words)) == numbers_in(" ".join(TOKENS)), kind


def test_perturb_tokens_entity_swap_keeps_the_tag_scheme():
    io = ["I-ORG", "I-ORG", "O", "O", "O", "I-PER", "I-PER", "O", "I-LOC", "O", "O", "O", "O", "O"]
    words, tags = perturb_tokens(TOKENS, io, "entity", severity=1.0, seed=0)
    assert not any(t.startswith("B-") for t in tags) and words[:2] != TOKENS[:2]
    _, bio = perturb_tokens(TOKENS, TAGS, "entity", severity=1.0, seed=0)
    assert bio.count("B-ORG") == 1 and bio.count("B-PER") == 1 and bio.count("B-LOC") == 1


def test_bad_input_gives_a_clear_result():
    assert perturb("", "emoji") == "" and perturb("   ", "typo_swap") == "   "
    assert perturb("😀🙏😀", "typo_keyboard", severity=1.0) == "😀🙏😀"
    big = "my card payment was declined " * 3500  # ~100 KB
    out = perturb(big, "typo_swap", severity=0.1, seed=0)
    assert len(out) == len(big) and out != big
    with pytest.raises(ConfigError, match="kind must be one of .* Did you mean 'emoji'"):
        perturb("x", "emoij")
    with pytest.raises(ConfigError, match=r"severity must be a float in \[0, 1\]"):
        perturb("x", "case", severity=2)
    with pytest.raises(InvalidDataError, match="text must be a string; got int"):
        perturb(3, "case")  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match="Leave 'whitespace' out for taggers"):
        perturb_tokens(["a"], ["O"], "whitespace")
    with pytest.raises(InvalidDataError, match="equally long"):
        perturb_tokens(["a", "b"], ["O"], "case")


def test_lexicon_has_a_few_hundred_entries_in_both_languages():
    lex = load_lexicon()
    assert len(lex) >= 300 and len(lex.synonyms["zh"]) >= 80 and len(lex.directional["zh"]) >= 15
    assert len(lex.traditional) >= 150 and set(lex.entities) == {"ORG", "PER", "LOC"}
    for lang in ("en", "zh"):  # directional pairs are not also synonyms of each other
        for word, opposite in lex.directional[lang].items():
            assert opposite not in lex.synonyms[lang].get(word, [])
