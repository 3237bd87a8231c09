"""Lexical cues the dialogue manager trusts over the intent model: unambiguous phrasings of the
conversation intents (greeting, goodbye, complaint) and of the tasks ("put a temporary block on my
card", 帮我锁卡), banking vocabulary (a message naming the bank's products is never out of scope),
off-topic subjects and other companies' products (always out of scope, see ``_other_products``) and list
references inside a sentence
("dispute payment 4", 第三笔)."""

from __future__ import annotations

import re

from finloom.apps.customer_service._about_bot import (
    asks_about_assistant,
    without_assistant_question,
)
from finloom.apps.customer_service._lang import spaced_text
from finloom.apps.customer_service._other_products import (
    is_outside_money_subject,
    names_other_company,
)
from finloom.apps.customer_service._question_forms import (
    asks_about_consequences,
    asks_about_procedure,
    without_lead_in,
)

__all__ = ["asks_to_act", "cue_intent", "is_angry", "names_task_action", "is_off_topic", "list_reference", "mentions_banking", "names_other_company",
           "refers_back"]

_GREETING = re.compile(
    r"^(?:hi|hiya|hey|heya|hello|hallo|yo|howdy|good (?:morning|afternoon|evening|day)|greetings|morning|"
    r"mornin'?|evenin'?|afternoon|g'?day|"
    r"你好|您好|哈喽|嗨|喂+|早上好|下午好|晚上好|在吗|在不在)(?:\s*(?:there|again|team|all|bot|loom(?: bank)?))?"
    r"(?:[\s,，!！.。~:)(]*(?:hope you'?re (?:well|good|doing well)|how are you(?: doing)?|how'?s it going|"
    r"在吗|在不在|你好|您好|啊|呀|哦|呢))*[\s,，!！.。~:)(?？]*$", re.I)
_GOODBYE = re.compile(
    r"(?:^|[\s,，.。!！])(?:bye|byebye|bye-bye|goodbye|good bye|see (?:ya|you)(?: later)?|cya|ttyl|"
    r"take care|have a (?:good|nice) (?:day|one)|that'?s (?:all|it)(?: for (?:now|today))?|"
    r"that'?s (?:all|everything|it) i (?:needed|wanted|need|was after)(?: to know)?|"
    r"nothing else|all (?:good|set|done|sorted)(?:,? thanks?)?|thanks?,? (?:that'?s all|bye)|"
    r"good ?night|night night|nighty night|gn|晚安|"
    r"再见|拜拜|拜|88|回见|下次见|就这样|没事了|没有了|没别的了)[\s,，.。!！~:)]*(?:then|now|for now|thanks?|thank you|thx|ta|cheers|"
    r"谢谢|谢啦)?[\s,，.。!！~:)]*$"
    r"|^(?:(?:ok(?:ay)?|k|kk|alright|all right|great|perfect|cool|lovely|brilliant|awesome|好的|好|行|嗯)[, ，]*)?(?:thanks?|thank (?:you|u)|thx|ty|cheers|many thanks|"
    r"谢谢|谢啦|谢了|多谢|感谢)"
    r"(?:\s*(?:so much|a lot|again|very much|for (?:the|your|all the|all your) help|您|你|啦|了))*[\s,，.。!！~:)]*$",
    re.I)
_COMPLAINT = re.compile(
    r"\b(?:complain\w*|complaint|unacceptable|not acceptable|disgrace\w*|disgusting|appalling|"
    r"terrible service|awful service|worst bank|rude|gone downhill|nobody helped|no one helped|"
    r"very disappointed|so disappointed|(?:worst|terrible|awful|horrible|shocking|poor|bad) (?:service|"
    r"experience|customer service|support))\b"
    r"|投诉|态度(?:很|非常|太|极其)?(?:差|恶劣|不好)|效率(?:太|真)?低|没人(?:接|管|理)|破银行|什么破|太差劲|垃圾银行|"
    r"不满意|差评|太失望", re.I)
