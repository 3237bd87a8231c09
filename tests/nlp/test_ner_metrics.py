"""NER error analysis: each error kind on hand-made sentences, the confusion table, a safe page."""

from __future__ import annotations

import pytest

from finloom.errors import InvalidDataError
from finloom.nlp import entity_scores

TOKENS = [["Acme", "Bank", "lends", "to", "Bob", "Lee", "in", "Paris"],
          ["The", "Borrower", "pays", "Zed", "Corp"]]
TRUE = [["B-ORG", "I-ORG", "O", "O", "B-PER", "I-PER", "O", "B-LOC"],
        ["O", "B-PER", "O", "B-ORG", "I-ORG"]]
PRED = [["B-LOC", "I-LOC", "O", "O", "B-PER", "O", "O", "B-LOC"],  # wrong type, wrong boundary, right
        ["B-ORG", "O", "O", "O", "O"]]  # spurious "The", missed "Borrower" and "Zed Corp"


def test_error_kinds_and_confusion():
    r = entity_scores(TRUE, PRED, tokens=TOKENS)
    assert r.error_counts == {"missed": 2, "spurious": 1, "wrong_type": 1, "wrong_boundary": 1}
    got = {(e["kind"], e["gold"], e["predicted"]) for e in r.errors}
    assert got == {("wrong_type", "Acme Bank (ORG)", "Acme Bank (LOC)"),
                   ("wrong_boundary", "Bob Lee (PER)", "Bob (PER)"),
                   ("missed", "Borrower (PER)", None), ("missed", "Zed Corp (ORG)", None),
                   ("spurious", None, "The (ORG)")}
    assert r.confusion == {"(none)": {"ORG": 1}, "LOC": {"LOC": 1}, "ORG": {"LOC": 1, "(none)": 1},
                           "PER": {"PER": 1, "(none)": 1}}
    assert r.micro["f1"] == pytest.approx(2 * (1 / 4) * (1 / 5) / (1 / 4 + 1 / 5))  # 1 right of 4 predicted, 5 gold
    assert r.to_dict()["error_counts"] == r.error_counts


def test_without_tokens_scores_only():
    r = entity_scores(TRUE, PRED)
    assert r.errors == [] and r.confusion == {} and r.error_counts == {}
    with pytest.raises(InvalidDataError, match="tokens must hold one list per sentence; got 1 for 2"):
        entity_scores(TRUE, PRED, tokens=TOKENS[:1])


def test_html_page_escapes_user_text_and_embeds_the_chart():
    tokens = [["<script>alert(1)</script>", "pays"]]
    page = entity_scores([["B-X<b>", "O"]], [["O", "O"]], tokens=tokens).to_html()
    assert page.startswith("<!DOCTYPE html>") and "data:image/png;base64," in page
    assert "<script>" not in page and "&lt;script&gt;" in page and "X&lt;b&gt;" in page
