"""How a question starts: lead-in words before the real start of a message ("and can I ...", "btw
is it ...", 对了，...), removed before patterns anchored at the start look for a question; and
yes/no questions about what a task would mean for the customer ("do I need a new card after a
dispute?", 申诉期间卡还能用吗), which are answered, never acted on."""

from __future__ import annotations

import re

__all__ = ["asks_about_consequences", "without_lead_in"]

_LEAD_IN = re.compile(
    r"^(?:(?:and|also|so|oh|ok|okay|btw|by the way|one more thing|another thing|quick question|"
    r"then|but|plus|wait|hmm+|um+|uh+|right|alright|well|sorry|actually|just wondering|one last thing|"
    r"再问一下|还有|另外|顺便问一下|顺便问下|对了|那个)[\s,，:：.。!！-]+)+", re.I)


def without_lead_in(text: str) -> str:
    """``text`` without its lead-in words.

    Examples
    --------
    >>> without_lead_in("and can I use a virtual card meanwhile?")
    'can I use a virtual card meanwhile?'
    >>> without_lead_in("ok so, how long does it take"), without_lead_in("andrew here")
    ('how long does it take', 'andrew here')
    """
    return _LEAD_IN.sub("", text.strip(), count=1)


# "do I / will my / is there / should I ...": a yes/no question, not a polite request ("will you",
# "can you", "could you" ask the assistant to act)
_EN_YES_NO = re.compile(r"^(?:do|does|did|will|is|are|was|were|should|must)\s+(?!you\b|u\b|ya\b)\w", re.I)
# a Chinese yes/no question about what happens during or after a task, or whether it is needed
_ZH_CONSEQUENCE = re.compile(r"(?:期间|之后|以后|过程中|的时候|还能|还可以|会不会|会|需要|需不需要|要不要|收费|费用)"
                             r".{0,20}吗\s*[?？]*\s*$")
_ZH_REQUEST = re.compile(r"帮我|帮忙|请|麻烦|给我|我要|我想|替我")


def asks_about_consequences(text: str) -> bool:
    """True for a yes/no question about the customer's situation ("do I need a new card after a
    fraud dispute?", 争议处理期间卡能正常用吗？) rather than a request to act.

    Examples
    --------
    >>> asks_about_consequences("do I need a new card after a fraud dispute?")
    True
    >>> asks_about_consequences("争议处理期间卡还能正常用吗？"), asks_about_consequences("能帮我冻结一下吗？")
    (True, False)
    >>> asks_about_consequences("will you freeze my card?"), asks_about_consequences("freeze my card")
    (False, False)
    """
    core = without_lead_in(text.strip())
    if _EN_YES_NO.search(core):
        return True
    return bool(_ZH_CONSEQUENCE.search(core)) and not _ZH_REQUEST.search(core)
