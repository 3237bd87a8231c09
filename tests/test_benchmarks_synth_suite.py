"""synth_suite's comparator rows: auto matched to each comparator's tables and seeds, and the targets."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from benchmarks import docs
from benchmarks.synth_suite import auto_vs_comparators, check_targets, merge_committed, summarize


def _row(table: str, family: str, seed: int, quality: float, impl: str = "finloom", **extra: Any) -> dict[str, Any]:
    model = {"sdv_gc": "GaussianCopula", "sdv_tvae": "TVAE"}.get(family, family)
    return {"table": table, "split": "unseen", "family": family, "model": model, "implementation": impl,
            "seed": seed, "quality": quality, "c2st_auc": 0.6, "tstr_auc": 0.8, "trtr_auc": 0.82,
            "dcr_share": 0.5, "fit_seconds": 1.0, "rows": 100, "cols": 3, **extra}


ROWS = [
    *[_row(t, "auto", s, q + 0.01 * s, chosen="ar") for t, q in (("a", 0.95), ("b", 0.90), ("c", 0.97))
      for s in (0, 1, 2)],
    *[_row(t, "sdv_gc", s, q, "sdv", epochs_trained=None, stop_reason="closed-form fit (no training epochs)")
      for t, q in (("a", 0.85), ("b", 0.92), ("c", 0.80)) for s in (0, 1, 2)],
    # TVAE ran seed 0 on two tables only: auto is compared on those tables and that seed
    _row("a", "sdv_tvae", 0, 0.96, "sdv", epochs_trained=300, stop_reason="fixed epoch count (300; ...)"),
    _row("b", "sdv_tvae", 0, 0.89, "sdv", epochs_trained=300, stop_reason="fixed epoch count (300; ...)"),
]


def test_auto_is_matched_to_the_comparators_tables_and_seeds() -> None:
    versus = auto_vs_comparators(ROWS)
    tvae = [e for e in versus["per_table"] if e["comparator"] == "sdv_tvae"]
    assert [(e["table"], e["seeds"], e["auto_quality"]) for e in tvae] == [("a", [0], 0.95), ("b", [0], 0.9)]
    assert [e["auto_quality_ahead"] for e in tvae] == [False, True]
    medians = {m["comparator"]: m for m in versus["medians"]}
    assert medians["sdv_tvae"]["tables"] == 2 and medians["sdv_tvae"]["seeds"] == [0]
    assert medians["sdv_tvae"]["auto_quality"] == 0.925 and medians["sdv_tvae"]["comparator_quality"] == 0.925
    assert medians["sdv_tvae"]["auto_median_quality_ge_comparator"] is True
    assert medians["sdv_tvae"]["comparator_tstr_undefined"] == []
    gc = medians["sdv_gc"]  # auto means over seeds 0-2 per table: 0.96, 0.91, 0.98 -> median 0.96
    assert (gc["auto_quality"], gc["comparator_quality"], gc["auto_quality_ahead_tables"]) == (0.96, 0.85, 2)


def test_targets_name_every_comparator_and_fail_when_one_is_ahead() -> None:
    rows = [*ROWS, *[_row(t, "sdv_x", 0, 0.99, "sdv") for t in "abc"]]
    targets = {t["target"]: t for t in check_targets(summarize(rows))}
    assert targets["median quality >= every comparator's median"]["met"] is False
    assert targets["median quality >= sdv GaussianCopula's median (3 tables, seeds [0, 1, 2])"]["met"] is True
    assert targets["median quality >= sdv sdv_x's median (3 tables, seeds [0])"]["met"] is False


def test_committed_rows_are_kept_when_their_run_files_are_absent(tmp_path: Path) -> None:
    committed = {"suite": [_row("a", "ar", 0, 0.9), _row("a", "sdv_gc", 0, 0.5, "sdv")],
                 "auto_choice": [{"table": "a", "seed": 0, "chosen": "ar"}]}
    path = tmp_path / "synth_tabular.json"
    path.write_text(json.dumps(committed))
    rows, choices = merge_committed([_row("a", "sdv_gc", 0, 0.8, "sdv")], [], path)
    assert sorted((r["family"], r["quality"]) for r in rows) == [("ar", 0.9), ("sdv_gc", 0.8)]  # fresh run wins
    assert choices == committed["auto_choice"]


def test_docs_table_shows_auto_beside_each_comparator() -> None:
    doc = {"suite_auto_vs_comparators": auto_vs_comparators(ROWS)}
    table = docs.synth_suite_comparators_table(lambda name: doc)
    assert "| a | sdv TVAE | 0 | 0.950 / 0.960 |" in table
    assert "| **median of 3 tables** | sdv GaussianCopula | 0, 1, 2 | **0.960 / 0.850** |" in table
    assert "300 (fixed epoch count)" in table
