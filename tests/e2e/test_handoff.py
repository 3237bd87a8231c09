"""Handoff end to end in Chromium: the customer escalates, an agent takes over, the customer sees the reply."""

from __future__ import annotations

import httpx

from .conftest import KEY


def _key(server, role):
    r = httpx.post(f"{server}/api/keys", headers={"X-API-Key": KEY}, json={"user": f"e2e-{role}", "role": role})
    return r.json()["key"]


def _sign_in(page, server, key):
    page.goto(f"{server}/login")
    page.fill("#key", key)
    page.click("#signin")
    page.wait_for_url(f"{server}/")


def test_customer_escalates_and_agent_replies(server, page, browser_context_factory):
    _sign_in(page, server, _key(server, "viewer"))
    page.goto(f"{server}/assistant")
    page.wait_for_selector("#message", timeout=180_000)  # "warming up" reloads itself until the assistant is built
    page.fill("#message", "How long does a new card take to arrive?")
    page.click("#send")
    page.wait_for_selector(".turn-assistant")
    page.fill("#message", "<script>window.pwned = 1</script> I want to talk to a human")
    page.click("#send")
    page.wait_for_selector(".turn-customer >> text=<script>", timeout=20_000)
    assert page.evaluate("window.pwned") is None  # shown as text, never run

    agent = browser_context_factory()
    _sign_in(agent, server, _key(server, "analyst"))
    agent.goto(f"{server}/assistant/agent")
    agent.click("#queue a")
    assert "<script>" in agent.inner_text("#transcript") and agent.evaluate("window.pwned") is None
    assert agent.inner_text("#summary").strip()
    agent.click("#take-over")
    agent.fill("#agent-message", "Hello, this is Ana from Loom Bank. How can I help?")
    agent.click("#agent-send")

    page.wait_for_selector(".turn-agent >> text=Ana from Loom Bank", timeout=20_000)

    agent.click("#release")  # the agent hands the conversation back: the assistant answers again
    page.fill("#message", "what's the weather like tomorrow?")
    page.click("#send")
    page.wait_for_selector(".turn-assistant >> text=outside what I can help with", timeout=20_000)


def test_customer_leaves_the_queue_with_the_back_button(server, page):
    _sign_in(page, server, _key(server, "viewer"))
    page.goto(f"{server}/assistant?new=1")
    page.wait_for_selector("#message", timeout=180_000)
    page.click("#ask-human")
    page.wait_for_selector(".turn-assistant >> text=connecting you", timeout=20_000)
    page.click("#back-to-bot")
    page.wait_for_selector(".turn-assistant >> text=out of the queue", timeout=20_000)
    page.fill("#message", "I lost my card")
    page.click("#send")
    page.wait_for_selector(".turn-assistant >> text=Which card?", timeout=20_000)
