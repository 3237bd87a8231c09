"""Service functions for jobs: train / evaluate / predict / tag, and model cards."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from finloom.errors import ConfigError, InvalidDataError
from finloom.nlp import ModelCard, TextClassifier
from finloom.nlp._service import (
    evaluate_classifier_job,
    predict_file_job,
    tag_file_job,
    train_classifier_job,
    train_tagger_job,
)
from tests.nlp._toy import NER_TAGS, NER_TOKENS, TOY_LABELS, TOY_TEXTS


@pytest.fixture
def labelled_csv(tmp_path):
    path = tmp_path / "data.csv"
    pd.DataFrame({"text": TOY_TEXTS, "intent": TOY_LABELS}).to_csv(path, index=False)
    return path


def test_train_evaluate_predict_jobs(tiny_bert, labelled_csv, tmp_path):
    calls: list[float] = []
    frame_before = pd.read_csv(labelled_csv)
    result = train_classifier_job(
        {"data_path": str(labelled_csv), "label_column": "intent", "test_size": 0.25,
         "classifier": {"encoder": str(tiny_bert), "C": 100.0, "random_state": 0}},
        lambda f, m="": calls.append(f), tmp_path / "run")
    assert result["classes"] == ["card", "fx"] and result["metrics"]["n_test"] == 4
    assert 0 <= result["metrics"]["accuracy"] <= 1 and calls[-1] == 1.0
    model_dir = tmp_path / "run" / "model"
    card = ModelCard.load(model_dir)
    assert card.metrics["n_train"] == 12 and "licence" in (model_dir / "MODEL_CARD.md").read_text()
    assert (tmp_path / "run" / "report" / "report.html").is_file()
    assert TextClassifier.load(model_dir).predict(["lost card"]) in (["card"], ["fx"])

    ev = evaluate_classifier_job({"model_dir": str(model_dir), "data_path": str(labelled_csv),
                                  "label_column": "intent"}, out_dir=tmp_path / "eval")
    assert json.loads((tmp_path / "eval" / "report.json").read_text())["accuracy"] == ev["accuracy"]
    pred = predict_file_job({"model_dir": str(model_dir), "data_path": str(labelled_csv)},
                            out_dir=tmp_path / "pred")
    assert pred["rows"] == 16 and (tmp_path / "pred" / "predictions.csv").is_file()
    pd.testing.assert_frame_equal(pd.read_csv(labelled_csv), frame_before)


def test_train_tagger_job_scores_and_saves(tiny_bert, tmp_path):
    data = tmp_path / "ner.jsonl"
    data.write_text("\n".join(json.dumps({"tokens": t, "tags": g}) for t, g in zip(NER_TOKENS, NER_TAGS, strict=True)))
    result = train_tagger_job({"data_path": str(data), "test_path": str(data),
                               "tagger": {"encoder": str(tiny_bert), "epochs": 1, "validation_fraction": 0.0}},
                              out_dir=tmp_path / "t")
    assert result["entity_types"] == ["ORG", "PER"]
    assert 0 <= result["metrics"]["entity_f1"] <= 1
    assert (tmp_path / "t" / "ner_report.html").is_file() and (tmp_path / "t" / "model" / "model_card.json").is_file()


def test_tag_file_job_writes_one_line_per_row(tiny_bert, tmp_path):
    from finloom.nlp import TokenTagger

    TokenTagger(encoder=tiny_bert, epochs=1, validation_fraction=0.0, random_state=0).fit(
        NER_TOKENS, NER_TAGS).save(tmp_path / "ner")
    data = tmp_path / "notes.csv"
    pd.DataFrame({"id": [1, 2, 3], "body": ["Acme pays 5% on 2024-01-31", "", "fees rose to $12"]}).to_csv(
        data, index=False)
    seen: list[float] = []
    result = tag_file_job({"model_dir": str(tmp_path / "ner"), "data_path": str(data), "text_column": "body",
                           "chunk_size": 2}, lambda f, m="": seen.append(f), tmp_path / "out")
    rows = [json.loads(line) for line in (tmp_path / "out" / "entities.jsonl").read_text().splitlines()]
    assert [r["row"] for r in rows] == [0, 1, 2] and rows[1]["entities"] == []
    rules = {(e["label"], e["text"]) for r in rows for e in r["entities"] if e["source"] == "rule"}
    assert {("PERCENT", "5%"), ("DATE", "2024-01-31"), ("MONEY", "$12")} <= rules
    assert all(r["text"][e["start"]:e["end"]] == e["text"] for r in rows for e in r["entities"])
    assert result["rows"] == 3 and result["entities"] == sum(len(r["entities"]) for r in rows)
    assert seen[-1] == 1.0 and len(seen) == 2
    with pytest.raises(InvalidDataError, match=r"column 'text' must exist in notes.csv; got columns \['id', 'body'\]"):
        tag_file_job({"model_dir": str(tmp_path / "ner"), "data_path": str(data)}, out_dir=tmp_path / "bad")
    assert not (tmp_path / "bad").exists()


def test_service_params_errors(labelled_csv, tmp_path):
    with pytest.raises(ConfigError, match="Did you mean 'label_column'"):
        train_classifier_job({"data_path": str(labelled_csv), "label_colum": "intent"}, out_dir=tmp_path)
    with pytest.raises(ConfigError, match="required key"):
        evaluate_classifier_job({"data_path": "x"}, out_dir=tmp_path)
    with pytest.raises(InvalidDataError, match="Did you mean 'intent'"):
        train_classifier_job({"data_path": str(labelled_csv), "label_column": "intnt"}, out_dir=tmp_path)