_HUMAN = re.compile(
    r"\b(?:actual|real) (?:human|person)\b|\bsomeone (?:who (?:is|isn'?t)|that'?s) (?:not )?a? ?(?:bot|"
    r"machine|human|real)|\b(?:talk|talking|chat|chatting|speak|speaking) (?:to|with) (?:a |an )?"
    r"(?:person|human)\b|\bnot (?:a |the )?(?:bot|machine|robot)\b"
    r"|(?:不想|不要)(?:跟|和)?机器人|找个(?:真)?人|找人工|真人客服|活人"
    r"|^(?:an? )?(?:operator|agent|human|representative|live agent|人工|客服|人工服务)(?: please| pls|!)?$", re.I)
_FREEZE = re.compile(
    r"\b(?:freez\w*|lock|block|suspend|pause|disable|deactivate|put (?:a )?(?:temp(?:orary)? )?(?:hold|"
    r"block|stop) on|stop (?:my|the|this|that) (?:\w+ )?card|stop (?:all |any |new )?(?:card )?(?:payments|"
    r"transactions|purchases) (?:on|from|with)|(?<!keep )(?<!keeps )(?:want|need|like|get|have|keep) (?:it|them|both(?: of them| cards)?|"
    r"(?:my|the|this|that) (?:\w+ )?cards?)(?: \w+){0,2} (?:blocked|locked|frozen|suspended|paused|stopped|disabled|deactivated)"
    r"(?! (?:by|because|for no)\b))\b|冻结|冻上|冻住|冻起来|冻一下|冻了|冻卡|锁(?:一下|住|上|掉)?卡|卡.{0,4}锁(?:一下|住|上|掉|起来)|把.{0,8}锁(?:了|上|住|起来|一下)|(?:先|暂时|临时)锁|锁一下|锁住|"
    r"停用|停一下|停掉|临时(?:停|止)|止付|冻(?:一下|下)?(?:我的|那张|这张|另一张)?(?:借记卡|信用卡|储蓄卡|卡)",
    re.I)
_LOST = re.compile(
    r"\b(?:lost|stolen|stole|nicked|pinched|pickpocket\w*|robbed|mugged|can'?t find|cannot find|thief|thieves|"
    r"snatched|(?:took|grabbed|swiped) my (?:purse|wallet|bag|handbag|backpack|cards?)|"
    r"gone for good|dropped (?:it|my)|(?:gone|went) missing|it'?s gone|lost track of|report (?:it|my card|a card) (?:as )?(?:lost|stolen))\b"
    r"|挂失|丢了|丢失|丢在|丢到|弄丢|不见了|掉在|被偷|被盗|偷了|遗失|找不到|报失", re.I)
_DISPUTE = re.compile(
    r"\b(?:dispute|challenge|contest|reverse|reversed|refund me|charged (?:me )?twice|double[- ]charged|"
    r"(?:charged|billed|debited|took) (?:me |the money |it )?(?:twice|double|two times)|"
    r"charged (?:me )?double|overcharg\w*|wrong charge|charged (?:me )?too much|never (?:bought|ordered|made)|didn'?t (?:buy|make|authori[sz]e)|"
    r"charged me \d+ instead|wrong amount|amount (?:doesn'?t|does not|didn'?t) match|don'?t recogni[sz]e|"
    r"not my (?:purchase|payment|transaction))\b"
    r"|争议|申诉|异议|重复扣|扣了(?:我)?两次|扣了?(?:我)?(?:两|2)(?:次|回|遍)|多扣|扣错|不是我(?:本人)?(?:花|消费|买|刷)|没印象|没买过|金额不对", re.I)
_BALANCE = re.compile(
    r"\b(?:my|current|account|check|see|show|what'?s|whats)\b.{0,25}\bbalances?\b|\bbalances?\s*(?:please|pls|now)?\s*[?？]?$"
    r"|\bhow much (?:money |cash |funds )?(?:do i have|have i got|is (?:left|in my)|'?s left|left)|\bwhat'?s left in\b|"
    r"\bhow much\b.{0,25}\b(?:in|on) my (?:accounts?|everyday|saver|savings|current)\b|"
    r"\bam i broke\b|\bmoney (?:do i have|left)\b|\bbalances? (?:check|enquiry|inquiry|update)\b|"
    r"\bwhat (?:i'?ve|i have|have i|i'?ve still) (?:actually |still |really |currently )?got (?:left )?(?:in|across|on) "
    r"(?:my|both)\b|\b(?:left|remaining|sitting) (?:in|across|on) (?:my|both)(?: \w+)? (?:accounts?|everyday|saver|"
    r"savings|current)\b"
    r"|余额(?!宝)|还(?:剩|有)(?:多少)?钱|还剩多少|有多少钱|(?<=[\u4e00-\u9fff])balance", re.I)
