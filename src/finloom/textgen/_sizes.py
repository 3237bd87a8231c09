"""Moves read against a different quantity: the size of a day's move ("午后涨幅收窄", "losses widened into
the close") and bond prices against the yields the facts give ("Treasuries rallied" when yields fell).

A size word after a move noun (涨幅收窄, 跌幅扩大, "the gain narrowed") says nothing about which way
the market went — it compares how big the move was earlier in the session with how big it was at the
close. Facts give those as an intraday change (``intraday_high_change_pct``, ``midday_change_pct``)
beside the closing change (``close_change_pct``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from finloom.textgen._facts import Fact

__all__ = ["MOVE_NOUN_BEFORE", "bond_prices_for_yields", "session_size_move"]

# a move noun right before the size word: "涨幅收窄", "跌幅进一步扩大", "the losses widened", "gains narrowed"
MOVE_NOUN_BEFORE = re.compile(
    r"(?:涨幅|跌幅|降幅|增幅|升幅|\b(?:gains?|losses|declines?|drops?|falls?|advances?|rises?|slide|rally|sell-?off)"
    r"(?:\s+(?:had|have|has|were|was))?)\s*(?:有所|进一步|明显|略有|逐步|大幅|稍有|further\s+|sharply\s+|slightly\s+)?$",
    re.I)
_CLOSE = re.compile(r"\bclose\b|\bclosing\b|收盘|收市", re.I)
_EARLIER = re.compile(r"intraday|midday|morning|open|\bhigh\b|\blow\b|\bpeak\b|盘中|午盘|早盘|开盘|最高|最低", re.I)


def session_size_move(facts: Sequence[Fact], entity: str | None = None) -> str | None:
    """Whether a move grew ("up") or shrank ("down") from an earlier point of a session to its close, or None
    when the facts give no earlier change beside a closing change (of ``entity`` when given).

    Examples
    --------
    >>> import datetime as dt
    >>> from finloom.textgen._facts import Period
    >>> day = Period(dt.date(2025, 9, 25), dt.date(2025, 9, 25))
    >>> early = Fact("a", 2.05, unit="%", label="intraday high change", period=day, entity="X", direction="up")
    >>> close = Fact("b", 0.67, unit="%", label="close change", period=day, entity="X", direction="up")
    >>> session_size_move([early, close])
    'down'
    >>> session_size_move([close]) is None
    True
    """
    changes = [f for f in facts if f.direction is not None and f.label and (entity is None or f.entity == entity)]
    for end in changes:
        if not _CLOSE.search(end.label or "") or _EARLIER.search(end.label or ""):
            continue
        for start in changes:
            if start is not end and start.period == end.period and start.entity == end.entity \
                    and _EARLIER.search(start.label or "") and abs(end.value) != abs(start.value):
                return "up" if abs(end.value) > abs(start.value) else "down"
    return None


# bonds as prices: "Treasuries rallied", "gilts sold off", 国债期货上涨, 债市走强 (not a bond fund, not a yield)
_BOND_PRICES = re.compile(r"\b(?:treasuries|treasury prices|bonds?(?! funds?| etfs?)|bond prices|gilts|bunds|jgbs|"
                          r"government debt)\b|国债(?:期货|价格)|债市|债券价格|债价", re.I)
_YIELD = re.compile(r"yield|收益率|利率", re.I)


def bond_prices_for_yields(before: str, facts: Sequence[Fact]) -> bool:
    """Whether a direction word follows bond prices as its subject while the facts give a yield, so the
    word's rise is the yield's fall.

    Examples
    --------
    >>> y = [Fact("y", 4.13, unit="%", label="close", entity="benchmark Treasury yield")]
    >>> bond_prices_for_yields("Treasuries ", y), bond_prices_for_yields("The 10-year yield ", y)
    (True, False)
    """
    subject = _BOND_PRICES.search(before)
    if subject is None or _YIELD.search(before[subject.end() :]):
        return False
    return any(_YIELD.search(f.entity or "") or _YIELD.search(f.label or "") for f in facts)
