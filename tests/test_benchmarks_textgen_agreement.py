"""The label-agreement benchmark counts agreement and kappa as documented and scores each label view (issue 16)."""

from __future__ import annotations

import pytest
from benchmarks.textgen_agreement import cohen_kappa, compliance_agreement, faithfulness_agreement

FACTS = {"entity": "Harbor Bank", "period": "2024-Q1", "npl_ratio_pct": 1.52}


def test_kappa_is_one_for_identical_labels_and_zero_at_chance() -> None:
    assert cohen_kappa([("a", "a"), ("b", "b")]) == (1.0, 1.0)
    assert cohen_kappa([("a", "a"), ("a", "b"), ("b", "a"), ("b", "b")]) == (0.5, 0.0)
    assert cohen_kappa([("a", "a"), ("a", "a")]) == (1.0, None)  # one label only: kappa undefined


def test_kappa_refuses_empty_input() -> None:
    with pytest.raises(ValueError, match="at least one"):
        cohen_kappa([])


def test_faithfulness_agreement_scores_the_agreed_items_only() -> None:
    items = [
        {"id": "x1", "lang": "en", "facts": FACTS, "text": "Harbor Bank's NPL ratio was 1.52% in 2024 Q1.",
         "label": "faithful", "error_kind": None},
        {"id": "x2", "lang": "en", "facts": FACTS, "text": "Harbor Bank's NPL ratio was 2.52% in 2024 Q1.",
         "label": "error", "error_kind": "wrong_number"},
    ]
    second = {"x1": {"id": "x1", "label": "faithful", "error_kind": None, "sure": True},
              "x2": {"id": "x2", "label": "faithful", "error_kind": None, "sure": False}}
    out = faithfulness_agreement(items, second)
    assert out["agreement"] == 0.5 and out["second_unsure"] == 1
    assert out["guard"]["agreed"]["items"] == 1
    assert out["guard"]["original"]["recall"] == 1.0  # the wrong NPL figure is caught
    assert out["guard"]["second"]["false_alarm_rate"] == 0.5  # ... and counts as a false alarm under the second labels


def test_compliance_agreement_per_category() -> None:
    items = [{"id": "c1", "lang": "en", "text": "Guaranteed 8% returns, zero risk!", "labels": ["promissory"]},
             {"id": "c2", "lang": "en", "text": "Our branch opens at 9am.", "labels": []}]
    second = {"c1": {"id": "c1", "labels": ["promissory"], "sure": True},
              "c2": {"id": "c2", "labels": ["superlative"], "sure": True}}
    out = compliance_agreement(items, second)
    assert out["label_set_agreement"] == 0.5
    assert out["per_category"]["promissory"]["agreement"] == 1.0
    assert out["per_category"]["superlative"]["agreement"] == 0.5
    assert out["checker"]["agreed"]["items"] == 1
