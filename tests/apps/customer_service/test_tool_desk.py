"""Tool calls in the dialogue with fake tools: slot filling, confirmation and cancel, a digression,
role denial, a guard that blocks unsupported figures, and no tools without a context."""

from __future__ import annotations

from pydantic import BaseModel, Field

from finloom.apps.customer_service._tools import Slot, Tool, ToolContext, ToolRegistry, ToolResult
from finloom.textgen import Fact


class CaseIn(BaseModel):
    action: str = "list"
    case_id: int | None = Field(default=None, ge=1)
    assignee: str | None = None
    disposition: str | None = None
    status: str | None = None
    confirmed: bool = False


class ProposalIn(BaseModel):
    amount: float = Field(gt=0)
    years: float = Field(gt=0, le=40)


def _tools(role="customer", *, bad_figures=False):
    done: list[object] = []

    def run_case(ctx, customer, p, lang):
        done.append(p)
        return ToolResult(f"Case {p.case_id} assigned.", [Fact("case", float(p.case_id), decimals=0)])

    def confirm_case(ctx, customer, p, lang):
        return ToolResult(f"Assign case {p.case_id} to {p.assignee}? (yes/no)", [Fact("case", float(p.case_id))])

    def ask(ctx, customer, values, lang):
        if "amount" not in values:
            return Slot("amount", "amount", "How much would you like to invest?")
        if "years" not in values:
            return Slot("years", "years", "For how long?")
        return None

    def run_proposal(ctx, customer, p, lang):
        shown = 999 if bad_figures else p.amount
        return ToolResult(f"A plan for {shown:.0f} over {p.years:.0f} years.",
                          [Fact("amount", p.amount, decimals=0), Fact("years", p.years, decimals=0)])

    registry = ToolRegistry([
        Tool("alerts_cases", "analyst", CaseIn, run_case, confirm=confirm_case),
        Tool("portfolio_proposal", "customer", ProposalIn, run_proposal, next_slot=ask)])
    return ToolContext(role=role, actor="ana", registry=registry), done


def test_tool_asks_for_missing_values_then_runs(bot):
    ctx, _ = _tools()
    s = bot.start_session(customer_id="c-1")
    first = bot.handle_message(s.id, "I want to invest 20k", tools=ctx)
    assert (first.kind, first.intent, first.text) == ("tool_prompt", "portfolio_proposal", "For how long?")
    done = bot.handle_message(s.id, "5 years", tools=ctx)
    assert done.kind == "tool_result" and done.text == "A plan for 20000 over 5 years."


def test_tool_digression_is_answered_then_the_question_repeated(bot):
    ctx, _ = _tools()
    s = bot.start_session(customer_id="c-1")
    bot.handle_message(s.id, "I want to invest 20k", tools=ctx)
    aside = bot.handle_message(s.id, "how long does a new card take to arrive?", tools=ctx)
    assert aside.kind == "resume_reminder" and aside.text.endswith("For how long?")
    assert bot.handle_message(s.id, "three years", tools=ctx).kind == "tool_result"


def test_tool_action_needs_a_yes_and_cancel_leaves(bot):
    ctx, done = _tools("analyst")
    s = bot.start_session(customer_id=None)
    ask = bot.handle_message(s.id, "assign case 7 to wei", tools=ctx)
    assert ask.kind == "tool_prompt" and ask.text == "Assign case 7 to wei? (yes/no)"
    assert bot.handle_message(s.id, "never mind", tools=ctx).kind == "cancelled" and done == []
    bot.handle_message(s.id, "assign case 7 to wei", tools=ctx)
    assert bot.handle_message(s.id, "yes", tools=ctx).text == "Case 7 assigned." and len(done) == 1


def test_tool_denied_for_the_wrong_role_or_without_a_customer(bot):
    ctx, done = _tools("customer")
    s = bot.start_session(customer_id="c-1")
    denied = bot.handle_message(s.id, "assign case 7 to wei", tools=ctx)
    assert denied.kind == "tool_denied" and "analyst role" in denied.text and done == []
    anon = bot.start_session(customer_id=None)
    assert bot.handle_message(anon.id, "I want to invest 20k", tools=ctx).kind == "tool_denied"


def test_tool_reply_with_unsupported_figures_is_not_sent(bot):
    ctx, _ = _tools(bad_figures=True)
    s = bot.start_session(customer_id="c-1")
    reply = bot.handle_message(s.id, "I want to invest 20k for 5 years", tools=ctx)
    assert reply.kind == "tool_result" and "999" not in reply.text and "couldn't check the figures" in reply.text


def test_no_tool_context_says_the_tool_is_not_available(bot):
    s = bot.start_session(customer_id="c-1")
    reply = bot.handle_message(s.id, "how is the S&P 500 doing today?")
    assert reply.kind == "tool_denied" and "isn't available here" in reply.text
    zh = bot.handle_message(s.id, "标普500今天表现怎么样")
    assert zh.kind == "tool_denied" and zh.lang == "zh"
