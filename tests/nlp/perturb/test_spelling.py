"""Typo correction against the training vocabulary and emoji removal in the input normalisation."""

from __future__ import annotations

import json

import numpy as np
import pytest

from finloom.errors import ConfigError
from finloom.nlp import TextClassifier
from finloom.nlp.perturb import SpellingCorrector, normalize_text, perturb
from finloom.nlp.perturb._core import kind_seed
from finloom.nlp.perturb._spelling import edit_distance
from tests.nlp._toy import TOY_LABELS, TOY_TEXTS

TRAIN = ["my card was declined at the shop", "the card payment was declined again", "please block my card",
         "what is the exchange rate today", "exchange rate for euro please", "my transfer is pending"]


@pytest.fixture()
def corrector() -> SpellingCorrector:
    return SpellingCorrector().fit(TRAIN)


def test_edit_distance_counts_an_adjacent_swap_as_one_edit():
    assert edit_distance("declined", "delcined") == 1
    assert edit_distance("card", "crd") == 1
    assert edit_distance("card", "cart") == 1
    assert edit_distance("exchange", "card", limit=2) == 3


@pytest.mark.parametrize("kind", ["typo_keyboard", "typo_delete", "typo_swap"])
def test_typos_of_training_words_are_mostly_undone(corrector, kind):
    texts = ["my card was declined at the shop", "what is the exchange rate today", "my transfer is pending"] * 5
    noisy = [perturb(t, kind, severity=0.3, seed=kind_seed(0, kind, 0.3, i)) for i, t in enumerate(texts)]
    assert sum(n != t for n, t in zip(noisy, texts, strict=True)) >= 10
    restored = sum(corrector.correct(n) == t for n, t in zip(noisy, texts, strict=True))
    assert restored >= 0.6 * len(texts)


def test_known_words_numbers_amounts_names_and_acronyms_are_kept(corrector):
    kept = "Paid 1234 to Crad Ltd via ATM, ref AB12CD, $CARD up 5%"
    assert corrector.correct(kept) == kept
    assert corrector.correct("Crad declined") == "Card declined"  # sentence-initial capital is no name
    assert corrector.correct("CRAD") == "CRAD"  # upper case: an acronym
    assert corrector.correct("") == ""
    words = SpellingCorrector().fit(TRAIN, known=["cards"])
    assert words.correct("cards declined") == "cards declined"  # a known word is not "corrected"
    assert words.suggest("carsd") is None or words.suggest("carsd") == "card"


def test_the_most_frequent_close_word_wins_and_the_first_letter_is_kept():
    sc = SpellingCorrector().fit(["rate rate rate", "date", "late late"])
    assert sc.correct("rete") == "rate"
    assert sc.suggest("xyzzy") is None


def test_round_trip_and_determinism(corrector):
    again = SpellingCorrector.from_dict(json.loads(json.dumps(corrector.to_dict())))
    assert again is not None
    text = "my crad was delcined, plesae blcok my card"
    assert again.correct(text) == corrector.correct(text) == "my card was declined, please block my card"
    assert SpellingCorrector.from_dict(None) is None


def test_bad_settings_are_config_errors():
    with pytest.raises(ConfigError, match="max_distance must be 1 or 2; got 3"):
        SpellingCorrector(max_distance=3)
    with pytest.raises(ConfigError, match="min_count must be an int"):
        SpellingCorrector(min_count=0)


def test_normalize_text_drops_emoji_and_keeps_the_rest():
    assert normalize_text("card 🙂 declined💳 ✨ ⏰!") == "card declined !"
    assert normalize_text("🙏🙏") == ""
    assert normalize_text("费用 $5 © 2024") == "费用 $5 © 2024"


def test_classifier_corrects_typos_and_saves_the_vocabulary(tiny_bert, tmp_path):
    clf = TextClassifier(encoder=tiny_bert, correct_spelling=True, normalize_text=True, char_ngrams=False,
                         random_state=0).fit(TOY_TEXTS, TOY_LABELS)
    assert clf.spelling_ is not None and "card" in clf.spelling_.counts
    pair = ["my crad was lsot 🙂", "my card was lost"]
    noisy, clean = clf.predict_proba(pair)
    np.testing.assert_allclose(noisy, clean, rtol=1e-5)  # the same text after repair
    clf.save(tmp_path / "m")
    config = json.loads((tmp_path / "m" / "config.json").read_text(encoding="utf-8"))
    assert config["config"]["spelling"]["counts"]["card"] == 8
    loaded = TextClassifier.load(tmp_path / "m")
    np.testing.assert_allclose(loaded.predict_proba(pair), clf.predict_proba(pair), rtol=1e-5)
    plain = TextClassifier(encoder=tiny_bert, char_ngrams=False, random_state=0).fit(TOY_TEXTS, TOY_LABELS)
    assert getattr(plain, "spelling_", None) is None
    with pytest.raises(ConfigError, match="'correct_spelling' parameter of TextClassifier must be True or False"):
        TextClassifier(correct_spelling="yes").fit(TOY_TEXTS, TOY_LABELS)  # type: ignore[arg-type]
