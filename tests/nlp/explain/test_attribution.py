"""Word attributions: the integrated-gradients sum check, occlusion finding the word, determinism
and bad input."""

from __future__ import annotations

import pytest

from finloom.errors import ConfigError, InvalidDataError, PayloadTooLargeError
from finloom.nlp.explain import explain, integrated_gradients, occlusion


def test_integrated_gradients_attributions_sum_to_the_probability_change(tiny_clf):
    e = integrated_gradients(tiny_clf, "i lost my card , what is the rate", steps=64)
    c = e.completeness
    assert c is not None and c.expected != 0
    assert c.error == pytest.approx(abs(c.attribution_sum - c.expected))
    assert c.error <= 0.01 * abs(c.expected) + 1e-4
    assert sum(w.score for w in e.words) == pytest.approx(c.attribution_sum, abs=1e-9)
    assert e.label == tiny_clf.predict(["i lost my card , what is the rate"])[0]
    assert e.probability == pytest.approx(tiny_clf.predict_proba(["i lost my card , what is the rate"]).max(), abs=1e-5)


def test_integrated_gradients_sum_check_holds_over_several_windows(tiny_clf):
    text = " ".join(["my card was lost"] * 40)  # 160 words: two windows of 128 tokens
    e = integrated_gradients(tiny_clf, text, steps=16)
    assert any("windows" in n for n in e.notes)
    assert e.completeness.error <= 0.01 * abs(e.completeness.expected) + 1e-4
    assert len(e.words) == 160


def test_words_are_whole_words_with_offsets(tiny_clf):
    text = "Card stolen, 卡丢了 👍"
    e = integrated_gradients(tiny_clf, text, steps=8)
    assert [w.word for w in e.words] == ["Card", "stolen", ",", "卡", "丢", "了", "👍"]
    assert all(text[w.start:w.end] == w.word for w in e.words)


def test_occlusion_scores_the_deciding_word_highest(keyword_model):
    e = occlusion(keyword_model, "please block my card now")
    best = max(e.words, key=lambda w: w.score)
    assert (e.label, best.word) == ("card", "card")
    assert best.score == pytest.approx(0.705)  # 0.7 for the word + 0.005 for one word fewer
    assert all(abs(w.score - 0.005) < 1e-9 for w in e.words if w.word != "card")


def test_occlusion_on_a_tiny_trained_model_ranks_the_topic_word_first(tiny_clf):
    e = occlusion(tiny_clf, "the card")
    assert e.label == "card"
    assert max(e.words, key=lambda w: w.score).word == "card"


@pytest.mark.parametrize("method", ["integrated_gradients", "occlusion"])
def test_explanations_are_deterministic(tiny_clf, method):
    a = explain(tiny_clf, "what rate for my card", method=method, steps=16)
    b = explain(tiny_clf, "what rate for my card", method=method, steps=16)
    assert a == b


def test_auto_uses_occlusion_the_method_that_met_the_deletion_target(tiny_clf, keyword_model):
    assert explain(tiny_clf, "lost card", steps=8).method == "occlusion"  # torch models too
    assert explain(tiny_clf, "lost card", steps=8) == explain(tiny_clf, "lost card", method="occlusion")
    assert explain(tiny_clf, "lost card", method="integrated_gradients", steps=8).completeness is not None
    assert explain(keyword_model, "lost card").method == "occlusion"
    with pytest.raises(ConfigError, match="method='occlusion'"):
        integrated_gradients(keyword_model, "lost card")


def test_empty_text_is_a_clear_error(tiny_clf):
    with pytest.raises(InvalidDataError, match="text must be a non-empty string"):
        explain(tiny_clf, "   ")


def test_a_100_kb_text_is_refused_with_413(tiny_clf):
    with pytest.raises(PayloadTooLargeError) as err:
        explain(tiny_clf, "card " * 20_480)
    assert err.value.status_code == 413
    assert "at most 5,000 characters" in err.value.message


def test_only_emoji_gives_scores_and_says_the_words_are_unknown(tiny_clf):
    e = explain(tiny_clf, "👍🎉💳", method="integrated_gradients", steps=8)
    assert [w.word for w in e.words] == ["👍", "🎉", "💳"]
    assert any("knows none of these words" in n for n in e.notes)
    assert e.completeness.error <= 1e-3
    assert [w.word for w in explain(tiny_clf, "👍🎉💳").words] == ["👍", "🎉", "💳"]  # occlusion by default


def test_unknown_target_names_the_classes(tiny_clf):
    with pytest.raises(ConfigError, match="target must be one of the model's classes; got 'cards'"):
        occlusion(tiny_clf, "lost card", target="cards")
    assert occlusion(tiny_clf, "lost card", target="fx").label == "fx"


def test_the_text_given_is_not_changed(tiny_clf):
    text = "lost  card "
    e = explain(tiny_clf, text, method="occlusion")
    assert e.text == text == "lost  card "
