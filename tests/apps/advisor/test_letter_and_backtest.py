"""The letter is grounded (a changed number is caught) and compliant; walk-forward costs and drawdowns."""

from __future__ import annotations

import numpy as np
import pandas as pd

from finloom.apps.advisor import drawdown_stats, walk_forward, write_letter
from finloom.apps.advisor._letter import _EXAMPLE
from finloom.apps.compliance import audit_text
from finloom.textgen import FaithfulnessGuard

NAMES = {"DEP": {"en": "Deposit", "zh": "存款"}}


def test_letters_are_faithful_and_compliant_in_both_languages() -> None:
    for lang in ("en", "zh"):
        letter = write_letter(_EXAMPLE, NAMES, lang=lang)
        assert letter.guard.ok and letter.unsupported_numbers == 0
        assert (
            audit_text(letter.text, lang, context={"product_risk": "R1", "customer_risk": "C1"})
            == []
        )


def test_a_tampered_number_is_flagged() -> None:
    letter = write_letter(_EXAMPLE, NAMES, lang="en")
    tampered = letter.text.replace("62.5%", "92.5%")
    assert (
        not FaithfulnessGuard(require_disclaimer=True).check(tampered, letter.facts, lang="en").ok
    )
    cut = letter.text.split("Risk disclosure")[0]
    assert not FaithfulnessGuard(require_disclaimer=True).check(cut, letter.facts, lang="en").ok


def test_walk_forward_pays_costs_and_uses_only_the_past() -> None:
    idx = pd.bdate_range("2020-01-01", periods=400)
    g = np.random.default_rng(0)
    r = pd.DataFrame(g.normal(2e-4, 0.01, (400, 2)), index=idx, columns=["A", "B"])
    seen: list[pd.Timestamp] = []

    def weigh(past: pd.DataFrame) -> pd.Series:
        seen.append(past.index[-1])
        flip = len(seen) % 2
        return pd.Series([flip, 1 - flip], index=past.columns, dtype=float)

    start = idx[200]
    cheap = walk_forward(r, weigh, start=start, lookback=100, rebalance_days=20, cost=0.0)
    seen.clear()
    dear = walk_forward(r, weigh, start=start, lookback=100, rebalance_days=20, cost=0.01)
    assert all(s < start + pd.Timedelta(days=400) for s in seen)
    assert dear.summary["annual_return"] < cheap.summary["annual_return"]
    assert cheap.turnover > 5 and len(cheap.weights) == 10
    assert seen[0] < start  # the first weights come from days before the test window


def test_drawdown_stats() -> None:
    mdd, under, longest = drawdown_stats(np.array([1.0, 0.5, 0.75, 1.0, 1.1]))
    assert (mdd, longest) == (0.5, 2) and under == 0.4
