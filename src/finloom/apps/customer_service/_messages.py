"""Reply templates in English and Simplified Chinese, and yes/no/cancel detection."""

from __future__ import annotations

import re
from typing import Any

from finloom.apps.customer_service._lang import normalize_text

__all__ = ["choice_label", "is_cancel", "is_no", "is_yes", "say", "task_label"]

_T: dict[str, tuple[str, str]] = {
    "greeting": ("Hello! I'm Loom Bank's virtual assistant. I can answer questions about cards, "
                 "accounts, transfers, fees and loans, freeze or report a card, check your balance "
                 "and dispute a payment. How can I help?",
                 "您好！我是织锦银行智能助手，可以解答银行卡、账户、转账、费用和贷款等问题，也可以帮您冻结或挂失银行卡、"
                 "查询余额和对交易提出争议。请问有什么可以帮您？"),
    "goodbye": ("Thank you for contacting Loom Bank. Goodbye!", "感谢您联系织锦银行，再见！"),
    "dont_know": ("I'm sorry, I don't know the answer to that, and I'd rather not guess. Would you "
                  "like me to connect you with a member of our team? (yes/no)",
                  "抱歉，这个问题我无法确定答案，不想给您错误的信息。需要为您转接人工客服吗？（是/否）"),
    "offer_declined": ("No problem. Is there anything else I can help with?",
                       "好的。还有其他可以帮您的吗？"),
    "unsupported_language": ("Sorry, I can only help in English or Chinese. "
                             "抱歉，目前仅支持中文和英文服务。",
                             "Sorry, I can only help in English or Chinese. "
                             "抱歉，目前仅支持中文和英文服务。"),
    "no_spending": ("You have no recent spending to chart.", "您最近没有支出记录。"),
    "spending_chart": ("Here is your spending by category over {n} payments since {since}: {parts}. Total {total}.",
                       "这是您自 {since} 以来 {n} 笔支出的分类：{parts}。合计 {total}。"),
    "need_login": ("To do that I need you to be signed in to the Loom Bank app. Would you like a "
                   "member of our team to help instead? (yes/no)",
                   "办理该业务需要您先登录织锦银行App。需要为您转接人工客服吗？（是/否）"),
    "handoff_requested": ("I'm connecting you with a member of our team. {why}They will see this "
                          "conversation, so you won't need to repeat yourself. Live chat is staffed "
                          "8:00-22:00 every day.",
                          "正在为您转接人工客服。{why}客服人员可以看到本次对话记录，您无需重复说明。人工在线客服服务时间为每天8:00至22:00。"),
    "why_requested": ("", ""),
    "why_complaint": ("I'm sorry we let you down; your complaint will be recorded and acknowledged "
                      "within 1 business day. ", "非常抱歉给您带来不好的体验，您的投诉将被记录，并在1个工作日内确认受理。"),
    "why_negative_sentiment": ("I'm sorry about the trouble. ", "非常抱歉给您带来困扰。"),
    "why_repeated_failure": ("I'm sorry I couldn't understand. ", "抱歉我没能理解您的问题。"),
    "agent_pending": ("Your message has been passed on; a member of our team will reply here "
                      "shortly.", "您的消息已转交，人工客服将很快在此回复您。"),
    "agent_joined": ("{agent} from Loom Bank has joined the conversation.",
                     "织锦银行客服{agent}已加入对话。"),
    "returned_to_bot": ("The agent has left the conversation. I'm the virtual assistant again; "
                        "how else can I help?", "人工客服已离开对话，智能助手继续为您服务，请问还有什么可以帮您？"),
    "cancelled": ("OK, I've cancelled that. Nothing was changed.", "好的，已取消，未做任何更改。"),
    "not_understood_slot": ("Sorry, I didn't catch that. {prompt}", "抱歉，我没有理解。{prompt}"),
    "pick_card": ("Which card? {options}", "请问是哪张卡？{options}"),
    "pick_account": ("Which account? {options}", "请问是哪个账户？{options}"),
    "pick_transaction": ("Which payment do you want to dispute? {options}",
                         "请问要对哪笔交易提出争议？{options}"),
    "pick_reason": ("What went wrong? 1. I didn't make it  2. Charged twice  3. Goods not received  "
                    "4. Wrong amount  5. Other", "请问是什么问题？1. 非本人交易 2. 重复扣款 3. 未收到商品 4. 金额错误 5. 其他"),
    "no_active_cards": ("I can't find an active card on your profile.", "您名下没有可操作的有效卡片。"),
    "confirm_freeze": ("Shall I freeze your {card}? New card payments and cash withdrawals will be "
                       "blocked until you unfreeze it in the app. (yes/no)",
                       "确认冻结您的{card}吗？冻结后新的刷卡消费和取现将被阻止，直至您在App中解冻。（是/否）"),
    "done_freeze": ("Done: your {card} is frozen. You can unfreeze it in the app under Cards > "
                    "Freeze at any time.", "已完成：您的{card}已冻结。您可随时在App“卡片 > 冻结”中解冻。"),
    "confirm_lost": ("Shall I report your {card} as lost or stolen? It will be cancelled "
                     "permanently and a free replacement with a new number will be posted. (yes/no)",
                     "确认挂失您的{card}吗？挂失后该卡将永久注销，我们将免费补发一张新卡号的卡片。（是/否）"),
    "done_lost": ("Done: your {card} is cancelled. A replacement will arrive in 5 to 7 business "
                  "days; meanwhile you can add a virtual card to your phone wallet. If you see "
                  "payments you don't recognise, tell me and I'll help you dispute them.",
                  "已完成：您的{card}已注销。补发的新卡将在5至7个工作日内送达，期间可在手机钱包中添加虚拟卡。如发现不认识的交易，请告诉我，我会帮您提出争议。"),
    "confirm_dispute": ("Shall I open a dispute ({reason}) for {tx}? (yes/no)",
                        "确认就{tx}提出争议（{reason}）吗？（是/否）"),
    "done_dispute": ("Done: dispute {ref} is open for {tx}. We'll acknowledge it within 2 business "
                     "days; for amounts up to CNY 5,000 you'll get a provisional credit within 10 "
                     "business days while we investigate.",
                     "已完成：已就{tx}提交争议，编号{ref}。我们将在2个工作日内确认受理；5,000元以内的争议将在调查期间于10个工作日内先行垫付临时退款。"),
    "balance": ("Here are your balances: {lines}", "您的账户余额如下：{lines}"),
    "transactions": ("Recent transactions on your {account}: {lines}", "您{account}的近期交易：{lines}"),
    "task_error": ("I couldn't complete that: {error}", "未能完成该操作：{error}"),
    "scope_statement": ("Sorry, that's outside what I can help with: I'm Loom Bank's assistant. I "
                        "can, for example, answer questions about cards, accounts, transfers, fees "
                        "and loans (\"what is the fee for an international transfer?\"), freeze or "
                        "report a lost card, show your balance or recent transactions, and dispute "
                        "a payment. How can I help with your banking?",
                        "抱歉，这超出了我的服务范围：我是织锦银行智能助手。我可以解答银行卡、账户、转账、费用和贷款等问题"
                        "（例如“国际转账手续费是多少？”），帮您冻结或挂失银行卡、查询余额和近期交易，以及对交易提出争议。"
                        "请问有什么银行业务可以帮您？"),
    "resume_reminder": ("{answer}\n\nBack to {task}: {prompt}", "{answer}\n\n我们继续刚才的{task}：{prompt}"),
    "clarify": ("Just to be sure, do you want to: 1. {first}  2. {second}? (reply 1 or 2)",
                "请问您是想：1. {first} 2. {second}？（请回复1或2）"),
    "customer_left_queue": ("OK, I've taken you out of the queue for a person. I'm the virtual "
                            "assistant again; how can I help?",
                            "好的，已为您取消人工转接，智能助手继续为您服务。请问有什么可以帮您？"),
    # tools (issue 26): the assistant calling the bank's other systems
    "tool_market_summary": ("the market summary", "市场概况"),
    "tool_price_chart": ("the price chart", "价格走势图"),
    "tool_risk_profile": ("the risk questionnaire", "风险测评"),
    "tool_portfolio_proposal": ("a portfolio proposal", "投资组合建议"),
    "tool_credit_precheck": ("the credit pre-check", "贷款预审"),
    "tool_application_status": ("your application status", "申请进度查询"),
    "tool_alerts_cases": ("the monitoring cases", "交易监控案件"),
    "tool_dataset_question": ("questions about data tables", "数据表问答"),
    "tool_unavailable": ("Sorry, {tool} isn't available here: this chat is not connected to the bank's systems. "
                         "Please use the Loom Bank app or website for it.",
                         "抱歉，这里无法使用{tool}：本对话未连接银行系统。请通过织锦银行App或网站办理。"),
    "tool_needs_analyst": ("Sorry, I can only open {tool} for bank staff: it needs the analyst role, and this chat "
                           "is signed in with a customer's access.",
                           "抱歉，{tool}仅供银行员工使用，需要分析员（analyst）权限，而本对话使用的是客户权限。"),
    "tool_needs_customer": ("Sorry, I can only use {tool} with a signed-in customer's own data, and this chat has "
                            "no signed-in customer.", "抱歉，{tool}只能查看客户本人的数据，需要客户登录后使用；本对话没有登录的客户。"),
    "tool_resume": ("{answer}\n\nBack to {tool}: {prompt}", "{answer}\n\n继续{tool}：{prompt}"),
    "tool_bad_input": ("Sorry, I couldn't use {tool} with those values ({problems}). Please try again with "
                       "different values.", "抱歉，这些数值无法用于{tool}（{problems}），请换个数值再试。"),
    "tool_failed": ("Sorry, I couldn't complete {tool}: {why}", "抱歉，{tool}未能完成：{why}"),
    "tool_unchecked": ("Sorry, I couldn't check the figures of this answer against the data, so I won't "
                       "send them. Please see the table or ask a member of our team.",
                       "抱歉，这个回答中的数字未能与数据核对一致，因此不予发送。请查看表格或咨询人工客服。"),
}
# what each task is, for reminders ("Back to reporting a lost card: ...") and clarifying choices
_TASK_NAMES: dict[str, tuple[str, str]] = {
    "freeze_card": ("freezing your card", "冻结银行卡"),
    "lost_card": ("reporting a lost or stolen card", "挂失银行卡"),
    "dispute_transaction": ("disputing a payment", "交易争议"),
    "check_balance": ("checking your balance", "查询余额"),
    "recent_transactions": ("your recent transactions", "查询近期交易"),
}
_CHOICES: dict[str, tuple[str, str]] = {
    "freeze_card": ("freeze a card (temporarily)", "临时冻结银行卡"),
    "lost_card": ("report a card lost or stolen", "挂失丢失或被盗的银行卡"),
    "dispute_transaction": ("dispute a payment", "对一笔交易提出争议"),
    "check_balance": ("check your balance", "查询余额"),
    "recent_transactions": ("see recent transactions", "查看近期交易"),
}
_REASONS = {
    "unauthorised": ("I didn't make it", "非本人交易"), "duplicate": ("charged twice", "重复扣款"),
    "not_received": ("goods not received", "未收到商品"), "wrong_amount": ("wrong amount", "金额错误"),
    "other": ("other", "其他"),
}
_YES = re.compile(r"^(?:(?:ok|okay|hm+|um+|well|alright|right|fine|so|great|cool|perfect|then|那|那好)[ ,.!，]+)*"
                  r"(?:(?:yes|y|yeah|yep|yup|ya|yah|yea|yeh|sure|ok|okay|k|kk|fine|alright|all right|sounds good|"
                  r"proceed|submit|confirm|confirmed|please do|go ahead|do it|correct|that'?s right|right|absolutely|"
                  r"definitely|please)\b|(?:是|是的|好|好的|确认|确定|对|对的|没错|没问题|可以|嗯|行|要|需要|提交|办吧|就这样))",
                  re.I)
