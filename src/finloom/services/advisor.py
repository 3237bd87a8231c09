"""Robo-advisor over HTTP, on the web pages and in the CLI: profiles stored per customer, proposals with a
letter checked by the faithfulness guard and the compliance rules, reports (HTML/PDF), rebalancing notices."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field
from sqlalchemy import select

from finloom._io import atomic_write_bytes, atomic_write_text
from finloom.errors import ConfigError, NotFoundError
from finloom.store import AdvisorProfile, record_audit
from finloom.workbench import Workbench

__all__ = [
    "ProfileIn",
    "ProfileOut",
    "ProposeIn",
    "RebalanceIn",
    "create_profile",
    "get_profile",
    "get_proposal",
    "list_profiles",
    "propose",
    "questionnaire",
    "rebalance",
    "report",
]

Lang = Literal["en", "zh"]
Method = Literal["min_variance", "max_sharpe", "risk_parity", "hrp", "cvar"]


class ProfileIn(BaseModel):
    """A customer's answers to the questionnaire (question id → option value)."""

    customer_id: str = Field(min_length=1, max_length=120, pattern=r"^[\w.@-]+$")
    answers: dict[str, str]
    lang: Lang = "en"


class ProfileOut(BaseModel):
    id: str
    customer_id: str
    created_at: dt.datetime
    level: str
    score: float
    uncapped_level: str
    caps: list[str]
    min_liquid: float
    horizon_years: float
    answers: dict[str, str]
    questionnaire_version: str


class ProposeIn(BaseModel):
    """A proposal for a stored profile: amount, goal, horizon (default: the profile's), method, band."""

    profile_id: str = Field(min_length=1, max_length=32)
    initial: float = Field(default=100_000.0, gt=0, le=1e12)
    goal: float = Field(default=120_000.0, gt=0, le=1e13)
    years: float | None = Field(default=None, ge=0.25, le=40)
    method: Method = "min_variance"
    band: float = Field(default=0.05, gt=0, lt=1)
    n_paths: int = Field(default=1000, ge=100, le=20_000)
    seed: int = Field(default=0, ge=0)
    regimes: Literal["none", "markov"] = Field(
        default="none", description="the joint simulator's regime option"
    )
    prices_dataset: str | None = Field(
        default=None,
        max_length=200,
        description="a registered price table; default: the bundled 8-asset data",
    )


class RebalanceIn(BaseModel):
    proposal_id: str = Field(min_length=1, max_length=32)
    current: dict[str, float]
    lang: Lang = "en"


def questionnaire(lang: Lang = "en") -> dict[str, Any]:
    """The questionnaire's questions in ``lang`` and its version.

    Examples
    --------
    >>> questionnaire("zh")["questions"][0]["text"]
    '您的年龄是？'
    """
    from finloom.apps.advisor import load_questionnaire

    q = load_questionnaire()
    return {"version": q.version, "questions": q.questions(lang)}


def _profile_out(row: AdvisorProfile) -> ProfileOut:
    result = row.result or {}
    return ProfileOut(
        id=row.id,
        customer_id=row.customer_id,
        created_at=row.created_at,
        level=row.level,
        score=row.score,
        uncapped_level=result.get("uncapped_level", row.level),
        caps=list(result.get("caps", [])),
        min_liquid=float(result.get("min_liquid", 0.0)),
        horizon_years=float(result.get("horizon_years", 5.0)),
        answers=dict(row.answers or {}),
        questionnaire_version=row.questionnaire_version,
    )


def create_profile(workbench: Workbench, actor: str, body: ProfileIn) -> ProfileOut:
    """Score the answers and store the profile with its date; audit ``advisor.profile``.

    Examples
    --------
    >>> import tempfile
    >>> from finloom.config import Settings
    >>> wb = Workbench(Settings(workspace=tempfile.mkdtemp()), executor_mode="thread").migrate()
    >>> answers = {"age": "30_45", "horizon": "5_10y", "goal": "growth", "income_stability": "stable",
    ...            "liquidity": "low", "experience": "equities", "loss_tolerance": "up_to_15"}
    >>> create_profile(wb, "ana", ProfileIn(customer_id="c-1", answers=answers)).level
    'C4'
    """
    from finloom.apps.advisor import load_questionnaire

    q = load_questionnaire()
    scored = q.score(body.answers)
    row = AdvisorProfile(
        id=uuid.uuid4().hex,
        customer_id=body.customer_id,
        created_by=actor,
        lang=body.lang,
        questionnaire_version=q.version,
        answers=scored.answers,
        score=scored.score,
        level=scored.level,
        result=scored.to_dict(),
    )
    with workbench.session() as session:
        session.add(row)
        record_audit(
            session,
            actor=actor,
            action="advisor.profile",
            target=body.customer_id,
            details={"profile_id": row.id, "level": scored.level, "score": scored.score},
        )
        session.flush()
        out = _profile_out(row)
    return out


def get_profile(workbench: Workbench, profile_id: str) -> ProfileOut:
    """A stored profile."""
    with workbench.session() as session:
        row = session.get(AdvisorProfile, profile_id)
        if row is None:
            raise NotFoundError(
                f"profile_id must name a stored profile; got {profile_id!r}. "
                "Create one with `finloom advisor profile`."
            )
        return _profile_out(row)


