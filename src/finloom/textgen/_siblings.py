"""Siblings of what the facts describe: names that share a kind with it but name another member.

A figure for a car loan given to "your personal loan", a 零售金融 profit given to 公司金融, a C share
class's NAV given to the A class, Japan's CPI given to Korea: the guard knows the facts' entity and
descriptors (product, segment, card, indicator ...), and these helpers name their siblings so that
the entity index can mark them as entities no fact is about.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence

__all__ = ["class_siblings", "family_names", "names_in", "swapped_middles"]

# Kinds of one thing; each member lists the ways a writer names it. A family counts only when the
# facts name exactly one of its members; generic words (贷款, loan, 保险, card) belong to none.
FAMILIES: tuple[tuple[tuple[str, ...], ...], ...] = (
    (("mortgage", "home loan", "housing loan", "房贷", "住房贷款", "按揭"),
     ("car loan", "auto loan", "vehicle loan", "car finance", "车贷", "汽车贷款", "汽车消费贷款"),
     ("personal loan", "consumer loan", "消费贷", "消费贷款"),
     ("business loan", "经营贷", "经营贷款"),
     ("student loan", "助学贷款")),
    (("公积金贷款", "公积金房贷", "公积金贷"), ("商业贷款", "商贷", "商业房贷")),
    (("critical illness", "重疾险", "重疾", "重大疾病保险", "重大疾病险"),
     ("medical insurance", "health insurance", "医疗险", "医疗保险", "百万医疗"),
     ("life insurance", "life cover", "term life", "whole life", "life policy", "寿险", "人寿保险"),
     ("annuity", "年金险", "年金保险"),
     ("accident insurance", "personal accident", "意外险", "意外伤害保险"),
     ("motor insurance", "car insurance", "auto insurance", "motor policy", "车险", "机动车保险"),
     ("home insurance", "buildings insurance", "contents insurance", "home contents", "家财险", "家庭财产保险"),
     ("travel insurance", "旅行险", "旅游险")),
    (("主卡", "primary card", "main card"), ("附属卡", "副卡", "supplementary card", "additional card")),
    (("信用卡", "credit card"), ("借记卡", "储蓄卡", "debit card")),
    (("零售金融", "零售业务", "个人金融", "零售银行", "retail banking", "personal banking", "consumer banking"),
     ("公司金融", "公司业务", "对公业务", "公司银行", "corporate banking", "commercial banking", "wholesale banking"),
     ("金融市场业务", "资金业务", "global markets"),
     ("投资银行", "investment banking")),
    (("CPI", "consumer prices", "consumer price index", "居民消费价格", "消费者价格指数"),
     ("PPI", "producer prices", "producer price index", "工业生产者出厂价格", "生产者价格指数")),
    (("exports", "出口"), ("imports", "进口")),
    (("M2", "broad money", "广义货币"), ("M1", "narrow money", "狭义货币")),
    (("manufacturing PMI", "制造业PMI"), ("services PMI", "non-manufacturing PMI", "服务业PMI", "非制造业PMI")),
    (("定期存款", "整存整取", "fixed deposit", "term deposit"), ("活期存款", "活期", "current account"), ("大额存单",)),
    (("cash ISA",), ("stocks and shares ISA", "stocks & shares ISA"), ("lifetime ISA",)),
    (("股票型基金", "股票型", "股票基金", "偏股型基金", "equity fund", "equity funds", "stock fund", "stock funds"),
     ("债券型基金", "债券型", "债券基金", "纯债基金", "bond fund", "bond funds"),
     ("混合型基金", "混合型", "混合基金", "mixed fund", "mixed funds", "balanced fund", "balanced funds"),
     ("货币市场基金", "货币型基金", "货币基金", "money market fund", "money market funds", "money-market fund")),
    (("商品零售", "商品零售额", "goods retail", "retail sales of goods"),
     ("餐饮收入", "餐饮", "catering", "restaurant sales", "food service", "food services")),
    (("headline inflation", "headline CPI", "headline", "整体CPI", "整体通胀"),
     ("core inflation", "core CPI", "core PCE", "core prices", "核心CPI", "核心通胀", "核心消费价格")),
)
# A member the facts name without saying so: "US CPI yoy" is headline CPI unless it says core.
_IMPLIED = {"headline inflation": re.compile(r"(?<![A-Za-z])CPI(?![A-Za-z])|inflation|通胀|消费价格", re.I)}
_CLASS_ZH = re.compile(r"(.*[\u4e00-\u9fff])([A-E])")
_CLASS_EN = re.compile(r"(.+?)(\s+Fund)?\s+(?:Class\s+)?([A-E])")


def names_in(surface: str, text: str) -> bool:
    """Whether ``text`` contains ``surface`` (as whole words for Latin script; "US" only in capitals).

    Examples
    --------
    >>> names_in("US", "US CPI yoy"), names_in("US", "ask us"), names_in("重疾险", "安泰康宁重疾险")
    (True, False, True)
    """
    if not surface.isascii():
        return surface in text
    if surface.lower() not in text.lower():
        return False
    flags = 0 if surface.isupper() else re.I
    return re.search(rf"(?<![A-Za-z]){re.escape(surface)}(?![A-Za-z])", text, flags) is not None


def _touched(member: Sequence[str], labels: Sequence[str]) -> bool:
    """Whether a fact's metric label speaks of a member ("core_cpi_yoy_pct" of core inflation)."""
    words = {w for label in labels for w in re.split(r"[\s_]+", label.lower())}
    return any(s.split()[0].lower() in words if s.isascii() else any(s in label for label in labels) for s in member)


