"""The robustness rows of ``benchmarks.nlp`` carry the explanation benchmark's deletion figures
for the method the default explainer uses."""

from __future__ import annotations

import json

import numpy as np
from benchmarks import nlp as bench

from finloom.nlp.explain import explain


def _explain_row(task: str, method: str, split: str, share: float) -> dict[str, object]:
    return {"task": task, "method": method, "split": split, "examples": 100, "top_beats_random_share": share,
            "deletion_auc": 0.4, "random_deletion_auc": 0.7}


def test_rows_report_the_default_explainer_and_whether_it_meets_the_target(tmp_path, monkeypatch):
    rows = [_explain_row("tfns", "integrated_gradients", "test", 0.79), _explain_row("tfns", "occlusion", "test", 1.0),
            _explain_row("tfns", "occlusion", "dev", 0.97)]
    (tmp_path / "nlp_explain.json").write_text(json.dumps({"rows": rows}), encoding="utf-8")
    monkeypatch.setattr(bench, "RESULTS", tmp_path)
    runs = {"robustness_tfns": {"row": {"task": "tfns", "clean": 0.7, "flipped_examples": {"emoji": []}}},
            "robustness_fin_ner": {"row": {"task": "fin_ner", "clean": 0.7}}}
    tfns, ner = bench._robust_rows(runs)
    explained = tfns["explanation_deletion_auc"]
    assert "flipped_examples" not in tfns
    assert explained["default_method"] == "occlusion" and explained["meets_target"] is True
    assert explained["default_top_beats_random_share"] == 1.0
    assert explained["integrated_gradients"]["top_beats_random_share"] == 0.79
    assert explained["occlusion"]["dev_top_beats_random_share"] == 0.97
    assert ner["explanation_deletion_auc"] is None


def test_the_reported_method_is_the_one_explain_uses_by_default():
    class Toy:
        classes_ = ["other", "card"]

        def predict_proba(self, texts: list[str]) -> np.ndarray:
            p = np.array([0.9 if "card" in t else 0.2 for t in texts])
            return np.stack([1 - p, p], axis=1)

    assert explain(Toy(), "lost my card").method == bench.EXPLAIN_DEFAULT
