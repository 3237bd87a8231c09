"""The learned fallback of the tool router: it names a tool only where the rules are silent, never
against the rules' own exclusions, and never for an elliptical follow-up."""

from __future__ import annotations

from pathlib import Path

import pytest

from finloom.apps.customer_service import _tool_router
from finloom.apps.customer_service._tool_model import ToolModel
from finloom.apps.customer_service._tool_router import TOOL_NAMES, route_tool

MODEL_DIR = Path(_tool_router.__file__).with_name("tool_model")


def test_shipped_model_is_small_and_covers_every_tool() -> None:
    assert sum(f.stat().st_size for f in MODEL_DIR.iterdir()) < 2_000_000
    assert set(ToolModel.load(MODEL_DIR).classes) == {*TOOL_NAMES, "none"}


def test_model_round_trips_through_safetensors(tmp_path: Path) -> None:
    model = ToolModel.fit(["draw the gold price", "gold chart please", "good evening", "thanks, bye"],
                          ["price_chart", "price_chart", "none", "none"], dim=512, c=10.0)
    again = ToolModel.load(model.save(tmp_path / "m"))
    assert again.classes == model.classes
    assert again.predict("a chart of gold")[0] == model.predict("a chart of gold")[0]


def test_learned_fills_a_phrasing_the_rules_miss() -> None:
    text = "need the questionnaire thing that tells me my investor type"
    assert route_tool(text, learned=False) is None
    found = route_tool(text)
    assert found is not None and found.tool == "risk_profile"


@pytest.mark.parametrize("text", [
    "and what about my credit card?",             # follow-up: continues the last task
    "那信用卡呢",
    "why is a suitability test needed before I buy funds?",  # why-question: FAQ
    "where can I check how my loan application is going?",   # how-to: FAQ
    "show me the alerts on my card",              # a customer's own alerts
    "what is an ETF portfolio?",                  # education
    "where should I send this letter?",           # no investment topic at all
])
def test_learned_stays_out_of_near_misses(text: str) -> None:
    assert route_tool(text) is None


def test_rules_still_decide_first() -> None:
    found = route_tool("could I get a mortgage of 300k on my salary?")
    assert found is not None and found.params == {"product": "mortgage", "amount": 300000.0}