_NO = re.compile(r"^(?:(?:hm+|um+|ok|okay|well|oh|ah|嗯|哦|呃)[ ,.!，。]+|那(?:就|还是)?[，, ]*|还是)*(?:(?:no|n|nope|nah|don't|do not|"
                 r"not now|no thanks)\b|否|不|不用|不要|不需要|算了|先不|别)", re.I)
_CANCEL = re.compile(
    r"^(?:(?:oh|ok|okay|actually|please|just|no|no thanks|nah|hmm+|um+|ah|erm|well|sorry|wait|on second thoughts?)[ ,]+)*"
    r"(?:cancel|stop|never ?mind|nvm|scrap|forget (?:it|about it|that)|leave (?:it|that|this)(?: one)?"
    r"|leave (?:the|my) (?:debit|credit|everyday|saver|savings)(?: card| one| account)?"
    r"|don'?t bother|no need|skip it|abort|quit|i(?:'ve| have)? changed my mind"
    r"|i don'?t want (?:to(?: do that)?|it) any ?more|hold off(?: on (?:it|that))?|don'?t do (?:it|that)"
    r"|(?:i(?:'ve| have)? )?found it|it(?:'s| is| was) (?:here|back)|it turned up)"
    r"(?: (?:it|that|this|then|please|thanks|the request|for now|now|yet))*$|^(?:cancel|stop) (?:that|this|it|the request|everything)\b"
    r"|^(?:(?:那|那就|还是|我|哦|嗯|哎|唉|嗐|哎呀|呃|啊|不不|不|算了)[，, ]*)*(?:(?:算了)+|不用了|不要了|不需要了|取消|不办了|先不办了|不弄了|先不用|暂时不用"
    r"|先不要|不想办了|(?:先|就|也)?不(?:用|要|必)?(?:冻结?|锁|挂失?|申诉|争议|查|看|办|弄|做|提交?)了|改主意了|(?:又)?找到了|找着了|(?:先|暂时|还是)不(?:用|要)?|(?:先|暂时)?别)(?:了|吧|啦|呀|啊|哈)?"
    r"(?:这个|它|操作|办理|申请|冻结|冻|锁|挂失|挂|申诉|办|弄|吧)?(?:了|吧)?"
    r"(?:[，,。!！ ]*(?:谢谢|谢了|多谢|不好意思|没事了|我再想想|以后再说))*$", re.I)

