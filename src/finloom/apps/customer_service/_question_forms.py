"""How a question starts: lead-in words before the real start of a message ("and can I ...", "btw
is it ...", 对了，...), removed before patterns anchored at the start look for a question; and
yes/no questions about what a task would mean for the customer ("do I need a new card after a
dispute?", 申诉期间卡还能用吗) and questions about the procedure for a situation ("if my card is
stolen abroad, what's the process?", 被盗了一般走什么流程), which are answered, never acted on."""

from __future__ import annotations

import re

__all__ = ["asks_about_consequences", "asks_about_procedure", "without_lead_in"]

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


# "what's the procedure / process / drill": the steps are asked for, nothing is asked to be done
_EN_PROCEDURE = re.compile(
    r"\bwhat(?:'s| is| are) (?:the |your )?(?:usual |normal |standard )?(?:procedure|process|protocol|drill|steps|"
    r"next steps)\b|\bwhat (?:do|should|would|must) (?:i|we|you|one|people) (?:usually |normally )?do\b|"
    r"\bhow (?:does|do) (?:it|that|this|the process) work\b", re.I)
# a situation imagined, then a question about it ("if my card gets stolen abroad, ...?")
_EN_HYPOTHETICAL = re.compile(r"^(?:if|in case|say|suppose|supposing|what if)\b.*(?:[?？]|\b(?:what|how)\b)", re.I)
_ZH_PROCEDURE = re.compile(r"(?:什么|哪些|啥|怎样的)(?:流程|手续|步骤|程序)|(?:流程|手续|步骤|程序)(?:是什么|是啥|有哪些|怎么走|"
                           r"是怎样)|(?:一般|通常|正常)(?:要|该|会|怎么|如何)|(?:万一|如果|要是|假如).{0,30}(?:怎么办|怎么处理|"
                           r"怎么弄|该怎么|怎么做)")
_EN_REQUEST = re.compile(r"\b(?:can you|could you|would you|will you|please|pls|plz|for me)\b", re.I)


def asks_about_procedure(text: str) -> bool:
    """True for a question about what happens or what to do in a situation ("if my card were
    stolen abroad, what's the process?", 卡被盗一般走什么流程？) rather than a request to act.

    Examples
    --------
    >>> asks_about_procedure("if someone pinches my card on holiday, what then?")
    True
    >>> asks_about_procedure("my card's been stolen, what's the procedure?"), asks_about_procedure("信用卡丢了一般要办哪些手续")
    (True, True)
    >>> asks_about_procedure("my card was stolen, please block it"), asks_about_procedure("if it's stolen, can you cancel it?")
    (False, False)
    """
    core = without_lead_in(text.strip())
    if _ZH_PROCEDURE.search(core):
        return not _ZH_REQUEST.search(core)
    if _EN_REQUEST.search(core):
        return False
    return bool(_EN_PROCEDURE.search(core) or _EN_HYPOTHETICAL.search(core))
