"""Editable monitoring rules: a YAML file of named conditions on the event features."""

from __future__ import annotations

import operator
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from finloom.apps.monitoring.transactions._state import FEATURES
from finloom.errors import ConfigError, did_you_mean

__all__ = ["DEFAULT_RULES", "Rule", "RuleSet", "load_rules", "parse_rules"]

DEFAULT_RULES = Path(__file__).with_name("rules.yaml")
_OPS: dict[str, Callable[[float, float], bool]] = {
    ">=": operator.ge,
    "<=": operator.le,
    "==": operator.eq,
    "!=": operator.ne,
    ">": operator.gt,
    "<": operator.lt,
}
_INDEX = {name: i for i, name in enumerate(FEATURES)}


@dataclass(frozen=True)
class Rule:
    """One named rule: every ``(feature index, op, value)`` condition must hold."""

    name: str
    description: str
    conditions: tuple[tuple[int, Callable[[float, float], bool], float], ...]
    weight: float = 1.0

    def fires(self, features: Sequence[float]) -> bool:
        """Whether the rule fires on one feature vector.

        Examples
        --------
        >>> rules = load_rules()
        >>> rules.rules[0].fires([0.0] * len(FEATURES))
        False
        """
        return all(op(features[i], v) for i, op, v in self.conditions)


def _condition(
    rule: str, feature: str, text: Any
) -> tuple[int, Callable[[float, float], bool], float]:
    if feature not in _INDEX:
        raise ConfigError(
            f"rule {rule!r}: a condition must name a feature; got {feature!r}."
            f"{did_you_mean(feature, FEATURES)}"
        )
    parts = str(text).split()
    if len(parts) != 2 or parts[0] not in _OPS:
        raise ConfigError(
            f"rule {rule!r}: a condition must read '<op> <number>' with op in "
            f"{list(_OPS)}; got {text!r}. Write e.g. '>= 5'."
        )
    try:
        value = float(parts[1])
    except ValueError:
        raise ConfigError(f"rule {rule!r}: the value must be a number; got {parts[1]!r}.") from None
    return _INDEX[feature], _OPS[parts[0]], value


@dataclass(frozen=True)
class RuleSet:
    """The rules and the reporting threshold they assume."""

    rules: tuple[Rule, ...]
    threshold: float = 10_000.0
    text: str = ""

    @property
    def names(self) -> list[str]:
        """Rule names in file order.

        Examples
        --------
        >>> "structuring" in load_rules().names
        True
        """
        return [r.name for r in self.rules]

    def evaluate(self, features: Sequence[float]) -> list[int]:
        """Indices of the rules that fire.

        Examples
        --------
        >>> rs = load_rules()
        >>> f = [0.0] * len(FEATURES)
        >>> f[FEATURES.index("days_since_last")] = 45.0
        >>> [rs.names[i] for i in rs.evaluate(f)]
        ['dormant_reactivation']
        """
        return [k for k, rule in enumerate(self.rules) if rule.fires(features)]


def parse_rules(text: str) -> RuleSet:
    """Build a :class:`RuleSet` from YAML text (see ``rules.yaml`` for the format).

    Examples
    --------
    >>> parse_rules("rules: [{name: big, when: {log_amount: '>= 9'}}]").names
    ['big']
    """
    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        raise ConfigError(
            f"the rules must be valid YAML; got an error: {exc}. Fix the file."
        ) from None
    if not isinstance(data, dict) or not isinstance(data.get("rules"), list):
        raise ConfigError(
            "the rules must be a mapping with a 'rules' list; got "
            f"{type(data).__name__}. Start from the shipped rules.yaml."
        )
    rules, seen = [], set()
    for item in data["rules"]:
        name = str(item.get("name", "")) if isinstance(item, dict) else ""
        if not name or name in seen or not isinstance(item.get("when"), dict) or not item["when"]:
            raise ConfigError(
                f"each rule must have a unique name and a 'when' mapping; got {item!r}."
            )
        seen.add(name)
        conditions = tuple(_condition(name, str(f), t) for f, t in item["when"].items())
        rules.append(
            Rule(name, str(item.get("description", "")), conditions, float(item.get("weight", 1.0)))
        )
    return RuleSet(tuple(rules), float(data.get("threshold", 10_000.0)), text)


def load_rules(path: str | os.PathLike[str] | None = None) -> RuleSet:
    """Read a rules file (default: the shipped ``rules.yaml``).

    Examples
    --------
    >>> len(load_rules().rules) >= 10
    True
    """
    file = Path(path) if path is not None else DEFAULT_RULES
    if not file.is_file():
        raise ConfigError(f"the rules file must exist; got {str(file)!r}. Check the path.")
    return parse_rules(file.read_text(encoding="utf-8"))
