"""Conversation moves the dialogue manager recognises besides intents: corrections ("no, the
credit card"), carry-over ("and for my credit card?"), picks among offered choices, asking to leave
the human queue, and how much of a message is banking vocabulary (to tell out-of-scope chatter from
a banking question the knowledge base cannot answer)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from finloom.apps.customer_service._about_bot import without_assistant_question
from finloom.apps.customer_service._entities import extract_entities
from finloom.apps.customer_service._lang import normalize_text, tokenize

__all__ = ["DomainVocabulary", "asks_for_human", "is_vague_trouble", "mentions_card", "names_card_symptom",
           "is_back_to_bot", "is_carry_over", "is_follow_up_question", "is_correction", "is_unsure", "starts_correction", "looks_like_question", "names_card_action",
           "pick_choice", "wants_list",
           "slot_entities"]

_CORRECTION = re.compile(
    r"^(?:no|nope|nah|not that(?: one)?|wrong(?: one)?|sorry|oops|actually|i meant|i mean|i said|"
    r"rather|make it|change (?:it|that) to)\b"
    r"|\b(?:i meant|i mean|not the \w+(?: card| account)?,? (?:the|my))\b"
    r"|\b(?:instead|not (?:the )?(?:debit|credit|everyday|saver|savings))\b"
    r"|^(?:哦|噢|呃|啊)?[，, ]*(?:不好意思|抱歉|对不起)?[，, ]*(?:不对|不是|错了|搞错了|说错了|我是说|我说的是|我是要|应该是|换成|改成|是另一张|是|不，|不,)"
    r"|说错了|搞错了|弄错了|我是要|我是说", re.I)
_CARRY_OVER = re.compile(
    r"^(?:and|what about|how about|same for|same with|also|the same|now|(?:and |please |can you |could you )?"
    r"do (?:the same|that|it|this)(?: again)?|same (?:thing|again)|ok(?:ay)?,? (?:and|what about|now))\b"
    r"|\b(?:as well|too|also)(?:\s+(?:then|please|pls|thanks|now))?\s*[?.!]*$|^(?:那|那么|还有|再|另外)|呢\s*[?？]?$"
    r"|也(?:一起|一样|是|查|冻|挂|锁|停|看|要|来|给|帮|办|弄|处理|发|申诉)|\binstead\b|\btoo\b",
    re.I)
_BACK_TO_BOT = re.compile(
    r"\b(?:back to (?:the )?(?:bot|assistant|chat ?bot|virtual assistant)|(?:i )?don'?t need (?:a |the )?"
    r"(?:human|person|agent)(?: any ?more)?|no (?:human|agent|person) (?:needed|please)|cancel (?:the )?"
    r"(?:handoff|transfer to (?:a )?human|request)|(?:forget|cancel|skip) (?:the |a )?(?:human|person|agent)"
    r"|(?:i'?ll|i will|let me|i can) (?:just )?(?:use|talk to|ask|stay with|continue with) (?:the |you,? )?"
    r"(?:bot|assistant|chat ?bot)|(?:i'?ll|i will|let me) (?:just )?(?:ask|talk to) you)\b"
    r"|\b(?:i'?ll|i will|let me) (?:just )?(?:do|sort|handle|fix) it (?:myself|on my own)\b|\b(?:i )?(?:don'?t|do not) "
    r"want to wait\b|不等了|不用等了|(?:我)?(?:还是)?自己(?:来|弄|搞|处理)(?![不没])(?:吧)?"
    r"|\b(?:the )?(?:bot|assistant|chat ?bot)(?:'?s| is) (?:fine|ok|okay|good enough|enough)\b"
    r"|\b(?:i'?ll|i will|let me) (?:just )?(?:do|sort) (?:it|this) (?:here|with you)\b"
    r"|\bno need for (?:a |an |the )?(?:human|person|agent)\b"
    r"|\bnever ?mind (?:about )?(?:the |a |an )?(?:agent|human|person|transfer)\b"
    r"|\b(?:stick|stay) with (?:you|(?:the |this )?(?:bot|assistant|chat ?bot|chat))\b"
    r"|\b(?:i'?ll|i will|let me) (?:just )?use (?:the |this )?chat\b"
    r"|\b(?:don'?t|do not) need (?:anyone|anybody|someone|somebody)\b"
    r"|不用转了|不用麻烦(?:人工|客服)|不用(?:找)?客服了"
    r"|不用(?:转)?人工|不要(?:转)?人工|不需要(?:转)?人工|不转人工|不找人工|取消(?:人工|转接)"
    r"|人工(?:客服)?(?:就|也|先|还是)?(?:不用|不要|不需要|算了)|不(?:用|要|需要)?找(?:真)?人了|不找人"
    r"|(?:返回|回到|回去找|转回)(?:智能)?(?:助手|机器人)|\b(?:let me|i'?ll) try (?:again|myself)\b|我自己(?:再)?(?:试试|来|弄|看看)(?![不没])|继续用(?:智能)?助手|(?:还是|我)?(?:问|用)(?:你|机器人|智能助手)(?:吧|就行)", re.I)
# a question of its own ("also, can I use my credit card abroad?"), not a follow-up of the last request
_OWN_QUESTION = re.compile(r"\b(?:can i|could i|may i|how|why|where|when|what is|what are|is it|are there|do i|does)\b"
                           r"|吗|怎么|如何|为什么|多少|能不能", re.I)
_ORDINALS = {
    "1": 0, "one": 0, "first": 0, "1st": 0, "former": 0, "一": 0, "前者": 0, "前面": 0,
    "2": 1, "two": 1, "second": 1, "2nd": 1, "latter": 1, "二": 1, "两": 1, "后者": 1, "后面": 1,
    "3": 2, "three": 2, "third": 2, "3rd": 2, "三": 2, "4": 3, "four": 3, "fourth": 3, "4th": 3, "四": 3,
    "5": 4, "five": 4, "fifth": 4, "5th": 4, "五": 4, "last": -1, "最后": -1,
}
_EN_PICK = re.compile(
    r"^(?:(?:ok|okay|yes|um|uh|erm|so|i'?ll (?:take|go with|pick)|i (?:want|mean|choose|pick)|"
    r"let'?s (?:go with|do)|go with|pick|choose|take|it'?s|its)\s+)*(?:(?:option|number|no\.?|choice|"
    r"#)\s*)?(?:the\s+|my\s+)?(1st|2nd|3rd|4th|5th|[1-5]|one|two|three|four|five|first|second|third|fourth|"
    r"fifth|last|former|latter)(?:\s+(?:one|option|choice|card|account|payment|transaction|please|thanks|"
    r"on the list|in the list))*$")
_ZH_PICK = re.compile(
    r"^(?:是|选|要|就|那就|我选|我要)*(?:第)?([1-5一二两三四五]|最后|前者|后者|前面|后面)"
    r"(?:个|项|种|条|张|笔|号|张卡|个账户|笔交易)?(?:吧|的|那个|那张|那笔)?$")
_HAN = re.compile(r"[\u3400-\u9fff]")
_QUESTION = re.compile(
    r"[?？]|^(?:what|what's|whats|how|why|when|where|which|who|whom|whose|is|are|am|was|were|do|does|"
    r"did|can|could|will|would|should|shall|may|might|have|has|tell me|show me|give me|explain|any)\b"
    r"|\b(?:i (?:want|need|would like) to know|i wonder|wondering)\b"
    r"|\b(?:what'?s|whats|who|who'?s|how much|how many|how long)\b"
    r"|吗|呢|什么|多少|怎么|怎样|如何|为什么|为何|哪|几|是否|能否|可否|有没有|是不是|能不能|可不可以|告诉我|讲|推荐|介绍|谁",
    re.I)
_HUMAN = re.compile(
    r"\b(?:speak|talk|chat)\s+(?:to|with)\s+(?:a |an |the |some |your |one of your )?(?:real |live |actual "
    r"|human )?(?:human|person|people|agent|representative|rep|someone|somebody|operator|staff|advisor|"
    r"adviser|customer service|customer support)\b|\b(?:human|live|real) (?:agent|person|being|support)\b"
    r"|\b(?:get|give|find) me (?:a |an |some )?(?:human|person|agent|real person|representative)\b"
    r"|\b(?:transfer|connect|put) me (?:to|with|through)\b|\b(?:want|need|like) (?:a |an )?(?:human|agent|"
    r"real person|representative)\b"
    r"|人工(?!智能)|真人|客服人员|接线员|转接|找客服|客服小姐|客服经理", re.I)
_VAGUE_TROUBLE = re.compile(
    r"\b(?:problems?|issues?|trouble|wrong|something'?s? (?:up|off|wrong|weird|strange|funky)|not (?:quite )?right|"
    r"(?:is|isn'?t|ain'?t|aren'?t) (?:quite )?right|funky|odd|weird|card (?:stuff|things?|thingy|business|matters?)|"
    r"dodgy|fishy|shady|dubious|strange|(?:looks?|seems?) (?:off|funny)|"
    r"(?:not sure|unsure|uncertain|confused|puzzled) (?:about|of|by)|(?:don'?t|do not|can'?t) (?:understand|"
    r"make sense of|work out|figure out)|doesn'?t (?:look|seem) right)\b"
    r"|\b(?:acting|playing) up|(?:don'?t|do not) get (?:it|this|that|why|what)\b|\bi (?:don'?t|do not) get\s*$"
    r"|\b(?:charges?|payments?|transactions?|debits?) (?:that )?i (?:don'?t|do not) get\b"
    r"|问题|不对劲|怎么回事|有点事|出事|出了(?:点|些)?(?:事|状况)|异常|不正常|状况|有(?:点)?情况|奇怪|怪怪|不太对|可疑|蹊跷|毛病|不好使"
    r"|看不明白|搞不明白|不明白"
    r"|不明不白|莫名其妙|看不懂|搞不懂|没看懂|不清不楚|^关于", re.I)
# card troubles the help articles answer (not a reason to freeze or cancel the card)
_CARD_SYMPTOM = re.compile(
    r"\b(?:declin\w*|reject\w*|refus\w*|arriv\w*|receiv\w*|deliver\w*|post(?:ed)?|activat\w*|pin|expir\w*|"
    r"damag\w*|broken|crack\w*|bent|not working|doesn'?t work|won'?t work|stopped working|swallow\w*|retain\w*|"
    r"kept|contactless|limit\w*|fees?|charges? abroad|abroad|overseas|renew\w*)\b"
    r"|寄到|收到|送到|激活|密码|过期|到期|损坏|坏了|不能用|用不了|刷不了|被拒|拒绝|吞|额度|手续费|年费|境外|国外|消磁", re.I)
_CARD_WORD = re.compile(r"\bcards?\b|卡", re.I)
# words that say what should happen to a card; a card message with none of them is vague
_CARD_ACTION = re.compile(
    r"\b(?:freez\w*|froze\w*|lock\w*|block\w*|suspend\w*|pause\w*|stop\w*|disabl\w*|deactivat\w*|"
    r"lost|lose|losing|stolen|stole|steal\w*|nick\w*|pinch\w*|pickpocket\w*|missing|misplac\w*|gone|"
    r"can'?t find|cannot find|left (?:it|my)|dropped|took|taken|compromis\w*|fraud\w*|suspicious|hack\w*|"
    r"skimm\w*|cancel\w*|report\w*|replace\w*)\b"
    r"|冻结|锁|停用|暂停|止付|丢|掉了|遗失|失窃|被偷|被盗|偷了|盗|找不到|不见|挂失|补办|注销|泄露|盗刷|可疑", re.I)
_SLOT_KINDS = ("card_type", "account_type", "last4")
# "I'd just like to see the list", 我就想看看列表: the listing, not a dispute, is wanted
_WANTS_LIST = re.compile(
    r"\b(?:see|show|view|look (?:at|through)|check|go through|pull up|list)\b.{0,15}\b(?:the |a )?(?:list|them all|"
    r"all of them|everything|the lot)\b|^(?:just )?(?:the )?list(?: please| pls)?$"
    r"|列表|清单|(?:看|查|列)(?:看|一下|下)?(?:全部|所有|都有哪些)", re.I)


def slot_entities(text: str) -> dict[str, str]:
    """Card type, account type and last-four-digits entities of a message (a slot's possible values).

    Examples
    --------
    >>> slot_entities("no, the credit card")
    {'card_type': 'credit'}
    """
    return {e.kind: e.value for e in extract_entities(text) if e.kind in _SLOT_KINDS}


def wants_list(text: str) -> bool:
    """True when the customer only wants to see the list (of payments), e.g. to answer "dispute
    a payment or see your recent transactions?".

    Examples
    --------
    >>> wants_list("nah, just show me the list"), wants_list("给我看下清单就行")
    (True, True)
    >>> wants_list("this one is wrong"), wants_list("it wasn't me")
    (False, False)
    """
    return bool(_WANTS_LIST.search(normalize_text(text)))


def looks_like_question(text: str) -> bool:
    """True for a question or a request for information (a digression candidate during a task).

    Examples
    --------
    >>> looks_like_question("how long does delivery take"), looks_like_question("国际转账手续费是多少")
    (True, True)
    >>> looks_like_question("the blue one")
    False
    """
    return bool(_QUESTION.search(normalize_text(text).strip()))


def asks_for_human(text: str) -> bool:
    """True for an explicit request for a person ("I'd like to speak with an agent", 转人工).

    Examples
    --------
    >>> asks_for_human("I'd like to speak with an agent"), asks_for_human("我要找人工客服")
    (True, True)
    >>> asks_for_human("不用人工了"), asks_for_human("how long does a transfer take?")
    (False, False)
    >>> asks_for_human("are you a real person?"), asks_for_human("你是真人吗？")
    (False, False)
    """
    return bool(_HUMAN.search(without_assistant_question(text))) and not is_back_to_bot(text)


def is_vague_trouble(text: str) -> bool:
    """True when a message only says that something is wrong, not what ("a problem with my card").

    Examples
    --------
    >>> is_vague_trouble("there's an issue with my card"), is_vague_trouble("my card was declined")
    (True, False)
    """
    return bool(_VAGUE_TROUBLE.search(normalize_text(text)))


def names_card_symptom(text: str) -> bool:
    """True for a card trouble the help articles answer (declined, not arrived, PIN, limits...).

    Examples
    --------
    >>> names_card_symptom("my new card hasn't arrived yet"), names_card_symptom("my card")
    (True, False)
    """
    return bool(_CARD_SYMPTOM.search(normalize_text(text)))


def mentions_card(text: str) -> bool:
    """True when the message talks about a card."""
    return bool(_CARD_WORD.search(normalize_text(text)))


def names_card_action(text: str) -> bool:
    """True when a message about a card says what happened or what to do (lost, freeze...).

    Examples
    --------
    >>> names_card_action("someone stole my credit card"), names_card_action("我的银行卡出问题了")
    (True, False)
    """
    return bool(_CARD_ACTION.search(normalize_text(text)))


def is_correction(text: str) -> bool:
    """True when the message corrects an earlier answer and names the new value.

    Examples
    --------
    >>> is_correction("no, the credit card"), is_correction("不对，是信用卡"), is_correction("no")
    (True, True, False)
    """
    clean = normalize_text(text).strip()
    return bool(_CORRECTION.search(clean)) and bool(slot_entities(clean))


_UNSURE = re.compile(
    r"\b(?:don'?t|do not|can'?t|cannot) (?:remember|recall|know|tell) (?:which|what)\b|\bnot sure (?:which|what)\b"
    r"|不记得|记不清|想不起|不知道是哪|不确定是哪", re.I)


# broader words of not knowing, trusted only in a short message ("which is which?", 哪张都行吗)
_UNSURE_SHORT = re.compile(
    r"\bwhich is which\b|\b(?:i )?(?:don'?t|do not|dunno) know\b|\bdunno\b|\bno idea\b|\bnot sure\b"
    r"|\b(?:either|any) (?:one|of them) (?:is )?(?:fine|ok)\b|不知道|不清楚|随便|都行|都可以|哪张都|哪个都", re.I)


def is_unsure(text: str) -> bool:
    """True when the customer says they cannot answer the pending question ("I don't remember
    which one", 不记得是哪笔了): a misunderstanding of the question, not a digression.

    Examples
    --------
    >>> is_unsure("不记得是哪笔了"), is_unsure("which card is it?")
    (True, False)
    >>> is_unsure("sorry, which is which?"), is_unsure("哪张都行吗？我也不知道")
    (True, True)
    >>> is_unsure("I don't know how international transfer fees work, can you explain them to me?")
    False
    """
    clean = normalize_text(text)
    short = len(clean.split()) <= 8 if clean.isascii() else len(clean) <= 14
    return bool(_UNSURE.search(clean)) or (short and bool(_UNSURE_SHORT.search(clean)))


def starts_correction(text: str) -> bool:
    """True when the message is phrased as a correction ("no wait, ...", 不好意思，我说错了),
    whether or not it names a card or account (it may name a payment or a reason).

    Examples
    --------
    >>> starts_correction("no, it's payment 3"), starts_correction("不好意思，我说错了，是第四笔")
    (True, True)
    >>> starts_correction("freeze my card")
    False
    """
    return bool(_CORRECTION.search(normalize_text(text).strip()))


def is_carry_over(text: str) -> bool:
    """True for a short follow-up that reuses the last request with a new card or account.

    Examples
    --------
    >>> is_carry_over("and for my credit card?"), is_carry_over("那信用卡呢")
    (True, True)
    >>> is_carry_over("freeze my credit card")
    False
    """
    clean = normalize_text(text).strip()
    short = len(clean.split()) <= 12 if clean.isascii() else len(clean) <= 16
    return (short and bool(_CARRY_OVER.search(clean)) and bool(slot_entities(clean))
            and not _OWN_QUESTION.search(clean))


def is_follow_up_question(text: str) -> bool:
    """True for a short follow-up that only makes sense with the question before it ("and for
    business accounts?", "那汇出去呢？"); unlike :func:`is_carry_over` it need not name a card or
    account.

    Examples
    --------
    >>> is_follow_up_question("那汇出去呢？"), is_follow_up_question("what about overseas?")
    (True, True)
    >>> is_follow_up_question("how long does a transfer abroad take?")
    False
    """
    clean = normalize_text(text).strip()
    short = len(clean.split()) <= 8 if clean.isascii() else len(clean) <= 12
    return short and bool(_CARRY_OVER.search(clean)) and not _OWN_QUESTION.search(clean)


def is_back_to_bot(text: str) -> bool:
    """True when a customer waiting for a person asks to carry on with the assistant.

    Examples
    --------
    >>> is_back_to_bot("back to the bot please"), is_back_to_bot("不用人工了")
    (True, True)
    """
    return bool(_BACK_TO_BOT.search(normalize_text(text)))


def pick_choice(text: str, n: int = 2) -> int | None:
    """Index of the option a reply picks among ``n`` numbered options ("2", "the second one",
    "第二张", "the last one"), or ``None``.

    Examples
    --------
    >>> pick_choice("the second one"), pick_choice("第一个"), pick_choice("2"), pick_choice("hmm")
    (1, 0, 1, None)
    >>> pick_choice("the last one", 5), pick_choice("第三笔", 5), pick_choice("3", 2)
    (4, 2, None)
    """
    clean = normalize_text(text).strip(" .!?。！？,，").lower()
    m = _EN_PICK.match(clean) or _ZH_PICK.match(clean)
    if not m:
        return None
    idx = _ORDINALS.get(m.group(1))
    if idx is None:
        return None
    idx = n - 1 if idx == -1 else idx
    return idx if 0 <= idx < n else None


def _content_tokens(text: str, lang: str) -> list[str]:
    tokens = tokenize(text, lang)
    if lang == "zh":  # Chinese: character bigrams and Latin words, not single characters
        return [t for t in tokens if len(t) >= 2 and not t.isdigit()]
    return [t for t in tokens if not t.isdigit() and len(t) > 1]


class DomainVocabulary:
    """The words of the bank's articles (and any extra texts), to measure how much of a message is
    banking talk.

    Examples
    --------
    >>> vocab = DomainVocabulary(["Fees for international transfers"], lang="en")
    >>> vocab.share("what is the fee for an international transfer?", "en")
    1.0
    >>> vocab.share("what's the weather", "en")
    0.0
    """

    def __init__(self, texts: Iterable[str], *, lang: str | None = None,
                 texts_by_lang: Mapping[str, Iterable[str]] | None = None) -> None:
        self._words: dict[str, set[str]] = {}
        groups = dict(texts_by_lang or {})
        if lang is not None:
            groups[lang] = list(texts)
        for code, group in groups.items():
            words = self._words.setdefault(code, set())
            for t in group:
                words.update(_content_tokens(t, code))

    def share(self, text: str, lang: str) -> float:
        """Share of the message's content words found in the vocabulary (1.0 when it has none);
        for Chinese, the share of its Han characters inside a known character bigram."""
        words = self._words.get(lang, set())
        if lang == "zh":
            han = "".join(_HAN.findall(normalize_text(text)))
            if len(han) < 2:
                return 1.0
            covered = [False] * len(han)
            for i in range(len(han) - 1):
                if han[i : i + 2] in words:
                    covered[i] = covered[i + 1] = True
            return sum(covered) / len(han)
        tokens = _content_tokens(text, lang)
        if not tokens:
            return 1.0
        return sum(t in words for t in tokens) / len(tokens)
