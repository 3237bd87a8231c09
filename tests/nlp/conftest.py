"""Fixtures for the nlp tests: a tiny random BERT (hidden 32, 2 layers) and toy data."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.nlp._toy import EXTRA_WORDS, NER_TOKENS, TOY_TEXTS


def _vocab() -> list[str]:
    words = {w for t in TOY_TEXTS for w in t.split()} | {w for s in NER_TOKENS for w in s}
    return ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *sorted(words | set(EXTRA_WORDS))]


def make_tiny_bert(directory: Path) -> Path:
    """Save a randomly initialised 2-layer BERT (hidden 32) and a word-level tokenizer."""
    import torch
    from transformers import BertConfig, BertModel, BertTokenizerFast

    directory.mkdir(parents=True, exist_ok=True)
    vocab = _vocab()
    tok = BertTokenizerFast(vocab={w: i for i, w in enumerate(vocab)}, do_lower_case=True)
    tok.save_pretrained(str(directory))
    cfg = BertConfig(vocab_size=len(vocab), hidden_size=32, num_hidden_layers=2,
                     num_attention_heads=2, intermediate_size=64, max_position_embeddings=128)
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(0)
        model = BertModel(cfg)
    model.save_pretrained(str(directory))
    return directory


def make_tiny_distilbert(directory: Path) -> Path:
    """A 1-layer DistilBERT (hidden 32) whose tokenizer emits no token_type_ids, like MPNet's."""
    import torch
    from transformers import DistilBertConfig, DistilBertModel, DistilBertTokenizerFast

    directory.mkdir(parents=True, exist_ok=True)
    vocab = _vocab()
    tok = DistilBertTokenizerFast(vocab={w: i for i, w in enumerate(vocab)}, do_lower_case=True)
    tok.save_pretrained(str(directory))
    cfg = DistilBertConfig(vocab_size=len(vocab), dim=32, n_layers=1, n_heads=2, hidden_dim=64,
                           max_position_embeddings=128)
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(0)
        model = DistilBertModel(cfg)
    model.save_pretrained(str(directory))
    return directory


@pytest.fixture(scope="session")
def tiny_bert(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Path of a tiny random BERT encoder folder."""
    return make_tiny_bert(tmp_path_factory.mktemp("tiny_bert"))


@pytest.fixture(scope="session")
def minilm():
    """The bundled MiniLM encoder, loaded once for the few tests that need real embeddings."""
    from finloom.nlp import Encoder

    return Encoder()
