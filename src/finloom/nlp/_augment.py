"""Mention replacement for NER training data (Dai & Adel, 2020): copies of each sentence with
every entity swapped for another mention of the same type, so the tagger learns from context
and the shape of names rather than memorising the few names a small corpus repeats."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from finloom.nlp._ner_metrics import extract_entities
from finloom.nlp._readers import io_to_bio

__all__ = ["replace_mentions"]


def replace_mentions(
    tokens: Sequence[Sequence[str]], tags: Sequence[Sequence[str]], copies: int,
    rng: np.random.Generator, *, io: bool = False,
) -> tuple[list[list[str]], list[list[str]]]:
    """Return ``copies`` new versions of every sentence holding an entity.

    Each entity is replaced by a mention drawn uniformly from the *distinct* mentions of its
    type in ``tokens`` (so a name repeated a hundred times is drawn as often as a rare one).
    ``tags`` are BIO, or IO with ``io=True``; the new tags use the same scheme.

    Examples
    --------
    >>> toks = [["Acme", "pays", "Bob"], ["Bank", "of", "Mars", "hires", "Ann", "Lee"]]
    >>> tags = [["B-ORG", "O", "B-PER"], ["B-ORG", "I-ORG", "I-ORG", "O", "B-PER", "I-PER"]]
    >>> new, new_tags = replace_mentions(toks, tags, 1, np.random.default_rng(0))
    >>> new[0], new_tags[0]
    (['Bank', 'of', 'Mars', 'pays', 'Bob'], ['B-ORG', 'I-ORG', 'I-ORG', 'O', 'B-PER'])
    """
    spans = [extract_entities(io_to_bio(list(sent))) for sent in tags]
    pool: dict[str, set[tuple[str, ...]]] = {}
    for sent, found in zip(tokens, spans, strict=True):
        for kind, a, b in found:
            pool.setdefault(kind, set()).add(tuple(sent[a : b + 1]))
    mentions = {kind: sorted(names) for kind, names in pool.items()}
    out_tokens: list[list[str]] = []
    out_tags: list[list[str]] = []
    for _ in range(copies):
        for sent, sent_tags, found in zip(tokens, tags, spans, strict=True):
            if not found:
                continue
            words: list[str] = []
            labels: list[str] = []
            pos = 0
            for kind, a, b in found:
                words += sent[pos:a]
                labels += sent_tags[pos:a]
                name = list(mentions[kind][int(rng.integers(len(mentions[kind])))])
                words += name
                first = f"I-{kind}" if io else f"B-{kind}"
                labels += [first] + [f"I-{kind}"] * (len(name) - 1)
                pos = b + 1
            out_tokens.append(words + list(sent[pos:]))
            out_tags.append(labels + list(sent_tags[pos:]))
    return out_tokens, out_tags
