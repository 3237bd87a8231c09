"""Advisor service: profiles stored with audit rows; a proposal with letters checked and a PDF report."""

from __future__ import annotations

import importlib.util

import pytest

from finloom.config import Settings
from finloom.errors import InvalidDataError, NotFoundError
from finloom.services import advisor
from finloom.store import list_audit
from finloom.workbench import Workbench

ANSWERS = {
    "age": "46_60",
    "horizon": "3_5y",
    "goal": "balanced",
    "income_stability": "stable",
    "liquidity": "medium",
    "experience": "funds",
    "loss_tolerance": "up_to_15",
}
needs_data = pytest.mark.skipif(
    importlib.util.find_spec("skfolio") is None,
    reason="the bundled multi-asset data needs skfolio (pip install --no-deps skfolio)",
)


@pytest.fixture
def wb(tmp_path):
    return Workbench(Settings(workspace=tmp_path / "ws"), executor_mode="thread").migrate()


def test_profile_is_stored_with_answers_and_audited(wb) -> None:
    out = advisor.create_profile(wb, "ana", advisor.ProfileIn(customer_id="c-7", answers=ANSWERS))
    again = advisor.get_profile(wb, out.id)
    assert again.level == out.level == "C3" and again.answers == ANSWERS and again.created_at
    assert [p.id for p in advisor.list_profiles(wb, "c-7")] == [out.id]
    with wb.session() as s:
        assert [(e.action, e.actor) for e in list_audit(s)][:1] == [("advisor.profile", "ana")]


def test_bad_answers_store_nothing(wb) -> None:
    with pytest.raises(InvalidDataError, match="answer 'goal' must be one of"):
        advisor.create_profile(
            wb, "ana", advisor.ProfileIn(customer_id="c-8", answers={**ANSWERS, "goal": "x"})
        )
    assert advisor.list_profiles(wb) == []
    with pytest.raises(NotFoundError, match="profile_id must name a stored profile"):
        advisor.get_profile(wb, "nope")


@needs_data
def test_proposal_report_and_rebalance(wb) -> None:
    prof = advisor.create_profile(wb, "ana", advisor.ProfileIn(customer_id="c-7", answers=ANSWERS))
    out = advisor.propose(
        wb, "ana", advisor.ProposeIn(profile_id=prof.id, years=1, n_paths=100, method="hrp")
    )
    assert out["profile"]["level"] == "C3"
    assert all(
        r in ("R1", "R2", "R3") for pid, r in out["ratings"].items() if pid in out["weights"]
    )
    assert out["compliance"] == {"en": [], "zh": []}
    assert [v["unsupported_numbers"] for v in out["letters"].values()] == [0, 0]
    assert advisor.get_proposal(wb, out["id"])["weights"] == out["weights"]
    html = advisor.report(wb, "ana", out["id"], lang="zh")
    assert "投资建议书" in html.read_text(encoding="utf-8")
    pdf = advisor.report(wb, "ana", out["id"], lang="en", fmt="pdf")
    assert pdf.read_bytes()[:4] == b"%PDF"
    drifted = {pid: 0.0 for pid in out["weights"]}
    notice = advisor.rebalance(
        wb, "ana", advisor.RebalanceIn(proposal_id=out["id"], current=drifted)
    )
    assert notice["needed"] and notice["guard_ok"]
    with wb.session() as s:
        actions = [e.action for e in list_audit(s)]
    assert {"advisor.propose", "advisor.report", "advisor.rebalance"} <= set(actions)
