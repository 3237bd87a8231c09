"""Service jobs with robustness: robust training records before/after, evaluation writes the report."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from finloom.nlp._service import (
    evaluate_classifier_job,
    evaluate_tagger_job,
    train_classifier_job,
    train_tagger_job,
)
from tests.nlp._toy import NER_TAGS, NER_TOKENS, TOY_LABELS, TOY_TEXTS


@pytest.fixture
def labelled_csv(tmp_path):
    import torch

    torch.set_num_threads(1)
    path = tmp_path / "data.csv"
    pd.DataFrame({"text": TOY_TEXTS, "label": TOY_LABELS}).to_csv(path, index=False)
    return path


def test_robust_training_reports_before_and_after_and_saves_the_report_with_the_model(tiny_bert, labelled_csv,
                                                                                      tmp_path):
    result = train_classifier_job(
        {"data_path": str(labelled_csv), "test_size": 0.25, "robustness": True,
         "classifier": {"encoder": str(tiny_bert), "augment": 1, "adversarial": "fgm", "char_ngrams": False,
                        "random_state": 0}}, out_dir=tmp_path / "run")
    robust = result["metrics"]["robustness"]
    assert set(robust) == {"before", "after"} and robust["after"]["worst_kind"] in robust["after"]["perturbed"]
    assert 0 <= robust["before"]["clean"] <= 1 and robust["after"]["clean"] == result["metrics"]["accuracy"]
    saved = json.loads((tmp_path / "run" / "model" / "robustness.json").read_text(encoding="utf-8"))
    assert saved["metric"] == "accuracy" and (tmp_path / "run" / "report" / "robustness.html").is_file()
    card = json.loads((tmp_path / "run" / "model" / "model_card.json").read_text(encoding="utf-8"))
    assert card["parameters"]["adversarial"] == "fgm" and "robustness" in card["metrics"]


def test_evaluate_jobs_write_the_robustness_report(tiny_bert, labelled_csv, tmp_path):
    train_classifier_job({"data_path": str(labelled_csv), "test_size": 0.0,
                          "classifier": {"encoder": str(tiny_bert), "char_ngrams": False}}, out_dir=tmp_path / "m")
    out = evaluate_classifier_job({"model_dir": str(tmp_path / "m" / "model"), "data_path": str(labelled_csv),
                                   "robustness": True, "kinds": ["case", "typo_swap"], "severities": [0.5]},
                                  out_dir=tmp_path / "ev")
    cells = out["robustness"]["cells"]
    assert [(c["kind"], c["severity"]) for c in cells] == [("case", 0.5), ("typo_swap", 0.5)]
    assert (tmp_path / "ev" / "robustness.json").is_file() and (tmp_path / "ev" / "report.html").is_file()
    plain = evaluate_classifier_job({"model_dir": str(tmp_path / "m" / "model"), "data_path": str(labelled_csv)},
                                    out_dir=tmp_path / "ev2")
    assert "robustness" not in plain and not (tmp_path / "ev2" / "robustness.json").exists()


def test_evaluate_tagger_job_robustness(tiny_bert, tmp_path):
    data = tmp_path / "ner.jsonl"
    data.write_text("\n".join(json.dumps({"tokens": t, "tags": g}) for t, g in zip(NER_TOKENS, NER_TAGS, strict=True)),
                    encoding="utf-8")
    train_tagger_job({"data_path": str(data), "tagger": {"encoder": str(tiny_bert), "epochs": 1,
                                                          "validation_fraction": 0, "augment": 1}},
                     out_dir=tmp_path / "t")
    out = evaluate_tagger_job({"model_dir": str(tmp_path / "t" / "model"), "data_path": str(data),
                               "robustness": True, "kinds": ["case", "entity", "whitespace"], "severities": [1.0]},
                              out_dir=tmp_path / "ev")
    assert out["robustness"]["metric"] == "entity_f1" and out["robustness"]["skipped"] == ["whitespace"]
    assert {c["kind"] for c in out["robustness"]["cells"]} == {"case", "entity"}
