"""The guard-verifier experiment labels flags and computes item rates as documented (issue 16)."""

from __future__ import annotations

from typing import Any

import pytest
from benchmarks.guard_verifier import NEVER, extract, features, flag_label, item_rates

FACTS = {"entity": "Harbor Bank", "period": "2024-Q1", "net_profit_yoy_pct": -3.4, "npl_ratio_pct": 1.52}


def _issue(text: str, start: int, reason: str, explanation: str = "") -> dict[str, object]:
    return {"kind": "contradicted", "reason": reason, "start": start, "end": start + len(text), "text": text,
            "explanation": explanation}


def test_flag_on_faithful_item_is_false_alarm() -> None:
    item = {"label": "faithful", "text": "NPL ratio 1.52%.", "error_span": None, "error_kind": None}
    assert flag_label(item, _issue("1.52%", 10, "metric")) == 0


def test_flag_overlapping_span_or_naming_the_planted_kind_is_a_catch() -> None:
    text = "Harbor Bank's profit rose 3.4% in Q1."
    item = {"label": "error", "text": text, "error_span": "rose", "error_kind": "flipped_direction"}
    assert flag_label(item, _issue("rose", text.index("rose"), "unsupported_number")) == 1
    assert flag_label(item, _issue("3.4%", text.index("3.4%"), "direction")) == 1
    assert flag_label(item, _issue("Q1", text.index("Q1"), "period")) is None


def test_features_see_the_gap_to_the_facts() -> None:
    item = {"label": "error", "text": "NPL ratio 1.62%.", "facts": FACTS, "lang": "en"}
    near = features(item, _issue("1.62%", 10, "wrong_number"), 1)
    exact = features({**item, "text": "NPL ratio 1.52%."}, _issue("1.52%", 10, "metric"), 1)
    assert exact["rounds_to_fact"] == 1.0 and near["rounds_to_fact"] == 0.0
    assert near["gap_fact"] > exact["gap_fact"]
    assert near["reason_wrong_number"] == 1.0 and exact["reason_metric"] == 1.0


def test_item_rates_count_items_not_flags() -> None:
    items: list[dict[str, Any]] = [{"label": "error", "issues": [{}, {}]},
                                   {"label": "faithful", "issues": [{}]}, {"label": "faithful", "issues": []}]
    assert item_rates(items, lambda i, j: True)["false_alarm_rate"] == 0.5
    after = item_rates(items, lambda i, j: j == 1)
    assert after["recall"] == 1.0 and after["false_alarm_rate"] == 0.0


@pytest.mark.parametrize("name", sorted(NEVER))
def test_blind_and_frozen_sets_are_refused(name: str) -> None:
    with pytest.raises(ValueError, match="never opened"):
        extract(name)
