"""Approval and adverse-action letters (EN/ZH) from the grounded text engine: every number a fact,
checked by the faithfulness guard, and the text checked by the compliance rules it is given."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from finloom._optional import require
from finloom.apps.credit_review._decisions import Cutoffs
from finloom.apps.credit_review.schemas import ScoredApplicant
from finloom.errors import ConfigError
from finloom.textgen import (
    Fact,
    FactSet,
    FaithfulnessGuard,
    GenerationRequest,
    GuardReport,
    TemplateBackend,
)

__all__ = ["ComplianceCheck", "Letter", "letter_for", "render_letter_html", "render_letter_pdf"]

# (text, lang) -> findings as plain dicts ({"rule_id", "explanation", ...}); the service layer passes
# finloom's compliance rules, tests pass fakes.
ComplianceCheck = Callable[[str, str], Sequence[Mapping[str, Any]]]
TEMPLATE = "credit_letter"
DISCLAIMERS = {
    "en": "This letter was produced with the help of an automated scoring model and reviewed under our credit policy.",
    "zh": "本函依据自动评分模型并按照我行信贷政策审核后出具。",
}
_TITLES = {
    "en": {"approval": "Credit decision: approved", "adverse": "Credit decision: not approved"},
    "zh": {"approval": "信贷审批结果：批准", "adverse": "信贷审批结果：未获批准"},
}
_REF = {"en": "Reference", "zh": "申请编号"}
_DATE = {"en": "Date", "zh": "日期"}


@dataclass
class Letter:
    """A rendered letter with its checks; ``ok`` when the guard and the compliance rules pass."""

    applicant_id: str
    kind: str  # "approval" or "adverse"
    lang: str
    text: str
    guard: GuardReport
    compliance: list[dict[str, Any]] = field(default_factory=list)
    date: str = ""

    @property
    def ok(self) -> bool:
        """No unsupported number and no compliance finding."""
        return self.guard.ok and not self.compliance

    def to_dict(self) -> dict[str, Any]:
        """JSON-able form."""
        return {
            "applicant_id": self.applicant_id,
            "kind": self.kind,
            "lang": self.lang,
            "text": self.text,
            "ok": self.ok,
            "unsupported_numbers": self.guard.unsupported_numbers,
            "guard_issues": [i.explanation for i in self.guard.issues],
            "compliance": self.compliance,
            "date": self.date,
        }


def _facts(app: ScoredApplicant, cutoffs: Cutoffs, amount: float | None, currency: str) -> FactSet:
    above = app.score >= cutoffs.approve_at
    decimals = (
        0 if (round(app.score) >= cutoffs.approve_at) == above else 1
    )  # 549.6 is not written "550, below 550"
    facts = [
        Fact(
            "score",
            round(app.score, decimals),
            unit="points",
            decimals=decimals,
            label="credit score",
        ),
        Fact(
            "approve_at",
            float(cutoffs.approve_at),
            unit="points",
            decimals=0,
            label="approval cut-off",
        ),
    ]
    if amount is not None:
        facts.append(
            Fact(
                "amount",
                float(amount),
                unit="currency",
                currency=currency,
                decimals=2,
                label="amount",
            )
        )
    return FactSet(facts, disclaimers=DISCLAIMERS)


def letter_for(
    app: ScoredApplicant,
    cutoffs: Cutoffs,
    *,
    lang: str = "en",
    amount: float | None = None,
    currency: str = "CNY",
    k: int = 4,
    compliance: ComplianceCheck | None = None,
    date: dt.date | None = None,
) -> Letter:
    """The approval or adverse-action letter of an applicant's decision (refer has no letter).

    Examples
    --------
    >>> from finloom.apps.credit_review.schemas import ReasonOut
    >>> app = ScoredApplicant(applicant_id="A1", score=512.4, pd=0.3, band="decline",
    ...                       reasons=[ReasonOut(feature="PAY_0", points=30, en="Recent payment delays",
    ...                                          zh="近期有逾期记录")])
    >>> letter = letter_for(app, Cutoffs(), lang="zh")
    >>> letter.ok, "512分" in letter.text, "近期有逾期记录" in letter.text
    (True, True, True)
    """
    if lang not in ("en", "zh"):
        raise ConfigError(f"lang must be 'en' or 'zh'; got {lang!r}.")
    decision = app.decision
    if decision == "refer":
        raise ConfigError(
            f"applicant {app.applicant_id} must have an approve or decline decision for a letter; "
            "got refer. Review the application (override) first."
        )
    kind = "approval" if decision == "approve" else "adverse"
    reasons = [r.zh if lang == "zh" else r.en for r in app.reasons[:k]]
    if kind == "adverse" and not reasons:
        raise ConfigError(
            f"adverse-action letter of applicant {app.applicant_id} must state its principal reasons; "
            "got none. Score with reasons first."
        )
    facts = _facts(app, cutoffs, amount, currency)
    request = GenerationRequest(
        TEMPLATE,
        facts,
        lang=lang,
        context={
            "kind": kind,
            "reasons": reasons,
            "above": app.score >= cutoffs.approve_at,
            "reviewed": app.final_band is not None,
        },
    )
    text = TemplateBackend().render(request, seed=0).text
    report = FaithfulnessGuard(require_disclaimer=True).check(text, facts, lang=lang)
    found = [dict(f) for f in compliance(text, lang)] if compliance is not None else []
    return Letter(
        app.applicant_id, kind, lang, text, report, found, (date or dt.date.today()).isoformat()
    )


def render_letter_html(letter: Letter) -> str:
    """A printable HTML page of the letter (reference and date in the header, the checked text below).

    Examples
    --------
    >>> from finloom.apps.credit_review.schemas import ReasonOut
    >>> app = ScoredApplicant(applicant_id="A1", score=600, pd=0.02, band="approve")
    >>> "<html" in render_letter_html(letter_for(app, Cutoffs()))
    True
    """
    import jinja2

    source = (
        resources.files("finloom.apps.credit_review") / "templates" / "letter.html.j2"
    ).read_text("utf-8")
    lines = letter.text.splitlines()
    return (
        jinja2.Environment(autoescape=True)
        .from_string(source)
        .render(
            lang=letter.lang,
            title=_TITLES[letter.lang][letter.kind],
            ref_label=_REF[letter.lang],
            date_label=_DATE[letter.lang],
            ref=letter.applicant_id,
            date=letter.date,
            lines=[
                {"bullet": ln.startswith("- "), "text": ln[2:] if ln.startswith("- ") else ln}
                for ln in lines
            ],
        )
    )


def render_letter_pdf(letter: Letter) -> bytes:
    """The letter as PDF bytes (WeasyPrint)."""
    weasyprint = require("weasyprint", feature="PDF letters")
    pdf: bytes = weasyprint.HTML(string=render_letter_html(letter)).write_pdf()
    return pdf
