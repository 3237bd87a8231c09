"""Market and portfolio reports: facts from data → guarded text → HTML/PDF with charts."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from finloom._base import ProgressCallback, noop_progress
from finloom.apps.reports import _charts
from finloom.apps.reports._analytics import market_facts, portfolio_facts
from finloom.apps.reports._data import (
    DEMO_INSTRUMENTS,
    canonical_ticker,
    load_demo_prices,
    slice_prices,
)
from finloom.apps.reports._render import render_html, render_pdf, write_report
from finloom.errors import ConfigError
from finloom.textgen import (
    DEFAULT_DISCLAIMERS,
    FactSet,
    FaithfulnessGuard,
    GenerationRequest,
    GuardReport,
    TemplateBackend,
    UnfaithfulTextError,
    format_date,
    format_value,
    polish,
)
from finloom.textgen._backends import TextBackend
from finloom.textgen._facts import describe

__all__ = ["Report", "build_market_report", "build_portfolio_report", "market_report_job",
           "portfolio_report_job", "render_html", "render_pdf", "write_report"]

_TEXT: dict[str, dict[str, Any]] = {
    "en": {"market": "Market report", "portfolio": "Portfolio report", "period": "Period",
           "source": "data: arch package demo series", "cols": ["Instrument", "Return", "Volatility (ann.)",
           "Max drawdown", "Trough date", "Best day", "Best day date", "Close"],
           "pcols": ["Holding", "Weight", "Contribution"], "prices": "Prices rebased to 100",
           "dd": "Drawdown (%)", "corr": "Correlation of daily returns", "value": "Portfolio value (start = 100)",
           "contrib": "Return contribution (pp)", "pname": "portfolio"},
    "zh": {"market": "市场报告", "portfolio": "组合报告", "period": "区间", "source": "数据：arch 软件包演示序列",
           "cols": ["品种", "区间收益", "年化波动率", "最大回撤", "回撤谷底日", "最佳单日", "最佳单日日期", "收盘"],
           "pcols": ["持仓", "权重", "收益贡献"], "prices": "价格（起点=100）", "dd": "回撤（%）",
           "corr": "日收益率相关系数", "value": "组合净值（起点=100）", "contrib": "收益贡献（百分点）",
           "pname": "投资组合"},
}


@dataclass
class Report:
    """A built report: guarded narrative, key-figure table, charts and the facts behind them."""

    kind: str
    lang: str
    title: str
    meta: str
    facts: FactSet
    narrative: str
    narrative_source: str
    guard: GuardReport
    table_guard: GuardReport
    table: dict[str, list[Any]] = field(default_factory=dict)
    charts: dict[str, str] = field(default_factory=dict)
    disclaimer: str = ""

    def to_dict(self) -> dict[str, Any]:
        """JSON-able summary (no chart bytes) for jobs and APIs."""
        return {"kind": self.kind, "lang": self.lang, "title": self.title, "narrative": self.narrative,
                "narrative_source": self.narrative_source, "guard": self.guard.to_dict(),
                "table_guard": self.table_guard.to_dict(), "table": self.table,
                "charts": sorted(self.charts), "facts": [describe(f) for f in self.facts]}


def _check_lang(lang: str) -> None:
    if lang not in _TEXT:
        raise ConfigError(f"lang must be 'en' or 'zh'; got {lang!r}.")


def _labels(names: Sequence[str], extra: Mapping[str, Mapping[str, str]] | None) -> dict[str, dict[str, str]]:
    out = {n: {"en": DEMO_INSTRUMENTS[n].en, "zh": DEMO_INSTRUMENTS[n].zh} for n in names if n in DEMO_INSTRUMENTS}
    out["portfolio"] = {"en": "portfolio", "zh": "投资组合"}
    for k, v in (extra or {}).items():
        out[k] = {**out.get(k, {}), **v}
    return out


def _narrate(request: GenerationRequest, seed: int, polish_backend: TextBackend | None,
             guard: FaithfulnessGuard) -> tuple[str, str, GuardReport]:
    rendered = TemplateBackend().render(request, seed=seed)
    report = guard.check(rendered.text, request.fact_set(), lang=request.lang)
    if not report.ok:
        raise UnfaithfulTextError(
            f"template output must be supported by the facts; got {len(report.issues)} issue(s): "
            f"{report.issues[0].explanation}. This is a template bug; please report it.", report)
    if polish_backend is None:
        return rendered.text, "template", report
    result = polish(rendered, request.fact_set(), polish_backend, guard=guard, policy="repair")
    return result.text, result.source, result.report


def _guard_table(header: list[str], rows: list[list[str]], facts: FactSet, lang: str,
                 meta: str = "") -> GuardReport:
    text = "\n".join([meta, *(f"{row[0]}: " + "; ".join(row[1:]) for row in rows)])
    report = FaithfulnessGuard(require_disclaimer=False).check(text, facts, lang=lang)
    if not report.ok:
        raise UnfaithfulTextError(f"report table must be supported by the facts; got "
                                  f"{report.issues[0].explanation}.", report)
    return report


def _market_table(facts: FactSet, names: Sequence[str], lang: str) -> list[list[str]]:
    rows = []
    for n in names:
        mdd, best = facts[f"{n}:max_drawdown"], facts[f"{n}:best_day"]
        rows.append([facts.label(n, lang), format_value(facts[f"{n}:return"], lang, signed=True),
                     format_value(facts[f"{n}:volatility"], lang), format_value(mdd, lang),
                     format_date(mdd.date, lang) if mdd.date else "", format_value(best, lang, signed=True),
                     format_date(best.date, lang) if best.date else "", format_value(facts[f"{n}:close"], lang)])
    return rows


def build_market_report(
    tickers: Sequence[str] | None = None, start: str | dt.date | None = None,
    end: str | dt.date | None = None, *, lang: str = "en", prices: pd.DataFrame | None = None,
    labels: Mapping[str, Mapping[str, str]] | None = None, seed: int = 0,
    polish_backend: TextBackend | None = None, with_charts: bool = True,
    progress: ProgressCallback = noop_progress,
) -> Report:
    """Build a market report (returns, volatility, drawdown, movers, correlation, regime).

    Parameters
    ----------
    tickers : sequence of str or None
        Columns of ``prices``, or demo tickers (SP500, NASDAQ, WTI, VIX) when ``prices`` is None.
    start, end : date-like or None
        The window (inclusive); at least 21 trading days.
    lang : {"en", "zh"}
    prices : DataFrame or None
        Daily closes indexed by date; the ``arch`` demo series when None.
    polish_backend : TextBackend or None
        Optional LLM that rewrites the template text; its output is always guarded and replaced
        by the template text when it states anything the facts do not support.

    Examples
    --------
    >>> r = build_market_report(["SP500", "NASDAQ"], "2018-01-01", "2018-03-31", with_charts=False)
    >>> r.guard.ok, r.table["rows"][0][0]
    (True, 'S&P 500')
    """
    _check_lang(lang)
    progress(0.05, "loading prices")
    names = list(tickers) if tickers else list(prices.columns if prices is not None else DEMO_INSTRUMENTS)
    names = [canonical_ticker(n) for n in names] if prices is None else names
    source = load_demo_prices(names) if prices is None else prices.loc[:, names]
    window = slice_prices(source, start, end)
    progress(0.25, "computing facts")
    fact_list, ctx = market_facts(window)
    lab = _labels(names, labels)
    facts = FactSet(fact_list, labels=lab)
    request = GenerationRequest("market", facts, lang, ctx)
    progress(0.45, "writing text")
    text, src, guard_report = _narrate(request, seed, polish_backend, FaithfulnessGuard(require_disclaimer=True))
    t = _TEXT[lang]
    rows = _market_table(facts, names, lang)
    period = f"{format_date(window.index[0].date(), lang)} – {format_date(window.index[-1].date(), lang)}"
    meta = f"{t['period']} {period} · {t['source']}"
    table_guard = _guard_table(t["cols"], rows, facts, lang, meta)
    charts: dict[str, str] = {}
    if with_charts:
        progress(0.65, "drawing charts")
        shown = {n: facts.label(n, lang) for n in names}
        charts["prices"] = _charts.line_chart(window, t["prices"], shown)
        charts["drawdown"] = _charts.drawdown_chart(window, t["dd"], shown)
        if len(names) > 1:
            charts["correlation"] = _charts.correlation_heatmap(window.pct_change().dropna().corr(), t["corr"], shown)
    sep = "、" if lang == "zh" else ", "
    title = f"{t['market']}{'：' if lang == 'zh' else ': '}{sep.join(facts.label(n, lang) for n in names)}"
    progress(1.0, "report ready")
    return Report("market", lang, title, meta, facts, text, src,
                  guard_report, table_guard, {"header": t["cols"], "rows": rows}, charts,
                  DEFAULT_DISCLAIMERS[lang])


def build_portfolio_report(
    weights: Mapping[str, float], start: str | dt.date | None = None, end: str | dt.date | None = None,
    *, lang: str = "en", prices: pd.DataFrame | None = None,
    labels: Mapping[str, Mapping[str, str]] | None = None, seed: int = 0,
    polish_backend: TextBackend | None = None, with_charts: bool = True,
    progress: ProgressCallback = noop_progress,
) -> Report:
    """Build a portfolio report (constant weights): return, volatility, drawdown, contributions.

    Examples
    --------
    >>> r = build_portfolio_report({"SP500": 0.6, "WTI": 0.4}, "2017-01-01", "2017-06-30",
    ...                            with_charts=False)
    >>> r.guard.ok, r.table["rows"][0][:2]
    (True, ['S&P 500', '60.00%'])
    """
    _check_lang(lang)
    weights = {canonical_ticker(k): v for k, v in weights.items()} if prices is None else weights
    names = list(weights)
    source = load_demo_prices(names) if prices is None else prices
    window = slice_prices(source.loc[:, [n for n in names if n in source.columns]], start, end)
    progress(0.3, "computing facts")
    fact_list, ctx, value = portfolio_facts(window, weights)
    facts = FactSet(fact_list, labels=_labels(names, labels))
    request = GenerationRequest("portfolio", facts, lang, ctx)
    text, src, guard_report = _narrate(request, seed, polish_backend, FaithfulnessGuard(require_disclaimer=True))
    t = _TEXT[lang]
    rows = [[facts.label(n, lang), format_value(facts[f"{n}:weight"], lang),
             format_value(facts[f"{n}:contribution"], lang, signed=True)] for n in names]
    period = f"{format_date(window.index[0].date(), lang)} – {format_date(window.index[-1].date(), lang)}"
    meta = f"{t['period']} {period} · {t['source']}"
    table_guard = _guard_table(t["pcols"], rows, facts, lang, meta)
    charts: dict[str, str] = {}
    if with_charts:
        progress(0.7, "drawing charts")
        charts["value"] = _charts.line_chart(value.to_frame(t["pname"]), t["value"], {})
        contrib = {facts.label(n, lang): facts[f"{n}:contribution"].value for n in names}
        charts["contributions"] = _charts.bar_chart(contrib, t["contrib"], {})
    progress(1.0, "report ready")
    return Report("portfolio", lang, t["portfolio"], meta, facts, text, src, guard_report,
                  table_guard, {"header": t["pcols"], "rows": rows}, charts, DEFAULT_DISCLAIMERS[lang])


def market_report_job(params: Mapping[str, Any], progress: ProgressCallback,
                      out_dir: str | os.PathLike[str]) -> dict[str, Any]:
    """Job entry point: params ``tickers``, ``start``, ``end``, ``lang``, ``seed``, ``format``
    ("pdf" or "html"); writes ``report.<format>`` in ``out_dir`` and returns its summary."""
    fmt = str(params.get("format", "pdf"))
    report = build_market_report(params.get("tickers"), params.get("start"), params.get("end"),
                                 lang=str(params.get("lang", "en")), seed=int(params.get("seed", 0)),
                                 progress=lambda f, m="": progress(0.8 * f, m))
    written = write_report(report, Path(out_dir) / f"report.{fmt}")
    progress(1.0, "written")
    return {**report.to_dict(), "output": written}


def portfolio_report_job(params: Mapping[str, Any], progress: ProgressCallback,
                         out_dir: str | os.PathLike[str]) -> dict[str, Any]:
    """Job entry point: params ``weights`` (dict), ``start``, ``end``, ``lang``, ``format``."""
    fmt = str(params.get("format", "pdf"))
    report = build_portfolio_report(dict(params["weights"]), params.get("start"), params.get("end"),
                                    lang=str(params.get("lang", "en")), seed=int(params.get("seed", 0)),
                                    progress=lambda f, m="": progress(0.8 * f, m))
    written = write_report(report, Path(out_dir) / f"report.{fmt}")
    progress(1.0, "written")
    return {**report.to_dict(), "output": written}
