"""Trustworthy text generation benchmark: unsupported numbers in reports, guard recall on
perturbed texts, compliance-rule recall/precision on a labelled set, report render time.

    python -m benchmarks.textgen            # full protocol (resumable, one file per part)
    python -m benchmarks.textgen --quick    # small sizes, for a smoke run
    python -m benchmarks.textgen --force    # recompute parts already on disk
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import re
import statistics
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from benchmarks import textgen_oos
from benchmarks._common import (
    RESULTS,
    machine,
    print_table,
    read_run,
    run_key,
    write_results,
    write_run,
)
from finloom.apps.compliance import audit_text
from finloom.apps.reports import (
    build_market_report,
    build_portfolio_report,
    load_demo_prices,
    render_html,
    render_pdf,
)
from finloom.apps.reports._analytics import market_facts, portfolio_facts
from finloom.apps.reports.service import _labels
from finloom.textgen import (
    FactSet,
    FaithfulnessGuard,
    GenerationRequest,
    RenderedText,
    TemplateBackend,
    UnfaithfulTextError,
    extract_dates,
    format_date,
    format_value,
)

RUNS = RESULTS / "runs" / "textgen"
DATA = Path(__file__).resolve().parent / "data" / "textgen"
TICKERS = ["SP500", "NASDAQ", "WTI", "VIX"]
PERTURBATIONS = ("number", "direction", "entity", "period", "disclaimer")
OPPOSITE = {
    "en": {"up": ["fell", "dropped", "declined"], "down": ["rose", "gained", "climbed"]},
    "zh": {"up": ["下跌", "下降"], "down": ["上涨", "上升"]},
}
SHORT = {"up": "down", "down": "up", "上涨": "下跌", "下跌": "上涨"}


# -- shared ---------------------------------------------------------------------------------
def _random_window(rng: np.random.Generator, prices: pd.DataFrame, tickers: list[str],
                   min_days: int = 30, max_days: int = 500) -> pd.DataFrame:
    data = prices[tickers].dropna()
    length = int(rng.integers(min_days, min(max_days, len(data) - 1)))
    start = int(rng.integers(0, len(data) - length))
    return data.iloc[start : start + length + 1]


def _cached(name: str, quick: bool, force: bool, fn: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    path = RUNS / f"{name}{'_quick' if quick else ''}.json"
    key = run_key(part=name, quick=quick)
    cached = None if force else read_run(path, key)
    if cached is not None:
        print(f"[skip] {path.name} was measured on this code")
        return cached
    start = time.perf_counter()
    result = fn()
    result["seconds"] = round(time.perf_counter() - start, 2)
    return write_run(path, result, key)


# -- (a) reports ----------------------------------------------------------------------------
def part_reports(n: int, seed: int = 0) -> dict[str, Any]:
    rng = np.random.default_rng(seed)
    prices = load_demo_prices(TICKERS)
    unsupported, claims = 0, 0
    kinds: Counter[str] = Counter()
    for i in range(n):
        k = int(rng.integers(1, len(TICKERS) + 1))
        tickers = sorted(rng.choice(TICKERS, size=k, replace=False).tolist(), key=TICKERS.index)
        window = _random_window(rng, prices, tickers)
        lang = "en" if i % 2 == 0 else "zh"
        start, end = window.index[0], window.index[-1]
        try:
            if i % 4 == 3:
                w = rng.dirichlet(np.ones(k))
                w = np.round(w / w.sum(), 4)
                w[-1] = round(1 - w[:-1].sum(), 4)
                report = build_portfolio_report(dict(zip(tickers, w.tolist(), strict=True)), start, end,
                                                lang=lang, prices=prices, seed=i, with_charts=False)
            else:
                report = build_market_report(tickers, start, end, lang=lang, prices=prices, seed=i,
                                             with_charts=False)
            guards = [report.guard, report.table_guard]
        except UnfaithfulTextError as err:
            guards = [err.report]
        for g in guards:
            unsupported += g.unsupported_numbers
            claims += g.n_claims
            kinds.update(i.kind for i in g.issues)
    return {"reports": n, "unsupported_numbers": unsupported, "claims_checked": claims,
            "issue_kinds": dict(kinds)}


# -- (b) perturbations ----------------------------------------------------------------------
def _generate(rng: np.random.Generator, prices: pd.DataFrame, i: int) -> tuple[RenderedText, FactSet]:
    k = int(rng.integers(2, len(TICKERS) + 1))
    tickers = sorted(rng.choice(TICKERS, size=k, replace=False).tolist(), key=TICKERS.index)
    window = _random_window(rng, prices, tickers, min_days=45)
    lang = "en" if i % 2 == 0 else "zh"
    if i % 3 == 2:
        w = rng.dirichlet(np.ones(k))
        weights = dict(zip(tickers, (w / w.sum()).tolist(), strict=True))
        facts_list, ctx, _ = portfolio_facts(window, weights)
        template = "portfolio"
    else:
        facts_list, ctx = market_facts(window)
        template = "market"
    facts = FactSet(facts_list, labels=_labels(tickers, None))
    rendered = TemplateBackend().render(GenerationRequest(template, facts, lang, ctx), seed=i)
    return rendered, facts


def _changed_number(rendered: RenderedText, facts: FactSet, rng: np.random.Generator) -> tuple[int, int, str] | None:
    claims = [c for c in rendered.claims if c.kind == "number"]
    c = claims[int(rng.integers(len(claims)))]
    fact = facts[c.fact_id]
    old = rendered.claim_text(c)
    unit = 10.0 ** -fact.decimals if fact.unit not in ("count", "days") else 1.0
    delta = max(abs(fact.value) * rng.uniform(0.1, 0.6), 3 * unit) * rng.choice([-1, 1])
    new_value = fact.value + delta
    if fact.direction is not None and np.sign(new_value) != np.sign(fact.value):
        new_value = fact.value - delta  # keep the sign; the direction is another perturbation
    new_fact = dataclasses.replace(fact, value=float(new_value))
    signed = old.startswith(("+", "-"))
    text = format_value(new_fact, rendered.lang, signed=signed)
    if signed and new_value > 0:
        text = "+" + text
    return (c.start, c.end, text) if text != old else None


def _flipped_direction(rendered: RenderedText, facts: FactSet, rng: np.random.Generator) -> tuple[int, int, str] | None:
    claims = [c for c in rendered.claims if c.kind == "direction" and facts[c.fact_id].direction in ("up", "down")]
    if not claims:
        return None
    c = claims[int(rng.integers(len(claims)))]
    old = rendered.claim_text(c)
    if old in SHORT:
        return c.start, c.end, SHORT[old]
    options = OPPOSITE[rendered.lang][facts[c.fact_id].direction or "up"]
    return c.start, c.end, options[int(rng.integers(len(options)))]


def _swapped_entity(rendered: RenderedText, facts: FactSet, rng: np.random.Generator) -> tuple[int, int, str] | None:
    claims = [c for c in rendered.claims if c.kind == "entity"]
    c = claims[int(rng.integers(len(claims)))]
    old = rendered.claim_text(c)
    others = [facts.label(e, rendered.lang) for e in facts.entities()
              if facts.label(e, rendered.lang) != old]
    return c.start, c.end, others[int(rng.integers(len(others)))]


def _shifted_period(rendered: RenderedText, facts: FactSet, rng: np.random.Generator) -> tuple[int, int, str] | None:
    claims = [c for c in rendered.claims if c.kind == "date"]
    c = claims[int(rng.integers(len(claims)))]
    old = rendered.claim_text(c)
    day = extract_dates(old)[0].first
    style = next(s for s in range(3) if format_date(day, rendered.lang, s) == old)
    shift = int(rng.integers(1, 60)) * int(rng.choice([-1, 1]))
    return c.start, c.end, format_date(day + pd.Timedelta(days=shift).to_pytimedelta(), rendered.lang, style)


def _dropped_disclaimer(rendered: RenderedText, facts: FactSet, rng: np.random.Generator) -> tuple[int, int, str] | None:
    c = next(c for c in rendered.claims if c.kind == "disclaimer")
    return c.start, c.end, ""


_PERTURB = {"number": _changed_number, "direction": _flipped_direction, "entity": _swapped_entity,
            "period": _shifted_period, "disclaimer": _dropped_disclaimer}
_SENT = re.compile(r"[。！？!?\n]|\.(?=\s|$)")


def _same_sentence(text: str, pos: int, issue_pos: int) -> bool:
    cuts = [0] + [m.end() for m in _SENT.finditer(text)] + [len(text) + 1]
    for a, b in zip(cuts, cuts[1:], strict=False):
        if a <= pos < b:
            return a <= issue_pos < b
    return False


def part_perturb(n: int, seed: int = 1) -> dict[str, Any]:
    rng = np.random.default_rng(seed)
    prices = load_demo_prices(TICKERS)
    guard = FaithfulnessGuard(require_disclaimer=True)  # reports need their disclaimer
    false_alarms = 0
    hit: Counter[str] = Counter()
    total: Counter[str] = Counter()
    localized: Counter[str] = Counter()
    misses: list[dict[str, str]] = []
    by_lang: Counter[str] = Counter()
    for i in range(n):
        rendered, facts = _generate(rng, prices, i)
        by_lang[rendered.lang] += 1
        if not guard.check(rendered.text, facts, lang=rendered.lang).ok:
            false_alarms += 1
        for kind in PERTURBATIONS:
            change = _PERTURB[kind](rendered, facts, rng)
            if change is None:
                continue
            a, b, new = change
            text = rendered.text[:a] + new + rendered.text[b:]
            report = guard.check(text, facts, lang=rendered.lang)
            total[kind] += 1
            if not report.ok:
                hit[kind] += 1
                if kind == "disclaimer" or any(_same_sentence(text, a, x.start) for x in report.issues):
                    localized[kind] += 1
            elif len(misses) < 20:
                misses.append({"kind": kind, "lang": rendered.lang, "was": rendered.text[a:b], "now": new})
    n_pert = sum(total.values())
    return {
        "texts": n, "texts_by_lang": dict(by_lang), "perturbed_texts": n_pert,
        "guard_recall": sum(hit.values()) / n_pert,
        "guard_recall_localized": sum(localized.values()) / n_pert,
        "guard_false_alarm_rate": false_alarms / n,
        "recall_by_perturbation": {k: hit[k] / total[k] for k in PERTURBATIONS if total[k]},
        "count_by_perturbation": dict(total), "example_misses": misses,
    }


# -- (c) compliance -------------------------------------------------------------------------
def _score_set(path: Path) -> dict[str, Any]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    tp = fp = fn = 0
    per_cat: dict[str, Counter[str]] = {}
    for r in rows:
        pred = {f.category for f in audit_text(r["text"], r["lang"], context=r.get("context"))}
        gold = set(r["labels"])
        tp, fp, fn = tp + len(pred & gold), fp + len(pred - gold), fn + len(gold - pred)
        for cat in pred | gold:
            c = per_cat.setdefault(cat, Counter())
            c["tp"] += cat in pred and cat in gold
            c["fp"] += cat in pred and cat not in gold
            c["fn"] += cat in gold and cat not in pred
    clean = [r for r in rows if not r["labels"]]
    clean_flagged = sum(bool(audit_text(r["text"], r["lang"], context=r.get("context"))) for r in clean)
    return {
        "sentences": len(rows), "by_lang": dict(Counter(r["lang"] for r in rows)),
        "violating_sentences": len(rows) - len(clean), "clean_sentences": len(clean),
        "recall": tp / (tp + fn), "precision": tp / (tp + fp), "tp": tp, "fp": fp, "fn": fn,
        "clean_sentences_flagged": clean_flagged,
        "per_category": {k: {"recall": v["tp"] / max(1, v["tp"] + v["fn"]),
                             "precision": v["tp"] / max(1, v["tp"] + v["fp"]), **v}
                         for k, v in sorted(per_cat.items())},
    }


def part_compliance() -> dict[str, Any]:
    return {"labelled": _score_set(DATA / "compliance_labelled.jsonl"),
            "heldout": _score_set(DATA / "compliance_heldout.jsonl")}


# -- (d) render time ------------------------------------------------------------------------
def part_render(repeats: int) -> dict[str, Any]:
    out: dict[str, Any] = {"setup": "market report, SP500+NASDAQ+WTI+VIX, 2015-01-01..2018-12-31, 3 charts"}
    for lang in ("en", "zh"):
        build, html, pdf, pages = [], [], [], 0
        for r in range(repeats):
            t0 = time.perf_counter()
            report = build_market_report(TICKERS, "2015-01-01", "2018-12-31", lang=lang, seed=r)
            t1 = time.perf_counter()
            render_html(report)
            t2 = time.perf_counter()
            _, pages = render_pdf(report)
            t3 = time.perf_counter()
            build.append(t1 - t0)
            html.append(t2 - t1)
            pdf.append(t3 - t2)
        out[lang] = {"build_seconds": statistics.median(build), "html_seconds": statistics.median(html),
                     "pdf_seconds": statistics.median(pdf), "pdf_pages": pages,
                     "end_to_end_html_seconds": statistics.median(b + h for b, h in zip(build, html, strict=True)),
                     "end_to_end_pdf_seconds": statistics.median(b + p for b, p in zip(build, pdf, strict=True))}
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small sizes (smoke run)")
    parser.add_argument("--force", action="store_true", help="recompute parts already on disk")
    args = parser.parse_args()
    q = args.quick
    reports = _cached("reports", q, args.force, lambda: part_reports(20 if q else 200))
    perturb = _cached("perturb", q, args.force, lambda: part_perturb(40 if q else 500))
    comp = _cached("compliance", q, args.force, part_compliance)
    render = _cached("render", q, args.force, lambda: part_render(1 if q else 3))
    oos = {split: _cached(f"oos_{split}", q, args.force, lambda s=split: {**textgen_oos.score_split(s),
                                                                           "measured": machine()})
           for split in ("dev", "test")}
    payload = {
        "reports": reports["reports"], "unsupported_numbers": reports["unsupported_numbers"],
        "guard_recall": perturb["guard_recall"], "guard_false_alarm_rate": perturb["guard_false_alarm_rate"],
        "compliance_recall": comp["labelled"]["recall"], "compliance_precision": comp["labelled"]["precision"],
        "render_seconds_html": render["en"]["end_to_end_html_seconds"],
        "render_seconds_pdf": render["en"]["end_to_end_pdf_seconds"],
        "out_of_sample": _out_of_sample(oos),
        "quick": q, "details": {"reports": reports, "perturbations": perturb, "compliance": comp,
                                "render": render, "out_of_sample_dev": oos["dev"]},
    }
    if not q:
        write_results("textgen", payload)
    test, dev = oos["test"], oos["dev"]
    print_table("textgen out of sample (frozen test split; dev in brackets)", ["metric", "test (dev)", "target"], [
        ["compliance recall", _pair(test, dev, "compliance", "recall"), ">= 0.95"],
        ["compliance precision", _pair(test, dev, "compliance", "precision"), ">= 0.95"],
        ["compliance clean texts flagged", _pair(test, dev, "compliance", "clean_false_alarm_rate"), "<= 0.03"],
        *[[f"  {cat} recall", f"{test['compliance']['per_category'][cat]['recall']} "
           f"({dev['compliance']['per_category'][cat]['recall']})", ">= 0.90"] for cat in textgen_oos.CATEGORIES],
        ["faithfulness recall", _pair(test, dev, "faithfulness", "recall"), ">= 0.95"],
        ["faithfulness false alarms", _pair(test, dev, "faithfulness", "false_alarm_rate"), "<= 0.03"],
        *[[f"  {k} recall", f"{test['faithfulness']['recall_by_error'].get(k)} "
           f"({dev['faithfulness']['recall_by_error'].get(k)})", ">= 0.90"] for k in textgen_oos.ERROR_KINDS],
        ["texts/s (compliance, guard)", f"{test['compliance']['texts_per_s']}, {test['faithfulness']['texts_per_s']}",
         ">= 50"],
    ])
    print_table("textgen (self-generated; not the headline)", ["metric", "measured", "target"], [
        ["reports", payload["reports"], 200],
        ["unsupported numbers", payload["unsupported_numbers"], 0],
        ["guard recall", payload["guard_recall"], ">= 0.95"],
        ["guard false-alarm rate", payload["guard_false_alarm_rate"], "<= 0.02"],
        ["compliance recall (labelled)", payload["compliance_recall"], ">= 0.95"],
        ["compliance precision (labelled)", payload["compliance_precision"], "reported"],
        ["compliance recall (held-out)", comp["heldout"]["recall"], "reported"],
        ["compliance precision (held-out)", comp["heldout"]["precision"], "reported"],
        ["render seconds HTML (en, end to end)", payload["render_seconds_html"], "reported"],
        ["render seconds PDF (en, end to end)", payload["render_seconds_pdf"], "reported"],
    ])


def _pair(test: dict[str, Any], dev: dict[str, Any], comp: str, key: str) -> str:
    return f"{test[comp][key]} ({dev[comp][key]})"


def _out_of_sample(oos: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The issue-16 block: figures on the frozen test split, with the dev figures beside them."""
    test = oos["test"]
    return {"split": "test", "items": {"compliance": test["compliance"]["items"],
                                       "faithfulness": test["faithfulness"]["items"]},
            "compliance": test["compliance"], "faithfulness": test["faithfulness"],
            "texts_per_s": {"compliance": test["compliance"]["texts_per_s"],
                            "faithfulness": test["faithfulness"]["texts_per_s"]},
            "dev": {"compliance": {k: oos["dev"]["compliance"][k] for k in ("recall", "precision", "clean_false_alarm_rate")},
                    "faithfulness": {k: oos["dev"]["faithfulness"][k] for k in ("recall", "false_alarm_rate")}},
            "measured": test.get("measured")}


if __name__ == "__main__":
    main()
