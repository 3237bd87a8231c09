"""A tiny trained classifier (random 2-layer BERT + logistic regression) for the explanation tests."""

from __future__ import annotations

import numpy as np
import pytest

from tests.nlp._toy import TOY_LABELS, TOY_TEXTS


@pytest.fixture(scope="session")
def tiny_clf(tiny_bert):
    import torch

    from finloom.nlp import TextClassifier

    torch.set_num_threads(1)
    return TextClassifier(encoder=tiny_bert, random_state=0).fit(TOY_TEXTS, TOY_LABELS)


class KeywordModel:
    """Probability of "card" is 0.9 with the word "card", else 0.2 (plus a little per word)."""

    classes_ = ["other", "card"]

    def predict_proba(self, texts):
        p = np.array([(0.9 if "card" in t.split() else 0.2) + 0.005 * len(t.split()) for t in texts])
        return np.stack([1 - p, p], axis=1)


@pytest.fixture
def keyword_model():
    return KeywordModel()
