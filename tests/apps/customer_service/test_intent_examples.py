"""The intent model keeps its training messages: nearest examples survive save/load; older models say so."""

from __future__ import annotations

import shutil

import pytest

from finloom.apps.customer_service import EmbeddingIntentClassifier
from finloom.errors import NotFoundError

TEXTS = ["lost my card", "card stolen", "my card is gone", "what is my balance", "balance please",
         "how much money is left"]
LABELS = ["lost_card"] * 3 + ["check_balance"] * 3


def test_nearest_training_examples_survive_save_and_load(tmp_path):
    clf = EmbeddingIntentClassifier(random_state=0).fit(TEXTS, LABELS)
    before = clf.nearest_examples("balance please", k=2)
    assert before[0].text == "balance please" and before[0].similarity == pytest.approx(1.0, abs=1e-3)
    clf.save(tmp_path / "m")
    back = EmbeddingIntentClassifier.load(tmp_path / "m")
    assert [(n.text, n.label) for n in back.nearest_examples("balance please", k=2)] == \
        [(n.text, n.label) for n in before]


def test_a_model_saved_without_examples_says_so(tmp_path):
    EmbeddingIntentClassifier(random_state=0).fit(TEXTS, LABELS).save(tmp_path / "m")
    shutil.rmtree(tmp_path / "m" / "examples")
    with pytest.raises(NotFoundError, match="no stored training embeddings"):
        EmbeddingIntentClassifier.load(tmp_path / "m").nearest_examples("card stolen")