_HISTORY = re.compile(
    r"\b(?:my|recent|recently|latest|last few|last \d+|last couple of|everyday|saver|savings?|acc|acct|account)\b.{0,30}\b(?:transactions?|"
    r"history|payments|spending|activity)\b|\b(?:check|show|see|view|list|pull up)\b.{0,15}\b(?:transactions?|payments)\b|\b(?:transactions?|history|payments|activity) (?:on|of|for|in) (?:my|the)\b"
    r"|\bwhere my money (?:went|goes|has gone)\b|\bwhat(?:'?s| has) gone out\b"
    r"|\bwhat (?:have i|did i|i'?ve) (?:been )?(?:spen[dt]|bought|buy|paid|pay)(?:ing)?\b"
    r"|流水|明细|交易记录|(?:看|查)(?:看|一下|下)?(?:记录|账单)|近期交易|最近(?:的)?交易|消费记录|最近(?:的)?(?:付款|消费|支出)|账户(?:的)?交易", re.I)
# a payment said to look wrong without saying how ("one of my payments looks dodgy", 有笔交易不太对)
_PAYMENT_TROUBLE = re.compile(
    r"\b(?:off|odd|weird|strange|wrong|dodgy|fishy|shady|dubious|suspicious|funny|funky|not (?:quite )?right|"
    r"(?:isn'?t|ain'?t|aren'?t) (?:quite )?right|problems?|issues?)\b"
    r"|\b(?:not sure|unsure|confused|puzzled) (?:about|of|by)\b"
    r"|不太对|不对劲|有问题|奇怪|怪怪|不明不白|莫名其妙|看不懂|可疑|蹊跷|异常", re.I)
_LIST_VERB = re.compile(r"\b(?:show|see|check|view|list|pull up|bring up|call up|display|fetch|look at|look over|"
                        r"go through|go over|send)\b|给我看|看看|看一下|查|列出|发我",
                        re.I)
_SPENDING_CONTROL = re.compile(
    r"\b(?:block|stop|disable|turn off|switch off|lock)\s+(?!all\b|any\b|every\w*\b|my\b|the\b|new\b)(?:\w+\s+){1,2}"
    r"(?:payments|transactions|purchases|"
    r"withdrawals|spending)\b|禁止.{0,6}(?:消费|支付|交易)|关闭.{0,6}(?:支付|消费)功能", re.I)
# goods paid for and not received, or money wanted back; a dispute unless a card is what did not come
_NOT_RECEIVED = re.compile(
    r"\b(?:order|parcel|package|items?|goods|products?|purchase|delivery|shoes|clothes|ticket)\b.{0,30}"
    r"\b(?:never|didn'?t|did not|hasn'?t|has not|still not|not yet) (?:arrived?|came|come|turned up|turn up|showed up|"
    r"show up|been delivered|delivered)\b|\b(?:want|like|need) (?:a |my )?(?:refund|money back)\b"
    r"|(?:货|东西|包裹|快递).{0,4}(?:没收到|没到|没寄到|一直没来)|(?:要|想)(?:退款|把钱要回来)", re.I)
_NOT_ME = re.compile(r"\b(?:(?:was|is)n'?t me|not me|(?:is|was)n'?t mine|not mine|never seen (?:it|that|this))\b"
                     r"|不是我(?:的|买的|花的|刷的)?", re.I)
