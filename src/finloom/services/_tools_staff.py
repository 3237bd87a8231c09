"""The assistant's staff tools: ``alerts_cases`` (list, show, assign or close transaction-monitoring
cases; actions after a yes) and ``dataset_question`` (counts, averages, rates, breakdowns and
trends of a column of a workbench data table, with a chart for breakdowns and trends)."""

from __future__ import annotations

import re
from typing import Any, Literal

import pandas as pd
from pydantic import BaseModel, Field

from finloom.apps.customer_service._tool_charts import chart_png, chart_spec
from finloom.apps.customer_service._tool_params import find_column
from finloom.apps.customer_service._tools import Slot, Tool, ToolContext, ToolResult
from finloom.errors import InvalidDataError, NotFoundError, did_you_mean
from finloom.services import monitoring
from finloom.textgen import Fact, format_value

__all__ = ["CasesIn", "DataQuestionIn", "staff_tools"]


class CasesIn(BaseModel):
    """What to do with the monitoring cases."""

    action: Literal["list", "show", "assign", "close"] = "list"
    case_id: int | None = Field(default=None, ge=1)
    assignee: str | None = Field(default=None, max_length=100)
    disposition: Literal["fraud", "not_fraud", "escalated"] | None = None
    status: Literal["open", "closed", "escalated"] | None = None
    confirmed: bool = False


def _cases_slot(ctx: ToolContext, customer: str | None, values: dict[str, Any], lang: str) -> Slot | None:
    zh = lang == "zh"
    action = values.get("action", "list")
    if action == "list" and values.get("case_id"):
        values["action"] = action = "show"
    if action in ("assign", "close") and not values.get("case_id"):
        return Slot("case_id", "amount", "请问是哪个案件？（案件编号）" if zh else "Which case? (its number)")
    if action == "assign" and not values.get("assignee"):
        return Slot("assignee", "text", "分配给谁？" if zh else "Who should it be assigned to?")
    if action == "close" and not values.get("disposition"):
        options = (("fraud", "欺诈" if zh else "fraud"), ("not_fraud", "非欺诈（误报）" if zh else "not fraud"),
                   ("escalated", "升级" if zh else "escalated"))
        return Slot("disposition", "choice", "以什么结论结案？1. 欺诈 2. 非欺诈（误报） 3. 升级" if zh else
                    "How should it be closed? 1. fraud 2. not fraud 3. escalated", options)
    return None


_DISPOSITION_NAMES = {"fraud": ("fraud", "欺诈"), "not_fraud": ("not fraud", "非欺诈"), "escalated": ("escalated", "升级")}


def _cases_confirm(ctx: ToolContext, customer: str | None, params: CasesIn, lang: str) -> ToolResult | None:
    zh = lang == "zh"
    case = Fact("case", float(params.case_id or 0), decimals=0, label="case")
    if params.action == "assign":
        return ToolResult(f"确认将案件{params.case_id}分配给{params.assignee}吗？（是/否）" if zh else
                          f"Assign case {params.case_id} to {params.assignee}? (yes/no)", [case])
    if params.action == "close":
        how = _DISPOSITION_NAMES[params.disposition or "escalated"][1 if zh else 0]
        return ToolResult(f"确认以“{how}”结论关闭案件{params.case_id}吗？（是/否）" if zh else
                          f"Close case {params.case_id} as {how}? (yes/no)", [case])
    return None


def _hub(ctx: ToolContext) -> monitoring.MonitorHub:
    return getattr(ctx.resources, "hub", None) or monitoring.MonitorHub()


