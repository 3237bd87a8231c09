"""Twins: one metric given twice in a facts object, before and after a move within its period.

``{"npl_ratio_prev_q_pct": 1.29, "npl_ratio_pct": 1.34}``, ``{"open": 145.2, "close": 144.3}``,
``{"月初余额_元": 23400, "月末余额_元": 21150}``, ``{"调整前_pct": 1.5, "调整后_pct": 1.4}`` or
``{"spend_2025_09_usd": 158.7, "spend_usd": 132.1}`` of October: the pair says which way the metric
moved, so a text that calls the move a rise or a fall can be checked against it.
"""

from __future__ import annotations

import datetime as dt
import re

from finloom.textgen._facts import Fact
from finloom.textgen._periods import find_periods

__all__ = ["before_after"]

BEFORE = {"old", "previous", "prev", "prior", "before", "initial", "opening", "start", "beginning", "open",
          "earlier"}
AFTER = {"new", "current", "after", "final", "closing", "revised", "end", "close", "latest", "now"}
# words that only say how far back the "before" figure is ("npl_ratio_prev_q", "balance_prior_month")
_GRAIN_WORDS = {"q", "qtr", "quarter", "m", "mo", "month", "y", "yr", "year", "d", "day", "week", "period", "fy"}
# Chinese: 月初/月末, 期初/期末, 调整前/调整后, 上月/本月 ... as a prefix or a suffix of the same stem
_ZH = (("月初", "月末"), ("期初", "期末"), ("年初", "年末"), ("季初", "季末"), ("调整前", "调整后"), ("上月", "本月"),
       ("上期", "本期"), ("上季", "本季"), ("开盘", "收盘"), ("前值", "现值"), ("此前", "目前"))
# Chinese markers inside a key, the stem around them equal: 原利率/现行利率, 月初余额_元/月末余额_元, 调整前_pct
_ZH_BEFORE = re.compile(r"^(.*?)(?:期初|月初|年初|季初|周初|调整前|变动前|原)(.*)$")
_ZH_AFTER = re.compile(r"^(.*?)(?:期末|月末|年末|季末|周末|调整后|变动后|现行|最新)(.*)$")
# English marker words as a set: "rate old" / "rate new", "npl ratio prev" beside a plain "npl ratio"
_EN_BEFORE = {"old", "previous", "prev", "prior", "before", "initial", "opening", "start", "beginning"}
_EN_AFTER = {"new", "current", "after", "final", "closing", "revised", "end"}


def _split(old: Fact, new: Fact) -> bool:
    to, tn = old.label.lower().split(), new.label.lower().split()
    so, sn = set(to), set(tn)
    if not so & BEFORE:
        return False
    stem_o = [w for w in to if w not in BEFORE]
    if so & {"prev", "previous", "prior", "earlier"}:
        stem_o = [w for w in stem_o if w not in _GRAIN_WORDS]  # "npl ratio prev q" is the ratio a quarter back
    if sn & BEFORE:
        return False
    stem_n = [w for w in tn if w not in AFTER]
    if stem_o == tn and stem_o or [w for w in to if w not in BEFORE] == tn:  # "prev close" beside "close",
        return True  # "usdcny prev month end" beside "usdcny month end"
    return stem_o == stem_n and (bool(stem_o) or bool(sn & AFTER))  # "open"/"close" have no stem


def _zh(old: str, new: str) -> bool:
    for b, a in _ZH:
        for ob, na in ((old.startswith(b), new.startswith(a)), (old.endswith(b), new.endswith(a))):
            if ob and na:
                so = old[len(b) :] if old.startswith(b) else old[: -len(b)]
                sn = new[len(a) :] if new.startswith(a) else new[: -len(a)]
                if so == sn:
                    return True
        if old in (b + new, new + b) and new:  # 调整前利率 beside 利率
            return True
    return False