def list_profiles(workbench: Workbench, customer_id: str | None = None) -> list[ProfileOut]:
    """Stored profiles, newest first (one customer's when ``customer_id`` is given)."""
    with workbench.session() as session:
        query = select(AdvisorProfile).order_by(AdvisorProfile.created_at.desc())
        if customer_id:
            query = query.where(AdvisorProfile.customer_id == customer_id)
        return [_profile_out(r) for r in session.scalars(query).all()]


def _folder(workbench: Workbench, proposal_id: str) -> Path:
    if not proposal_id.isalnum():
        raise ConfigError(f"proposal_id must be letters and digits; got {proposal_id!r}.")
    return Path(workbench.workspace) / "advisor" / proposal_id


def _compliance(proposal: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    from finloom.apps.compliance import audit_text

    ratings = [proposal["ratings"][pid] for pid in proposal["weights"]]
    context = {"product_risk": max(ratings), "customer_risk": proposal["profile"]["level"]}
    return {
        lang: [f.to_dict() for f in audit_text(item["text"], lang, context=context)]
        for lang, item in proposal["letters"].items()
    }


def propose(workbench: Workbench, actor: str, body: ProposeIn) -> dict[str, Any]:
    """Build and test a proposal for a stored profile, write the letter and check it (faithfulness guard
    and compliance rules); store it under ``<workspace>/advisor/<id>/``; audit ``advisor.propose``."""
    from finloom.apps.advisor import Plan, RiskScore
    from finloom.apps.advisor import propose as build

    profile = get_profile(workbench, body.profile_id)
    score = RiskScore(
        score=profile.score,
        level=profile.level,
        uncapped_level=profile.uncapped_level,
        caps=tuple(profile.caps),
        min_liquid=profile.min_liquid,
        horizon_years=profile.horizon_years,
        answers=profile.answers,
    )
    prices = None
    if body.prices_dataset:
        from finloom.synth.market import load_prices

        frame, _ = workbench.datasets.load(body.prices_dataset)
        prices = load_prices(frame, date_column=str(frame.columns[0]))
    plan = Plan(
        initial=body.initial,
        goal=body.goal,
        years=body.years,
        method=body.method,
        band=body.band,
        n_paths=body.n_paths,
        seed=body.seed,
        customer_id=profile.customer_id,
        regimes=body.regimes,
    )
    proposal = build(score, plan, prices=prices)
    proposal["id"] = uuid.uuid4().hex
    proposal["profile_id"] = profile.id
    proposal["compliance"] = _compliance(proposal)
    folder = _folder(workbench, proposal["id"])
    atomic_write_text(
        folder / "proposal.json", json.dumps(proposal, ensure_ascii=False, default=str)
    )
    with workbench.session() as session:
        record_audit(
            session,
            actor=actor,
            action="advisor.propose",
            target=profile.customer_id,
            details={
                "proposal_id": proposal["id"],
                "profile_id": profile.id,
                "level": profile.level,
                "method": body.method,
                "weights": proposal["weights"],
                "compliance_findings": sum(len(v) for v in proposal["compliance"].values()),
                "unsupported_numbers": {
                    k: v["unsupported_numbers"] for k, v in proposal["letters"].items()
                },
            },
        )
    return proposal


def get_proposal(workbench: Workbench, proposal_id: str) -> dict[str, Any]:
    """A stored proposal."""
    path = _folder(workbench, proposal_id) / "proposal.json"
    if not path.is_file():
        raise NotFoundError(
            f"proposal_id must name a stored proposal; got {proposal_id!r}. Run propose first."
        )
    result: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return result


def report(
    workbench: Workbench,
    actor: str,
    proposal_id: str,
    *,
    lang: Lang = "en",
    fmt: Literal["html", "pdf"] = "html",
) -> Path:
    """Write the proposal letter as HTML (or PDF with weasyprint) next to the proposal; audit ``advisor.report``."""
    from finloom.apps.advisor import proposal_html

    proposal = get_proposal(workbench, proposal_id)
    page = proposal_html(proposal, lang)
    folder = _folder(workbench, proposal_id)
    if fmt == "pdf":
        from finloom._optional import require

        weasyprint = require("weasyprint", feature="PDF reports")
        path = atomic_write_bytes(
            folder / f"letter_{lang}.pdf", weasyprint.HTML(string=page).write_pdf()
        )
    else:
        path = atomic_write_text(folder / f"letter_{lang}.html", page)
    with workbench.session() as session:
        record_audit(
            session,
            actor=actor,
            action="advisor.report",
            target=proposal_id,
            details={"lang": lang, "format": fmt},
        )
    return path


def rebalance(workbench: Workbench, actor: str, body: RebalanceIn) -> dict[str, Any]:
    """A rebalancing notice for current weights against a stored proposal's targets; audit ``advisor.rebalance``."""
    from finloom.apps.advisor import rebalancing_notice

    proposal = get_proposal(workbench, body.proposal_id)
    notice = rebalancing_notice(
        proposal["weights"],
        body.current,
        band=proposal["plan"]["band"],
        names=proposal.get("names", {}),
        lang=body.lang,
    )
    with workbench.session() as session:
        record_audit(
            session,
            actor=actor,
            action="advisor.rebalance",
            target=body.proposal_id,
            details={"needed": notice["needed"], "drifted": notice["drifted"]},
        )
    return notice