_PAYMENTS = re.compile(r"\b(?:payments?|transactions?|charges?|purchases?)\b|付款|交易|扣款|消费", re.I)
_MONEY_SENT = re.compile(r"\b(?:transfer\w*|sent|send|salary|wages?|deposit\w*)\b|转账|汇款|工资|存款", re.I)
_CARD_CONTEXT = re.compile(r"\bcards?\b|\bdebit\b|\bcredit\b|卡", re.I)
_ACTION_ASK = re.compile(
    r"\b(?:please|pls|plz|can you|could you|would you|i want|i need|i'?d like|i wanna|need to|want to|"
    r"help me|asap|now|immediately|right away|for me|go ahead)\b|帮我|麻烦|请|我要|我想|给我|赶紧|马上|先|一下|吧",
    re.I)
_HOWTO = re.compile(r"^(?:how (?:do|can|does|to|would)|how long|what happens|where (?:do|can)|is it possible|"
                    r"should i|do i need to|what if|what (?:does|do|will|would) (?:it|that|this|they|you) (?:cost|charge)|"
                    r"how much (?:does|do|will|would) (?:it|that|this|they|you)|"
                    r"what (?:should|do|can|would) (?:i|we) do)\b"
                    r"|\b(?:what'?s|what is) the difference\b|\bdifference between\b"
                    r"|怎么(?!回事)|如何|怎样|多久|能不能.*吗|会不会|什么时候|多长时间|几天"
                    r"|(?:有)?(?:什么|啥)(?:区别|不同|差别)|区别(?:是什么|在哪)", re.I)
_BANKING = re.compile(
    r"\b(?:banks?|banking|loom|cards?|debit|credit|accounts?|acct|balance|transfer\w*|payments?|"
    r"pay|paid|charges?|charged|fees?|interest|loans?|mortgage|overdraft|deposit\w*|withdraw\w*|atm|"
    r"pin|statement|savings?|saver|refund\w*|dispute\w*|app|login|log in|password|otp|branch\w*|"
    r"hotline|phone number|contact|money|cash|limit|exchange rate|currency|direct debit|payee|"
    r"transaction\w*|fraud|phishing|scam|wallet|contactless|cheque|check book|opening hours|open(?:ing)? "
    r"times?|salary|tax|insurance|invest\w*|funds?|wealth|instal+ments?|rewards?|points|passport|identity|"
    r"verif\w*|joint|dormant|bereavement|power of attorney|compensation|alerts?|sms|text message|"
    r"spending|purchase\w*|merchant|subscription\w*|abroad|overseas|international|currenc\w*|"
    r"complaint|feedback|dispute|refund|replacement|activate|delivery|unfreeze|frozen|locked out|"
    r"new phone|device|statement\w*|rate|standing orders?|recurring|iban|swift|sort code|chargeback|"
    r"remittance|cashback|payroll)(?:s|es)?\b"  # plurals too: replacements, direct debits
    r"|银行|卡|账户|余额|转账|汇款|付款|扣款|扣费|手续费|费用|年费|利息|贷|房贷|透支|存款|取款|取现|密码|"
    r"验证码|流水|明细|交易|退款|争议|申诉|客服|热线|电话|网点|营业|额度|限额|汇率|外币|外汇|牌价|挂失|冻结|登录|App|app|"
    r"开户|销户|理财|保险|积分|分期|身份|证件|工资|扣款|消费|支出|收入|境外|国外|出国|自动扣|还款|逾期|"
    r"短信|通知|手机|投诉|补偿|赔偿|柜台|存折|支票|到账|收款|汇入",
    re.I)
_EN_ORD = {"first": 1, "1st": 1, "one": 1, "second": 2, "2nd": 2, "two": 2, "third": 3, "3rd": 3,
           "three": 3, "fourth": 4, "4th": 4, "four": 4, "fifth": 5, "5th": 5, "five": 5, "last": -1}
_ZH_ORD = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "最后": -1}
_LIST_REF = re.compile(
    r"\b(?:payment|transaction|charge|purchase|item|number|no\.?|#)\s*(\d|one|two|three|four|five)\b"
    r"|\bthe (first|1st|second|2nd|third|3rd|fourth|4th|fifth|5th|last)\b"
    r"|\b(first|1st|second|2nd|third|3rd|fourth|4th|fifth|5th|last) (?:one|payment|transaction|charge|purchase|"
    r"card|account|item)\b"
    r"|第\s*([1-5一二两三四五])\s*(?:笔|个|张|条|项)|(最后)(?:一)?(?:笔|个|张|条)", re.I)