def _cases_run(ctx: ToolContext, customer: str | None, params: CasesIn, lang: str) -> ToolResult:
    zh, wb, hub = lang == "zh", ctx.resources.workbench, _hub(ctx)
    if params.action in ("assign", "close") and params.case_id:
        body = monitoring.CaseUpdateIn(assignee=params.assignee if params.action == "assign" else None,
                                       disposition=params.disposition if params.action == "close" else None)
        done = monitoring.update_case(hub, wb, ctx.actor, params.case_id, body)  # audited: monitoring.case
        facts = [Fact("case", float(done.case_id), decimals=0, label="case")]
        text = (f"已更新案件{done.case_id}：状态{done.status}，处理人{done.assignee or '无'}。" if zh else
                f"Case {done.case_id} updated: status {done.status}, assignee {done.assignee or 'none'}.")
        return ToolResult(text, facts)
    if params.case_id:
        one = monitoring.case(hub, wb, params.case_id)
        facts = [Fact("case", float(one.case_id), decimals=0, label="case"),
                 Fact("risk", one.max_risk, decimals=2, label="risk"),
                 Fact("alerts", float(len(one.alerts)), unit="count", decimals=0, label="alerts")]
        v = {f.id: format_value(f, lang) for f in facts}
        text = (f"案件{v['case']}：状态{one.status}，最高风险分{v['risk']}，预警{v['alerts']}条，处理人{one.assignee or '无'}。"
                if zh else f"Case {v['case']}: {one.status}, highest risk {v['risk']}, {v['alerts']} alerts, "
                f"assignee {one.assignee or 'none'}.")
        return ToolResult(text, facts)
    found = monitoring.cases(hub, wb, status=params.status or "open")
    facts = [Fact("n", float(len(found)), unit="count", decimals=0, label="cases")]
    lines = []
    for c in found[:5]:
        facts += [Fact(f"id{c.case_id}", float(c.case_id), decimals=0, label="case"),
                  Fact(f"risk{c.case_id}", c.max_risk, decimals=2, label="risk")]
        risk = format_value(facts[-1], lang)
        lines.append(f"#{c.case_id}（风险{risk}，{c.assignee or '未分配'}）" if zh else
                     f"#{c.case_id} (risk {risk}, {c.assignee or 'unassigned'})")
    n = format_value(facts[0], lang)
    status = params.status or "open"
    if zh:
        text = f"共有{n}个{status}状态的案件" + (f"，风险最高的：{'，'.join(lines)}。" if lines else "。")
    else:
        text = f"There are {n} {status} cases" + (f"; the riskiest: {', '.join(lines)}." if lines else ".")
    return ToolResult(text, facts)


class DataQuestionIn(BaseModel):
    """A question about a data table (the table is named in it or given as ``dataset``)."""

    question: str = Field(min_length=1, max_length=600)
    dataset: str | None = Field(default=None, max_length=200)


def _dataset_slot(ctx: ToolContext, customer: str | None, values: dict[str, Any], lang: str) -> Slot | None:
    known = list(ctx.datasets)
    if values.get("dataset") in known:
        return None
    if values.get("dataset"):
        values.pop("dataset")
    listed = ", ".join(known[:12])
    return Slot("dataset", "text", f"请问是哪个数据集？可选：{listed}" if lang == "zh" else
                f"Which dataset? Available: {listed}")


_OPS = (("rate", r"\brate\b|share|percentage|proportion|比例|占比|比率|率"),
        ("median", r"median|中位数"), ("sum", r"\bsum\b|\btotal\b|总和|合计|总计"),
        ("max", r"\bmax|highest|largest|最高|最大"), ("min", r"\bmin|lowest|smallest|最低|最小"),
        ("mean", r"average|mean|\bavg\b|平均|均值"), ("count", r"how many|count|number of|多少(?:条|行|个)|几条|几行|数量"))


def _op(question: str) -> str:
    return next((name for name, rx in _OPS if re.search(rx, question, re.I)), "count")


def _by(question: str, frame: pd.DataFrame, column: str | None) -> str | None:
    m = re.search(r"\b(?:by|per|across|for each|broken down by)\s+([a-z_ ]+)|按\s?([\w]+?)(?:分组|划分|统计|看|的)", question, re.I)
    if not m:
        return None
    return find_column(m.group(1) or m.group(2) or "", frame.columns.astype(str), skip=[column] if column else [])