_ASKS = re.compile(r"[?？]|吗|\b(?:can i|could i|how|what|why|where|when)\b", re.I)  # a question, not a yes
_CLAUSE = re.compile(r"[,，.。!！;；?？]+\s*|\s+-\s+")


def say(key: str, lang: str, **values: Any) -> str:
    """Render template ``key`` in ``lang`` (``en``/``zh``).

    Examples
    --------
    >>> say("agent_joined", "en", agent="Mei")
    'Mei from Loom Bank has joined the conversation.'
    """
    en, zh = _T[key]
    return (zh if lang == "zh" else en).format(**values)


def task_label(name: str, lang: str) -> str:
    """What task ``name`` is, for reminders.

    Examples
    --------
    >>> task_label("lost_card", "zh")
    '挂失银行卡'
    """
    en, zh = _TASK_NAMES.get(name, (name, name))
    return zh if lang == "zh" else en


def choice_label(intent: str, lang: str) -> str:
    """How intent ``intent`` is offered as a choice when the assistant asks which one was meant."""
    en, zh = _CHOICES.get(intent, (intent, intent))
    return zh if lang == "zh" else en


def reason_label(reason: str, lang: str) -> str:
    """Human label of a dispute reason."""
    en, zh = _REASONS[reason]
    return zh if lang == "zh" else en


