"""A job's result as a person reads it: headline figures with verdicts, tables and links.

Each job kind has a small view builder that turns its JSON result into a :class:`ResultView`;
labels are string ids of the UI catalogue (``web/locales``), so the page is fully translated.
The raw JSON stays available behind a toggle on the job page.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

__all__ = ["REPORT_FILES", "Fact", "ResultView", "Table", "fmt", "is_model_weight", "result_view", "severity_rank"]

Verdict = Literal["good", "fair", "poor"]
SEVERITIES = ("critical", "high", "medium", "low", "info")
REPORT_FILES = ("report.html", "report/report.html", "ner_report.html", "lab.html")  # embedded on the job page
_WEIGHT_SUFFIXES = (".safetensors", ".onnx", ".bin", ".pt", ".pth", ".ckpt")


@dataclass(frozen=True)
class Fact:
    """One headline figure: ``label`` is a string id; ``verdict`` and its ``note`` id are optional."""

    label: str
    value: str
    verdict: Verdict | None = None
    note: str | None = None


@dataclass(frozen=True)
class Table:
    """A titled table; ``headers`` are string ids, cells are already formatted text."""

    title: str
    headers: Sequence[str]
    rows: Sequence[Sequence[str]]
    id: str = ""


@dataclass
class ResultView:
    """What the job page shows above the raw JSON."""

    facts: list[Fact] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)
    model: str | None = None  # a model the job saved: linked to its model page


def fmt(value: Any, digits: int = 3) -> str:
    """A number as a person reads it: ``digits`` significant digits, thousands separated.

    Examples
    --------
    >>> fmt(0.6312345678901234), fmt(1234567), fmt(None), fmt(True), fmt(12.0), fmt(float("nan"))
    ('0.631', '1,234,567', '—', 'yes', '12', '—')
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return f"{int(value):,}"
        return f"{value:,.{digits}g}" if abs(value) < 1e4 else f"{value:,.0f}"
    return str(value)


def pct(value: Any) -> str:
    """A share as a percentage with one decimal.

    Examples
    --------
    >>> pct(0.1234), pct(None)
    ('12.3%', '—')
    """
    return "—" if value is None else f"{100 * float(value):.1f}%"


