"""How far the frozen test labels can be trusted: a second annotator's labels against the authors'.

Four helpers who never saw the checking code labelled the frozen test sets again from the labelling
rule alone, with the original labels stripped (texts and facts only); their labels are in
``benchmarks/data/textgen/oos/second_annotation/`` (ids and labels, no texts). This script prints
totals only — agreement, Cohen's kappa, and the checkers' figures against the original labels, the
second labels and the items both agree on — so the test items stay unread.

    python -m benchmarks.textgen_agreement
"""

from __future__ import annotations

import json
from collections.abc import Hashable, Sequence
from typing import Any

from benchmarks.textgen_oos import CATEGORIES, OOS, load, score_compliance, score_faithfulness

SECOND = OOS / "second_annotation"


def cohen_kappa(pairs: Sequence[tuple[Hashable, Hashable]]) -> tuple[float, float | None]:
    """Observed agreement and Cohen's kappa of two annotators' labels (``None`` when chance is 1).

    >>> cohen_kappa([("a", "a"), ("b", "b"), ("a", "b"), ("b", "b")])
    (0.75, 0.5)
    """
    if not pairs:
        raise ValueError("pairs must hold at least one (first, second) label pair; got none.")
    n = len(pairs)
    observed = sum(a == b for a, b in pairs) / n
    first = [a for a, _ in pairs]
    second = [b for _, b in pairs]
    chance = sum((first.count(c) / n) * (second.count(c) / n) for c in set(first) | set(second))
    kappa = None if chance >= 1 else round((observed - chance) / (1 - chance), 4)
    return round(observed, 4), kappa


def read_second(component: str, split: str = "test") -> dict[str, dict[str, Any]]:
    """The second annotator's labels of one set, by item id (empty when there are none)."""
    path = SECOND / f"{component}_{split}.jsonl"
    if not path.exists():
        return {}
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return {r["id"]: r for r in rows}


def faithfulness_agreement(items: list[dict[str, Any]], second: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Label and error-kind agreement, and the guard's figures on original / second / agreed labels."""
    items = [it for it in items if it["id"] in second]
    pairs = [(it["label"], second[it["id"]]["label"]) for it in items]
    observed, kappa = cohen_kappa(pairs)
    both_error = [it for it in items if it["label"] == "error" == second[it["id"]]["label"]]
    relabelled = [{**it, "label": second[it["id"]]["label"],
                   "error_kind": second[it["id"]].get("error_kind") or it.get("error_kind")} for it in items]
    agreed = [it for it in items if it["label"] == second[it["id"]]["label"]]
    return {
        "items": len(items), "agreement": observed, "kappa": kappa,
        "error_kind_agreement": round(sum(it["error_kind"] == second[it["id"]].get("error_kind")
                                          for it in both_error) / len(both_error), 4) if both_error else None,
        "second_unsure": sum(not second[it["id"]].get("sure", True) for it in items),
        "guard": {name: {k: s[k] for k in ("items", "recall", "false_alarm_rate")}
                  for name, s in (("original", score_faithfulness(items)),
                                  ("second", score_faithfulness(relabelled)),
                                  ("agreed", score_faithfulness(agreed)))},
    }


def compliance_agreement(items: list[dict[str, Any]], second: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Label-set and per-category agreement, and the checker's figures on original / second / agreed labels."""
    items = [it for it in items if it["id"] in second]
    same = [it for it in items if set(it["labels"]) == set(second[it["id"]]["labels"])]
    per_category = {}
    for cat in CATEGORIES:
        observed, kappa = cohen_kappa([(cat in it["labels"], cat in second[it["id"]]["labels"]) for it in items])
        per_category[cat] = {"agreement": observed, "kappa": kappa}
    keys = ("items", "recall", "precision", "clean_false_alarm_rate")
    return {
        "items": len(items), "label_set_agreement": round(len(same) / len(items), 4) if items else None,
        "per_category": per_category,
        "second_unsure": sum(not second[it["id"]].get("sure", True) for it in items),
        "checker": {name: {k: s[k] for k in keys}
                    for name, s in (("original", score_compliance(items)),
                                    ("second", score_compliance([{**it, "labels": second[it["id"]]["labels"]}
                                                                 for it in items])),
                                    ("agreed", score_compliance(same)))},
    }


def main() -> None:
    out: dict[str, Any] = {}
    second = read_second("faithfulness")
    if second:
        out["faithfulness"] = faithfulness_agreement(load("faithfulness", "test"), second)
    second = read_second("compliance")
    if second:
        out["compliance"] = compliance_agreement(load("compliance", "test"), second)
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