def _value(series: pd.Series, op: str) -> float:
    s = series.dropna()
    if op == "count":
        return float(len(s))
    if op == "rate":
        return float(s.astype(bool).mean() * 100) if len(s) else 0.0
    return float(getattr(s.astype(float), op)())


def _dataset_run(ctx: ToolContext, customer: str | None, params: DataQuestionIn, lang: str) -> ToolResult:
    zh, name = lang == "zh", params.dataset or ""
    if name not in ctx.datasets:
        raise NotFoundError(f"dataset must be one of {sorted(ctx.datasets)}; got {name!r}.{did_you_mean(name, ctx.datasets)}")
    frame, _ = ctx.resources.workbench.datasets.load(name)
    question = params.question
    column = find_column(question, frame.columns.astype(str))
    by = _by(question, frame, column)
    if by == column:
        column = find_column(question, frame.columns.astype(str), skip=[by]) if by else column
    op = _op(question)
    if op != "count" and column is None:
        raise InvalidDataError(f"the question must name a column of {name}; got none. Columns: "
                               f"{', '.join(map(str, frame.columns[:15]))}.")
    target = frame[column] if column is not None else frame.iloc[:, 0]
    if op in ("mean", "median", "sum", "max", "min") and not pd.api.types.is_numeric_dtype(target):
        raise InvalidDataError(f"column {column!r} must be numeric for a {op}; got {target.dtype}. Ask for a count or a rate.")
    unit = "%" if op == "rate" else "count" if op == "count" else ""
    what = {"count": ("rows", "行数"), "rate": ("rate", "比例"), "mean": ("average", "平均值"),
            "median": ("median", "中位数"), "sum": ("total", "合计"), "max": ("maximum", "最大值"),
            "min": ("minimum", "最小值")}[op][1 if zh else 0]
    label = f"{what} of {column}" if column and op != "count" else what
    overall = Fact("overall", _value(target, op), unit=unit, decimals=0 if op == "count" else 2, label=label)
    facts = [overall]
    subject = f"{name}的{column or ''}{what}" if zh else f"The {what}{f' of {column}' if column and op != 'count' else ''} in {name}"
    text = f"{subject}为{format_value(overall, lang)}" if zh else f"{subject} is {format_value(overall, lang)}"
    if by is None:
        return ToolResult(text + ("。" if zh else "."), facts)
    groups = frame.groupby(frame[by].astype(str), sort=True)[target.name].apply(lambda s: _value(s, op))
    groups = groups.sort_values(ascending=False).head(12)
    table = [{by: str(k), what: round(float(v), 2)} for k, v in groups.items()]
    for k, v in groups.items():
        facts.append(Fact(f"g:{k}", float(v), unit=unit, decimals=0 if op == "count" else 2, label=label, entity=str(k)))
    top = facts[1]
    text += (f"；按{by}分组，最高的是{top.entity}（{format_value(top, lang)}）。" if zh else
             f"; by {by}, the highest is {top.entity} ({format_value(top, lang)}).")
    title = f"{name}：按{by}的{what}" if zh else f"{name}: {label} by {by}"
    spec = chart_spec("bar", title, [by, what], table, lang, tool="dataset_question")
    return ToolResult(text, facts, chart=spec, png_base64=chart_png(spec))


def staff_tools() -> list[Tool]:
    """``alerts_cases`` and ``dataset_question`` (analysts only)."""
    return [
        Tool("alerts_cases", "analyst", CasesIn, _cases_run, next_slot=_cases_slot, confirm=_cases_confirm,
             labels=("the monitoring cases", "交易监控案件")),
        Tool("dataset_question", "analyst", DataQuestionIn, _dataset_run, next_slot=_dataset_slot,
             labels=("questions about data tables", "数据表问答")),
    ]
