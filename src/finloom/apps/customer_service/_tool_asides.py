"""Asides the user disowns, cut before the tool router reads a message: "this isn't about my dispute,
it's my loan application", "I don't want a chart, just tell me", "not the case queue", "我知道怎么申请",
"跟案件队列无关". The words in them name what the user does NOT ask for, so they must not pick a tool;
"I know how to" / "我知道怎么" goes alone, as what follows it is still the subject."""

from __future__ import annotations

import re

__all__ = ["drop_disowned"]

_STOP = r"[^,.;:!?，。；：！？\-–—]"
_DISOWNED = re.compile(
    # "this isn't about my dispute", "I'm not asking about fees", "not the case queue", "not a chart"
    rf"\b(?:(?:this|it|that|i'm|i am|i)\s+)?(?:is\s*n[o']t|isn't|am not|'m not|not)\s+(?:about|asking about|talking "
    rf"about|regarding|re)\s+{_STOP}{{1,40}}|"
    rf"(?<![\w'])not (?:the|my|a|an|any) {_STOP}{{1,30}}?(?=[,.;!?，。]| -|$)|"
    r"\b(?:i )?(?:don't|do not|dont) (?:want|need) (?:a |an |any |the )?(?:chart|graph|plot|picture|diagram)s?\b|"
    r"\b(?:no|without (?:a|any)) (?:chart|graph|plot|picture|diagram)s?(?: (?:please|needed|thanks))?\b|"
    r"\bi (?:already )?know how to\b|"
    # Chinese: 不是问…, 跟/和/与…无关, 不用/不要/不需要画图, 我知道怎么…
    rf"不是(?:问|说|要|查)[^，,。；;！!？? 是]{{1,12}}|(?:跟|和|与)[^，,。；;！!？? ]{{1,12}}(?:无关|没关系|没有关系)|"
    r"(?:不用|不要|不需要|别|唔使|唔要)(?:给我)?(?:画|出|发|看)?(?:个|张)?(?:图|图表|走势图|曲线)|"
    r"我(?:已经)?(?:知道|晓得|懂)(?:怎么|如何|怎样)",
    re.IGNORECASE)
_REPEATS = re.compile(r"([,，])(?:\s*[,，])+")


def drop_disowned(text: str) -> str:
    """``text`` without the asides it disowns (each left as one comma); anything else is unchanged.

    Examples
    --------
    >>> drop_disowned("this isn't about my dispute, it's my loan application")
    "it's my loan application"
    >>> drop_disowned("I don't want a chart, just tell me how gold did")
    'just tell me how gold did'
    >>> drop_disowned("我知道怎么申请信用卡 想问能不能办下来")
    '申请信用卡 想问能不能办下来'
    >>> drop_disowned("my card is not working"), drop_disowned("show me a chart of gold")
    ('my card is not working', 'show me a chart of gold')
    """
    return _REPEATS.sub(r"\1", _DISOWNED.sub(",", text)).strip(" ,，")
