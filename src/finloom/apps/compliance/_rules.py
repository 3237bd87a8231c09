"""Rule packs as YAML data files: loading, validation (errors name file and line) and matching."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from finloom.apps.compliance._doc import Doc
from finloom.apps.compliance._named_card import named_cards
from finloom.apps.compliance.schemas import SEVERITY_ORDER, Finding
from finloom.errors import ConfigError
from finloom.textgen._pii import PII_KINDS, find_pii

__all__ = ["Rule", "RulePack", "builtin_packs", "load_rule_pack"]

_TYPES = {"pattern", "requires", "pii", "suitability"}
_DETECTORS = set(PII_KINDS)


@dataclass(frozen=True)
class Rule:
    """One compiled rule; ``type`` is pattern, requires, pii or suitability."""

    id: str
    type: str
    category: str
    severity: str
    explanation: str
    patterns: tuple[re.Pattern[str], ...] = ()
    unless: tuple[re.Pattern[str], ...] = ()
    when: tuple[re.Pattern[str], ...] = ()
    require: tuple[re.Pattern[str], ...] = ()
    detector: str | None = None
    line: int = 0


@dataclass
class RulePack:
    """A named list of rules loaded from one YAML file."""

    name: str
    lang: str | None
    rules: list[Rule] = field(default_factory=list)
    source: str = ""


def rule_file_error(source: str, line: int, what: str) -> ConfigError:
    """The error for a problem in a rule or lexicon file, naming the file and the line."""
    return ConfigError(f"{source}, line {line}: {what}. Fix the rule file and reload.")


def compile_patterns(source: str, line: int, rule_id: str, key: str, values: Any) -> tuple[re.Pattern[str], ...]:
    """Compile a list of case-insensitive regex strings; a problem names file, line, rule and key."""
    if values is None:
        return ()
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise rule_file_error(source, line, f"rule {rule_id!r} field {key!r} must be a list of regex strings; got {values!r}")
    out = []
    for v in values:
        try:
            out.append(re.compile(v, re.IGNORECASE))
        except re.error as exc:
            raise rule_file_error(source, line, f"rule {rule_id!r} {key} regex must compile; got {v!r} ({exc})") from exc
    return tuple(out)


def _rule(source: str, line: int, raw: Any) -> Rule:
    if not isinstance(raw, dict):
        raise rule_file_error(source, line, f"each rule must be a mapping; got {raw!r}")
    missing = [k for k in ("id", "type", "category", "severity", "explanation") if not raw.get(k)]
    if missing:
        raise rule_file_error(source, line, f"rule must define {', '.join(missing)}; got keys {sorted(raw)}")
    rid = str(raw["id"])
    if raw["type"] not in _TYPES:
        raise rule_file_error(source, line, f"rule {rid!r} type must be one of {sorted(_TYPES)}; got {raw['type']!r}")
    if raw["severity"] not in SEVERITY_ORDER:
        raise rule_file_error(source, line, f"rule {rid!r} severity must be one of {list(SEVERITY_ORDER)}; got {raw['severity']!r}")
    rule = Rule(
        rid, raw["type"], str(raw["category"]), raw["severity"], str(raw["explanation"]),
        compile_patterns(source, line, rid, "patterns", raw.get("patterns")),
        compile_patterns(source, line, rid, "unless", raw.get("unless")),
        compile_patterns(source, line, rid, "when", raw.get("when")),
        compile_patterns(source, line, rid, "require", raw.get("require")),
        raw.get("detector"), line,
    )
    needs = {"pattern": rule.patterns, "requires": rule.when and rule.require}
    if rule.type in needs and not needs[rule.type]:
        keys = "patterns" if rule.type == "pattern" else "when and require"
        raise rule_file_error(source, line, f"rule {rid!r} of type {rule.type} must define {keys}; got none")
    if rule.type == "pii" and rule.detector not in _DETECTORS:
        raise rule_file_error(source, line, f"rule {rid!r} detector must be one of {sorted(_DETECTORS)}; got {rule.detector!r}")
    return rule


def load_rule_pack(path: str | Path, *, text: str | None = None) -> RulePack:
    """Load and validate a YAML rule pack; any problem raises ConfigError naming file and line.

    Examples
    --------
    >>> load_rule_pack("bad.yaml", text="rules:\\n  - id: X\\n    type: nope\\n")
    Traceback (most recent call last):
    ...
    finloom.errors.ConfigError: bad.yaml, line 2: rule must define category, severity, explanation; got keys ['id', 'type']. Fix the rule file and reload.
    """
    source = str(path)
    body = Path(path).read_text(encoding="utf-8") if text is None else text
    try:
        node = yaml.compose(body, Loader=yaml.SafeLoader)
        data = yaml.safe_load(body)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 0
        raise rule_file_error(source, line, f"the file must be valid YAML; got {getattr(exc, 'problem', exc)}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("rules"), list) or node is None:
        raise rule_file_error(source, 1, "the file must be a mapping with a 'rules' list; got something else")
    rules_node = next(v for k, v in node.value if k.value == "rules")
    rules = [_rule(source, n.start_mark.line + 1, raw) for n, raw in zip(rules_node.value, data["rules"], strict=True)]
    ids = [r.id for r in rules]
    dup = sorted({i for i in ids if ids.count(i) > 1})
    if dup:
        raise rule_file_error(source, 1, f"rule ids must be unique; got {dup} more than once")
    return RulePack(str(data.get("pack", Path(source).stem)), data.get("lang"), rules, source)


def builtin_packs() -> dict[str, RulePack]:
    """The rule packs shipped with finloom: ``common`` (PII, suitability), ``en`` and ``zh``.

    Examples
    --------
    >>> sorted(builtin_packs())
    ['common', 'en', 'zh']
    """
    return dict(_builtin_packs())


@cache
def _builtin_packs() -> dict[str, RulePack]:
    root = resources.files("finloom.apps.compliance") / "rules"
    packs = {}
    for name in ("common", "en", "zh"):
        item = root / f"{name}.yaml"
        packs[name] = load_rule_pack(f"rules/{name}.yaml", text=item.read_text(encoding="utf-8"))
    return packs


def sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans used by pattern rules (the detectors' sentence splitter)."""
    return [(s.start, s.end) for s in Doc(text).sentences]


def apply_rule(rule: Rule, text: str, spans: list[tuple[int, int]]) -> list[Finding]:
    """Findings of one text rule (pattern, requires or pii) on ``text``."""
    if rule.type == "pii":
        found = find_pii(text, (rule.detector or "",))
        if rule.detector == "card":  # a number the text calls a card, though a reference word precedes it
            found += [m for m in named_cards(text) if not any(f.start < m.end and m.start < f.end for f in found)]
        return [Finding(rule.id, rule.severity, rule.category, rule.explanation, m.start, m.end, m.text)
                for m in sorted(found, key=lambda m: m.start)]
    if rule.type == "requires":
        trigger = next((m for p in rule.when for m in [p.search(text)] if m), None)
        if trigger is None or any(p.search(text) for p in rule.require):
            return []
        return [Finding(rule.id, rule.severity, rule.category, rule.explanation,
                        trigger.start(), trigger.end(), trigger.group(0))]
    out: list[Finding] = []
    if rule.type != "pattern":
        return out
    for a, b in spans:
        sentence = text[a:b]
        if any(u.search(sentence) for u in rule.unless):
            continue
        for p in rule.patterns:
            m = p.search(sentence)
            if m:
                out.append(Finding(rule.id, rule.severity, rule.category, rule.explanation,
                                   a + m.start(), a + m.end(), m.group(0)))
                break
    return out
