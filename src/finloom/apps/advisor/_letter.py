"""The advice letter (English and Chinese) from the grounded template engine, checked by the faithfulness guard."""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass
from typing import Any

from finloom.textgen import (
    Fact,
    FactSet,
    FaithfulnessGuard,
    GenerationRequest,
    GuardReport,
    Period,
    TemplateBackend,
)

__all__ = ["DISCLOSURE", "METHOD_NAMES", "Letter", "letter_facts", "letter_html", "write_letter"]

DISCLOSURE = {
    "en": "Investing involves risk, including the loss of capital. The simulated figures are model estimates, "
    "not promises; past performance is not a reliable indicator of future results. This proposal is "
    "for information only and does not constitute an offer.",
    "zh": "投资有风险，可能损失本金。模拟数据为模型估算，并非承诺；过往业绩不代表未来表现。本建议书仅供参考，不构成要约。",
}
METHOD_NAMES = {
    "en": {
        "min_variance": "minimum-variance",
        "max_sharpe": "maximum-Sharpe",
        "risk_parity": "risk-parity",
        "hrp": "hierarchical risk parity",
        "cvar": "minimum-CVaR",
    },
    "zh": {
        "min_variance": "方差极小化",
        "max_sharpe": "夏普比率极大化",
        "risk_parity": "风险平价",
        "hrp": "层次风险平价",
        "cvar": "条件风险价值极小化",
    },
}


@dataclass
class Letter:
    """A rendered letter, its guard report and the facts it was written from."""

    lang: str
    text: str
    guard: GuardReport
    facts: FactSet

    @property
    def unsupported_numbers(self) -> int:
        """Numbers the guard could not tie to a fact."""
        return int(self.guard.unsupported_numbers)


def _pct(fid: str, value: float, label: str, decimals: int = 1, **kw: Any) -> Fact:
    # the value as the letter shows it: a tiny negative never reads "-0.0%"
    return Fact(
        fid, round(value * 100, decimals) + 0.0, unit="%", decimals=decimals, label=label, **kw
    )


def letter_facts(proposal: dict[str, Any], names: dict[str, dict[str, str]]) -> FactSet:
    """The facts of a proposal (profile, plan, weights, simulation, back-test); ``names`` maps a product
    id to its name per language.

    Examples
    --------
    >>> fs = letter_facts(_EXAMPLE, {"DEP": {"en": "Deposit", "zh": "存款"}})
    >>> fs["DEP:weight"].value, fs["sim:prob_goal"].value
    (100.0, 62.5)
    """
    cur = proposal.get("currency", "CNY")
    sim, plan = proposal["simulation"], proposal["plan"]
    facts = [
        Fact("profile:score", float(proposal["profile"]["score"]), decimals=0, label="risk score"),
        *[Fact(f"rating:{k}", float(k), decimals=0, label="risk level") for k in range(1, 6)],
        Fact("plan:horizon", float(plan["years"]), decimals=0, label="horizon"),
        Fact(
            "plan:initial",
            float(plan["initial"]),
            unit="currency",
            currency=cur,
            decimals=2,
            label="amount",
        ),
        Fact(
            "plan:goal",
            float(plan["goal"]),
            unit="currency",
            currency=cur,
            decimals=2,
            label="goal",
        ),
        _pct("plan:band", float(plan["band"]), "rebalancing band", 0),
        Fact("sim:level", 95.0, unit="%", decimals=0, label="confidence level"),
        Fact("sim:tail", 5.0, unit="%", decimals=0, label="worst futures"),
        Fact("sim:pct5", 5.0, decimals=0, label="5th percentile"),
        Fact("sim:pct95", 95.0, decimals=0, label="95th percentile"),
        Fact(
            "sim:paths", float(sim["n_paths"]), unit="count", decimals=0, label="simulated futures"
        ),
        Fact(
            "sim:median",
            sim["terminal_quantiles"]["p50"],
            unit="currency",
            currency=cur,
            decimals=2,
            label="median",
        ),
        Fact(
            "sim:p5",
            sim["terminal_quantiles"]["p5"],
            unit="currency",
            currency=cur,
            decimals=2,
            label="5th percentile",
        ),
        Fact(
            "sim:p95",
            sim["terminal_quantiles"]["p95"],
            unit="currency",
            currency=cur,
            decimals=2,
            label="95th percentile",
        ),
        _pct("sim:prob_goal", sim["prob_goal"], "probability"),
        _pct("sim:var95", sim["var95"], "value at risk"),
        _pct("sim:cvar95", sim["cvar95"], "conditional value at risk"),
        _pct("sim:max_drawdown", sim["max_drawdown_median"], "maximum drawdown"),
        _pct("sim:under_water", sim["time_under_water"], "time under water", 0),
    ]
    for pid, w in proposal["weights"].items():
        facts.append(_pct(f"{pid}:weight", w, "weight", entity=pid))
    bt = proposal.get("backtest")
    if bt:
        period = Period(dt.date.fromisoformat(bt["start"]), dt.date.fromisoformat(bt["end"]))
        facts.append(_pct("bt:return", bt["annual_return"], "annual return", period=period))
        facts.append(_pct("bt:max_drawdown", bt["max_drawdown"], "maximum drawdown", period=period))
    labels = {pid: dict(names.get(pid, {"en": pid})) for pid in proposal["weights"]}
    return FactSet(facts, labels=labels, disclaimers=DISCLOSURE)


