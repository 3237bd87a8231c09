"""The insights report: a one-page summary and a full report, in HTML (charts embedded) or PDF."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd

from finloom._io import atomic_write_bytes, atomic_write_text
from finloom._optional import require
from finloom.apps.insights._charts import insight_chart
from finloom.apps.insights._find import InsightSet
from finloom.apps.insights._narrate import Narrative, narrate, no_insight_sentence
from finloom.errors import ConfigError

__all__ = ["InsightReport", "build_report", "render_html", "render_pdf", "write_report"]

SUMMARY_ITEMS = 5
_TEXT: dict[str, dict[str, Any]] = {
    "en": {
        "title": "Insights",
        "findings": "Findings",
        "question": "Question",
        "method_h": "Method",
        "role": "Role",
        "columns": "Columns",
        "flagged": "not confirmed by the guard",
        "no_driver": "No single dimension value explains at least a tenth of this change at this false discovery rate.",
        "guard": "Every number in these sentences was checked against the computed facts by the faithfulness guard.",
        "kinds": {
            "trend": "Trend",
            "trend_break": "Trend break",
            "period_change": "Change",
            "contributor": "Driver of a change",
            "driver": "Driver",
            "segment": "Segment",
            "anomaly": "Anomaly",
            "correlation": "Correlation",
        },
        "roles": {
            "time": "time",
            "measures": "measures",
            "dimensions": "dimensions",
            "target": "target",
        },
        "meta": "{rows:,} rows · {n} patterns tested · false discovery rate {alpha:g}%",
        "method": (
            "Candidates: trends and trend breaks, period-over-period changes, changes concentrated in one "
            "dimension value, segments that differ from the rest (minimum support), drivers of the target "
            "(LightGBM with TreeSHAP importance and direction, Spearman test), anomalies in series and "
            "correlations. Each has an effect size and a p-value; Benjamini–Hochberg adjusted p-values control "
            "the false discovery rate, and insights are ranked by significance × effect × coverage."
        ),
    },
    "zh": {
        "title": "数据洞察",
        "findings": "发现",
        "question": "问题",
        "method_h": "方法",
        "role": "角色",
        "columns": "列",
        "flagged": "未通过校验",
        "no_driver": "在该错误发现率下，没有任何单一维度取值能解释这一变化的十分之一以上。",
        "guard": "以上句子中的每个数字均已由忠实性校验器与计算结果逐一核对。",
        "kinds": {
            "trend": "趋势",
            "trend_break": "趋势突变",
            "period_change": "环比变化",
            "contributor": "变化来源",
            "driver": "驱动因素",
            "segment": "细分群体",
            "anomaly": "异常",
            "correlation": "相关性",
        },
        "roles": {"time": "时间", "measures": "度量", "dimensions": "维度", "target": "目标"},
        "meta": "{rows:,}行 · 检验{n}个模式 · 错误发现率{alpha:g}%",
        "method": (
            "候选洞察包括：趋势与趋势突变、环比变化、集中于某一维度取值的变化、与其余数据不同的细分群体（最小支持度）、"
            "目标的驱动因素（LightGBM 与 TreeSHAP 重要性及方向、Spearman 检验）、序列异常以及相关性。每个候选都有效应量"
            "和p值；以 Benjamini–Hochberg 校正控制错误发现率，并按显著性×效应×覆盖度排序。"
        ),
    },
}


@dataclass
class InsightReport:
    """Guarded sentences, charts and the tested insights of one dataset (or one drill-down).

    Examples
    --------
    >>> from finloom.apps.insights import Roles
    >>> r = InsightReport("loans", "en", InsightSet(Roles(measures=("x",)), [], 5, 100), [])
    >>> r.to_dict()["insights"]
    []
    """

    name: str
    lang: str
    found: InsightSet
    sentences: list[Narrative]
    charts: list[str] = field(default_factory=list)
    question: str | None = None

    @property
    def title(self) -> str:
        """Report title."""
        sep = "：" if self.lang == "zh" else ": "
        return f"{_TEXT[self.lang]['title']}{sep}{self.name}"

    @property
    def unsupported_numbers(self) -> int:
        """Numbers the guard could not tie to a fact, over all sentences (0 expected)."""
        return sum(n.guard.unsupported_numbers for n in self.sentences)

    def to_dict(self) -> dict[str, Any]:
        """JSON-able view (no chart bytes)."""
        items = [
            {**c.to_dict(), "text": n.text, "guard_ok": n.ok}
            for c, n in zip(self.found.insights, self.sentences, strict=True)
        ]
        return {
            "name": self.name,
            "lang": self.lang,
            "title": self.title,
            "question": self.question,
            "n_rows": self.found.n_rows,
            "n_candidates": self.found.n_candidates,
            "alpha": self.found.alpha,
            "roles": self.found.roles.to_dict(),
            "filters": dict(self.found.filters),
            "insights": items,
            "none": no_insight_sentence(self.found, self.lang) if self.found.empty else None,
            "unsupported_numbers": self.unsupported_numbers,
        }


def _chart_title(n: Narrative, c: Any, lang: str) -> str:
    kinds = _TEXT[lang]["kinds"]
    subject = (
        f"{c.measure}"
        + (f" · {c.dimension} = {c.value}" if c.dimension else "")
        + (f" · {c.other}" if c.other else "")
    )
    return f"{kinds.get(c.kind, c.kind)}: {subject}"


def build_report(
    found: InsightSet,
    name: str,
    *,
    lang: str = "en",
    data: pd.DataFrame | None = None,
    with_charts: bool = True,
    question: str | None = None,
    seed: int = 0,
) -> InsightReport:
    """Sentences (and charts) for every insight of ``found``.

    Examples
    --------
    >>> from finloom.apps.insights import Roles
    >>> build_report(InsightSet(Roles(measures=("x",)), [], 5, 100), "t", lang="zh").title
    '数据洞察：t'
    """
    if lang not in _TEXT:
        raise ConfigError(f"lang must be 'en' or 'zh'; got {lang!r}.")
    sentences = narrate(found, lang=lang, seed=seed)
    charts = (
        [
            insight_chart(c, _chart_title(n, c, lang), data)
            for c, n in zip(found.insights, sentences, strict=True)
        ]
        if with_charts
        else []
    )
    return InsightReport(name, lang, found, sentences, charts, question)


def render_html(report: InsightReport, *, full: bool = True) -> str:
    """The full report, or the one-page summary (``full=False``: the top five, no method section).

    Examples
    --------
    >>> from finloom.apps.insights import Roles
    >>> r = build_report(InsightSet(Roles(measures=("x",)), [], 5, 100), "t")
    >>> "No clear structure" in render_html(r)
    True
    """
    import jinja2

    t = _TEXT[report.lang]
    source = (resources.files("finloom.apps.insights") / "templates" / "report.html.j2").read_text(
        "utf-8"
    )
    shown = len(report.sentences) if full else SUMMARY_ITEMS
    items = [
        {
            "kind": n.kind,
            "text": n.text,
            "ok": n.ok,
            "chart": report.charts[i] if i < len(report.charts) and (full or i < 2) else None,
        }
        for i, n in enumerate(report.sentences[:shown])
    ]
    f = report.found
    roles = [
        (t["roles"][k], ", ".join(v) if isinstance(v, list) else v)
        for k, v in f.roles.to_dict().items()
        if k in t["roles"] and v
    ]
    meta = t["meta"].format(rows=f.n_rows, n=f.n_candidates, alpha=f.alpha * 100)
    if f.filters:
        meta += " · " + ", ".join(f"{k} = {v}" for k, v in f.filters.items())
    return (
        jinja2.Environment(autoescape=True)
        .from_string(source)
        .render(
            lang=report.lang,
            title=report.title,
            meta=meta,
            h=t,
            items=items,
            full=full,
            method=t["method"],
            roles=roles,
            question=report.question,
            no_driver=bool(report.question) and len(report.sentences) == 1,
            none_text=no_insight_sentence(f, report.lang),
        )
    )


def render_pdf(
    report: InsightReport, path: str | os.PathLike[str] | None = None, *, full: bool = True
) -> bytes:
    """The report as PDF bytes (WeasyPrint), written to ``path`` when given.

    Examples
    --------
    >>> render_pdf(report, "insights.pdf")[:4]  # doctest: +SKIP
    b'%PDF'
    """
    weasyprint = require("weasyprint", feature="PDF reports")
    pdf = weasyprint.HTML(string=render_html(report, full=full)).write_pdf()
    if path is not None:
        atomic_write_bytes(Path(path), pdf)
    return bytes(pdf)


def write_report(report: InsightReport, path: str | os.PathLike[str], *, full: bool = True) -> str:
    """Write ``.html`` or ``.pdf`` (by suffix, atomically); return the path.

    Examples
    --------
    >>> write_report(report, "out/insights.html")  # doctest: +SKIP
    'out/insights.html'
    """
    target = Path(path)
    suffix = target.suffix.lower()
    if suffix == ".pdf":
        render_pdf(report, target, full=full)
    elif suffix in (".html", ".htm"):
        atomic_write_text(target, render_html(report, full=full))
    else:
        raise ConfigError(
            f"output path must end in .html or .pdf; got {target.name!r}. Use insights.html."
        )
    return str(target)
