"""End to end in headless Chromium, in English and in Chinese: answer the questionnaire, get the proposal
page with the allocation chart, the fan chart and a letter that passed the guard and the compliance rules."""

from __future__ import annotations

import importlib.util

import pytest

from .conftest import sign_in

ANSWERS = {
    "age": "30_45",
    "horizon": "3_5y",
    "goal": "balanced",
    "income_stability": "stable",
    "liquidity": "medium",
    "experience": "funds",
    "loss_tolerance": "up_to_15",
}


@pytest.mark.skipif(
    importlib.util.find_spec("skfolio") is None, reason="the demo prices need skfolio's files"
)
@pytest.mark.parametrize(("lang", "words"), [("en", "Risk disclosure"), ("zh", "风险揭示")])
def test_questionnaire_to_proposal(server, page, tmp_path, lang, words):
    sign_in(page, server)
    page.context.add_cookies([{"name": "lang", "value": lang, "url": server}])
    page.goto(f"{server}/advisor")
    page.fill("#customer_id", f"e2e-{lang}")
    for qid, value in ANSWERS.items():
        page.check(f"input[name='q_{qid}'][value='{value}']")
    page.select_option("#method", "hrp")
    page.click("#propose", no_wait_after=True)
    page.wait_for_url(f"{server}/advisor/proposals/*", timeout=180_000)
    assert page.inner_text("#level") == "C3"
    assert page.locator("#fan-chart").evaluate("img => img.naturalWidth") > 100
    assert page.locator("#allocation-chart").evaluate("img => img.naturalWidth") > 100
    assert words in page.inner_text("#letter")
    assert "OK (0)" in page.inner_text("#checks") and page.inner_text("#checks").rstrip().endswith(
        ": 0"
    )
    page.screenshot(path=str(tmp_path / f"advisor_{lang}.png"), full_page=True)
