"""Nearest training examples: build, save (safetensors + JSON), load, search; the train job stores them."""

from __future__ import annotations

import numpy as np
import pandas as pd

from finloom.nlp.explain import (
    EXAMPLES_DIR,
    NO_EXAMPLES,
    TrainingExamples,
    embed_texts,
    load_examples,
)
from finloom.services.explain import ExplainIn, explain_model
from tests.nlp._toy import TOY_LABELS, TOY_TEXTS


def test_examples_round_trip_and_find_same_label_neighbours(tiny_clf, tmp_path):
    ex = TrainingExamples.build(tiny_clf, TOY_TEXTS, TOY_LABELS)
    ex.save(tmp_path / "m" / EXAMPLES_DIR)
    assert sorted(p.name for p in (tmp_path / "m" / EXAMPLES_DIR).iterdir()) == ["config.json", "model.safetensors"]
    back = load_examples(tmp_path / "m")
    assert back.texts == ex.texts and back.labels == ex.labels
    [near] = back.nearest(embed_texts(tiny_clf, ["card stolen yesterday"]), k=3)
    assert near[0].text == "card stolen yesterday" and near[0].similarity > 0.99
    assert len(near) == 3


def test_examples_are_a_stratified_sample_when_capped(tiny_clf):
    ex = TrainingExamples.build(tiny_clf, TOY_TEXTS, TOY_LABELS, max_examples=4)
    assert sorted(ex.labels) == ["card", "card", "fx", "fx"]
    assert np.allclose(np.linalg.norm(ex.vectors, axis=1), 1, atol=1e-5)


def test_train_job_stores_examples_and_the_service_returns_them(tiny_bert, tmp_path):
    from finloom.nlp import TextClassifier
    from finloom.nlp._service import train_classifier_job

    data = tmp_path / "d.csv"
    pd.DataFrame({"text": TOY_TEXTS, "label": TOY_LABELS}).to_csv(data, index=False)
    train_classifier_job({"data_path": str(data), "test_size": 0.25,
                          "classifier": {"encoder": str(tiny_bert), "random_state": 0}}, out_dir=tmp_path / "run")
    folder = tmp_path / "run" / "model"
    assert len(load_examples(folder)) == 12
    model = TextClassifier.load(folder)
    out = explain_model(model, folder, ExplainIn(text="my card was lost", neighbours=2, steps=8))
    assert len(out.neighbours) == 2 and out.neighbours[0].label == "card"
    assert out.neighbours_note is None and out.method == "occlusion" and out.completeness is None
    ig = explain_model(model, folder, ExplainIn(text="my card was lost", method="integrated_gradients", steps=8))
    assert ig.completeness is not None
    bare = explain_model(model, tmp_path, ExplainIn(text="my card was lost", steps=8))
    assert bare.neighbours is None and bare.neighbours_note == NO_EXAMPLES