def _grade(value: float | None, good: float, fair: float, *, lower_is_better: bool = False) -> Verdict | None:
    """``good``/``fair``/``poor`` from two thresholds.

    Examples
    --------
    >>> _grade(0.9, 0.85, 0.7), _grade(0.63, 0.7, 0.85, lower_is_better=True), _grade(None, 1, 0)
    ('good', 'good', None)
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if lower_is_better:
        return "good" if value <= good else "fair" if value <= fair else "poor"
    return "good" if value >= good else "fair" if value >= fair else "poor"


def _graded(label: str, value: Any, good: float, fair: float, *, lower: bool = False,
            show: Callable[[Any], str] = fmt) -> Fact:
    """A fact whose note id is ``<label>.<verdict>`` (e.g. ``result.c2st.good``)."""
    verdict = _grade(value, good, fair, lower_is_better=lower)
    return Fact(label, show(value), verdict, f"{label}.{verdict}" if verdict else None)


def severity_rank(severity: str) -> int:
    """Sort key: critical first, unknown severities last.

    Examples
    --------
    >>> sorted(["medium", "critical", "odd", "high"], key=severity_rank)
    ['critical', 'high', 'medium', 'odd']
    """
    return SEVERITIES.index(severity) if severity in SEVERITIES else len(SEVERITIES)


def is_model_weight(name: str) -> bool:
    """Whether a job file is model weights (offered on the model page, not as a job download).

    Examples
    --------
    >>> is_model_weight("model/model.safetensors"), is_model_weight("report/report.html")
    (True, False)
    """
    return name.startswith(("model/", "onnx/")) or name.endswith(_WEIGHT_SUFFIXES)


def _synth_fit(r: Mapping[str, Any]) -> ResultView:
    m = r.get("metrics") or {}
    facts = [Fact("result.sample_rows", fmt(r.get("sample_rows")))]
    if "quality" in m:
        facts.append(_graded("result.quality", m["quality"], 0.85, 0.7))
    if "c2st_auc" in m:
        facts.append(_graded("result.c2st", m["c2st_auc"], 0.7, 0.85, lower=True))
    if m.get("tstr_auc") is not None and m.get("trtr_auc"):
        facts.append(_graded("result.utility", m["tstr_auc"] / m["trtr_auc"], 0.9, 0.75, show=pct))
    if "dcr_share" in m:
        facts.append(_graded("result.dcr", m["dcr_share"], 0.55, 0.6, lower=True, show=pct))
    if "exact_copy_rate" in m:
        facts.append(_graded("result.copies", m["exact_copy_rate"], 0.0, 0.01, lower=True, show=pct))
    if "mia_auc" in m:
        facts.append(_graded("result.mia", m["mia_auc"], 0.55, 0.6, lower=True))
    return ResultView(facts=facts, model=r.get("model"))


def _classifier(r: Mapping[str, Any]) -> ResultView:
    m = r.get("metrics") or {}
    facts = [Fact("result.n_train", fmt(m.get("n_train"))), Fact("result.n_test", fmt(m.get("n_test")))]
    if "accuracy" in m:
        facts += [_graded("result.accuracy", m["accuracy"], 0.85, 0.7), _graded("result.macro_f1", m["macro_f1"], 0.8, 0.6)]
    if m.get("ece") is not None:
        facts.append(_graded("result.ece", m["ece"], 0.05, 0.1, lower=True))
    facts.append(Fact("result.classes", ", ".join(map(str, r.get("classes") or []))))
    if r.get("int8_model"):
        facts.append(Fact("result.int8", str(r["int8_model"])))
    return ResultView(facts=facts, model=r.get("model"))


def _tagger(r: Mapping[str, Any]) -> ResultView:
    m = r.get("metrics") or {}
    f1 = m.get("entity_f1", m.get("f1"))
    facts = [_graded("result.entity_f1", f1, 0.8, 0.6)] if f1 is not None else []
    facts += [Fact(f"result.{k}", fmt(m[k])) for k in ("precision", "recall") if k in m]
    facts.append(Fact("result.entity_types", ", ".join(map(str, r.get("entity_types") or []))))
    return ResultView(facts=facts, model=r.get("model"))


def _report(r: Mapping[str, Any]) -> ResultView:
    ok = bool(r.get("guard_ok"))
    fact = Fact("result.guard", "✓" if ok else "✗", "good" if ok else "poor", f"result.guard.{'good' if ok else 'poor'}")
    paragraphs = [p for p in str(r.get("narrative") or "").split("\n") if p.strip()]
    return ResultView(facts=[Fact("result.title", str(r.get("title", ""))), fact], paragraphs=paragraphs)


def _trades(r: Mapping[str, Any]) -> ResultView:
    findings = sorted(r.get("findings") or [], key=lambda f: (severity_rank(str(f.get("severity"))), str(f.get("rule_id"))))
    rows = [[f"@severity.{f.get('severity', '')}", str(f.get("rule_id", "")), str(f.get("row") or ""),
             f"@rule.{f.get('rule_id', '')}|{f.get('explanation', '')}"]
            for f in findings]
    table = Table("result.findings", ["compliance.severity", "compliance.rule", "result.where", "compliance.why"], rows,
                  id="findings-table")
    return ResultView(facts=[Fact("result.count", fmt(r.get("count", len(findings))))], tables=[table] if rows else [])


def _market(r: Mapping[str, Any]) -> ResultView:
    s = r.get("scores") or {}
    facts = [Fact("result.paths", fmt(r.get("paths"))), Fact("result.days", fmt(r.get("days")))]
    if "ks" in s:
        facts.append(_graded("result.ks", s["ks"], 0.05, 0.1, lower=True))
    if "disc_score" in s:
        facts.append(_graded("result.disc", s["disc_score"], 0.1, 0.2, lower=True))
    if "abs_acf_mae" in s:
        facts.append(_graded("result.abs_acf", s["abs_acf_mae"], 0.05, 0.1, lower=True))
    return ResultView(facts=facts, model=r.get("model"))


def _lab(r: Mapping[str, Any]) -> ResultView:
    rows = [[", ".join(f"{k}={v}" for k, v in (row.get("params") or {}).items()), fmt(row.get("sharpe_median")),
             pct(row.get("prob_loss")), pct(row.get("var")), pct(row.get("real_total_return")), pct(row.get("real_percentile"))]
            for row in r.get("summary") or []]
    headers = ["result.params", "result.sharpe", "result.prob_loss", "result.var", "result.real_return", "result.real_percentile"]
    facts = [Fact("result.train_end", str(r.get("train_end", ""))), Fact("result.test_days", fmt(r.get("test_days")))]
    return ResultView(facts=facts, tables=[Table("result.grid", headers, rows, id="lab-table")])


def _profile(r: Mapping[str, Any]) -> ResultView:
    rows = []
    for c in r.get("columns") or []:
        detail = (f"{fmt(c.get('mean'))} ± {fmt(c.get('std'))} [{fmt(c.get('min'))}, {fmt(c.get('max'))}]" if "mean" in c
                  else ", ".join(f"{k} ({v:,})" for k, v in (c.get("top") or {}).items()))
        rows.append([str(c.get("name", "")), f"@column_kind.{c.get('kind', '')}", pct(c.get("null_rate")), fmt(c.get("distinct")), detail])
    headers = ["dataset.column", "dataset.kind", "result.null_rate", "result.distinct", "result.summary"]
    return ResultView(facts=[Fact("datasets.rows", fmt(r.get("rows")))],
                      tables=[Table("dataset.metadata", headers, rows, id="profile-table")])


def _sample(r: Mapping[str, Any]) -> ResultView:
    return ResultView(facts=[Fact("datasets.rows", fmt(r.get("rows"))), Fact("synth.format", str(r.get("format", "")))])


def _count(r: Mapping[str, Any]) -> ResultView:
    return ResultView(facts=[Fact("result.counted", fmt(r.get("counted")))])


def _credit_fit(r: Mapping[str, Any]) -> ResultView:
    m = r.get("metrics") or {}
    facts = [Fact(f"result.credit_{k}", fmt(m[k])) for k in ("scorecard_auc", "challenger_auc", "scorecard_ks",
                                                             "challenger_ks") if k in m]
    return ResultView(facts=facts, model=r.get("model"))


def _credit_score(r: Mapping[str, Any]) -> ResultView:
    bands = r.get("bands") or {}
    facts = [Fact("result.credit_applications", fmt(r.get("applications")))]
    facts += [Fact(f"credit.band.{b}", fmt(bands.get(b, 0))) for b in ("approve", "refer", "decline")]
    return ResultView(facts=facts)


def _recommendation_fit(r: Mapping[str, Any]) -> ResultView:
    m = r.get("metrics") or {}
    facts = [Fact("result.reco_customers", fmt(r.get("customers"))),
             Fact("result.reco_recall", fmt(m.get("recall_at_5"))),
             Fact("result.reco_popularity_recall", fmt(m.get("popularity_recall_at_5")))]
    return ResultView(facts=facts, model=r.get("model"))


def _images(r: Mapping[str, Any]) -> ResultView:
    shape = r.get("image_shape") or []
    facts = [Fact("images.result.images", fmt(r.get("images"))),
             Fact("images.result.size", f"{shape[1]}×{shape[2]}, {shape[0]}" if len(shape) == 3 else ""),
             Fact("images.result.classes", ", ".join(str(c) for c in r.get("classes") or []))]
    if r.get("fit_seconds") is not None:
        facts.append(Fact("images.result.fit_seconds", fmt(r.get("fit_seconds"))))
    if r.get("images_per_s") is not None:
        facts.append(Fact("images.result.per_s", fmt(r.get("images_per_s"))))
    return ResultView(facts=facts, model=r.get("model"))


def _campaign(r: Mapping[str, Any]) -> ResultView:
    prop, seg, copy = r.get("propensity") or {}, r.get("segments") or {}, r.get("copy") or {}
    facts = [Fact("marketing.auc", fmt(prop.get("auc"))),
             Fact("marketing.top_lift", fmt(prop.get("top_decile_lift"))),
             Fact("marketing.contacts", fmt(r.get("contacts"))),
             Fact("marketing.segments", fmt(seg.get("k"))),
             Fact("marketing.copy", f"{fmt(copy.get('accepted'))} / {fmt(copy.get('variants'))}")]
    return ResultView(facts=facts)


_VIEWS: Mapping[str, Callable[[Mapping[str, Any]], ResultView]] = {
    "synth.fit": _synth_fit, "synth.sample": _sample, "nlp.train": _classifier, "nlp.train_ner": _tagger,
    "report.market": _report, "report.portfolio": _report, "compliance.trades": _trades,
    "market.simulate": _market, "lab.run": _lab, "dataset.profile": _profile, "demo.count": _count,
    "credit.fit": _credit_fit, "credit.score": _credit_score,
    "images.fit": _images, "images.sample": _images, "recommendation.fit": _recommendation_fit,
    "marketing.campaign": _campaign,
}


def result_view(kind: str, result: Mapping[str, Any] | None) -> ResultView | None:
    """The readable view of a job's result, or None for an unknown kind or no result.

    Examples
    --------
    >>> view = result_view("synth.fit", {"model": "loans-copula", "metrics": {"c2st_auc": 0.63}, "sample_rows": 10})
    >>> [(f.label, f.value, f.verdict) for f in view.facts][1], view.model
    (('result.c2st', '0.63', 'good'), 'loans-copula')
    >>> result_view("nope", {}) is None
    True
    """
    builder = _VIEWS.get(kind)
    return builder(result) if builder is not None and result is not None else None