def _clean(text: str) -> str:
    """Normalised text with a space between Han and Latin runs (see :func:`spaced_text`)."""
    return spaced_text(text)


def _short(text: str, words: int = 9, chars: int = 14) -> bool:
    return len(text.split()) <= words if text.isascii() else len(text) <= chars


def mentions_banking(text: str) -> bool:
    """True when the message uses the bank's vocabulary (cards, accounts, fees, 转账...).

    Examples
    --------
    >>> mentions_banking("what are the fees to send money to the US"), mentions_banking("what's the weather")
    (True, False)
    """
    return bool(_BANKING.search(_clean(text)))


# market predictions and investment advice the bank does not give (about itself it may answer)
_MARKET = re.compile(
    r"\bwill (?:the )?[\w$€£¥]+ (?:go up|go down|rise|fall|drop|crash|recover)\b|\b(?:share|stock) price|"
    r"\b(?:good|safe|smart|wise) (?:buy|investment|time to buy)\b|\bworth (?:buying|investing)\b|"
    # a buy/sell call on one named stock ("should I buy Nvidia shares?"), not a plan for savings
    r"\bshould (?:i|we) (?:buy|sell|dump|short|offload) (?:some |more |any |my )?(?!any\b|some\b)[a-z][\w.&-]+ "
    r"(?:shares|stock)\b|"
    r"会(?:涨|跌|贬值|升值|崩)|涨吗|跌吗|值得买|能买吗|该不该买|股价", re.I)
_OWN_BANK = re.compile(r"\b(?:the bank'?s?|your bank'?s?|loom(?: bank)?'?s?|your)\b|贵行|你们银行|织锦", re.I)
_OFF_TOPIC = re.compile(
    # chit-chat about the assistant itself
    r"^(?:so )?(?:who|what) are you\b|\bare you (?:happy|sad|ok|okay|real|alive|bored|single|married|a robot|"
    r"a bot|a person|human|chatgpt|an ai)\b|\bdo you (?:have feelings|like|love|dream|sleep)\b|你是谁|你是机器人|"
    r"你开心|你喜欢|你有感情|你几岁|你叫什么"
    r"|\b(?:what(?:'?s| is)|calculate|compute|how much is)\s+\d+\s*(?:times|plus|minus|divided by|multiplied by|"
    r"[x×*/+÷-])\s*\d+|\d+\s*(?:乘以?|除以|加上?|减去?)\s*\d+|"
    r"\b(?:book|reserve) (?:me |us )?(?:(?!cards?\b|cheques?\b|branch\b)\w+ ){0,3}(?:tables?|flights?|hotels?|taxis?|cabs?|tickets?|rooms?|seats?)\b|\border (?:me )?(?:a |an |some )?"
    r"(?:(?!cards?\b|cheques?\b|statements?\b)\w+ ){0,3}(?:pizzas?|burgers?|sushi|curry|takeaway|kebabs?|coffees?|food|noodles|fries|dinner|lunch|"
    r"breakfast|taxi|cab)\b|\bwho (?:won|is winning|scored)\b|订.{0,10}(?:机票|火车票|高铁票|车票|酒店|门票|电影票)|点外卖|叫外卖|叫(?:个)?车|\b(?:weather|forecast|recipes?|jokes?|novels?|"
    r"headache|flu|fever|medicine|doctor|lawyer|football|basketball|world cup|champions league|movies?|films?|"
    r"songs?|music|lyrics|poem|python|javascript|homework|president|capital of|"
    r"rain(?:s|ing|y)?|snow(?:s|ing|y)?|sunny|sunset|sunrise|sun (?:set|rise)s?|temperature|thunderstorms?|"
    r"tv|telly|tv shows?|series to (?:watch|binge)|shows? to (?:watch|binge|stream)|binge\w*|episodes?|sitcoms?|"
    r"anime|video games?|horoscope|zodiac|celebrit\w*|league|tennis|cricket|golf|olympics|rugby|grand prix|"
    r"your fav(?:ou?rite)?)\b"
    r"|天气|下雨|下雪|气温|刮风|日落|日出|太阳几点|电视剧|综艺|追剧|动漫|星座|菜谱|做菜|笑话|几本.{0,4}书|书籍|头疼|头痛|感冒|发烧|吃什么药|医生|律师|足球|篮球|电影|歌曲|唱歌|写诗|作业|总统|首都", re.I)


