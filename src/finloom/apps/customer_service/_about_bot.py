"""Questions about the assistant itself ("are you a real person or an AI?", 你是真人吗; "do you ever
get bored?", 你几岁了): small talk that is out of scope, never a request to be passed to a person,
even though it names one."""

from __future__ import annotations

import re

from finloom.apps.customer_service._lang import normalize_text

__all__ = ["asks_about_assistant", "without_assistant_question"]

_WHAT = (r"(?:a |an )?(?:real |actual |live |human |automated |proper |genuine )?"
         r"(?:person|human(?: being)?|people|bot|robot|machine|ai|a\.i\.|chat ?bot|computer|program|chatgpt|being)")
_ABOUT_BOT = re.compile(
    rf"\b(?:are|r) (?:you|u) (?:just |really |actually )?{_WHAT}(?:\s*(?:or|,)\s*(?:just )?{_WHAT})*\b[\s?？!]*"
    rf"|\bam i (?:talking|chatting|speaking|writing) (?:to|with) {_WHAT}(?:\s*or\s*{_WHAT})*\b[\s?？!]*"
    rf"|\bis (?:this|that) {_WHAT}(?: (?:i'?m )?(?:talking|chatting) (?:to|with))?(?:\s*or\s*{_WHAT})*\b[\s?？!]*"
    r"|你(?:到底|究竟|真的)?(?:是不是|是)(?:真人|真的人|活人|人类|机器人|人工智能|ai|程序|电脑|人)"
    r"(?:还是(?:真人|活人|人类|机器人|人工智能|ai|程序|电脑|人))?(?:吗|呢|啊|呀)?[\s?？!！]*"
    r"|(?:我|现在)(?:是在)?(?:跟|和)(?:真人|活人|机器人|人工智能|ai|人)(?:聊天|说话|对话)(?:吗|呢)?[\s?？!！]*"
    r"|(?:是|这是)(?:真人|机器人|人工智能|ai)(?:在)?(?:回复|回答|聊天)?(?:吗|呢)[\s?？!！]*", re.I)


# the assistant's life, feelings, name and makers ("do you ever get lonely?", "who built you?", 你会累吗)
_SMALL_TALK = re.compile(
    r"\b(?:do|did|can|could|will|would|don'?t) (?:you|u|ya) (?:ever |even |actually |really )?(?:get (?:tired|bored|"
    r"lonely|sad|angry|annoyed|fed up|paid|a day off|holidays?)|sleep|dream|eat|feel(?: anything| lonely| sad)?|"
    r"have (?:feelings|emotions|a (?:name|family|girlfriend|boyfriend|life|body|favou?rite|hobby|pet))|enjoy (?:your|this) "
    r"(?:job|work)|like (?:your job|being|working|talking to (?:me|people|customers)))\b"
    r"|\bhow old are (?:you|u)\b|\bwhat(?:'?s| is) your (?:name|age|gender|favou?rite \w+)\b"
    r"|\bwho (?:made|built|created|programmed|trained|designed|wrote|owns) (?:you|u)\b"
    r"|\bare (?:you|u) (?:happy|sad|alive|conscious|sentient|bored|tired|lonely|single|married|male|female|a man|"
    r"a woman|a boy|a girl|smart|clever|intelligent|self[- ]aware)\b"
    r"|你(?:平时|平常|也|都|一般|每天|晚上)?(?:会|能)?(?:累|困|无聊|孤单|寂寞|睡觉|做梦|吃饭|休息)(?:吗|不|么)|你(?:有|有没有)(?:感情|情绪|名字|家人|男朋友|女朋友|"
    r"身体|爱好)|你(?:今年)?几岁|你多大了|你叫什么|谁(?:开发|制造|创造|训练|设计|做)(?:了|的)?你|你是(?:谁|哪个公司|哪家)(?:开发|"
    r"做|造)的|你(?:开心|快乐|难过|聪明|孤独)(?:吗|不)|你(?:是)?(?:男的|女的)", re.I)

_HAN_GAP = re.compile(r"(?<=[\u3400-\u9fff])\s+|\s+(?=[\u3400-\u9fff])")


def _joined(text: str) -> str:
    """Normalised text without the spaces some callers put between Chinese and Latin ("你是 AI 吗")."""
    return _HAN_GAP.sub("", normalize_text(text))


def asks_about_assistant(text: str) -> bool:
    """True when the message asks what the assistant is (a person, a bot, an AI) or about its life,
    feelings, name or makers.

    Examples
    --------
    >>> asks_about_assistant("r u a real human or a bot?"), asks_about_assistant("你到底是不是机器人")
    (True, True)
    >>> asks_about_assistant("你是 AI 吗")
    True
    >>> asks_about_assistant("who programmed you, then?"), asks_about_assistant("你平时会无聊吗")
    (True, True)
    >>> asks_about_assistant("I want a real person"), asks_about_assistant("转真人客服")
    (False, False)
    """
    joined = _joined(text)
    return bool(_ABOUT_BOT.search(joined) or _SMALL_TALK.search(joined))


def without_assistant_question(text: str) -> str:
    """``text`` with its questions about the assistant removed, so that what is left can still be
    read as a request ("are you a bot? then get me a person" keeps "then get me a person").

    Examples
    --------
    >>> without_assistant_question("are you a bot? get me a person").strip()
    'get me a person'
    """
    return _ABOUT_BOT.sub(" ", _joined(text))
