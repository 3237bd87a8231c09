"""The risk-profile questionnaire (English and Chinese): load its YAML rules and score answers to C1–C5."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from finloom.errors import ConfigError, InvalidDataError, did_you_mean

__all__ = ["LEVELS", "Questionnaire", "RiskScore", "load_questionnaire"]

LEVELS = ("C1", "C2", "C3", "C4", "C5")
_LANGS = ("en", "zh")


@dataclass(frozen=True)
class RiskScore:
    """The result of scoring: total points, the level before and after caps, why, and constraints."""

    score: float
    level: str
    uncapped_level: str
    caps: tuple[str, ...] = ()
    min_liquid: float = 0.0
    horizon_years: float = 5.0
    answers: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready copy."""
        return {
            "score": self.score,
            "level": self.level,
            "uncapped_level": self.uncapped_level,
            "caps": list(self.caps),
            "min_liquid": self.min_liquid,
            "horizon_years": self.horizon_years,
            "answers": dict(self.answers),
        }


def _problems_in_rules(raw: Any) -> list[str]:
    if (
        not isinstance(raw, dict)
        or not isinstance(raw.get("questions"), list)
        or not raw["questions"]
    ):
        return [
            "the questionnaire must have a non-empty 'questions' list; got none. See rules/questionnaire.yaml."
        ]
    problems = []
    for q in raw["questions"]:
        if not q.get("id") or not q.get("options"):
            problems.append(f"each question must have an id and options; got {q!r}.")
        for lang in _LANGS:
            if lang not in (q.get("text") or {}):
                problems.append(f"question {q.get('id')!r} must have a '{lang}' text; got none.")
    levels = [entry.get("level") for entry in raw.get("levels") or []]
    if levels != list(LEVELS):
        problems.append(f"levels must list {list(LEVELS)} in order; got {levels}.")
    mins = [float(entry.get("min", 0)) for entry in raw.get("levels") or []]
    if mins != sorted(mins):
        problems.append(f"level thresholds must rise from C1 to C5; got {mins}.")
    for cap in raw.get("caps") or []:
        if cap.get("max_level") not in LEVELS:
            problems.append(
                f"a cap's max_level must be one of {list(LEVELS)}; got {cap.get('max_level')!r}."
            )
    return problems


class Questionnaire:
    """Questions, option scores, level thresholds and caps from a YAML file the user can edit.

    Examples
    --------
    >>> q = load_questionnaire()
    >>> r = q.score({"age": "30_45", "horizon": "5_10y", "goal": "growth", "income_stability": "stable",
    ...              "liquidity": "low", "experience": "equities", "loss_tolerance": "up_to_15"})
    >>> r.level, r.score
    ('C4', 63.0)
    >>> q.score({**r.answers, "loss_tolerance": "none"}).level
    'C1'
    """

    def __init__(self, rules: dict[str, Any], *, source: str = "") -> None:
        problems = _problems_in_rules(rules)
        if problems:
            raise ConfigError(" ".join(problems))
        self.rules = rules
        self.source = source
        self.version = str(rules.get("version", "1"))

    @property
    def question_ids(self) -> list[str]:
        """The question ids in order."""
        return [str(q["id"]) for q in self.rules["questions"]]

    def questions(self, lang: str = "en") -> list[dict[str, Any]]:
        """The questions in ``lang`` (``"en"`` or ``"zh"``): id, text and options (value, label)."""
        if lang not in _LANGS:
            raise ConfigError(f"lang must be one of {list(_LANGS)}; got {lang!r}.")
        return [
            {
                "id": q["id"],
                "text": q["text"][lang],
                "options": [
                    {"value": str(o["value"]), "label": o.get(lang, str(o["value"]))}
                    for o in q["options"]
                ],
            }
            for q in self.rules["questions"]
        ]

    def level_name(self, level: str, lang: str = "en") -> str:
        """The level's name (``C3`` → ``Balanced`` / ``稳健型``)."""
        for entry in self.rules["levels"]:
            if entry["level"] == level:
                return str(entry.get(lang, level))
        raise ConfigError(f"level must be one of {list(LEVELS)}; got {level!r}.")

    def _option(self, qid: str, value: str) -> dict[str, Any]:
        question = next(q for q in self.rules["questions"] if q["id"] == qid)
        return next(o for o in question["options"] if str(o["value"]) == value)

    def _answer_problems(self, answers: dict[str, Any]) -> list[str]:
        problems = []
        for q in self.rules["questions"]:
            values = [str(o["value"]) for o in q["options"]]
            if q["id"] not in answers or answers[q["id"]] in (None, ""):
                problems.append(
                    f"answer '{q['id']}' must be given; got nothing. Choose one of {values}."
                )
            elif str(answers[q["id"]]) not in values:
                got = str(answers[q["id"]])
                problems.append(
                    f"answer '{q['id']}' must be one of {values}; got {got!r}.{did_you_mean(got, values)}"
                )
        unknown = sorted(set(answers) - set(self.question_ids))
        if unknown:
            problems.append(
                f"answers must name questions of the questionnaire; got unknown {unknown}."
                f"{did_you_mean(unknown[0], self.question_ids)}"
            )
        return problems

    def score(self, answers: dict[str, Any]) -> RiskScore:
        """Score ``answers`` (question id → option value); raise InvalidDataError listing every problem."""
        problems = self._answer_problems(answers)
        if problems:
            raise InvalidDataError(problems)
        clean = {qid: str(answers[qid]) for qid in self.question_ids}
        total = float(sum(float(self._option(qid, v).get("score", 0)) for qid, v in clean.items()))
        uncapped = LEVELS[0]
        for entry in self.rules["levels"]:
            if total >= float(entry["min"]):
                uncapped = str(entry["level"])
        level, caps = uncapped, []
        for cap in self.rules.get("caps") or []:
            if clean.get(cap["question"]) == str(cap["answer"]) and LEVELS.index(
                cap["max_level"]
            ) < LEVELS.index(level):
                level = str(cap["max_level"])
                caps.append(f"{cap['question']}={cap['answer']} -> {cap['max_level']}")
        effects: dict[str, float] = {}
        years = 5.0
        for qid, value in clean.items():
            option = self._option(qid, value)
            effects.update({k: float(v) for k, v in (option.get("effects") or {}).items()})
            if "years" in option:
                years = float(option["years"])
        return RiskScore(
            score=total,
            level=level,
            uncapped_level=uncapped,
            caps=tuple(caps),
            min_liquid=effects.get("min_liquid", 0.0),
            horizon_years=years,
            answers=clean,
        )


def load_questionnaire(path: str | os.PathLike[str] | None = None) -> Questionnaire:
    """Read the questionnaire YAML (default: the shipped ``rules/questionnaire.yaml``).

    Examples
    --------
    >>> load_questionnaire().question_ids[:3]
    ['age', 'horizon', 'goal']
    """
    if path is None:
        text = (resources.files("finloom.apps.advisor") / "rules" / "questionnaire.yaml").read_text(
            encoding="utf-8"
        )
        source = "builtin"
    else:
        file = Path(path)
        if not file.is_file():
            raise ConfigError(f"questionnaire file must exist; got '{file}'. Check the path.")
        text, source = file.read_text(encoding="utf-8"), str(file)
    try:
        rules = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ConfigError(
            f"questionnaire file must be valid YAML; got an error: {exc}. Fix the file."
        ) from exc
    return Questionnaire(rules, source=source)
