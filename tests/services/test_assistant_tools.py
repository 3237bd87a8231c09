"""The eight tools through the chat service on a real workbench: happy paths, bad input, role
checks and the audit record (no message text or values)."""

from __future__ import annotations

import pytest

from finloom.apps.customer_service import build_demo_assistant
from finloom.config import Settings
from finloom.data.demo import load_demo
from finloom.services import chat
from finloom.services.datasets import add_dataset
from finloom.store import list_audit
from finloom.workbench import Workbench


@pytest.fixture(scope="module")
def wb(tmp_path_factory):
    workbench = Workbench(Settings(workspace=tmp_path_factory.mktemp("tools")), executor_mode="thread").migrate()
    bot = build_demo_assistant(dense=False)
    workbench.assistant = lambda: bot  # type: ignore[method-assign]
    df, meta = load_demo("credit_applications")
    add_dataset(workbench, "t", "credit_applications", df, metadata=meta)
    return workbench


def _talk(wb, role, messages, customer="c-1", lang="en"):
    s = wb.assistant().start_session(customer_id=customer, lang=lang)
    return [chat.send_message(wb, "ana", s.id, m, role=role) for m in messages]


def test_market_summary_and_price_chart(wb):
    summary, chart = _talk(wb, "viewer", ["How is the S&P 500 doing this week?", "给我看看纳斯达克今年的走势图"])
    assert summary.kind == "tool_result" and "S&P 500 closed at 2,485.74 on 2018-12-28" in summary.text
    assert chart.kind == "chart" and chart.lang == "zh" and chart.attachment["columns"][0] == "date"
    assert chart.attachment["png_base64"] and len(chart.attachment["table"]) > 10
    missing = _talk(wb, "viewer", ["how did gold do this month?"])[0]
    assert missing.kind == "tool_result" and "no price data for gold" in missing.text


def test_credit_precheck_asks_then_decides(wb):
    replies = _talk(wb, "viewer", ["could I get a mortgage of 300k on my salary?", "12k a month", "25 years"])
    assert [r.kind for r in replies] == ["tool_prompt", "tool_prompt", "tool_result"]
    assert "costs about CNY 1,617 a month" in replies[-1].text and "likely to be approved" in replies[-1].text


def test_risk_profile_questionnaire_saves_after_yes_and_proposal_uses_it(wb):
    replies = _talk(wb, "viewer", ["let's do the risk test", *["3"] * 7, "yes", "I want to invest 50k for 5 years"],
                    customer="c-risk")
    assert replies[0].text.startswith("Question 1 of 7")
    assert replies[7].text.startswith("Your risk level is C") and replies[8].text.startswith("Saved: your risk level")
    proposal = replies[9]
    assert proposal.kind == "chart" and proposal.intent == "portfolio_proposal"
    assert proposal.attachment["fan_png_base64"] and proposal.attachment["kind"] == "bar"


def test_application_status_and_analyst_tools_for_a_customer(wb):
    status, denied = _talk(wb, "viewer", ["what's the status of my loan application?", "show me the open alerts"])
    assert status.kind == "tool_result" and "couldn't find an application" in status.text
    assert denied.kind == "tool_denied" and "analyst role" in denied.text


def test_dataset_question_happy_path_and_bad_input(wb):
    by_region, rate, bad = _talk(wb, "analyst", [
        "what's the average income by region in credit_applications?",
        "default rate in the credit applications data", "average of nothing in the credit_applications table"])
    assert by_region.kind == "chart" and "by region, the highest is" in by_region.text
    assert rate.text == "The rate of default in credit_applications is 15.90%."
    assert bad.kind == "task_error" and "must name a column" in bad.text


def test_alerts_cases_list_and_close_needs_confirmation(wb):
    listed, ask, cancelled = _talk(wb, "analyst", ["show me open cases", "close case 3 as false positive", "no"])
    assert listed.text == "There are 0 open cases."
    assert ask.text == "Close case 3 as not fraud? (yes/no)" and cancelled.kind == "cancelled"
    with wb.session() as session:
        details = [r.details for r in list_audit(session, action="chat.tool")]
    assert {"tool": "alerts_cases", "kind": "tool_prompt", "role": "analyst"} in details
    assert all("text" not in d and "amount" not in d for d in details)
