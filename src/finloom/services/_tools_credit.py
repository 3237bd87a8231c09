"""The assistant's credit tools: ``credit_precheck`` (an indicative decision with reasons from the
stated income, amount and term; no credit search) and ``application_status`` (the customer's own
application in the review queues)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from finloom.apps.customer_service._tools import Slot, Tool, ToolContext, ToolResult
from finloom.services import credit
from finloom.textgen import Fact, format_value

__all__ = ["StatusIn", "credit_tools"]

_PRODUCTS = {"mortgage": ("mortgage", "房贷"), "personal_loan": ("personal loan", "个人贷款"),
             "car_loan": ("car loan", "车贷"), "credit_card": ("credit card", "信用卡")}
_DECISIONS = {"likely": ("likely to be approved", "大概率可以获批"),
              "possible": ("possible, but it would be reviewed by a person", "有可能获批，但需人工审核"),
              "unlikely": ("unlikely to be approved as asked", "按目前的申请条件较难获批")}
_REASONS = {"dti_ok": ("the repayments are within {limit} of your income", "月供在收入的{limit}以内"),
            "dti_high": ("the repayments are above {limit} of your income", "月供超过收入的{limit}"),
            "dti_too_high": ("the repayments would take more than {high} of your income", "月供将超过收入的{high}"),
            "term_too_long": ("the term was shortened to the longest we offer", "期限已缩短至最长可贷期限"),
            "limit_capped": ("the limit is capped at three months' income", "额度上限为三个月收入")}
_STATUS = {"approve": ("approved", "已批准"), "refer": ("under review by a credit officer", "正在由信贷审核员审核"),
           "decline": ("declined", "未获批准")}


class StatusIn(BaseModel):
    """Which product's application (any when not said)."""

    product: str | None = None


def _precheck_slot(ctx: ToolContext, customer: str | None, values: dict[str, Any], lang: str) -> Slot | None:
    zh = lang == "zh"
    product = values.get("product", "personal_loan")
    if "monthly_income" not in values:
        return Slot("monthly_income", "income", "您的月收入大约是多少？" if zh else "What is your monthly income, roughly?")
    if "amount" not in values:
        return Slot("amount", "amount", ("您想申请多少额度？" if product == "credit_card" else "您想贷款多少钱？") if zh else
                    ("What credit limit would you like?" if product == "credit_card" else "How much would you like to borrow?"))
    if product != "credit_card" and "years" not in values:
        return Slot("years", "years", "贷款期限多长？（例如：5年或36个月）" if zh else
                    "Over how long would you repay it? (e.g. 5 years or 36 months)")
    return None


def _precheck_run(ctx: ToolContext, customer: str | None, params: credit.PrecheckIn, lang: str) -> ToolResult:
    out = credit.precheck(ctx.resources.workbench, ctx.actor, customer or "", params)  # audited
    zh = lang == "zh"
    cur = "CNY"
    facts = [Fact("amount", out.amount, unit="currency", currency=cur, decimals=0, label="amount"),
             Fact("income", out.monthly_income, unit="currency", currency=cur, decimals=0, label="monthly income"),
             Fact("payment", out.payment, unit="currency", currency=cur, decimals=0, label="monthly repayment"),
             Fact("dti", out.dti_pct, unit="%", decimals=1, label="debt-to-income"),
             Fact("rate", out.rate_pct, unit="%", decimals=1, label="rate"),
             Fact("max", out.max_amount, unit="currency", currency=cur, decimals=0, label="maximum"),
             Fact("limit", 35.0, unit="%", decimals=0, label="affordability limit"),
             Fact("high", 50.0, unit="%", decimals=0, label="upper limit")]
    if out.years:
        facts.append(Fact("years", out.years, decimals=1 if out.years % 1 else 0, label="years"))
    v = {f.id: format_value(f, lang) for f in facts}
    product = _PRODUCTS[out.product][1 if zh else 0]
    decision = _DECISIONS[out.decision][1 if zh else 0]
    why = ("；" if zh else "; ").join(_REASONS[r][1 if zh else 0].format(limit=v["limit"], high=v["high"])
                                       for r in out.reasons)
    if out.product == "credit_card":
        body = (f"信用卡申请额度{v['amount']}，按月收入{v['income']}计算，预估可批额度最高{v['max']}，{decision}（{why}）。" if zh else
                f"For a credit card limit of {v['amount']} on a monthly income of {v['income']}, an indicative limit of up "
                f"to {v['max']} is {decision} ({why}).")
    elif zh:
        body = (f"{product}{v['amount']}、{v['years']}年，按参考年利率{v['rate']}，月供约{v['payment']}，占月收入{v['income']}的"
                f"{v['dti']}，{decision}（{why}）。在收入{v['limit']}以内，最多约可贷{v['max']}。")
    else:
        body = (f"A {product} of {v['amount']} over {v['years']} years at an indicative rate of {v['rate']} costs about "
                f"{v['payment']} a month, {v['dti']} of your monthly income of {v['income']}: {decision} ({why}). "
                f"Within {v['limit']} of your income you could borrow up to about {v['max']}.")
    note = ("这只是预估结果，没有查询征信，也不是贷款承诺；正式申请后以审批结果为准。" if zh else
            " This is an indication only: no credit search was made and it is not an offer; the decision is made "
            "when you apply.")
    return ToolResult(body + note, facts)


def _status_run(ctx: ToolContext, customer: str | None, params: StatusIn, lang: str) -> ToolResult:
    found = credit.application_status(ctx.resources.workbench, ctx.actor, customer or "")  # audited
    zh = lang == "zh"
    if not found:
        return ToolResult("我没有找到您名下正在处理的申请。如果您刚提交，可能需要一点时间才会显示。" if zh else
                          "I couldn't find an application under your customer profile. If you applied very "
                          "recently it may take a little while to appear.")
    latest = found[0]
    status = _STATUS[latest["decision"]][1 if zh else 0]
    day = str(latest.get("scored_at") or "")[:10]
    text = (f"您的申请（{day}评估）目前状态：{status}。" if zh else
            f"Your application (assessed {day}) is {status}.")
    return ToolResult(text, extra={"attachment": {"type": "application_status", "status": latest["decision"]}})


def credit_tools() -> list[Tool]:
    """``credit_precheck`` and ``application_status`` (a signed-in customer's own data)."""
    return [
        Tool("credit_precheck", "customer", credit.PrecheckIn, _precheck_run, next_slot=_precheck_slot,
             labels=("the credit pre-check", "贷款预审")),
        Tool("application_status", "customer", StatusIn, _status_run,
             labels=("your application status", "申请进度查询")),
    ]
