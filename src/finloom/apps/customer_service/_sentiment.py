"""A small English/Chinese sentiment lexicon with negation and intensifiers, used to spot
customers who are upset enough to be passed to a human."""

from __future__ import annotations

import re

from finloom.apps.customer_service._lang import normalize_text

__all__ = ["sentiment_score"]

_NEG_EN = {
    "angry": 2, "furious": 3, "terrible": 2, "awful": 2, "horrible": 2, "worst": 3, "useless": 2,
    "ridiculous": 2, "unacceptable": 3, "disgusting": 3, "disgrace": 3, "scam": 2, "fraudsters": 3,
    "incompetent": 3, "hate": 2, "sick of": 2, "fed up": 2, "annoyed": 1, "frustrated": 2,
    "disappointed": 1, "upset": 1, "pathetic": 3, "rubbish": 2, "stupid": 2, "joke": 1,
    "never again": 2, "lawyer": 2, "sue": 2, "outrageous": 3, "shocking": 2, "bad": 1, "poor": 1,
    "wrong": 1, "stole": 2, "stealing": 2, "waste": 1, "wtf": 3, "damn": 2,
}
_POS_EN = {
    "thanks": 1, "thank you": 1, "great": 1, "good": 1, "perfect": 2, "excellent": 2,
    "helpful": 1, "love": 1, "awesome": 2, "happy": 1, "appreciate": 1, "brilliant": 2,
}
_NEG_ZH = {
    "生气": 2, "气死": 3, "愤怒": 3, "太差": 2, "很差": 2, "垃圾": 3, "骗子": 3, "坑": 2, "无语": 2,
    "失望": 1, "投诉": 1, "恶心": 3, "离谱": 2, "过分": 2, "忍无可忍": 3, "烦死": 3, "不满": 2,
    "糟糕": 2, "太慢": 1, "没用": 2, "欺骗": 3, "起诉": 2, "律师": 2, "曝光": 2, "受够": 3,
    "什么破": 3, "差劲": 2, "搞什么": 2, "黑心": 3,
}
_POS_ZH = {"谢谢": 1, "感谢": 1, "太好了": 2, "满意": 1, "不错": 1, "很好": 1, "棒": 1, "辛苦": 1}
_NEGATORS_EN = ("not ", "n't ", "never ", "no ")
_NEGATORS_ZH = ("不", "没", "别")
_INTENSIFIERS = ("very ", "so ", "really ", "extremely ", "absolutely ", "太", "非常", "真", "特别")


def _hits(text: str, lexicon: dict[str, int], negators: tuple[str, ...]) -> float:
    total = 0.0
    for term, weight in lexicon.items():
        pattern = re.escape(term)
        if term.isascii():
            pattern = rf"\b{pattern}\b"
        for m in re.finditer(pattern, text):
            window = text[max(0, m.start() - 12) : m.start()]
            sign = -1.0 if any(window.endswith(n) or n in window[-5:] for n in negators) else 1.0
            boost = 1.5 if any(i in window for i in _INTENSIFIERS) else 1.0
            total += sign * boost * weight
    return total


def sentiment_score(text: str) -> float:
    """Score a message in [-1, 1]; below about -0.5 is strongly negative.

    Exclamation marks and SHOUTED words make a negative message more negative.

    Examples
    --------
    >>> sentiment_score("This is absolutely unacceptable, your bank is useless!!!") < -0.5
    True
    >>> sentiment_score("你们这什么破银行，气死我了") < -0.5
    True
    >>> sentiment_score("thanks, that was helpful") > 0
    True
    >>> sentiment_score("not bad at all") >= 0
    True
    """
    raw = normalize_text(text)
    lower = raw.lower()
    neg = _hits(lower, _NEG_EN, _NEGATORS_EN) + _hits(raw, _NEG_ZH, _NEGATORS_ZH)
    pos = _hits(lower, _POS_EN, _NEGATORS_EN) + _hits(raw, _POS_ZH, _NEGATORS_ZH)
    if neg > 0:
        shouting = sum(1 for w in raw.split() if len(w) > 2 and w.isupper() and w.isalpha())
        neg += 0.5 * min(raw.count("!") + raw.count("！"), 4) + 0.5 * min(shouting, 4)
    net = pos - neg
    return max(-1.0, min(1.0, net / 4.0))
