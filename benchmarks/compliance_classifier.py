"""Does a learned classifier add anything to the compliance rules? (issue 16, part 2)

Trains :class:`finloom.apps.compliance.CategoryClassifier` (hashed n-grams + one logistic
regression per category) on dev A plus the project's older labelled sets, and compares the rules
alone with "rules, plus a category the classifier gives above a threshold":

* 5-fold cross-validation on dev A (folds cut by ``sha1(id) % 5``);
* trained on all of dev A, scored on dev B (never read; aggregates only);
* across authors: trained on two of the dev sets (dev, dev2, dev3: three authors) plus the older
  sets, scored on the third (``cross_author``). The rules have been read on all three, so this
  measures only whether the classifier adds anything to them on an author it was not trained on.

    python -m benchmarks.compliance_classifier            # the comparison table
    python -m benchmarks.compliance_classifier --write    # also (re)write the shipped model

The shipped model is trained on dev A + the older sets only, so dev B stays blind for it too.
"""

from __future__ import annotations

import argparse
import hashlib
import json
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks._common import write_results
from benchmarks.textgen_oos import CATEGORIES, load, select
from finloom.apps.compliance import CategoryClassifier, audit_text

DATA = Path(__file__).resolve().parent / "data" / "textgen"
MODEL_DIR = Path(__file__).resolve().parents[1] / "src" / "finloom" / "apps" / "compliance" / "models" / "categories"
THRESHOLDS = (0.7, 0.8, 0.9, 0.95)


def older_sets() -> list[dict[str, Any]]:
    """The project's own labelled sentences, five categories only (``prohibited`` dropped)."""
    rows = []
    for name in ("compliance_labelled", "compliance_heldout"):
        for line in (DATA / f"{name}.jsonl").read_text(encoding="utf-8").splitlines():
            item = json.loads(line)
            rows.append({**item, "labels": [c for c in item["labels"] if c in CATEGORIES]})
    return rows


def _matrix(items: list[dict[str, Any]], preds: list[set[str]]) -> tuple[np.ndarray, np.ndarray]:
    gold = np.asarray([[c in it["labels"] for c in CATEGORIES] for it in items])
    pred = np.asarray([[c in p for c in CATEGORIES] for p in preds])
    return gold, pred


def _score(items: list[dict[str, Any]], preds: list[set[str]]) -> dict[str, Any]:
    gold, pred = _matrix(items, preds)
    tp, fp, fn = int((gold & pred).sum()), int((~gold & pred).sum()), int((gold & ~pred).sum())
    clean = ~gold.any(1)
    return {"recall": round(tp / max(1, tp + fn), 4), "precision": round(tp / max(1, tp + fp), 4),
            "clean_false_alarm_rate": round(float(pred[clean].any(1).mean()), 4), "tp": tp, "fp": fp, "fn": fn}


def _rules(items: list[dict[str, Any]]) -> list[set[str]]:
    return [{f.category for f in audit_text(it["text"])} & set(CATEGORIES) for it in items]


def _combined(rules: list[set[str]], probs: np.ndarray, threshold: float) -> list[set[str]]:
    return [r | {c for c, p in zip(CATEGORIES, row, strict=True) if p >= threshold} for r, row in zip(rules, probs, strict=True)]


def _fit(items: list[dict[str, Any]]) -> CategoryClassifier:
    return CategoryClassifier().fit([it["text"] for it in items], [it["labels"] for it in items])


def compare() -> dict[str, Any]:
    """Rules vs rules + classifier on dev A (cross-validated) and dev B (blind)."""
    dev, old = load("compliance", "dev"), older_sets()
    a, b = select(dev, "A"), select(dev, "B")
    fold = [int(hashlib.sha1(it["id"].encode()).hexdigest(), 16) % 5 for it in a]
    probs_a = np.zeros((len(a), len(CATEGORIES)))
    for k in range(5):
        train = [it for it, f in zip(a, fold, strict=True) if f != k] + old
        test = [i for i, f in enumerate(fold) if f == k]
        probs_a[test] = _fit(train).predict_proba([a[i]["text"] for i in test])
    probs_b = _fit(a + old).predict_proba([it["text"] for it in b])
    out: dict[str, Any] = {}
    for name, items, probs in (("dev_A_cv", a, probs_a), ("dev_B", b, probs_b)):
        rules = _rules(items)
        out[name] = {"rules": _score(items, rules)}
        for t in THRESHOLDS:
            out[name][f"rules+clf>={t}"] = _score(items, _combined(rules, probs, t))
    return out


def cross_author() -> dict[str, Any]:
    """Rules vs rules + classifier on each dev set, the classifier trained on the other two + older sets."""
    sets = {name: load("compliance", name) for name in ("dev", "dev2", "dev3")}
    out: dict[str, Any] = {}
    for held, items in sets.items():
        train = [it for name, rows in sets.items() if name != held for it in rows] + older_sets()
        probs = _fit(train).predict_proba([it["text"] for it in items])
        rules = _rules(items)
        out[held] = {"rules": _score(items, rules)}
        for t in THRESHOLDS:
            out[held][f"rules+clf>={t}"] = _score(items, _combined(rules, probs, t))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--write", action="store_true", help="rewrite the shipped model (dev A + older sets)")
    args = parser.parse_args()
    result = compare()
    result["cross_author"] = cross_author()
    write_results("compliance_classifier", result)
    print(json.dumps(result, indent=1))
    if args.write:
        dev = select(load("compliance", "dev"), "A")
        _fit(dev + older_sets()).save(MODEL_DIR)
        print(f"wrote {MODEL_DIR}")


if __name__ == "__main__":
    main()
