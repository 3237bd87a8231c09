from __future__ import annotations

import pytest

from finloom.apps.compliance._doc import Doc
from finloom.apps.compliance._lexicon import load_lexicon, parse_lexicon
from finloom.errors import ConfigError


@pytest.mark.parametrize("name", ["scope", "promissory", "risk_disclosure", "superlative", "suitability"])
def test_shipped_lexicons_load(name: str) -> None:
    lexicon = load_lexicon(name)
    assert lexicon.triggers or lexicon.cues


def test_triggers_near_and_unless() -> None:
    body = ("triggers:\n  - id: T\n    why: w\n    patterns: ['\\bgain\\b']\n    near: ['%']\n"
            "    unless: ['\\bnot\\b']\ncues:\n  c: ['x']\n")
    lex = parse_lexicon("t", body, "t.yaml")
    hits = list(lex.hits(Doc("A 5% gain. A gain. Not a 5% gain.")))
    assert [(h.entry.id, h.text) for h in hits] == [("T", "gain")]
    assert lex.cue("c").search("x")


def test_unless_in_the_clause_only_when_asked() -> None:
    body = ("triggers:\n  - id: T\n    why: w\n    patterns: ['\\bbest\\b']\n    unless: ['\\bup to\\b']\n"
            "    unless_scope: {scope}\n")
    text = "The best account: up to 5%. The best account up to 5%."
    clause = parse_lexicon("t", body.format(scope="clause"), "t.yaml")
    sentence = parse_lexicon("t", body.format(scope="sentence"), "t.yaml")
    assert [h.start for h in clause.hits(Doc(text))] == [4]  # the limit after the colon is another clause
    assert list(sentence.hits(Doc(text))) == []


@pytest.mark.parametrize(("body", "message"), [
    ("triggers:\n  - id: T\n    why: w\n    patterns: ['a']\n    unless: ['b']\n    unless_scope: word\n",
     r"t\.yaml, line 2: trigger 'T' unless_scope must be 'sentence' or 'clause'"),
    ("triggers:\n  - id: T\n    why: w\n    patterns: ['(']\n", r"t\.yaml, line 2: rule 'T' patterns regex must compile"),
    ("triggers:\n  - id: T\n    patterns: ['a']\n", r"t\.yaml, line 2: each trigger must be a mapping with id, why and patterns"),
    ("cues:\n  c: []\n", r"t\.yaml, line 2: cue list 'c' must hold at least one pattern"),
    ("triggers: [\n", r"t\.yaml, line \d+: the file must be valid YAML"),
    ("- a\n", r"t\.yaml, line 1: the file must be a mapping"),
])
def test_lexicon_errors_name_file_and_line(body: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        parse_lexicon("t", body, "t.yaml")
