"""Story files: validation of the JSON Lines format, replay against the assistant, the figures."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from finloom.apps.customer_service import load_stories, replay_story, score_stories
from finloom.errors import InvalidDataError

OWN_STORIES = Path(__file__).resolve().parents[3] / "benchmarks" / "data" / "assistant" / "stories_dev_own.jsonl"


def _write(tmp_path: Path, rows: list[object]) -> Path:
    path = tmp_path / "stories.jsonl"
    path.write_text("\n".join(r if isinstance(r, str) else json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    return path


def test_bad_story_lines_are_all_listed(tmp_path) -> None:
    path = _write(tmp_path, [
        "{not json",
        {"id": "a", "lang": "fr", "turns": [{"user": "hi", "expect": "greeting"}]},
        {"id": "b", "lang": "en", "turns": [{"user": "hi", "expect": "wave"}, {"agent": "dance"}]},
    ])
    with pytest.raises(InvalidDataError) as err:
        load_stories(path)
    text = str(err.value)
    for expected in ("line 1 must be JSON", "line 2 must have id, lang", "'expect' must be one of",
                     "agent action must be one of"):
        assert expected in text


def test_own_story_file_is_valid_and_covers_every_move() -> None:
    stories = load_stories(OWN_STORIES)
    assert len(stories) >= 30 and {s.lang for s in stories} == {"en", "zh"}
    tags = {t for s in stories for t in s.tags}
    assert {"digression", "cancel", "correction", "carry_over", "clarify", "out_of_scope", "handoff",
            "return_to_bot"} <= tags


def test_replay_scores_a_regression_story_and_counts_a_wrong_handoff(bot, tmp_path) -> None:
    good = next(s for s in load_stories(OWN_STORIES) if s.id == "own-en-regression")
    wrong = load_stories(_write(tmp_path, [{"id": "w", "lang": "en", "tags": ["task"], "turns": [
        {"user": "I want to talk to a human", "expect": "answer"}]}]))[0]
    results = [replay_story(bot, good), replay_story(bot, wrong)]
    assert results[0].ok and not results[1].ok
    assert results[1].first_miss()["kind"] == "handoff"
    figures = score_stories(results)
    assert figures["n"] == 2 and figures["task_success"] == 0.5 and figures["digression_success"] == 1.0
    assert figures["handoff_precision"] == 0.0 and figures["turn_p95_ms"] > 0
