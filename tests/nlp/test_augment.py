"""Mention replacement: what it swaps, what it keeps, and that the tagger trains on it."""

from __future__ import annotations

import numpy as np
import pytest

from finloom.errors import ConfigError
from finloom.nlp import TokenTagger
from finloom.nlp._augment import replace_mentions
from finloom.nlp._metrics import extract_entities
from finloom.nlp._readers import bio_to_io, io_to_bio
from tests.nlp._toy import NER_TAGS, NER_TOKENS


def _mentions(tokens, tags):
    return {(kind, tuple(s[a : b + 1])) for s, t in zip(tokens, tags, strict=True)
            for kind, a, b in extract_entities(io_to_bio(t))}


@pytest.mark.parametrize("io", [False, True])
def test_replace_mentions_swaps_entities_for_same_type_mentions(io):
    tags = [bio_to_io(t) for t in NER_TAGS] if io else NER_TAGS
    tokens = [*NER_TOKENS, ["nothing", "here"]]
    tags = [*tags, ["O", "O"]]
    new, new_tags = replace_mentions(tokens, tags, 3, np.random.default_rng(0), io=io)
    assert len(new) == 3 * 3  # the sentence without an entity is not copied
    assert all(len(s) == len(t) for s, t in zip(new, new_tags, strict=True))
    assert _mentions(new, new_tags) <= _mentions(tokens, tags)  # only known mentions, right type
    assert len(_mentions(new, new_tags)) > 2  # names moved between sentences
    assert all(t[:2] != "B-" for s in new_tags for t in s) if io else True
    for src, s, t in zip(tokens[:3] * 3, new, new_tags, strict=True):
        assert [w for w, g in zip(s, t, strict=True) if g == "O"] == [
            w for w, g in zip(src, tags[tokens.index(src)], strict=True) if g == "O"]
    again = replace_mentions(tokens, tags, 3, np.random.default_rng(0), io=io)
    assert again == (new, new_tags)


def test_token_tagger_trains_on_replaced_mentions(tiny_bert):
    kw = {"encoder": tiny_bert, "epochs": 1, "batch_size": 4, "validation_fraction": 0.0, "random_state": 0}
    plain = TokenTagger(**kw, mention_replacement=0).fit(NER_TOKENS * 4, NER_TAGS * 4)
    more = TokenTagger(**kw, mention_replacement=2).fit(NER_TOKENS * 4, NER_TAGS * 4)
    assert len(more.history_.step_loss) == 3 * len(plain.history_.step_loss)
    with pytest.raises(ConfigError, match="mention_replacement"):
        TokenTagger(encoder=tiny_bert, mention_replacement=-1).fit(NER_TOKENS, NER_TAGS)
