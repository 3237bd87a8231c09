"""Metrics: seqeval-style entity scoring, ECE, classification report HTML/JSON/files."""

from __future__ import annotations

import json

import numpy as np
import pytest

from finloom.errors import InvalidDataError
from finloom.nlp import (
    classification_report,
    entity_scores,
    expected_calibration_error,
    extract_entities,
)


@pytest.mark.parametrize(
    ("tags", "spans"),
    [
        (["B-PER", "I-PER", "O"], [("PER", 0, 1)]),
        (["I-PER", "I-PER", "O", "I-LOC"], [("PER", 0, 1), ("LOC", 3, 3)]),  # IO-style starts
        (["B-PER", "B-PER"], [("PER", 0, 0), ("PER", 1, 1)]),
        (["B-PER", "I-ORG"], [("PER", 0, 0), ("ORG", 1, 1)]),  # type change ends a chunk
        (["O", "O"], []),
        (["B-ORG", "I-ORG", "I-ORG"], [("ORG", 0, 2)]),
    ],
)
def test_extract_entities_seqeval_cases(tags, spans):
    assert extract_entities(tags) == spans


def test_entity_scores_per_type_and_micro():
    y_true = [["B-PER", "I-PER", "O", "B-ORG"], ["B-LOC", "O"]]
    y_pred = [["B-PER", "I-PER", "O", "B-LOC"], ["B-LOC", "O"]]
    r = entity_scores(y_true, y_pred)
    assert r.micro["precision"] == pytest.approx(2 / 3)
    assert r.micro["recall"] == pytest.approx(2 / 3)
    assert r.per_type["PER"]["f1"] == 1.0
    assert r.per_type["ORG"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 1}
    assert r.per_type["LOC"]["precision"] == 0.5
    assert "<table>" in r.to_html()


def test_entity_scores_boundary_error_counts_as_miss():
    r = entity_scores([["B-ORG", "I-ORG", "I-ORG"]], [["B-ORG", "I-ORG", "O"]])
    assert r.micro["f1"] == 0.0
    with pytest.raises(InvalidDataError):
        entity_scores([["O"]], [["O", "O"]])


def test_expected_calibration_error_perfect_and_overconfident():
    y = np.array([0, 1, 0, 1])
    perfect = np.eye(2)[y]
    assert expected_calibration_error(perfect, y) == 0.0
    wrong = np.eye(2)[1 - y]
    assert expected_calibration_error(wrong, y) == pytest.approx(1.0)


def test_classification_report_contents_and_files(tmp_path):
    y_true = ["a", "a", "b", "b", "c", "c"]
    y_pred = ["a", "b", "b", "b", "c", "a"]
    proba = np.full((6, 3), 0.2) + 0.4 * np.eye(3)[[0, 1, 1, 1, 2, 0]]
    r = classification_report(y_true, y_pred, proba=proba, classes=["a", "b", "c"],
                              texts=[f"t{i}" for i in range(6)])
    assert r.accuracy == pytest.approx(4 / 6)
    assert r.confusion.tolist() == [[1, 1, 0], [0, 2, 0], [1, 0, 1]]
    assert {(p["true"], p["predicted"]) for p in r.top_confused} == {("a", "b"), ("c", "a")}
    assert r.ece == pytest.approx(abs(4 / 6 - 0.6))
    r.save(tmp_path)
    html = (tmp_path / "report.html").read_text()
    assert "data:image/png;base64," in html and "Most confused pairs" in html
    assert json.loads((tmp_path / "report.json").read_text())["n_misclassified"] == 2
    assert (tmp_path / "misclassified.csv").read_text().splitlines()[1].startswith("t1,a,b,")


def test_report_html_uses_the_shared_report_style():
    from finloom.nlp._metrics import classification_report

    r = classification_report(["a", "b", "a"], ["a", "a", "a"], classes=["a", "b"])
    page = r.to_html()
    assert "<style>" in page and "<h2>Per class</h2>" in page and "confusion matrix" in page
