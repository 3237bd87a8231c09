"""Scripted multi-turn stories: read them from JSON Lines, replay them against an assistant and
score task success, digression handling and handoff precision."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from finloom.errors import InvalidDataError

__all__ = ["REPLY_KINDS", "Story", "StoryResult", "load_stories", "replay_story", "score_stories"]

REPLY_KINDS = frozenset({
    "answer", "task_prompt", "resume_reminder", "scope_statement", "clarify", "handoff", "task_done",
    "cancelled", "greeting", "goodbye", "dont_know", "offer_declined", "need_login", "agent_pending",
    "returned_to_bot", "forwarded", "task_error", "unsupported_language"})
AGENT_ACTIONS = ("take_over", "reply", "release")


@dataclass(frozen=True)
class Story:
    """One scripted conversation: ``turns`` are ``{"user", "expect", "intent"?}`` customer turns or
    ``{"agent": "take_over" | "reply" | "release", "text"?}`` agent actions."""

    id: str
    lang: str
    turns: tuple[dict[str, Any], ...]
    signed_in: bool = True
    tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class StoryResult:
    """How a replayed story went: per customer turn the expected and actual kind/intent."""

    story: Story
    turns: list[dict[str, Any]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Every customer turn got the expected kind (and intent, when the story gives one)."""
        return all(t["ok"] for t in self.turns)

    def first_miss(self) -> dict[str, Any] | None:
        """The first customer turn that went wrong, or ``None``."""
        return next((t for t in self.turns if not t["ok"]), None)


def _check_turn(turn: Any, where: str) -> list[str]:
    if not isinstance(turn, dict):
        return [f"{where} must be an object; got {type(turn).__name__}."]
    if "agent" in turn:
        ok = turn["agent"] in AGENT_ACTIONS and (turn["agent"] != "reply" or turn.get("text"))
        return [] if ok else [f"{where} agent action must be one of {AGENT_ACTIONS} (reply with a text); "
                              f"got {turn!r}."]
    problems = []
    if not isinstance(turn.get("user"), str) or not turn["user"].strip():
        problems.append(f"{where} must have a non-empty 'user' text; got {turn.get('user')!r}.")
    if turn.get("expect") not in REPLY_KINDS:
        problems.append(f"{where} 'expect' must be one of {sorted(REPLY_KINDS)}; got {turn.get('expect')!r}.")
    return problems


def load_stories(path: str | os.PathLike[str]) -> list[Story]:
    """Read stories from a JSON Lines file (one story per line; see the assistant story spec).

    Raises
    ------
    InvalidDataError
        Listing every malformed line (bad JSON, missing id/lang/turns, unknown reply kind).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "s.jsonl"
    >>> _ = p.write_text('{"id": "a", "lang": "en", "turns": [{"user": "hi", "expect": "greeting"}]}\\n')
    >>> load_stories(p)[0].turns[0]["expect"]
    'greeting'
    """
    stories, problems = [], []
    for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            problems.append(f"line {n} must be JSON; got {exc.msg}.")
            continue
        turns = row.get("turns") if isinstance(row, dict) else None
        if not isinstance(row, dict) or not row.get("id") or row.get("lang") not in ("en", "zh") \
                or not isinstance(turns, list) or not turns:
            problems.append(f"line {n} must have id, lang ('en' or 'zh') and a non-empty turns list.")
            continue
        bad = [p for i, t in enumerate(turns) for p in _check_turn(t, f"line {n} turn {i + 1}")]
        problems.extend(bad)
        if not bad:
            stories.append(Story(str(row["id"]), row["lang"], tuple(turns),
                                 bool(row.get("signed_in", True)), tuple(row.get("tags", ()))))
    if problems:
        raise InvalidDataError(problems)
    return stories


def replay_story(bot: Any, story: Story, *, customer_id: str | None = None,
                 agent_id: str = "story-agent") -> StoryResult:
    """Play ``story`` against ``bot`` (a :class:`CustomerServiceAssistant`) in a fresh session;
    each customer turn records expected/actual kind and intent and its latency in ms."""
    customer = (customer_id or f"story-{story.id}") if story.signed_in else None
    session = bot.start_session(customer_id=customer, lang=story.lang)
    result = StoryResult(story)
    for i, turn in enumerate(story.turns):
        if "agent" in turn:
            action = turn["agent"]
            if action == "take_over":
                bot.agent_take_over(session.id, agent_id)
            elif action == "reply":
                bot.agent_reply(session.id, agent_id, turn["text"])
            else:
                bot.release_to_bot(session.id, agent_id)
            continue
        start = time.perf_counter()
        reply = bot.handle_message(session.id, turn["user"])
        ms = (time.perf_counter() - start) * 1000
        want_intent = turn.get("intent")
        ok = reply.kind == turn["expect"] and (want_intent is None or reply.intent == want_intent)
        result.turns.append({"turn": i, "user": turn["user"], "expect": turn["expect"], "kind": reply.kind,
                             "expect_intent": want_intent, "intent": reply.intent, "ok": ok, "ms": ms,
                             "text": reply.text})
    return result


def _share(hits: Sequence[bool]) -> float | None:
    return round(float(np.mean(hits)), 4) if len(hits) else None


def score_stories(results: Sequence[StoryResult]) -> dict[str, Any]:
    """Story figures: ``n``, ``story_success`` (every turn as expected), ``task_success`` (the same
    over stories tagged ``task``), ``digression_success`` (over stories tagged ``digression``),
    ``digression_turn_accuracy`` (turns expecting ``resume_reminder``), ``handoff_precision`` and
    ``handoff_recall`` (handoff replies vs turns expecting one), ``turn_accuracy``, per-tag success
    and the p50/p95 turn latency in ms.

    Examples
    --------
    >>> s = Story("a", "en", ({"user": "hi", "expect": "greeting"},), tags=("task",))
    >>> r = StoryResult(s, [{"expect": "greeting", "kind": "greeting", "ok": True, "ms": 3.0}])
    >>> score_stories([r])["task_success"]
    1.0
    """
    turns = [t for r in results for t in r.turns]
    by_tag: dict[str, list[bool]] = {}
    for r in results:
        for tag in r.story.tags:
            by_tag.setdefault(tag, []).append(r.ok)
    handoffs = [t for t in turns if t["kind"] == "handoff"]
    expected_handoffs = [t for t in turns if t["expect"] == "handoff"]
    ms = np.asarray([t["ms"] for t in turns]) if turns else np.zeros(1)
    return {
        "n": len(results),
        "turns": len(turns),
        "story_success": _share([r.ok for r in results]),
        "task_success": _share([r.ok for r in results if "task" in r.story.tags]),
        "digression_success": _share([r.ok for r in results if "digression" in r.story.tags]),
        "digression_turn_accuracy": _share([t["ok"] for t in turns if t["expect"] == "resume_reminder"]),
        "handoff_precision": _share([t["expect"] == "handoff" for t in handoffs]),
        "handoff_recall": _share([t["kind"] == "handoff" for t in expected_handoffs]),
        "handoffs": len(handoffs),
        "turn_accuracy": _share([t["ok"] for t in turns]),
        "by_tag": {tag: {"n": len(v), "success": _share(v)} for tag, v in sorted(by_tag.items())},
        "by_lang": {lang: _share([r.ok for r in results if r.story.lang == lang])
                    for lang in sorted({r.story.lang for r in results})},
        "turn_p50_ms": round(float(np.percentile(ms, 50)), 2),
        "turn_p95_ms": round(float(np.percentile(ms, 95)), 2),
    }
