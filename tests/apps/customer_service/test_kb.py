"""Built-in knowledge base content and loaders for a user's own KB."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from finloom.apps.customer_service import load_builtin_kb, load_kb, parse_articles
from finloom.errors import InvalidDataError, NotFoundError


def test_builtin_kb_has_150_bilingual_articles_with_shared_topics() -> None:
    kb = load_builtin_kb()
    assert len(kb) >= 150
    langs_per_topic = Counter(a.topic_id for a in kb)
    assert set(langs_per_topic.values()) == {2}
    assert all(a.effective_date is not None and a.tags and len(a.body) > 80 for a in kb)


def test_builtin_kb_topics_state_the_same_numbers_in_both_languages() -> None:
    by_topic: dict[str, dict[str, str]] = {}
    for a in load_builtin_kb():
        by_topic.setdefault(a.topic_id, {})[a.lang] = a.body
    for topic, bodies in by_topic.items():
        en = set(re.findall(r"\d+", bodies["en"].replace(",", "")))
        zh = set(re.findall(r"\d+", bodies["zh"].replace(",", "")))
        assert {n for n in en if len(n) >= 3} <= zh | {"10000", "50000"} | {n + "0000" for n in zh}, topic


def test_load_kb_reads_markdown_csv_and_jsonl(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("---\nid: a\nlang: en\ntitle: Hours\ntags: [branch]\n"
                                   "effective_date: 2026-02-01\n---\nOpen 9 to 5.\n", encoding="utf-8")
    (tmp_path / "b.csv").write_text("id,lang,title,body,tags\nb,zh,营业时间,九点开门,branch;hours\n",
                                    encoding="utf-8")
    (tmp_path / "c.jsonl").write_text(json.dumps({"id": "c", "lang": "en", "title": "T", "body": "B"})
                                      + "\n", encoding="utf-8")
    kb = {a.id: a for a in load_kb(tmp_path)}
    assert set(kb) == {"a", "b", "c"}
    assert kb["a"].tags == ("branch",) and kb["a"].effective_date.isoformat() == "2026-02-01"
    assert kb["b"].tags == ("branch", "hours") and kb["b"].lang == "zh"


def test_parse_articles_lists_every_problem() -> None:
    with pytest.raises(InvalidDataError) as info:
        parse_articles([{"id": "x", "lang": "en", "title": "", "body": "b"},
                        {"id": "y", "lang": "de", "title": "t", "body": "b"},
                        {"id": "z", "lang": "en", "title": "t", "body": "b", "effective_date": "soon"},
                        {"id": "z", "lang": "en", "title": "t", "body": "b"}])
    problems = info.value.problems
    assert len(problems) == 4
    assert "fields ['title'] must be non-empty" in problems[0]
    assert "lang must be one of ['en', 'zh']; got 'de'" in problems[1]
    assert "effective_date must be an ISO date" in problems[2]
    assert "article ids must be unique; got 'z' twice" in problems[3]


def test_load_kb_errors_are_clear(tmp_path: Path) -> None:
    with pytest.raises(NotFoundError, match="knowledge base path must exist"):
        load_kb(tmp_path / "missing")
    with pytest.raises(NotFoundError, match="must hold"):
        load_kb(tmp_path)
    bad = tmp_path / "x.md"
    bad.write_text("no front matter", encoding="utf-8")
    with pytest.raises(InvalidDataError, match="must start with a '---' front matter"):
        load_kb(bad)
    broken = tmp_path / "y.json"
    broken.write_text("{oops", encoding="utf-8")
    with pytest.raises(InvalidDataError, match="must be valid JSON"):
        load_kb(broken)
    other = tmp_path / "z.txt"
    other.write_text("hi", encoding="utf-8")
    with pytest.raises(InvalidDataError, match="must end in one of"):
        load_kb(other)