def _marked(old: str, new: str) -> bool:
    """Before/after markers anywhere in the key, in any order: 原利率/现行利率, "old rate pct"/"rate new pct"."""
    zo, zn = _ZH_BEFORE.match(old), _ZH_AFTER.match(new)
    if zo and zn and not old.isascii() and zo.groups() == zn.groups():
        return True
    to, tn = set(old.split()), set(new.split())
    plain_new = not tn & (_EN_BEFORE | _EN_AFTER)  # "npl_ratio_prev_pct" and "npl_ratio_pct"
    stem = to - _EN_BEFORE
    return bool(to & _EN_BEFORE and (tn & _EN_AFTER or plain_new) and stem and stem == tn - _EN_AFTER)


def _named_earlier(old: Fact, new: Fact) -> bool:
    """``spend_2025_09`` (or 9月支出) beside ``spend`` of October: the same metric in an earlier period it names."""
    if old.period is None or new.period is None or old.period != new.period or new.label not in old.label:
        return False
    rest = old.label.replace(new.label, " ", 1).strip()
    if not rest or not re.search(r"\d", rest):
        return False
    text = re.sub(r"(?<=\d) (?=\d)", "-", rest)  # "2025 09" → "2025-09"
    found = find_periods(text, (new.period.start, new.period.end))
    if len(found) != 1 or found[0].text.strip() != text.strip():
        return False
    p = found[0]
    return p.last < new.period.start and (new.period.start - p.last) <= dt.timedelta(days=400)


_YEAR_WORD = re.compile(r"(?<![\d])((?:19|20)\d{2})(?:\s?(q[1-4]|h[12]|\d{2}))?(?![\d])", re.I)


def _named_years(old: Fact, new: Fact) -> bool:
    """``losses_2024`` beside ``losses_2025``: one stem, each key naming its own (earlier, later) period."""
    mo, mn = _YEAR_WORD.search(old.label), _YEAR_WORD.search(new.label)
    if mo is None or mn is None or len(_YEAR_WORD.findall(old.label)) != 1 or len(_YEAR_WORD.findall(new.label)) != 1:
        return False
    stem_o = (old.label[: mo.start()] + old.label[mo.end() :]).split()
    stem_n = (new.label[: mn.start()] + new.label[mn.end() :]).split()
    if not stem_o or stem_o != stem_n:
        return False
    po, pn = find_periods(mo.group(0)), find_periods(mn.group(0))
    return len(po) == 1 and len(pn) == 1 and po[0].last < pn[0].first


_BARE = {"value", "actual", "reading", "latest", "figure", "print", "level", "current", "数值", "值"}


def _bare_before(old: Fact, new: Fact) -> bool:
    """``prev`` beside ``value`` (``{"value_pct": 0.2, "prev_pct": -0.3}``): the bare figure and the one before it."""
    words = old.label.lower().split()
    return bool(words) and set(words) <= BEFORE and new.label.lower() in _BARE


def before_after(a: Fact, b: Fact) -> tuple[Fact, Fact] | None:
    """``(old, new)`` when ``a`` and ``b`` are one metric of one entity before and after a move.

    Examples
    --------
    >>> f = lambda label, v: Fact(label, v, unit="%", label=label)
    >>> [x.label for x in before_after(f("npl ratio", 1.34), f("npl ratio prev q", 1.29))]
    ['npl ratio prev q', 'npl ratio']
    >>> [x.label for x in before_after(f("close", 144.3), f("open", 145.2))]
    ['open', 'close']
    >>> [x.label for x in before_after(f("月末余额", 21150), f("月初余额", 23400))]
    ['月初余额', '月末余额']
    >>> [x.label for x in before_after(f("value", 0.2), f("prev", -0.3))]
    ['prev', 'value']
    >>> before_after(f("npl ratio", 1.34), f("car ratio", 14.8)) is None
    True
    """
    if not a.label or not b.label or a.entity != b.entity or a.unit != b.unit or a.currency != b.currency:
        return None
    for old, new in ((a, b), (b, a)):
        if _split(old, new) or _zh(old.label, new.label) or _marked(old.label, new.label) \
                or _named_earlier(old, new) or _named_years(old, new) or _bare_before(old, new):
            return old, new
    return None
