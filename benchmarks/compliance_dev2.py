"""The compliance checks on the dev2 set (a fifth outside author), split in halves by id.

``sha1(id) % 2 == 0`` is dev2-A (errors may be read while improving the detectors), the rest is
dev2-B (scored blind: its errors are never printed). The older dev set is scored beside it with
its own A/B split (see ``benchmarks.textgen_oos``) so regressions show.

    python -m benchmarks.compliance_dev2                 # figures
    python -m benchmarks.compliance_dev2 --show-errors   # plus dev2-A errors
"""

from __future__ import annotations

import argparse
import hashlib
import json
from typing import Any

from benchmarks.textgen_oos import compliance_errors, load, score_compliance, select


def half_of(item_id: str) -> str:
    """``"A"`` when ``sha1(id) % 2 == 0``, else ``"B"``."""
    return "A" if int(hashlib.sha1(item_id.encode("utf-8")).hexdigest(), 16) % 2 == 0 else "B"


def figures() -> dict[str, Any]:
    """Totals and per-category recall/precision on dev2-A, dev2-B, dev A and dev B."""
    dev2, dev = load("compliance", "dev2"), load("compliance", "dev")
    parts = {"dev2-A": [it for it in dev2 if half_of(it["id"]) == "A"],
             "dev2-B": [it for it in dev2 if half_of(it["id"]) == "B"],
             "dev-A": select(dev, "A"), "dev-B": select(dev, "B")}
    out = {}
    for name, items in parts.items():
        r = score_compliance(items)
        out[name] = {k: r[k] for k in ("items", "recall", "precision", "clean_false_alarm_rate", "texts_per_s")}
        out[name]["per_category"] = r["per_category"]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--show-errors", action="store_true", help="print dev2-A errors (dev2-B stays blind)")
    args = parser.parse_args()
    print(json.dumps(figures(), indent=1))
    if args.show_errors:
        items = [it for it in load("compliance", "dev2") if half_of(it["id"]) == "A"]
        print("\n".join(compliance_errors(items)))


if __name__ == "__main__":
    main()
