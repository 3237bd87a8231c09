"""Which way money went: a net figure of money in and money out, and a refund written as a charge.

Two checks the sign of a single fact cannot make. "收入15000元，支出16200元，净流入1200元" states a
net inflow where income minus spending is negative; "在京东扣款299元" states a charge where the facts
describe a refund (``"transaction": "退款入账"``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from finloom.textgen._facts import Fact

__all__ = ["flipped_net", "net_word_before", "refund_as_charge"]

_IN = re.compile(r"(?<![a-z])(?:income|inflows?|receipts|earnings|salary|deposits|credits|subscriptions?|申购|认购|收入|流入|进账|存入|入账)", re.I)
_OUT = re.compile(r"(?<![a-z])(?:spending|spend|expenses|expenditure|outflows?|outgoings|payments|withdrawals|debits|redemptions?|"
                  r"赎回|支出|消费|花费|流出|出账|取出)", re.I)
NET_UP = re.compile(r"net inflows?|net gain|net subscriptions?|net (?:new )?sales|surplus|净申购|净认购|净流入|净增加|净增|结余|盈余", re.I)
NET_DOWN = re.compile(r"net outflows?|net loss|net redemptions?|shortfall|deficit|净赎回|净流出|净减少|净减|超支|透支|赤字|缺口", re.I)
_REFUND = re.compile(r"refund|reversal|reversed|cashback|chargeback|退款|退货|退回|退费|冲正|返现", re.I)
_CHARGE = re.compile(r"(?<![a-z])(?:charged|debited|purchase|payment taken|spent)(?![a-z])|扣款|扣费|消费|刷卡|支付", re.I)


def flipped_net(word: str, written: float, facts: Sequence[Fact], rounds_to: object) -> str | None:
    """Why a net-flow word contradicts the facts, or None: ``word`` is the text's ("净流入"), ``written``
    the figure it sizes, ``rounds_to(value)`` whether the figure states a value at its precision.

    Examples
    --------
    >>> facts = [Fact("i", 15000.0, unit="currency", label="income"), Fact("s", 16200.0, unit="currency", label="spending")]
    >>> flipped_net("净流入", 1200, facts, lambda v: abs(abs(v) - 1200) < 0.5)
    "'净流入' says more came in than went out, but income - spending is -1,200"
    >>> flipped_net("净流出", 1200, facts, lambda v: abs(abs(v) - 1200) < 0.5) is None
    True
    """
    says = "up" if NET_UP.fullmatch(word) else "down" if NET_DOWN.fullmatch(word) else None
    if says is None:
        return None
    ins = [f for f in facts if f.unit in ("currency", "") and f.direction is None and _IN.search(f.label or "")
           and not _OUT.search(f.label or "")]
    outs = [f for f in facts if f.unit in ("currency", "") and f.direction is None and _OUT.search(f.label or "")
            and not _IN.search(f.label or "")]
    for a in ins:
        for b in outs:
            net = a.value - b.value
            if a.entity == b.entity and a.period == b.period and a.currency == b.currency and a.unit == b.unit and net and \
                    rounds_to(net) and ("up" if net > 0 else "down") != says:  # type: ignore[operator]
                return (f"{word!r} says {'more came in than went out' if says == 'up' else 'more went out than came in'}"
                        f", but {a.label} - {b.label} is {net:,.0f}")
    return None


_NET_BEFORE = re.compile(rf"(?:{NET_UP.pattern}|{NET_DOWN.pattern})(?:\s+(?:of|at|totall?ing|came to|worth))?\s*"
                         r"(?:达到?|为|约|近|了)?\s*[$£€¥]?\s*$", re.I)


def net_word_before(before: str) -> str | None:
    """The net-flow word a figure directly follows ("net redemptions of $34.7m", "净申购2.7亿"), or None.

    Examples
    --------
    >>> net_word_before("Harbor posted net redemptions of $")
    'net redemptions'
    >>> net_word_before("实现净申购") , net_word_before("redemptions of $") is None
    ('净申购', True)
    """
    m = _NET_BEFORE.search(before[-40:])
    if m is None:
        return None
    word = NET_UP.search(m.group(0)) or NET_DOWN.search(m.group(0))
    return word.group(0) if word else None


def refund_as_charge(clause: str, descriptors: Sequence[tuple[str, str]]) -> str | None:
    """Why a clause's charge word contradicts a refund the facts describe (or a refund word a charge).

    Examples
    --------
    >>> refund_as_charge("在京东扣款299.00元", [("transaction", "退款入账")])
    "the text says '扣款' (money out), but the facts describe '退款入账' (money back)"
    >>> refund_as_charge("京东退款299.00元已入账", [("transaction", "退款入账")]) is None
    True
    """
    for _, described in descriptors:
        refund, charge = _REFUND.search(described), _CHARGE.search(described)
        if refund and not charge:
            said = _CHARGE.search(clause)
            if said and not _REFUND.search(clause):
                return f"the text says {said.group(0)!r} (money out), but the facts describe {described!r} (money back)"
        elif charge and not refund:
            said = _REFUND.search(clause)
            if said and not _CHARGE.search(clause):
                return f"the text says {said.group(0)!r} (money back), but the facts describe {described!r} (money out)"
    return None