def is_off_topic(text: str) -> bool:
    """True for a subject that is never banking (maths, weather, health, sport, films...) or
    another company's products (see :func:`names_other_company`).

    Examples
    --------
    >>> is_off_topic("what's 12 times 7"), is_off_topic("感冒了吃什么药"), is_off_topic("what is my balance")
    (True, True, False)
    """
    clean = _clean(text)
    market = bool(_MARKET.search(clean)) and not _OWN_BANK.search(clean)
    return (market or names_other_company(text) or is_outside_money_subject(text) or asks_about_assistant(text)
            or bool(_OFF_TOPIC.search(clean)))


def list_reference(text: str, n: int) -> int | None:
    """0-based index of a list item named inside a sentence ("dispute payment 4", "the third one
    is wrong", 第三笔), or ``None``.

    Examples
    --------
    >>> list_reference("I want to dispute payment 4 please", 5), list_reference("第三笔不对", 5)
    (3, 2)
    >>> list_reference("the last one", 5), list_reference("freeze my card", 5)
    (4, None)
    """
    m = _LIST_REF.search(_clean(text).lower())
    if not m:
        return None
    raw = next(g for g in m.groups() if g)
    num = int(raw) if raw.isdigit() else _EN_ORD.get(raw, _ZH_ORD.get(raw, 0))
    idx = n - 1 if num == -1 else num - 1
    return idx if 0 <= idx < n else None


_REFERS_BACK = re.compile(r"\b(?:same|instead|rather|again|it|that one)\b|还是|一样|同样|这张|那张|它", re.I)


_ANGRY = re.compile(
    r"\b(?:furious|angry|livid|pissed|useless|ridiculous|fed up|sick of|outrageous|wtf|hopeless|"
    r"pathetic|incompetent|disgrace\w*)\b"
    r"|\b(?:is|are|was|'s|what|such|total|complete|absolute|bloody)\s+(?:a\s+)?(?:total\s+|complete\s+|"
    r"absolute\s+|bloody\s+)?joke\b"  # "this app is a joke", not "tell me a joke"
    r"|\b(?:a farce|waste of (?:my )?time|beyond a joke)\b"
    r"|生气|愤怒|气死|垃圾|废物|受够|无语|太坑|坑人|坑爹|服了你们|(?:真是|真的|实在|简直)(?:受不了|忍不了)|(?:受不了|忍不了)(?:你们|这)|烂透|太烂|离谱|太过分|什么玩意|什么鬼", re.I)


def is_angry(text: str) -> bool:
    """True when the message voices anger at the bank or the assistant (not just a sad event).

    Examples
    --------
    >>> is_angry("this is useless, I'm furious"), is_angry("a thief stole my card")
    (True, False)
    """
    return bool(_ANGRY.search(_clean(text)))


# a clause that asks for an action ("..., freeze the debit card instead", 帮我挂失), not one that
# only tells what happened ("no, the debit one is the one I lost")
_ASKS_TO_ACT = re.compile(
    r"(?:^|[,，.。!！;；:-]\s*)(?:(?:actually|ok|okay|so|then|just|please|pls|no|nah|wait|hmm|well|and|but)[\s,]+)*"
    r"(?:freeze|lock|block|suspend|pause|report|cancel|dispute|challenge|contest)\b"
    r"|\b(?:please|pls|plz|can you|could you|would you|i want to|i'?d like to|i need to|help me|let'?s)\b"
    r"|帮我|帮忙|麻烦|请|给我|我要|我想|替我|你(?:就)?(?:直接)?(?:帮|给)", re.I)


