"""Constrained Viterbi decoding: allowed transitions per scheme, joint type choice."""

from __future__ import annotations

import numpy as np

from finloom.nlp._decode import allowed_transitions, viterbi_tags

BIO = ["O", "B-LOC", "B-ORG", "I-LOC", "I-ORG"]
IO = ["O", "I-LOC", "I-ORG"]


def test_allowed_transitions_bio_forbids_orphan_and_switched_inside_tags():
    ok = allowed_transitions(BIO, "bio")
    assert not ok[0, BIO.index("I-LOC")]  # O -> I-LOC
    assert not ok[len(BIO), BIO.index("I-ORG")]  # start -> I-ORG
    assert not ok[BIO.index("B-ORG"), BIO.index("I-LOC")]
    assert ok[BIO.index("B-LOC"), BIO.index("I-LOC")] and ok[BIO.index("I-LOC"), BIO.index("B-ORG")]


def test_viterbi_tags_bio_output_is_well_formed():
    rng = np.random.default_rng(0)
    ok = allowed_transitions(BIO, "bio")
    for _ in range(20):
        tags = viterbi_tags(np.log(rng.dirichlet(np.ones(len(BIO)), size=7)), BIO, ok)
        for prev, tag in zip(["O", *tags], tags, strict=False):
            if tag.startswith("I-"):
                assert prev != "O" and prev[2:] == tag[2:]


def test_viterbi_tags_io_gives_one_type_per_run():
    p = np.log(np.array([[0.1, 0.5, 0.4], [0.1, 0.2, 0.7], [0.1, 0.2, 0.7], [0.8, 0.1, 0.1]]))
    assert [IO[i] for i in p.argmax(1)] == ["I-LOC", "I-ORG", "I-ORG", "O"]
    assert viterbi_tags(p, IO, allowed_transitions(IO, "io")) == ["I-ORG", "I-ORG", "I-ORG", "O"]


def test_viterbi_tags_empty_sentence():
    assert viterbi_tags(np.zeros((0, 3)), IO, allowed_transitions(IO, "io")) == []
