"""The assistant's advice tools: ``risk_profile`` (the advisor questionnaire asked in the chat, the
level stated and saved after a yes) and ``portfolio_proposal`` (a suitable portfolio for the
customer's stored level: allocation chart, fan chart and a compliance-checked letter)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from finloom.apps.customer_service._tool_charts import chart_png, chart_spec
from finloom.apps.customer_service._tools import Slot, Tool, ToolContext, ToolResult
from finloom.services import advisor
from finloom.textgen import Fact, format_value

__all__ = ["ProposalIn", "RiskIn", "advice_tools"]

PROPOSAL_PATHS = 300  # simulated futures per chat proposal (the advisor page uses 1,000)


class RiskIn(BaseModel):
    """The questionnaire's answers (question id → option value) and whether saving was confirmed."""

    model_config = ConfigDict(extra="allow")
    confirmed: bool = False

    def answers(self) -> dict[str, str]:
        """The answers without the confirmation flag."""
        return {k: str(v) for k, v in (self.model_extra or {}).items()}


class ProposalIn(BaseModel):
    """An amount to invest and a horizon in years."""

    amount: float = Field(gt=0, le=1e10)
    years: float = Field(ge=0.25, le=40)
    confirmed: bool = False


def _level_facts(level: str, score: float) -> list[Fact]:
    return [Fact("score", float(score), unit="", decimals=0, label="risk score"),
            Fact("level", float(level[1:]), unit="", decimals=0, label="risk level")]


def _risk_slot(ctx: ToolContext, customer: str | None, values: dict[str, Any], lang: str) -> Slot | None:
    questions = advisor.questionnaire("zh" if lang == "zh" else "en")["questions"]
    for i, q in enumerate(questions, start=1):
        if q["id"] not in values:
            options = tuple((o["value"], o["label"]) for o in q["options"])
            listed = "  ".join(f"{n}. {label}" for n, (_, label) in enumerate(options, start=1))
            head = f"第{i}/{len(questions)}题：" if lang == "zh" else f"Question {i} of {len(questions)}: "
            return Slot(q["id"], "choice", f"{head}{q['text']}\n{listed}", options)
    return None


def _risk_confirm(ctx: ToolContext, customer: str | None, params: RiskIn, lang: str) -> ToolResult:
    from finloom.apps.advisor import load_questionnaire

    q = load_questionnaire()
    scored = q.score(params.answers())
    name = q.level_name(scored.level, lang)
    facts = _level_facts(scored.level, scored.score)
    score = format_value(facts[0], lang)
    text = (f"您的风险等级是{scored.level}（{name}），得分{score}。要保存到您的资料中吗？（是/否）" if lang == "zh" else
            f"Your risk level is {scored.level} ({name}), with a score of {score}. Shall I save it to your "
            "profile? (yes/no)")
    return ToolResult(text, facts)


def _risk_run(ctx: ToolContext, customer: str | None, params: RiskIn, lang: str) -> ToolResult:
    body = advisor.ProfileIn(customer_id=customer or "", answers=params.answers(), lang="zh" if lang == "zh" else "en")
    saved = advisor.create_profile(ctx.resources.workbench, ctx.actor, body)  # audited: advisor.profile
    from finloom.apps.advisor import load_questionnaire

    name = load_questionnaire().level_name(saved.level, lang)
    text = (f"已保存：您的风险等级为{saved.level}（{name}）。" if lang == "zh" else
            f"Saved: your risk level is {saved.level} ({name}).")
    return ToolResult(text, _level_facts(saved.level, saved.score), extra={"attachment": {
        "type": "risk_profile", "level": saved.level, "profile_id": saved.id}})


def _proposal_slot(ctx: ToolContext, customer: str | None, values: dict[str, Any], lang: str) -> Slot | None:
    if "amount" not in values:
        return Slot("amount", "amount", "您打算投资多少钱？" if lang == "zh" else "How much would you like to invest?")
    if "years" not in values:
        return Slot("years", "years", "这笔钱计划投资多长时间？（例如：5年）" if lang == "zh" else
                    "For how long can you leave it invested? (e.g. 5 years)")
    return None


