"""Domain adaptation of an encoder on unlabelled text (unsupervised SimCSE + token deletion)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from finloom.errors import InvalidDataError
from finloom.nlp import AdaptConfig, Encoder, adapt_encoder
from finloom.nlp._adapt import clean_corpus, delete_tokens
from tests.nlp._toy import TOY_TEXTS

FAST = AdaptConfig(epochs=2, batch_size=4, learning_rate=1e-3, max_length=16)


@pytest.fixture(scope="module")
def adapted(tiny_bert, tmp_path_factory):
    return adapt_encoder(TOY_TEXTS, tmp_path_factory.mktemp("adapt") / "enc", encoder=tiny_bert,
                         config=FAST, random_state=0)


def test_adapt_saves_a_loadable_encoder_with_a_record(adapted):
    assert (adapted / "model.safetensors").is_file() and (adapted / "config.json").is_file()
    record = json.loads((adapted / "adaptation.json").read_text())
    assert record["n_texts"] == len(TOY_TEXTS) and record["steps"] == 2 * 4
    assert record["method"].startswith("simcse-unsupervised")
    assert Encoder(adapted).encode(["my card was lost"]).shape == (1, 32)
    assert not any(p.name.startswith(".enc.") for p in adapted.parent.iterdir())  # temp folder renamed


def test_adapt_changes_embeddings(tiny_bert, adapted):
    before = Encoder(tiny_bert).encode(TOY_TEXTS)
    after = Encoder(adapted).encode(TOY_TEXTS)
    assert np.abs(before - after).max() > 1e-3


def test_adapt_is_deterministic(tiny_bert, adapted, tmp_path):
    again = adapt_encoder(TOY_TEXTS, tmp_path / "enc", encoder=tiny_bert, config=FAST, random_state=0)
    np.testing.assert_allclose(Encoder(again).encode(TOY_TEXTS), Encoder(adapted).encode(TOY_TEXTS),
                               atol=1e-6)


def test_adapt_replaces_an_existing_folder(tiny_bert, tmp_path):
    out = tmp_path / "enc"
    out.mkdir()
    (out / "stale.txt").write_text("old")
    adapt_encoder(TOY_TEXTS[:6], out, encoder=tiny_bert, config=AdaptConfig(batch_size=4, max_length=8))
    assert not (out / "stale.txt").exists() and (out / "config.json").is_file()


@pytest.mark.parametrize("bad, message", [
    ([], "adaptation corpus is empty"),
    (["", "  ", "ok"], "adaptation corpus is empty"),
    ("a single string of text", "got a single string"),
    (["fine text", 42], "item 1 is int"),
    (["fine text", None], "item 1 is NoneType"),
])
def test_adapt_rejects_bad_corpus_with_a_clear_error(tiny_bert, tmp_path, bad, message):
    with pytest.raises(InvalidDataError, match=message):
        adapt_encoder(bad, tmp_path / "enc", encoder=tiny_bert)
    assert not (tmp_path / "enc").exists()


def test_clean_corpus_strips_and_dedupes():
    assert clean_corpus([" a  b c ", "a b c", "xy", "d e f"]) == ["a b c", "d e f"]


def test_delete_tokens_keeps_ends_and_order():
    import torch

    ids = torch.tensor([[101, 5, 6, 7, 8, 9, 102, 0, 0]])
    mask = (ids != 0).long()
    out = delete_tokens({"input_ids": ids, "attention_mask": mask}, 0.5, torch.Generator().manual_seed(1))
    kept = out["input_ids"][0][out["attention_mask"][0].bool()].tolist()
    assert kept[0] == 101 and kept[-1] == 102 and 2 <= len(kept) < 7
    assert kept == sorted(kept, key=[101, 5, 6, 7, 8, 9, 102].index)  # order kept
    assert out["input_ids"][0][~out["attention_mask"][0].bool()].eq(0).all()
