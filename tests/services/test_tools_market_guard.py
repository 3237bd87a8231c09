"""The market tool's own summaries pass the faithfulness guard for every asset, period and language
(the guard must never flag the project's own generated text; a trailing "over the last month" is the
window ending at the data's last day, not the previous calendar month)."""

from __future__ import annotations

import pytest

from finloom.services._tools_market import (
    _PERIOD_NAMES,
    _fact_set,
    _facts,
    _note,
    _prices,
    _summary_text,
    _window,
)
from finloom.textgen import FaithfulnessGuard

GUARD = FaithfulnessGuard()


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("period", sorted(_PERIOD_NAMES))
def test_every_market_summary_passes_the_guard(period: str, lang: str) -> None:
    flagged = []
    for asset in _prices().columns:
        facts = _facts(asset, _window(asset, period))
        text = _summary_text(asset, facts, lang, period) + _note(lang)
        report = GUARD.check(text, _fact_set(facts, [asset]), lang=lang)
        if not report.ok:
            flagged.append((asset, text, [i.explanation for i in report.issues]))
    assert not flagged, flagged[:3]
