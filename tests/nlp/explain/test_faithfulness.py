"""Deletion test: top-attributed words vs random words, deletion curves."""

from __future__ import annotations

import pytest

from finloom.errors import ConfigError
from finloom.nlp.explain import deletion_test, occlusion
from tests.nlp._toy import TOY_TEXTS


def test_deleting_the_deciding_word_beats_random_deletion(keyword_model):
    texts = ["please block my lost card now", "my card was stolen abroad today", "card gone"]
    r = deletion_test(keyword_model, texts, method="occlusion", random_state=0)
    assert r.examples == 3 and r.method == "occlusion"
    assert r.top_beats_random_share == 1.0
    assert r.deletion_auc < r.random_deletion_auc
    assert r.completeness_error_median is None
    assert [row["deleted"] for row in r.per_example] == [1, 1, 1]


def test_deletion_test_on_a_tiny_model_reports_every_figure(tiny_clf):
    r = deletion_test(tiny_clf, TOY_TEXTS[:6], method="integrated_gradients", steps=16, random_state=0)
    d = r.to_dict()
    assert set(d) >= {"top_beats_random_share", "deletion_auc", "random_deletion_auc", "completeness_error_median"}
    assert 0.0 <= d["top_beats_random_share"] <= 1.0 and 0 < d["deletion_auc"] < 1
    assert d["completeness_error_median"] < 1e-3
    assert r.to_dict() == deletion_test(tiny_clf, TOY_TEXTS[:6], method="integrated_gradients", steps=16,
                                        random_state=0).to_dict()


def test_precomputed_explanations_are_used(keyword_model):
    texts = ["lost card", "card please"]
    given = [occlusion(keyword_model, t) for t in texts]
    calls = []
    r = deletion_test(keyword_model, texts, explanations=given,
                      explain_fn=lambda m, t: calls.append(t))  # never called
    assert calls == [] and r.examples == 2


def test_bad_settings_are_refused(keyword_model):
    with pytest.raises(ConfigError, match="fraction must be in"):
        deletion_test(keyword_model, ["card"], fraction=0)