def _proposal_text(proposal: dict[str, Any], params: ProposalIn, lang: str) -> tuple[str, list[Fact]]:
    names = proposal["names"]
    facts = [Fact("amount", params.amount, unit="currency", currency=proposal["currency"], decimals=0, label="amount"),
             Fact("years", params.years, unit="", decimals=1 if params.years % 1 else 0, label="years")]
    parts = []
    for pid, w in proposal["weights"].items():
        fact = Fact(f"w:{pid}", w * 100, unit="%", decimals=1, label="weight")
        facts.append(fact)
        parts.append(f"{names[pid].get(lang, names[pid].get('en', pid))} {format_value(fact, lang)}")
    q = proposal["simulation"]["terminal_quantiles"]
    median = Fact("median", float(q.get("0.5", q.get("p50", 0.0))), unit="currency", currency=proposal["currency"],
                  decimals=0, label="median value")
    facts += [median, Fact("paths", float(proposal["simulation"]["n_paths"]), unit="count", decimals=0, label="paths")]
    v = {f.id: format_value(f, lang) for f in facts}
    level = proposal["profile"]["level"]
    level_name = proposal["profile"]["level_name"][lang if lang == "zh" else "en"]
    facts.append(Fact("level", float(level[1:]), decimals=0, label="risk level"))
    findings = sum(len(x) for x in proposal["compliance"].values())
    if lang == "zh":
        check = "合规检查未发现问题。" if not findings else "合规检查有提示，请查看建议书。"
        text = (f"根据您的风险等级{level}（{level_name}），{v['amount']}投资{v['years']}年的建议配置：{'，'.join(parts)}。"
                f"在{v['paths']}条模拟路径中，期末价值的中位数为{v['median']}。{check}"
                "以上仅供参考，不构成收益承诺；投资有风险。")
    else:
        check = "The compliance check found no issue." if not findings else "The compliance check raised notes: see the letter."
        text = (f"For your risk level {level} ({level_name}), a suggested allocation of {v['amount']} for {v['years']} "
                f"years: {', '.join(parts)}. Across {v['paths']} simulated futures the median final value is "
                f"{v['median']}. {check} This is not a promise of returns; investments can lose value.")
    return text, facts


def _proposal_run(ctx: ToolContext, customer: str | None, params: ProposalIn, lang: str) -> ToolResult:
    workbench = ctx.resources.workbench
    profiles = advisor.list_profiles(workbench, customer)
    if not profiles:
        text = ("在给出投资建议之前，需要先了解您的风险等级。我们先做一个简短的风险测评。" if lang == "zh" else
                "Before I can suggest a portfolio I need your risk level, so let's do the short risk questionnaire first.")
        return ToolResult(text, extra={"then": {"via": "risk_profile", "tool": "portfolio_proposal",
                                                "params": {"amount": params.amount, "years": params.years}}})
    body = advisor.ProposeIn(profile_id=profiles[0].id, initial=params.amount, goal=round(params.amount * 1.2, 2),
                             years=params.years, n_paths=PROPOSAL_PATHS)
    proposal = advisor.propose(workbench, ctx.actor, body)  # audited: advisor.propose
    text, facts = _proposal_text(proposal, params, lang)
    names = proposal["names"]
    columns = ["product", "weight_pct"]
    table = [{"product": names[pid].get(lang, names[pid].get("en", pid)), "weight_pct": round(w * 100, 1)}
             for pid, w in proposal["weights"].items()]
    title = "建议配置（%）" if lang == "zh" else "Suggested allocation (%)"
    spec = chart_spec("bar", title, columns, table, lang, tool="portfolio_proposal", proposal_id=proposal["id"])
    letter = proposal["letters"].get(lang if lang == "zh" else "en", {})
    return ToolResult(text, facts, chart=spec, png_base64=chart_png(spec), extra={
        "fan_png_base64": proposal["charts"]["fan"], "letter": letter.get("text"),
        "compliance": proposal["compliance"].get(lang if lang == "zh" else "en", [])})


def advice_tools() -> list[Tool]:
    """``risk_profile`` and ``portfolio_proposal`` (a signed-in customer's own data)."""
    return [
        Tool("risk_profile", "customer", RiskIn, _risk_run, next_slot=_risk_slot, confirm=_risk_confirm,
             labels=("the risk questionnaire", "风险测评")),
        Tool("portfolio_proposal", "customer", ProposalIn, _proposal_run, next_slot=_proposal_slot,
             labels=("a portfolio proposal", "投资组合建议")),
    ]
