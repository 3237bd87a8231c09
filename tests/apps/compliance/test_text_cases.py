"""The five text categories on sentences written for these tests, positives and near-misses in
English and Chinese (see data/cases.txt)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from finloom.apps.compliance import Finding, audit_text


def audit_rules(*args: Any, **kwargs: Any) -> list[Finding]:
    """The rules alone (these tests are the rules'; the learned classifier has its own in test_learned)."""
    return audit_text(*args, classifier=None, **kwargs)


CODES = {"P": "promissory", "R": "risk_disclosure", "S": "superlative", "I": "pii", "U": "suitability"}
CATEGORIES = set(CODES.values())


def _cases() -> list[tuple[set[str], str]]:
    rows = []
    for line in (Path(__file__).parent / "data" / "cases.txt").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        codes, text = line.split("|", 1)
        rows.append(({CODES[c] for c in codes.split() if c in CODES}, text.strip()))
    return rows


CASES = _cases()


@pytest.mark.parametrize(("expected", "text"), CASES, ids=[t[:40] for _, t in CASES])
def test_text_categories(expected: set[str], text: str) -> None:
    found = {f.category for f in audit_rules(text)} & CATEGORIES
    assert found == expected


def test_cases_cover_every_category_both_languages_and_near_misses() -> None:
    zh = [(e, t) for e, t in CASES if any("\u4e00" <= c <= "\u9fff" for c in t)]
    en = [(e, t) for e, t in CASES if (e, t) not in zh]
    for subset in (en, zh):
        assert {c for e, _ in subset for c in e} == CATEGORIES
        assert sum(not e for e, _ in subset) >= 20
