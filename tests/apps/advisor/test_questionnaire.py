"""Questionnaire scoring: thresholds, caps, bad answers, an edited rules file."""

from __future__ import annotations

import pytest
import yaml

from finloom.apps.advisor import LEVELS, load_questionnaire
from finloom.errors import ConfigError, InvalidDataError

from .conftest import ANSWERS_C1, ANSWERS_C4


def _extreme(q, pick):
    return {
        qq["id"]: str(pick(qq["options"], key=lambda o: o["score"])["value"])
        for qq in q.rules["questions"]
    }


def test_score_levels_at_both_ends() -> None:
    q = load_questionnaire()
    low, high = q.score(_extreme(q, min)), q.score(_extreme(q, max))
    assert (low.level, low.score) == ("C1", 0.0)
    assert high.level == "C5" and high.caps == ()
    assert q.score(ANSWERS_C4).level == "C4"


def test_score_threshold_is_inclusive(tmp_path) -> None:
    q = load_questionnaire()
    total = q.score(ANSWERS_C4).score
    rules = yaml.safe_load(yaml.safe_dump(q.rules))
    for entry in rules["levels"]:
        if entry["level"] == "C5":
            entry["min"] = total  # exactly the threshold: reaches C5
    path = tmp_path / "q.yaml"
    path.write_text(yaml.safe_dump(rules, allow_unicode=True), encoding="utf-8")
    assert load_questionnaire(path).score(ANSWERS_C4).level == "C5"
    for entry in rules["levels"]:
        if entry["level"] == "C5":
            entry["min"] = total + 0.5
    path.write_text(yaml.safe_dump(rules, allow_unicode=True), encoding="utf-8")
    assert load_questionnaire(path).score(ANSWERS_C4).level == "C4"


def test_caps_lower_the_level_and_say_why() -> None:
    q = load_questionnaire()
    r = q.score({**_extreme(q, max), "loss_tolerance": "none"})
    assert r.uncapped_level in ("C4", "C5") and r.level == "C1"
    assert r.caps == ("loss_tolerance=none -> C1",)
    assert q.score({**ANSWERS_C4, "horizon": "under_1y"}).level in ("C1", "C2")
    assert q.score(ANSWERS_C1).level == "C1"


def test_effects_and_horizon_are_read_from_answers() -> None:
    r = load_questionnaire().score(ANSWERS_C1)
    assert r.min_liquid == 0.5 and r.horizon_years == 3.0


def test_every_problem_with_answers_is_listed() -> None:
    q = load_questionnaire()
    with pytest.raises(InvalidDataError) as err:
        q.score({"age": "3045", "horizn": "5_10y"})
    text = str(err.value)
    assert "answer 'age' must be one of" in text and "did you mean" in text.lower()
    assert "answer 'horizon' must be given" in text and "unknown ['horizn']" in text


def test_questions_in_both_languages() -> None:
    q = load_questionnaire()
    en, zh = q.questions("en"), q.questions("zh")
    assert [x["id"] for x in en] == [x["id"] for x in zh] == q.question_ids
    assert zh[0]["text"] == "您的年龄是？" and q.level_name("C3", "zh") == "稳健型"
    with pytest.raises(ConfigError, match="lang must be one of"):
        q.questions("fr")


def test_broken_rules_file_is_refused(tmp_path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("questions: []\nlevels: []\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="non-empty 'questions'"):
        load_questionnaire(path)
    path.write_text("questions: [\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="valid YAML"):
        load_questionnaire(path)
    assert LEVELS == ("C1", "C2", "C3", "C4", "C5")
