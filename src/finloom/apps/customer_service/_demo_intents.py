"""The demo workspace's ``bank_intents`` table: the assistant's seed messages plus phrasings composed
from a few parts per intent, in English and Chinese, so a classifier trained on it in the workbench
is sensible (the seeds alone are ~25 short messages per intent, half of them Chinese).

Every message is written here by finloom; no customer data.
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np

__all__ = ["demo_intents_table"]

# intent -> (openers, cores, closers) per language; a message is opener + core + closer
_EN: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "freeze_card": (("", "please ", "can you ", "I need to ", "how do I "),
                    ("freeze my card", "block my debit card", "lock my credit card", "put a temporary hold on my card",
                     "stop my card working for now", "disable my card until I find it"),
                    ("", " please", " right now", " temporarily")),
    "lost_card": (("", "help, ", "I think ", "oh no, "),
                  ("I lost my card", "my card was stolen", "someone stole my wallet with my card",
                   "I can't find my bank card", "my debit card is missing", "I left my card somewhere"),
                  ("", " yesterday", " what should I do", " and need a new one")),
    "dispute_transaction": (("", "hi, ", "I want to report that "),
                            ("there is a charge I don't recognise", "I was charged twice", "I want to dispute a payment",
                             "a merchant took money I never authorised", "this transaction on my statement is wrong",
                             "I need a refund for a charge I did not make"),
                            ("", " on my account", " last week", " please look into it")),
    "check_balance": (("", "please ", "can you ", "I'd like to "),
                      ("check my balance", "tell me how much money I have", "show my account balance",
                       "see what's left in my current account", "know my available balance"),
                      ("", " please", " today", " right now")),
    "recent_transactions": (("", "please ", "can you ", "I'd like to "),
                            ("show my recent transactions", "list my last payments", "see my latest spending",
                             "show what I spent this week", "view my transaction history"),
                            ("", " please", " for this month", " on my card")),
    "human_agent": (("", "please ", "I want to ", "can I "),
                    ("talk to a human", "speak to a real person", "get a customer service agent",
                     "be transferred to a staff member", "talk to someone who is not a bot"),
                    ("", " please", " now", " right away")),
    "complaint": (("", "honestly, ", "I have to say "),
                  ("I want to make a complaint", "your service is terrible", "I'm very unhappy with the bank",
                   "the staff at your branch were rude", "I want to file a formal complaint"),
                  ("", " and I'm furious", " this is unacceptable", " again")),
    "greeting": (("", "", "well "),
                 ("hi", "hello", "hey there", "good morning", "good afternoon", "hello, is anyone there"),
                 ("", "!", " :)")),
    "goodbye": (("", "ok ", "great, "),
                ("bye", "goodbye", "that's all, thanks", "see you later", "thanks, I'm done", "have a nice day"),
                ("", "!", " bye")),
    "faq": (("", "can you tell me ", "I'd like to know "),
            ("what are your opening hours", "how much does an international transfer cost", "what is the savings rate",
             "how do I open an account", "what is the daily ATM withdrawal limit", "how long does a transfer take"),
            ("", "?", " please")),
}
_ZH: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "freeze_card": (("", "请", "麻烦", "我想"),
                    ("冻结我的卡", "把我的银行卡冻结", "临时锁定我的卡", "暂停我的信用卡", "挂起我的借记卡", "先把卡冻上",
                     "锁一下卡", "停用这张卡", "关闭卡片的交易功能", "卡可能被盗用了，先冻结"),
                    ("", "，谢谢", "，马上", "一下")),
    "lost_card": (("", "糟了，", "不好意思，"),
                  ("我的卡丢了", "我的银行卡被偷了", "我找不到我的卡了", "钱包和卡都丢了", "我的借记卡不见了", "卡弄丢了",
                   "我要挂失", "信用卡遗失了", "卡落在外面了", "包被抢了，卡在里面"),
                  ("", "，怎么办", "，昨天丢的", "，要补办")),
    "dispute_transaction": (("", "你好，", "我要反映"),
                            ("有一笔扣款我不认识", "我被重复扣款了", "我要对一笔交易提出异议", "商户盗刷了我的卡",
                             "账单上有一笔交易不对", "有一笔不是我消费的款项", "扣错钱了", "退款一直没到账",
                             "卡被盗刷了", "金额扣多了"),
                            ("", "，请核实", "，要退款", "，上周发生的")),
    "check_balance": (("", "请", "帮我", "我想"),
                      ("查一下余额", "查询账户余额", "看看我还有多少钱", "查我的活期余额", "看一下可用余额", "卡里还剩多少",
                       "账户里有多少钱", "余额是多少"),
                      ("", "，谢谢", "吧", "一下")),
    "recent_transactions": (("", "请", "帮我", "我想"),
                            ("查看最近的交易", "列出我最近的消费", "看看这个月的交易记录", "查一下最近几笔付款", "看看我的流水",
                             "最近的账单", "上周的支出", "近期的转账记录"),
                            ("", "，谢谢", "吧", "明细")),
    "human_agent": (("", "请", "我要", "能不能"),
                    ("转人工", "找人工客服", "和真人说话", "让客服人员接听", "转接人工服务", "不要机器人", "找个工作人员",
                     "请人工处理"),
                    ("", "，谢谢", "，马上", "吧")),
    "complaint": (("", "说实话，", "我必须说，"),
                  ("我要投诉", "你们的服务太差了", "我对银行非常不满", "网点员工态度很差", "我要正式投诉", "太失望了",
                   "柜员很不耐烦", "问题一直拖着没人管"),
                  ("", "，太气人了", "，无法接受", "！")),
    "greeting": (("", "", "嗯，"),
                 ("你好", "您好", "早上好", "下午好", "哈喽", "在吗", "嗨", "晚上好", "有人在吗"),
                 ("", "！", "～")),
    "goodbye": (("", "好的，", "行，"),
                ("再见", "拜拜", "就这样吧，谢谢", "没有别的问题了", "谢谢，再会", "祝你愉快", "没事了", "谢谢帮忙",
                 "今天就到这"),
                ("", "！", "，拜拜")),
    "faq": (("", "请问", "想了解一下"),
            ("营业时间是几点", "跨境汇款手续费多少", "储蓄利率是多少", "怎么开户", "每天取款限额是多少", "转账多久到账",
             "贷款利率多少", "怎么修改密码", "附近有没有网点", "信用卡怎么申请"),
            ("", "？", "呢")),
}


def _compose(parts: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]], per_intent: int,
             rng: np.random.Generator) -> list[tuple[str, str]]:
    rows = []
    for intent, (openers, cores, closers) in parts.items():
        messages = sorted({(a + b + c).strip() for a, b, c in itertools.product(openers, cores, closers)})
        chosen = rng.choice(len(messages), size=min(per_intent, len(messages)), replace=False)
        rows += [(messages[i][0].upper() + messages[i][1:] if messages[i][0].isascii() else messages[i], intent)
                 for i in sorted(chosen)]
    return rows


def _is_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def demo_intents_table(lang: str = "en", per_intent: int = 40, *, random_state: int = 0) -> Any:
    """Labelled customer messages (``text``, ``label``) in ``lang`` ("en" or "zh"): the seeds in that
    language plus ``per_intent`` composed messages per intent, without duplicates.

    The two languages are separate tables. The bundled MiniLM encoder reads English only, so a
    classifier trained on the Chinese one puts hashed character n-grams beside its vectors by
    itself (``char_ngrams="auto"``): 0.875 / 0.933 on two frozen held-out sets of fresh Chinese
    messages against 0.525 / 0.517 without (``python -m benchmarks.intents_zh``). A Chinese or
    multilingual encoder (``FINLOOM_ENCODER_PATH``) can still be used.

    Examples
    --------
    >>> table = demo_intents_table("zh", 10)
    >>> list(table.columns), table["label"].nunique(), table["text"].is_unique
    (['text', 'label'], 10, True)
    >>> "我的卡丢了" in set(table.loc[table["label"] == "lost_card", "text"])
    True
    >>> any(_is_chinese(t) for t in demo_intents_table("en", 10)["text"])
    False
    """
    import pandas as pd

    from finloom.apps.customer_service._intents import load_seed_intents

    rng = np.random.default_rng(random_state)
    seeds = [(t, label) for label, texts in load_seed_intents().items() for t in texts if _is_chinese(t) == (lang == "zh")]
    rows = seeds + _compose(_ZH if lang == "zh" else _EN, per_intent, rng)
    return pd.DataFrame(rows, columns=["text", "label"]).drop_duplicates("text").reset_index(drop=True)
