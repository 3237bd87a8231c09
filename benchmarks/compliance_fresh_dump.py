"""Dump the compliance rules' predictions for named dev sets, with whatever finloom is importable.

Standalone (imports only ``finloom.apps.compliance.audit_text``) so it runs against an older
commit's code: the per-item predictions of the rules *before* the round that read a set simulate
a fresh author for :mod:`benchmarks.compliance_learned_veto`. Writes ids and categories only.

    cd <worktree of the older commit>
    PYTHONPATH=src python /path/to/benchmarks/compliance_fresh_dump.py out.json dev24

Blind sets and the test set are refused.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from finloom.apps.compliance import audit_text

OOS = Path(__file__).resolve().parent / "data" / "textgen" / "oos"
REFUSED = {"dev4", "dev11", "dev23", "dev25", "test"}
CATEGORIES = {"promissory", "risk_disclosure", "superlative", "pii", "suitability"}


def predict(item: dict[str, Any]) -> list[str]:
    """The scored categories the rules report for one item (older ``audit_text`` took no ``lang``)."""
    try:  # the rules alone: since the classifier became the default, ask for none
        findings = audit_text(item["text"], item.get("lang"), classifier=None)
    except TypeError:  # older audit_text: the rules were all there was
        try:
            findings = audit_text(item["text"], item.get("lang"))
        except TypeError:
            findings = audit_text(item["text"])
    return sorted({f.category for f in findings} & CATEGORIES)


def main() -> None:
    out, splits = sys.argv[1], sys.argv[2:]
    result = {}
    for split in splits:
        if split in REFUSED:
            raise SystemExit(f"{split} is blind or frozen: refused")
        lines = (OOS / f"compliance_{split}.jsonl").read_text(encoding="utf-8").splitlines()
        result[split] = {it["id"]: predict(it) for it in map(json.loads, filter(str.strip, lines))}
    Path(out).write_text(json.dumps(result, ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    main()
