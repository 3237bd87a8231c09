"""Lexicons of the text detectors as YAML data: named triggers and named cue lists, both languages.

A lexicon file (``lexicons/<category>.yaml``) holds

``triggers``
    a list of ``{id, why, patterns, near?, unless?, unless_scope?}``: a trigger fires where one of
    its ``patterns`` matches, if its sentence also matches one of ``near`` (when given) and none of
    ``unless`` (in the whole sentence, or only in the match's clause — between semicolons, colons
    and dashes — with ``unless_scope: clause``). ``id`` names the rule in every finding; ``why``
    explains it.
``cues``
    named lists of patterns (``negation``, ``warning`` ...) that the detector's code combines.

Patterns are case-insensitive regular expressions; English and Chinese entries sit side by side
because texts mix the two languages.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

import yaml

from finloom.apps.compliance._doc import Doc, Sentence
from finloom.apps.compliance._rules import compile_patterns, rule_file_error

__all__ = ["Entry", "Hit", "Lexicon", "load_lexicon"]


@dataclass(frozen=True)
class Entry:
    """One named trigger of a lexicon."""

    id: str
    why: str
    pattern: re.Pattern[str]
    near: re.Pattern[str] | None = None
    unless: re.Pattern[str] | None = None
    clause_unless: bool = False


@dataclass(frozen=True)
class Hit:
    """Where a trigger fired: the entry, the character span and the sentence."""

    entry: Entry
    start: int
    end: int
    sentence: Sentence

    @property
    def text(self) -> str:
        """The matched characters (normalised)."""
        return self.sentence.text[self.start - self.sentence.start : self.end - self.sentence.start]


@dataclass
class Lexicon:
    """Triggers and cue lists of one detector."""

    name: str
    triggers: list[Entry] = field(default_factory=list)
    cues: dict[str, re.Pattern[str]] = field(default_factory=dict)

    def cue(self, name: str) -> re.Pattern[str]:
        """The combined pattern of one cue list."""
        return self.cues[name]

    def hits(self, doc: Doc) -> Iterator[Hit]:
        """Every trigger match in ``doc``, sentence by sentence (one hit per entry and match)."""
        for sentence in doc.sentences:
            for entry in self.triggers:
                if entry.near is not None and not entry.near.search(sentence.text):
                    continue
                if entry.unless is not None and not entry.clause_unless and entry.unless.search(sentence.text):
                    continue
                for m in entry.pattern.finditer(sentence.text):
                    if entry.unless is not None and entry.clause_unless and \
                            entry.unless.search(_clause(sentence.text, m.start(), m.end())):
                        continue  # an allowed use in the same clause ("up to £5" after a colon is another claim)
                    yield Hit(entry, sentence.start + m.start(), sentence.start + m.end(), sentence)


_CLAUSE_BREAK = re.compile(r"[;:：；—–!?！？]|\s-\s")


def _clause(text: str, start: int, end: int) -> str:
    """The part of a sentence around ``text[start:end]`` between clause breaks (semicolons, colons, dashes)."""
    before = [m.end() for m in _CLAUSE_BREAK.finditer(text, 0, start)]
    after = _CLAUSE_BREAK.search(text, end)
    return text[before[-1] if before else 0 : after.start() if after else len(text)]


def _join(patterns: tuple[re.Pattern[str], ...]) -> re.Pattern[str] | None:
    if not patterns:
        return None
    return re.compile("|".join(f"(?:{p.pattern})" for p in patterns), re.IGNORECASE)


def _entry(source: str, line: int, raw: Any) -> Entry:
    if not isinstance(raw, dict) or not raw.get("id") or not raw.get("why") or not raw.get("patterns"):
        raise rule_file_error(source, line, f"each trigger must be a mapping with id, why and patterns; got {raw!r}")
    rid = str(raw["id"])
    pattern = _join(compile_patterns(source, line, rid, "patterns", raw["patterns"]))
    if pattern is None:
        raise rule_file_error(source, line, f"trigger {rid!r} patterns must hold at least one regex; got none")
    return Entry(rid, str(raw["why"]), pattern,
                 _join(compile_patterns(source, line, rid, "near", raw.get("near"))),
                 _join(compile_patterns(source, line, rid, "unless", raw.get("unless"))),
                 _unless_scope(source, line, rid, raw.get("unless_scope", "sentence")) == "clause")


def _unless_scope(source: str, line: int, rid: str, value: Any) -> str:
    if value not in ("sentence", "clause"):
        raise rule_file_error(source, line, f"trigger {rid!r} unless_scope must be 'sentence' or 'clause'; got {value!r}")
    return str(value)


def parse_lexicon(name: str, body: str, source: str) -> Lexicon:
    """Parse and validate a lexicon file; problems raise ConfigError naming file and line."""
    try:
        node = yaml.compose(body, Loader=yaml.SafeLoader)
        data = yaml.safe_load(body)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise rule_file_error(source, mark.line + 1 if mark else 0, f"the file must be valid YAML; got {exc}") from exc
    if not isinstance(data, dict) or node is None:
        raise rule_file_error(source, 1, "the file must be a mapping with 'triggers' and/or 'cues'; got something else")
    lines = {k.value: v for k, v in node.value}
    lexicon = Lexicon(name)
    for item, raw in zip(getattr(lines.get("triggers"), "value", []), data.get("triggers") or [], strict=True):
        lexicon.triggers.append(_entry(source, item.start_mark.line + 1, raw))
    for key, raw in (data.get("cues") or {}).items():
        line = next(k.start_mark.line + 1 for k, _ in lines["cues"].value if k.value == key)
        joined = _join(compile_patterns(source, line, f"cues.{key}", "patterns", raw))
        if joined is None:
            raise rule_file_error(source, line, f"cue list {key!r} must hold at least one pattern; got none")
        lexicon.cues[str(key)] = joined
    return lexicon


@cache
def load_lexicon(name: str) -> Lexicon:
    """The lexicon shipped as ``lexicons/<name>.yaml`` (parsed once per process).

    Examples
    --------
    >>> lex = load_lexicon("promissory")
    >>> bool(lex.triggers) and "allowed" in lex.cues
    True
    """
    item = resources.files("finloom.apps.compliance") / "lexicons" / f"{name}.yaml"
    return parse_lexicon(name, item.read_text(encoding="utf-8"), f"lexicons/{name}.yaml")
