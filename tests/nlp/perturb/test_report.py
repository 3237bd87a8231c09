"""Robustness report and CheckList suites: on toy models and on a tiny trained classifier and tagger."""

from __future__ import annotations

import json

import pytest

from finloom.errors import ConfigError, InvalidDataError
from finloom.nlp.perturb import (
    LABEL_PRESERVING,
    RobustnessReport,
    checklist_suite,
    robustness_report,
    run_checklist,
)
from tests.nlp._toy import NER_TAGS, NER_TOKENS, TOY_LABELS, TOY_TEXTS


class KeywordModel:
    """Says 'card' when the text holds the exact word 'card' (so typos on it flip the answer)."""

    def predict(self, texts):
        return ["card" if "card" in t.split() else "fx" for t in texts]


@pytest.fixture(scope="module")
def tiny_classifier(tiny_bert):
    import torch

    from finloom.nlp import TextClassifier

    torch.set_num_threads(1)
    return TextClassifier(encoder=tiny_bert, normalize_text=True, char_ngrams=False, random_state=0).fit(
        TOY_TEXTS, TOY_LABELS)


def test_report_scores_each_kind_and_severity_and_lists_flipped_examples():
    report = robustness_report(KeywordModel(), TOY_TEXTS, TOY_LABELS, kinds=["typo_swap", "whitespace"],
                               severities=[0.5, 1.0], seed=0)
    assert report.metric == "accuracy" and report.clean == 1.0 and len(report.cells) == 4
    typo = report.by_kind(1.0)["typo_swap"]
    assert typo < 1.0 and report.by_kind(1.0)["whitespace"] == 1.0 and report.worst() == ("typo_swap", typo)
    cell = next(c for c in report.cells if c["kind"] == "typo_swap" and c["severity"] == 1.0)
    assert cell["n_flipped"] > 0 and cell["examples"][0]["expected"] == "card"
    assert cell["examples"][0]["predicted"] == "fx" and cell["drop"] == pytest.approx(1.0 - typo)
    again = robustness_report(KeywordModel(), TOY_TEXTS, TOY_LABELS, kinds=["typo_swap", "whitespace"],
                              severities=[0.5, 1.0], seed=0)
    assert again.to_dict() == report.to_dict()  # deterministic under the seed


def test_report_saves_json_and_html_with_a_chart(tmp_path):
    report = robustness_report(KeywordModel(), TOY_TEXTS, TOY_LABELS, kinds=["typo_swap", "emoji"],
                               severities=[0.3])
    report.save(tmp_path)
    doc = json.loads((tmp_path / "robustness.json").read_text(encoding="utf-8"))
    assert doc["worst_kind"] in ("typo_swap", "emoji") and len(doc["cells"]) == 2
    assert RobustnessReport.from_dict(doc).rows() == report.rows()
    page = (tmp_path / "robustness.html").read_text(encoding="utf-8")
    assert "<h2>Robustness</h2>" in page and "data:image/png;base64," in page and "typo_swap" in page


def test_report_bad_input_is_a_clear_error_or_result():
    with pytest.raises(InvalidDataError, match="texts must hold at least one example"):
        robustness_report(KeywordModel(), [], [])
    with pytest.raises(InvalidDataError, match="same length; got 2 and 1"):
        robustness_report(KeywordModel(), ["a", "b"], ["fx"])
    with pytest.raises(ConfigError, match="kinds must be among"):
        robustness_report(KeywordModel(), ["a"], ["fx"], kinds=["typoo"])
    with pytest.raises(ConfigError, match=r"severities must be floats in \(0, 1\]"):
        robustness_report(KeywordModel(), ["a"], ["fx"], severities=[0])
    odd = ["", "😀😀😀", "my card " * 12_000]  # empty, only emoji, ~100 KB
    report = robustness_report(KeywordModel(), odd, ["fx", "fx", "card"], kinds=["typo_keyboard", "emoji"],
                               severities=[0.1])
    assert report.clean == 1.0 and {c["kind"] for c in report.cells} == {"typo_keyboard", "emoji"}


def test_invariance_on_a_tiny_trained_classifier(tiny_classifier):
    # the tokenizer lowercases and splits on whitespace, and the model normalises full-width text:
    # these kinds must never change a prediction
    report = robustness_report(tiny_classifier, TOY_TEXTS, TOY_LABELS, kinds=["case", "whitespace", "fullwidth"],
                               severities=[1.0])
    assert all(c["n_changed"] == len(TOY_TEXTS) and c["score"] == report.clean for c in report.cells)
    cases = checklist_suite("intent", TOY_TEXTS, TOY_LABELS, n_per_test=8, seed=1)
    results = {r.test: r for r in run_checklist(tiny_classifier, cases)}
    assert results["case"].n == 8 and results["case"].failed == 0 and results["fullwidth"].failed == 0


def test_tagger_report_realigns_tags_and_skips_whitespace(tiny_bert):
    import torch

    from finloom.nlp import TokenTagger

    torch.set_num_threads(1)
    tagger = TokenTagger(encoder=tiny_bert, epochs=1, validation_fraction=0, mention_replacement=0,
                         random_state=0).fit(NER_TOKENS, NER_TAGS)
    report = robustness_report(tagger, NER_TOKENS, NER_TAGS, severities=[0.5])
    assert report.metric == "entity_f1" and report.skipped == ["whitespace"]
    assert {c["kind"] for c in report.cells} == set(LABEL_PRESERVING) - {"whitespace"}
    results = run_checklist(tagger, checklist_suite("ner", NER_TOKENS, NER_TAGS, n_per_test=3))
    assert {r.test for r in results} >= {"case", "entity"} and all(r.type == "INV" for r in results)


def test_checklist_sentiment_has_directional_tests_with_flipped_labels():
    texts = ["Shares rose after the results", "Warning: the stock fell", "The bank opened a branch"]
    cases = checklist_suite("sentiment", texts, ["bullish", "bearish", "neutral"], n_per_test=10)
    directional = [c for c in cases if c.type == "DIR"]
    assert [(c.perturbed, c.expected) for c in directional] == [
        ("Shares fell after the results", "bearish"), ("Warning: the stock rose", "bullish")]

    class Words:
        def predict(self, batch):
            return ["bearish" if "fell" in t else "bullish" if "rose" in t else "neutral" for t in batch]

    result = {r.test: r for r in run_checklist(Words(), cases)}["directional"]
    assert result.n == 2 and result.failed == 0 and result.to_dict()["failure_rate"] == 0.0
    with pytest.raises(ConfigError, match="task must be one of intent, sentiment, ner"):
        checklist_suite("topic", texts, ["a", "b", "c"])