def asks_to_act(text: str) -> bool:
    """True when a clause of the message asks the bank to do something ("freeze it instead",
    帮我挂失信用卡) rather than only saying what happened.

    Examples
    --------
    >>> asks_to_act("hmm, ok, report the credit card then"), asks_to_act("其实被偷了，帮我挂失吧")
    (True, True)
    >>> asks_to_act("no, it's the debit one that was stolen")
    False
    """
    return bool(_ASKS_TO_ACT.search(_clean(text)))


def refers_back(text: str) -> bool:
    """True when a new request points back at what was just discussed ("freeze it instead",
    原因一样, 还是冻结吧), so the values of the task just left may carry over.

    Examples
    --------
    >>> refers_back("I'd rather freeze it instead"), refers_back("还是申诉吧，原因一样"), refers_back("freeze my card")
    (True, True, False)
    """
    return bool(_REFERS_BACK.search(_clean(text)))


def cue_intent(text: str) -> str | None:
    """The intent an unambiguous phrasing names, or ``None`` (the intent model decides).

    How-to questions ("how do I freeze my card?") give no task cue: they are answered.

    Examples
    --------
    >>> [cue_intent(t) for t in ("hiya :)", "ok thanks, bye", "put a temporary block on my debit card")]
    ['greeting', 'goodbye', 'freeze_card']
    >>> [cue_intent(t) for t in ("给我看下交易记录", "how do I freeze my card?", "卡丢了怎么办")]
    ['recent_transactions', None, None]
    """
    clean = _clean(text)
    if _GREETING.match(clean):
        return "greeting"
    if _short(clean) and _GOODBYE.search(clean):
        return "goodbye"
    if _HUMAN.search(without_assistant_question(clean)):
        return "human_agent"
    howto = (bool(_HOWTO.search(without_lead_in(clean))) or asks_about_consequences(clean)
             or asks_about_procedure(clean))
    if _COMPLAINT.search(clean) and not howto:
        return "complaint"
    if howto:
        return None
    if _DISPUTE.search(clean):
        return "dispute_transaction"
    if _NOT_ME.search(clean) and (_LIST_REF.search(clean.lower()) or _PAYMENTS.search(clean)):
        return "dispute_transaction"  # "the third one wasn't me"
    if _NOT_RECEIVED.search(clean) and not _CARD_CONTEXT.search(clean) and not _MONEY_SENT.search(clean):
        return "dispute_transaction"  # paid goods that never came (a card that never came is a question)
    card = bool(_CARD_CONTEXT.search(clean))
    if _SPENDING_CONTROL.search(clean):
        return None  # "block gambling payments on my card": a spending control, not a card freeze
    if _FREEZE.search(clean) and (card or _ACTION_ASK.search(clean) or _REFERS_BACK.search(clean)):
        return "freeze_card"
    if _LOST.search(clean) and (card or re.search(r"\breport|挂失|报失", clean, re.I)):
        return "lost_card"
    if _HISTORY.search(clean) and not (_PAYMENT_TROUBLE.search(clean) and not _LIST_VERB.search(clean)):
        return "recent_transactions"  # "one of my payments looks odd" is vague: clarified, not listed
    if _BALANCE.search(clean):
        return "check_balance"
    return None


_ACTIONS = {"freeze_card": _FREEZE, "lost_card": _LOST, "dispute_transaction": _DISPUTE}
# short Chinese confirmations that repeat the action ("挂吧", "冻吧", "提交吧")
_SHORT_ACTIONS = {"freeze_card": re.compile(r"^冻(?:了|上|住)?吧"), "lost_card": re.compile(r"^挂(?:了|掉)?吧"),
                  "dispute_transaction": re.compile(r"^(?:提交|申诉|提)吧")}


def names_task_action(text: str, name: str) -> bool:
    """True when ``text`` names the action of task ``name`` itself ("freeze it", 挂失吧), e.g. to
    confirm it; no other task may be named.

    Examples
    --------
    >>> names_task_action("那好，冻结", "freeze_card"), names_task_action("report it stolen", "freeze_card")
    (True, False)
    """
    clean = _clean(text)
    pattern, short = _ACTIONS.get(name), _SHORT_ACTIONS.get(name)
    named = bool(pattern and pattern.search(clean)) or bool(short and short.search(clean.strip("，,。 那好就")))
    return named and cue_intent(text) in (None, name)