def write_letter(
    proposal: dict[str, Any], names: dict[str, dict[str, str]], *, lang: str = "en", seed: int = 0
) -> Letter:
    """Render the letter in ``lang`` and check it with :class:`FaithfulnessGuard` (disclosure required).

    Examples
    --------
    >>> letter = write_letter(_EXAMPLE, {"DEP": {"en": "Deposit", "zh": "存款"}}, lang="en")
    >>> letter.guard.ok, "62.5%" in letter.text
    (True, True)
    """
    facts = letter_facts(proposal, names)
    level = proposal["profile"]["level"]
    ctx = {
        "customer": proposal.get("customer_id") or ("the customer" if lang == "en" else "客户"),
        "date": proposal.get("date", dt.date.today().isoformat()),
        "level": level,
        "level_name": proposal["profile"].get("level_name", {}).get(lang, level),
        "allowed": ", ".join(proposal["profile"].get("allowed", [])),
        "method_name": METHOD_NAMES[lang].get(proposal["method"], proposal["method"]),
        "holdings": [pid for pid, w in proposal["weights"].items() if w > 0],
        "ratings": proposal.get("ratings", {}),
    }
    rendered = TemplateBackend().render(
        GenerationRequest("advice", facts, lang=lang, context=ctx), seed=seed
    )
    report = FaithfulnessGuard(require_disclaimer=True).check(rendered.text, facts, lang=lang)
    return Letter(lang, rendered.text, report, facts)


def letter_html(letter: Letter, *, title: str, images: dict[str, str] | None = None) -> str:
    """A standalone HTML page of the letter, with optional base64 PNG ``images`` (caption → data).

    Examples
    --------
    >>> letter = write_letter(_EXAMPLE, {"DEP": {"en": "Deposit"}})
    >>> letter_html(letter, title="Proposal").startswith("<!doctype html>")
    True
    """
    lines = [html.escape(line) for line in letter.text.splitlines()]
    body = "".join(f"<li>{ln[2:]}</li>" if ln.startswith("- ") else f"<p>{ln}</p>" for ln in lines)
    figures = "".join(
        f'<figure><img alt="{html.escape(k)}" src="data:image/png;base64,{v}"><figcaption>'
        f"{html.escape(k)}</figcaption></figure>"
        for k, v in (images or {}).items()
    )
    font = "'Noto Sans CJK SC', 'Noto Sans', sans-serif"
    return (
        f'<!doctype html><html lang="{letter.lang}"><head><meta charset="utf-8"><title>{html.escape(title)}'
        f"</title><style>body{{font-family:{font};max-width:760px;margin:2em auto;line-height:1.5}}"
        f"img{{max-width:100%}}li{{margin-left:1em}}</style></head><body><h1>{html.escape(title)}</h1>"
        f"{body}{figures}</body></html>"
    )


_EXAMPLE: dict[str, Any] = {
    "customer_id": "c-1",
    "date": "2026-01-05",
    "method": "min_variance",
    "currency": "CNY",
    "profile": {
        "score": 12,
        "level": "C1",
        "allowed": ["R1"],
        "level_name": {"en": "Conservative", "zh": "保守型"},
    },
    "plan": {"years": 3, "initial": 100000, "goal": 104000, "band": 0.05},
    "weights": {"DEP": 1.0},
    "ratings": {"DEP": "R1"},
    "simulation": {
        "n_paths": 1000,
        "terminal_quantiles": {"p5": 104000, "p50": 104500, "p95": 105000},
        "prob_goal": 0.625,
        "var95": 0.0,
        "cvar95": 0.0,
        "max_drawdown_median": 0.0,
        "time_under_water": 0.0,
    },
}
