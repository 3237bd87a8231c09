"""Out-of-sample scoring of the faithfulness guard and the compliance checks (issue 16).

The labelled sets in ``benchmarks/data/textgen/oos/`` were written by authors who never saw the
rule or guard code, from the labelling spec in that folder's README. ``dev`` may be read while
improving the components; ``test`` is frozen: nothing is tuned on it and this script never prints
its items.

    python -m benchmarks.textgen_oos --split dev --show-errors   # development loop
    python -m benchmarks.textgen_oos --split test                # the figures that count

``--subset A|B`` scores one half of a split cut deterministically by id (``sha1(id) % 4 == 0`` is
B, about a quarter): tune and read errors on dev A only, score dev B blind (its errors are never
printed), so dev B stays an honest estimate between test runs.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from finloom.apps.compliance import audit_text
from finloom.textgen import FaithfulnessGuard, facts_from_dict

OOS = Path(__file__).resolve().parent / "data" / "textgen" / "oos"
CATEGORIES = ("promissory", "risk_disclosure", "superlative", "pii", "suitability")
BLIND = {"compliance": ("dev4", "dev11", "dev23", "dev25"), "faithfulness": ("dev8", "dev11", "dev29", "dev32")}  # sets nobody reads: scored for totals only
ERROR_KINDS = ("wrong_number", "flipped_direction", "wrong_entity", "wrong_period", "unsupported_number")


def available_splits() -> set[str]:
    """Names of the labelled sets on disk (``dev``, ``dev2`` ..., ``test``) plus ``dev-all``."""
    return {p.stem.split("_", 1)[1] for p in OOS.glob("*_*.jsonl")} | {"dev-all"}


def load(component: str, split: str) -> list[dict[str, Any]]:
    """Items of one labelled file (``compliance_dev.jsonl`` ...); ``dev-all`` joins every dev set."""
    if split == "dev-all":
        return [it for p in sorted(OOS.glob(f"{component}_dev*.jsonl")) for it in load(component, p.stem.split("_", 1)[1])]
    path = OOS / f"{component}_{split}.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def subset_of(item_id: str) -> str:
    """``"B"`` for about a quarter of the ids (``sha1(id) % 4 == 0``), ``"A"`` for the rest."""
    return "B" if int(hashlib.sha1(item_id.encode("utf-8")).hexdigest(), 16) % 4 == 0 else "A"


def select(items: list[dict[str, Any]], subset: str) -> list[dict[str, Any]]:
    """The items of one subset (``"all"``, ``"A"`` or ``"B"``)."""
    return items if subset == "all" else [it for it in items if subset_of(it["id"]) == subset]


def _ratio(a: float, b: float) -> float | None:
    return round(a / b, 4) if b else None


# -- compliance ------------------------------------------------------------------------------
def predict_categories(item: dict[str, Any], audit: Callable[..., Any] = audit_text) -> set[str]:
    """The categories (of the five scored) that the compliance checks report for an item."""
    return {f.category for f in audit(item["text"], item.get("lang"))} & set(CATEGORIES)


def score_compliance(items: list[dict[str, Any]], audit: Callable[..., Any] = audit_text) -> dict[str, Any]:
    """Micro recall/precision over the five categories, clean-text false alarms, per category and language."""
    start = time.perf_counter()
    preds = [predict_categories(it, audit) for it in items]
    seconds = time.perf_counter() - start

    def block(rows: list[tuple[dict[str, Any], set[str]]]) -> dict[str, Any]:
        tp = sum(len(p & set(it["labels"])) for it, p in rows)
        fp = sum(len(p - set(it["labels"])) for it, p in rows)
        fn = sum(len(set(it["labels"]) - p) for it, p in rows)
        clean = [(it, p) for it, p in rows if not it["labels"]]
        return {"items": len(rows), "recall": _ratio(tp, tp + fn), "precision": _ratio(tp, tp + fp),
                "clean_false_alarm_rate": _ratio(sum(bool(p) for _, p in clean), len(clean)),
                "tp": tp, "fp": fp, "fn": fn}

    def per_category(rows: list[tuple[dict[str, Any], set[str]]]) -> dict[str, Any]:
        out = {}
        for cat in CATEGORIES:
            tp = sum(cat in p and cat in it["labels"] for it, p in rows)
            fp = sum(cat in p and cat not in it["labels"] for it, p in rows)
            fn = sum(cat not in p and cat in it["labels"] for it, p in rows)
            out[cat] = {"recall": _ratio(tp, tp + fn), "precision": _ratio(tp, tp + fp), "positives": tp + fn}
        return out

    rows = list(zip(items, preds, strict=True))
    out = block(rows)
    out["per_category"] = per_category(rows)
    out["per_category_by_lang"] = {lang: per_category([(it, p) for it, p in rows if it["lang"] == lang])
                                   for lang in sorted({it["lang"] for it in items})}
    out["by_lang"] = {lang: block([(it, p) for it, p in rows if it["lang"] == lang])
                      for lang in sorted({it["lang"] for it in items})}
    out["near_miss"] = block([(it, p) for it, p in rows if it.get("near_miss")])
    out["texts_per_s"] = round(len(items) / seconds, 1) if seconds else None
    return out


def compliance_errors(items: list[dict[str, Any]]) -> list[str]:
    """One line per wrong category on an item (dev only)."""
    lines = []
    for it in items:
        pred, gold = predict_categories(it), set(it["labels"])
        for cat in sorted(gold - pred):
            lines.append(f"MISS {cat:15} {it['id']} {it['text'][:220]!r}")
        for cat in sorted(pred - gold):
            hits = [f.text for f in audit_text(it["text"], it.get("lang")) if f.category == cat]
            lines.append(f"FP   {cat:15} {it['id']} {hits} {it['text'][:200]!r}")
    return lines


# -- faithfulness ----------------------------------------------------------------------------
def judge(item: dict[str, Any], guard: FaithfulnessGuard) -> tuple[bool, list[Any]]:
    """Whether the guard flags an item, and its issues."""
    report = guard.check(item["text"], facts_from_dict(item["facts"]), lang=item.get("lang"))
    return not report.ok, report.issues


def score_faithfulness(items: list[dict[str, Any]], guard: FaithfulnessGuard | None = None) -> dict[str, Any]:
    """Recall on items with one planted error, false alarms on faithful items, by error kind and language."""
    guard = guard or FaithfulnessGuard()
    start = time.perf_counter()
    flags = [judge(it, guard)[0] for it in items]
    seconds = time.perf_counter() - start

    def block(rows: list[tuple[dict[str, Any], bool]]) -> dict[str, Any]:
        errors = [f for it, f in rows if it["label"] == "error"]
        faithful = [f for it, f in rows if it["label"] == "faithful"]
        return {"items": len(rows), "recall": _ratio(sum(errors), len(errors)),
                "false_alarm_rate": _ratio(sum(faithful), len(faithful)),
                "errors": len(errors), "faithful": len(faithful)}

    rows = list(zip(items, flags, strict=True))
    out = block(rows)
    kinds = Counter(it["error_kind"] for it in items if it["label"] == "error")
    out["recall_by_error"] = {k: _ratio(sum(f for it, f in rows if it.get("error_kind") == k), kinds[k])
                              for k in ERROR_KINDS if kinds[k]}
    out["by_lang"] = {lang: block([(it, f) for it, f in rows if it["lang"] == lang])
                      for lang in sorted({it["lang"] for it in items})}
    out["near_miss"] = block([(it, f) for it, f in rows if it.get("near_miss")])
    out["texts_per_s"] = round(len(items) / seconds, 1) if seconds else None
    return out


def faithfulness_errors(items: list[dict[str, Any]]) -> list[str]:
    """One block per misjudged item (dev only)."""
    guard = FaithfulnessGuard()
    lines = []
    for it in items:
        flagged, issues = judge(it, guard)
        if flagged == (it["label"] == "error"):
            continue
        tag = "MISS " + str(it.get("error_kind")) if it["label"] == "error" else "FALSE-ALARM"
        lines.append(f"{tag} {it['id']} span={it.get('error_span')!r}\n  text: {it['text']}\n"
                     f"  facts: {json.dumps(it['facts'], ensure_ascii=False)}\n"
                     + "".join(f"  -> {i.text!r}: {i.explanation}\n" for i in issues))
    return lines


def _exists(component: str, split: str) -> bool:
    return split == "dev-all" or (OOS / f"{component}_{split}.jsonl").exists()


def score_split(split: str, subset: str = "all", component: str = "both") -> dict[str, Any]:
    """Both components (or one) on one split, optionally one subset of it."""
    out: dict[str, Any] = {"split": split, "subset": subset}
    if component in ("compliance", "both") and _exists("compliance", split):
        out["compliance"] = score_compliance(select(load("compliance", split), subset))
    if component in ("faithfulness", "both") and _exists("faithfulness", split):
        out["faithfulness"] = score_faithfulness(select(load("faithfulness", split), subset))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--split", choices=sorted(available_splits()), default="dev",
                        help="one labelled set; 'dev-all' is every dev set together")
    parser.add_argument("--component", choices=["compliance", "faithfulness", "both"], default="both")
    parser.add_argument("--subset", choices=["all", "A", "B"], default="all",
                        help="score one part of the split (B = sha1(id) %% 4 == 0); B's errors are never shown")
    parser.add_argument("--show-errors", action="store_true", help="print misjudged items (dev split only)")
    args = parser.parse_args()
    if args.show_errors and args.split == "test":
        parser.error("--show-errors is for the dev splits only; the test split stays unread")
    if args.show_errors and args.split in BLIND.get(args.component, ()):
        parser.error(f"{args.component} {args.split} is a blind set: totals only (see the data README)")
    if args.show_errors and args.subset == "B":
        parser.error("--show-errors needs --subset A: dev B is scored blind")
    result = score_split(args.split, args.subset, args.component)
    for comp in ("compliance", "faithfulness"):
        if args.component in (comp, "both") and comp in result:
            print(comp, json.dumps(result[comp], indent=1))
            if args.show_errors:
                dev = select(load(comp, args.split), args.subset)
                errs = compliance_errors(dev) if comp == "compliance" else faithfulness_errors(dev)
                print("\n".join(errs))


if __name__ == "__main__":
    main()
