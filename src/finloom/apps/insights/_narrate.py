"""Each insight as one sentence (English or Chinese) from the grounded template engine, its facts
attached and every number checked by the faithfulness guard."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Literal

from finloom.apps.insights._find import InsightSet
from finloom.apps.insights._stats import Candidate
from finloom.errors import ConfigError
from finloom.textgen import (
    Fact,
    FactSet,
    FaithfulnessGuard,
    GenerationRequest,
    GuardReport,
    Period,
    TemplateBackend,
)
from finloom.textgen._facts import describe

__all__ = ["Narrative", "narrate", "narrate_one", "no_insight_sentence"]

_TIME_KINDS = {"trend_break", "trend", "period_change", "contributor", "anomaly"}
_MONTHS_ZH = "{y}年{m}月"


@dataclass
class Narrative:
    """One insight told: the sentence, the facts behind it and the guard's verdict.

    Examples
    --------
    >>> n = Narrative("x", "en", "A rose.", [], GuardReport("A rose."))
    >>> n.ok
    True
    """

    kind: str
    lang: str
    text: str
    facts: list[Fact]
    guard: GuardReport

    @property
    def ok(self) -> bool:
        """True when the guard supports every number of the sentence."""
        return self.guard.ok

    def to_dict(self) -> dict[str, Any]:
        """JSON-able view."""
        return {
            "kind": self.kind,
            "lang": self.lang,
            "text": self.text,
            "guard": self.guard.to_dict(),
            "facts": [describe(f) for f in self.facts],
        }


def _shown(value: float, decimals: int) -> float:
    """``value`` rounded half up at the precision the sentence shows, so that the text and the guard
    (which rounds half up) agree on values such as 1.25 → 1.3.

    Examples
    --------
    >>> _shown(1.2499999999999998, 1), _shown(-0.125, 2)
    (1.3, -0.13)
    """
    exact = Decimal(f"{value:.12g}").quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    return float(exact)


def _decimals(values: list[float]) -> int:
    size = max((abs(v) for v in values if math.isfinite(v)), default=0.0)
    return 3 if size < 1 else 2 if size < 100 else 1 if size < 10_000 else 0


def _period_name(
    span: tuple[dt.date, dt.date] | None, grain: str | None, lang: str, end: bool = False
) -> str:
    if span is None:
        return ""
    day = span[1] if end else span[0]
    if grain in ("M", "Q", "Y"):
        if grain == "Y":
            return f"{day.year}" if lang == "en" else f"{day.year}年"
        return day.strftime("%B %Y") if lang == "en" else _MONTHS_ZH.format(y=day.year, m=day.month)
    return day.isoformat() if lang == "en" else f"{day.year}年{day.month}月{day.day}日"


def _what(c: Candidate, insights: InsightSet, lang: str) -> str:
    rate = c.measure == insights.roles.target and insights.roles.binary_target
    if lang == "en":
        return f"the {c.measure} rate" if rate else f"the average {c.measure}"
    return f"{c.measure}比率" if rate else f"{c.measure}均值"


class _Builder:
    """Facts of one insight, in the units its sentence states them."""

    def __init__(self, c: Candidate, rate: bool) -> None:
        self.c, self.rate = c, rate
        self.facts: list[Fact] = []
        self.decimals = (
            1
            if rate
            else _decimals(
                [
                    v
                    for k, v in c.numbers.items()
                    if k in ("before", "after", "value", "usual", "segment", "rest")
                ]
            )
        )

    def level(
        self,
        fid: str,
        value: float,
        entity: str | None,
        period: tuple[dt.date, dt.date] | None = None,
    ) -> None:
        unit, shown = ("%", value * 100) if self.rate else ("", value)
        self.facts.append(
            Fact(
                fid,
                _shown(shown, self.decimals),
                unit=unit,
                entity=entity,
                decimals=self.decimals,
                period=Period(*period) if period else None,
            )
        )

    def change(
        self,
        fid: str,
        value: float,
        entity: str | None,
        *,
        direction: bool = True,
        period: tuple[dt.date, dt.date] | None = None,
    ) -> None:
        unit, shown = ("pp", value * 100) if self.rate else ("", value)
        d: Literal["up", "down", "flat"] | None = (
            ("up" if value > 0 else "down" if value < 0 else "flat") if direction else None
        )
        self.facts.append(
            Fact(
                fid,
                _shown(shown, self.decimals),
                unit=unit,
                entity=entity,
                direction=d,
                decimals=self.decimals,  # type: ignore[arg-type]
                period=Period(*period) if period else None,
            )
        )

    def plain(
        self,
        fid: str,
        value: float,
        unit: str = "",
        decimals: int = 2,
        entity: str | None = None,
        peers: tuple[str, ...] = (),
    ) -> None:
        self.facts.append(
            Fact(
                fid,
                _shown(value, decimals),
                unit=unit,
                decimals=decimals,
                entity=entity,
                peers=peers,
            )
        )

    def p_value(self, q: float) -> bool:
        bound = q < 0.001
        self.plain("p", 0.001 if bound else round(q, 3), decimals=3)
        return bound


def _facts(
    c: Candidate, insights: InsightSet, lang: str
) -> tuple[list[Fact], dict[str, Any], dict[str, dict[str, str]]]:
    roles = insights.roles
    rate = c.measure == roles.target and roles.binary_target
    b = _Builder(c, rate and c.kind != "correlation")
    m = f"m:{c.measure}"
    labels = {m: {"en": _what(c, insights, "en"), "zh": _what(c, insights, "zh")}}
    nums = c.numbers
    ctx: dict[str, Any] = {
        "kind": c.kind,
        "up": c.direction == "up",
        "what": _what(c, insights, lang),
        "period": _period_name(c.period, insights.grain, lang),
        "base": _period_name(c.base_period, insights.grain, lang),
    }
    if c.kind in ("trend_break", "period_change"):
        b.level("before", nums["before"], m, c.base_period)
        b.level("after", nums["after"], m, c.period)
        b.change("change", nums["change"], m, period=c.period)
    elif c.kind == "trend":
        ctx["base"] = _period_name(c.period, insights.grain, lang)
        ctx["period"] = _period_name(c.period, insights.grain, lang, end=True)
        b.level("start", nums["start"], m, c.period)
        b.level("end", nums["end"], m, c.period)
        b.change("change", nums["change"], m, period=c.period)
    elif c.kind == "anomaly":
        b.level("value", nums["value"], m, c.period)
        b.level("usual", nums["usual"], m)
        b.change("change", nums["change"], m, direction=False, period=c.period)
        b.facts[-1] = Fact(
            "change", abs(b.facts[-1].value), unit=b.facts[-1].unit, entity=m, decimals=b.decimals
        )
    elif c.kind == "contributor":
        seg = f"s:{c.dimension}={c.value}"
        labels[seg] = {"en": f"{c.dimension} = {c.value}", "zh": f"{c.dimension} = {c.value}"}
        b.level("before", nums["before"], seg, c.base_period)
        b.level("after", nums["after"], seg, c.period)
        b.change("change", nums["change"], seg, period=c.period)
        b.change("rest_change", nums["rest_change"], None, direction=False)
        b.change("total_change", nums["total_change"], None, direction=False)
        b.plain("share", nums["share"], "%", 1)
    elif c.kind == "segment":
        seg = f"s:{c.dimension}={c.value}"
        labels[seg] = {"en": f"{c.dimension} = {c.value}", "zh": f"{c.dimension} = {c.value}"}
        b.level("segment", nums["segment"], seg)
        b.level("rest", nums["rest"], "s:rest")
        b.plain("rows", nums["rows"], "count", 0)
        b.plain("share", nums["share"], "%", 1)
    elif c.kind == "driver":
        x = f"x:{c.other}"
        labels[x] = {"en": str(c.other), "zh": str(c.other)}
        ctx["x"] = c.other
        b.level("high", nums["high"], None)
        b.level("low", nums["low"], None)
        b.plain("rho", nums["rho"], "", 2, entity=x)
        b.plain("importance", nums["importance"], "%", 1, entity=x)
    elif c.kind == "correlation":
        a, o = f"x:{c.measure}", f"x:{c.other}"
        labels[a], labels[o] = (
            {"en": c.measure, "zh": c.measure},
            {"en": str(c.other), "zh": str(c.other)},
        )
        b.plain("r", nums["r"], "", 2, entity=a, peers=(o,))
    else:
        raise ConfigError(f"insight kind must be one of the known kinds; got {c.kind!r}.")
    ctx["p_bound"] = b.p_value(c.q_value)
    labels.setdefault("s:rest", {"en": "the other rows", "zh": "其余行"})
    return b.facts, ctx, labels


def narrate_one(
    c: Candidate, insights: InsightSet, *, lang: str = "en", seed: int = 0
) -> Narrative:
    """One insight as a sentence in ``lang``, checked by the faithfulness guard.

    Examples
    --------
    >>> from finloom.apps.insights import Roles
    >>> c = Candidate("segment", "amount", 1e-6, 0.9, 0.2, dimension="region", value="N", q_value=1e-5,
    ...               numbers={"segment": 112.5, "rest": 99.8, "rows": 200, "share": 20.0})
    >>> n = narrate_one(c, InsightSet(Roles(measures=("amount",)), [c], 8, 1000))
    >>> n.text
    'region = N differs from the rest: the average amount is 112.5 there against 99.8 for the other rows (200 rows, 20.0% of the data; adjusted p < 0.001).'
    >>> n.ok
    True
    """
    facts, ctx, labels = _facts(c, insights, lang)
    fact_set = FactSet(facts, labels=labels)
    rendered = TemplateBackend().render(
        GenerationRequest("insights", fact_set, lang, ctx), seed=seed
    )
    report = FaithfulnessGuard().check(rendered.text, fact_set, lang=lang)
    return Narrative(c.kind, lang, rendered.text, facts, report)


def narrate(insights: InsightSet, *, lang: str = "en", seed: int = 0) -> list[Narrative]:
    """Every insight of ``insights`` as a guarded sentence, best first.

    Examples
    --------
    >>> from finloom.apps.insights import Roles
    >>> narrate(InsightSet(Roles(measures=("x",)), [], 3, 50))
    []
    """
    if lang not in ("en", "zh"):
        raise ConfigError(f"lang must be 'en' or 'zh'; got {lang!r}.")
    return [
        narrate_one(c, insights, lang=lang, seed=seed + i) for i, c in enumerate(insights.insights)
    ]


def no_insight_sentence(insights: InsightSet, lang: str = "en") -> str:
    """What to say when nothing passed the false-discovery control.

    Examples
    --------
    >>> from finloom.apps.insights import Roles
    >>> no_insight_sentence(InsightSet(Roles(measures=("x",)), [], 42, 500))
    'No clear structure: none of the 42 patterns tested held up at a 5% false discovery rate, so no insight is reported.'
    """
    pct = f"{insights.alpha * 100:g}%"
    if lang == "zh":
        return f"未发现明显规律：检验的{insights.n_candidates}个模式在{pct}的错误发现率控制下均不显著，因此不报告任何洞察。"
    return (
        f"No clear structure: none of the {insights.n_candidates} patterns tested held up at a {pct} false "
        "discovery rate, so no insight is reported."
    )
