"""A move stated without a number, and the level it reached stated in the next clause.

"Mortgage rates eased in October, with the 30-year rate at 6.42%" says the rate fell *to* 6.42 %;
"利率小幅回升，报3.45%" says the same of a rise. The direction word has no number of its own, and
nothing names whose move it is, but the level that follows is the figure the move ended at: the
facts' earlier value of that figure tells which way it went.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from finloom.textgen._claims import NumberClaim, TextReading
from finloom.textgen._conflicts import Context
from finloom.textgen._derive import Candidate
from finloom.textgen._extract import Mention, NumberMention

__all__ = ["carried_level", "carried_moves"]

# between the move and the level: a new clause introducing the level ("…, with the 30-year rate at")
_CARRY_EN = re.compile(r"^[^,;.]*,\s*(?:with|leaving|taking|bringing|putting|to end|ending|closing|settling)\b"
                       r"(?:\s+[\w'’-]+){0,5}?\s+(?:at|to|on)\s*$", re.I)
_CARRY_ZH = re.compile(r"^[^，,；;。]*[，,]\s*[^，,；;。\d]{0,12}?(?:收于|收报|报|至|为|达到?)\s*$")


def carried_level(reading: TextReading, direction: Mention) -> NumberClaim | None:
    """The level claim a number-less direction word moved to, from the clause after it; else ``None``.

    Examples
    --------
    >>> from finloom.textgen._claims import read_text
    >>> from finloom.textgen._fact_loader import facts_from_dict
    >>> fs = facts_from_dict({"period": "2025-10", "rate_pct": 6.42, "rate_prev_pct": 6.31})
    >>> r = read_text("Mortgage rates eased in October, with the 30-year rate at 6.42%.", fs)
    >>> carried_level(r, r.directions[0]).number.text
    '6.42%'
    >>> r = read_text("Mortgage rates eased in October, and 6.42% is still high.", fs)
    >>> carried_level(r, r.directions[0]) is None
    True
    """
    sentence = next((s for s in reading.sentences if s[0] <= direction.start < s[1]), None)
    if sentence is None:
        return None
    after = sorted((c for c in reading.claims if direction.end <= c.number.start < sentence[1]),
                   key=lambda c: c.number.start)
    if not after:
        return None
    first = after[0]
    between = reading.text[direction.end : first.number.start]
    pattern = _CARRY_ZH if re.search(r"[\u4e00-\u9fff]", between) or between.lstrip()[:1] in "，," else _CARRY_EN
    return first if pattern.match(between) else None


def carried_moves(ctx: Context, direction: Mention, magnitude: bool,
                  matches: Callable[[NumberMention, Candidate], bool]) -> set[str]:
    """Which way the facts say the level after a number-less move went ("up"/"down"), or an empty set.

    ``matches`` tells whether the written level states a fact (the guard's rounding rule).

    Examples
    --------
    >>> from finloom.textgen._claims import read_text
    >>> from finloom.textgen._fact_loader import facts_from_dict
    >>> from finloom.textgen._metrics import MetricIndex
    >>> fs = facts_from_dict({"period": "2025-10", "rate_pct": 6.42, "rate_prev_pct": 6.31})
    >>> r = read_text("Mortgage rates eased in October, with the 30-year rate at 6.42%.", fs)
    >>> ctx = Context(r, MetricIndex(fs), fs)
    >>> carried_moves(ctx, r.directions[0], False, lambda n, c: round(c.value, 2) == n.value)
    {'up'}
    """
    level = carried_level(ctx.reading, direction)
    if level is None:
        return set()
    out: set[str] = set()
    for f in ctx.facts:
        c = Candidate(f.value, f.unit, "fact", (f,), None, f.currency, f.period)
        if f.direction is None and matches(level.number, c):
            move = ctx.movement(c, magnitude, twins=True)
            if move in ("up", "down"):
                out.add(move)
    return out