def family_names(own: Sequence[str], labels: Sequence[str] = ()) -> list[tuple[str, bool, str]]:
    """``(surface, is_own, member)`` for every family one of whose members the facts' names ``own``
    name: the own member's surfaces (``True``) and its siblings' (``False``). A family whose other
    members the facts' metric ``labels`` speak of ("core cpi" beside US CPI) is left out.

    Examples
    --------
    >>> [s for s, mine, _ in family_names(["Mr Okafor", "car loan"]) if not mine][:3]
    ['mortgage', 'home loan', 'housing loan']
    >>> family_names(["Harbor Bank"]), [s for s, _, _ in family_names(["US CPI"], ["core cpi yoy"]) if "core" in s]
    ([], [])
    """
    return list(_family_names(tuple(own), tuple(labels)))


@functools.lru_cache(maxsize=1024)
def _family_names(own: tuple[str, ...], labels: tuple[str, ...]) -> tuple[tuple[str, bool, str], ...]:
    out: list[tuple[str, bool, str]] = []
    blob = "\n".join(own)  # one text: each surface is looked for once
    for family in FAMILIES:
        named = [k for k, member in enumerate(family) if any(names_in(s, blob) for s in member)]
        if not named:
            named = [k for k, member in enumerate(family) if member[0] in _IMPLIED
                     and _IMPLIED[member[0]].search(blob)
                     and not any(names_in(s, blob) for j, m in enumerate(family) if j != k for s in m)]
        if len(named) != 1 or any(_touched(m, labels) for k, m in enumerate(family) if k != named[0]):
            continue
        for k, member in enumerate(family):
            out += [(s, k == named[0], member[0]) for s in member]
    return tuple(out)


def class_siblings(own: Sequence[str]) -> list[tuple[str, str]]:
    """``(surface, name)`` of the other share classes of a fund named with its class letter.

    Examples
    --------
    >>> class_siblings(["恒远成长混合C"])[:2]
    [('恒远成长混合A', '恒远成长混合A'), ('A类份额', '恒远成长混合A')]
    >>> [s for s, _ in class_siblings(["Evergreen Balanced Fund C"])][:2]
    ['Evergreen Balanced Fund A', 'Evergreen Balanced A']
    >>> class_siblings(["Harbor Bank"])
    []
    """
    out: list[tuple[str, str]] = []
    owned = set(own)
    for name in own:
        zh, en = _CLASS_ZH.fullmatch(name), _CLASS_EN.fullmatch(name)
        if zh and len(zh.group(1)) >= 3:
            for letter in "ABCDE":
                other = zh.group(1) + letter
                if other not in owned:
                    out += [(other, other), (f"{letter}类份额", other)]
        elif en and len(en.group(1).split()) >= 2 and en.group(1)[:1].isupper():
            stem = en.group(1)
            for letter in "ABCDE":
                other = f"{stem}{en.group(2) or ''} {letter}"
                if letter != en.group(3) and other not in owned:
                    out += [(f"{stem} Fund {letter}", other), (f"{stem} {letter}", other),
                            (f"{stem} Fund Class {letter}", other), (f"{stem} Class {letter}", other)]
    return out


def swapped_middles(name: str, text: str) -> list[tuple[int, int]]:
    """Spans of ``text`` naming a Chinese name's sibling: the same brand (first two characters) and
    tail (last two) around another middle — 恒远价值混合 beside 恒远成长混合; a middle added or left
    out (恒远混合, 恒远成长优选混合) is the same name.

    Examples
    --------
    >>> t = "恒远价值混合今日上涨，恒远混合持平。"
    >>> [t[a:b] for a, b in swapped_middles("恒远成长混合", t)]
    ['恒远价值混合']
    >>> swapped_middles("云岭银行", "云岭农商银行"), swapped_middles("人民币对美元中间价", "人民币中间价报7.19")
    ([], [])
    """
    if len(name) < 5 or not re.fullmatch(r"[\u4e00-\u9fff]+", name):
        return []
    brand, middle, tail = name[:2], name[2:-2], name[-2:]
    pattern = re.compile(rf"{re.escape(brand)}([\u4e00-\u9fff]{{1,{len(middle) + 2}}}?){re.escape(tail)}")
    return [(m.start(), m.end()) for m in pattern.finditer(text)
            if not _within(m.group(1), middle) and not _within(middle, m.group(1))]


def _within(short: str, long: str) -> bool:
    """Whether ``short`` is ``long`` with characters left out (人民币中间价 of 人民币对美元中间价)."""
    rest = iter(long)
    return all(c in rest for c in short)