def _clean(text: str) -> str:
    return normalize_text(text).strip(" .!。！,，")


def is_yes(text: str) -> bool:
    """True for an affirmative reply.

    Examples
    --------
    >>> is_yes("Yes please"), is_yes("好的"), is_yes("no")
    (True, True, False)
    """
    return bool(_YES.match(_clean(text))) and not is_no(text) and not _ASKS.search(text)


def is_no(text: str) -> bool:
    """True for a negative reply (``不用``, ``no thanks``, 那不用了...).

    Examples
    --------
    >>> is_no("那不用了"), is_no("nah, I'm fine"), is_no("那好")
    (True, True, False)
    """
    return bool(_NO.match(_clean(text)))


def is_cancel(text: str) -> bool:
    """True when the customer wants to abandon the current task: the whole message, or one of its
    clauses, says so ("stop, never mind, it was my wife's purchase", 哦找到了，不办了).

    Examples
    --------
    >>> [is_cancel(t) for t in ("never mind", "Forget it!", "算了", "不用了，谢谢", "取消")]
    [True, True, True, True, True]
    >>> is_cancel("I want to stop my card"), is_cancel("how do I cancel a transfer?"), is_cancel("取消转账怎么操作")
    (False, False, False)
    """
    clean = _clean(text).lower()
    if _CANCEL.search(clean):
        return True
    return any(_CANCEL.search(_clean(part)) for part in _CLAUSE.split(clean) if part.strip())
