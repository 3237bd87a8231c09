"""The assistant page in Chromium calling a tool: a price chart asked for in words is drawn in the
transcript (the price_chart tool's table rendered as an image by the chart route)."""

from __future__ import annotations

from .conftest import sign_in_as


def test_a_price_chart_from_the_market_tool_is_drawn(server, page):
    sign_in_as(page, server, "e2e-tools", "viewer")
    page.goto(f"{server}/assistant?new=1")
    page.wait_for_selector("#message", timeout=180_000)
    page.fill("#message", "show me a chart of the S&P 500 over the last year")
    page.click("#send")
    page.wait_for_selector("img.chart", timeout=60_000)
    page.wait_for_function("document.querySelector('img.chart').naturalWidth > 0", timeout=20_000)
    assert "S&P" in page.inner_text(".turn-assistant >> nth=-1")
