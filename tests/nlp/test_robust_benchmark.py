"""The robustness rows of ``benchmarks.nlp`` carry the explanation benchmark's deletion figures
for the method the default explainer uses."""

from __future__ import annotations

import json

import numpy as np
import pytest
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


def test_paired_se_matches_the_standard_error_of_per_text_differences():
    from benchmarks.nlp_robust_dev import paired_se

    # 100 texts: 6 right -> wrong, 2 wrong -> right, the rest unchanged: drop 0.04
    diffs = np.array([1] * 6 + [-1] * 2 + [0] * 92, dtype=float)
    expected = np.sqrt(diffs.var() / len(diffs))
    assert paired_se(100, 0.04, 6) == pytest.approx(expected)
    assert paired_se(100, 0.0, 0) == 0.0


def test_robust_scores_give_the_worst_drop_and_its_standard_error():
    class Shouty:
        def predict(self, texts: list[str]) -> list[str]:
            return ["card" if "card" in t.lower() else "other" for t in texts]

    texts = ["my card is lost", "where is my card", "hello there", "good morning"]
    scores = bench._robust_scores(Shouty(), texts, ["card", "card", "other", "other"], "intent", checklist=False)
    assert scores["clean"] == 1.0
    worst = scores["worst_kind"]
    assert scores["worst_drop"] == pytest.approx(1.0 - scores["perturbed"][worst])
    assert scores["worst_drop_se"] is not None and scores["worst_drop_se"] >= 0.0


def test_dev_rule_compares_each_candidate_with_the_plain_model_of_the_same_training_size():
    from benchmarks.nlp_robust_dev import _choose

    rows = [{"candidate": "plain", "settings": {}, "n_train": 100, "clean": 0.80, "worst_drop": 0.40},
            {"candidate": "plain all", "settings": {"train_cap": None}, "n_train": 900, "clean": 0.90,
             "worst_drop": 0.40},
            {"candidate": "a", "settings": {"augment": 1}, "n_train": 100, "clean": 0.80, "worst_drop": 0.01},
            {"candidate": "b", "settings": {"augment": 1, "train_cap": None}, "n_train": 900, "clean": 0.897,
             "worst_drop": 0.02},
            {"candidate": "c", "settings": {"augment": 2, "train_cap": None}, "n_train": 900, "clean": 0.95,
             "worst_drop": 0.005}]
    assert _choose(rows) == "c"
    rows[-1]["clean"] = 0.894  # more than 0.5 points below its own plain model: out
    assert _choose(rows) == "a"
    rows.pop(0)  # no plain model at 100 training texts: "a" cannot be judged
    assert _choose(rows) == "b"
