"""What is not Loom Bank business even though it sounds like banking: other companies' products
(other banks, card issuers, wallets, buy-now-pay-later, brokers, 余额宝/花呗), cards that are not
payment cards (gift, loyalty, transit, SIM cards; 公交卡, 会员卡), and money subjects the bank has
no say in (tax rules, insurance shopping, shop and restaurant arithmetic, landlords and deposits)."""

from __future__ import annotations

import re

from finloom.apps.customer_service._lang import spaced_text

__all__ = ["is_outside_money_subject", "names_other_company", "names_other_product"]

# banks and card issuers: their name alone may be a place a payment went ("a transfer to my HSBC
# account" is still about that company), so a product of theirs is named by name + product noun
_BANKS_EN = (
    r"barclays|barclaycard|hsbc|lloyds|halifax|natwest|santander|nationwide|tsb|metro bank|monzo|starling|"
    r"revolut|wise(?= (?:account|card|transfer|app|business|fees?|balance))|transferwise|"
    r"chase(?! (?:up|it|them|this|that|the|my|a|down|after)\b)|jp ?morgan|citi(?:bank)?|wells fargo|"
    r"bank of america|capital one|amex|american express|discover card|marcus|goldman sachs|ally bank|n26|"
    r"chime|standard chartered|ubs|credit suisse|deutsche bank|bnp paribas")
_BANKS_ZH = (r"招商银行|招行|工商银行|工行|建设银行|建行|中国银行|农业银行|农行|交通银行|浦发|中信银行|平安银行|民生银行|"
             r"兴业银行|光大银行|华夏银行|广发银行|邮储|邮政储蓄|微众银行|网商银行")
# products that are another company whole: wallets, pay-later, brokers and exchanges, 余额宝
_PRODUCTS_EN = (
    r"paypal|venmo|zelle|cash ?app|klarna|afterpay|clearpay|laybuy|alipay|wechat ?pay|apple card|"
    r"apple pay cash|oyster|coinbase|binance|kraken|robinhood|etoro|trading ?212|vanguard|fidelity|hargreaves lansdown")
_PRODUCTS_ZH = (r"支付宝|微信(?:支付|零钱|钱包|红包|提现|转账|里的钱|余额)|财付通|零钱通|理财通|余额宝|花呗|借呗|白条|"
                r"京东金融|微粒贷|美团月付|抖音月付|网商贷")
# shops and services, and subjects the bank gives no advice on
_OTHERS_EN = (r"tesco|amazon|ebay|netflix|uber|bitcoin|btc|ethereum|crypto\w*|dogecoin|the stock market|"
              r"stocks? to buy|which stock|nasdaq|s&p")
_OTHERS_ZH = r"淘宝|京东|拼多多|美团|比特币|加密货币|股票|基金经理|人民币(?:汇率)?(?:明年|未来)|炒股"
# cards that pay for nothing at Loom Bank: gift, loyalty, transit, phone and membership cards
_NON_BANK_CARD = (
    r"\b(?:gift|store|loyalty|membership|points|oyster|transit|metro|subway|bus|rail|library|sim|sd|memory|gym|"
    r"parking|nectar|e-?gift) ?cards?\b|\b(?:clubcard|railcard|gift vouchers?|gift certificates?|store credit|"
    r"(?:bus|travel|rail|metro|subway|tube|train) pass(?:es)?|season tickets?|"
    r"(?:nectar|clubcard|loyalty|store|supermarket|boots|starbucks|coffee shop) points)\b"
    r"|公交卡|交通卡|地铁卡|一卡通|羊城通|八达通|购物卡|礼品卡|储值卡|会员卡|积分卡|加油卡|饭卡|校园卡|电话卡|手机卡|"
    r"sim ?卡|健身卡|社保卡|医保卡|购物券|代金券|礼券|优惠券")

_OTHER_COMPANY = re.compile(
    rf"\b(?:{_BANKS_EN}|{_PRODUCTS_EN}|{_OTHERS_EN})\b|{_BANKS_ZH}|{_PRODUCTS_ZH}|{_OTHERS_ZH}|{_NON_BANK_CARD}", re.I)
_PRODUCT_NOUN = r"(?:credit |debit |savings? |current )?(?:cards?|accounts?|app|loans?|overdraft|mortgage|points|balance)"
_OTHER_PRODUCT = re.compile(
    rf"\b(?:{_PRODUCTS_EN})\b|{_PRODUCTS_ZH}|{_NON_BANK_CARD}"
    rf"|\b(?:{_BANKS_EN})(?:'s)?\s+(?:\w+\s+){{0,2}}{_PRODUCT_NOUN}\b|\bmy (?:\w+ )?(?:{_BANKS_EN})\b"
    rf"|(?:{_BANKS_ZH}).{{0,4}}(?:卡|账户|贷款|额度|积分)"
    rf"|\b(?:{_BANKS_EN})\s*(?:的)?\s*(?:信用卡|借记卡|卡|账户|账号|贷款|额度|积分)|我的\s*(?:{_BANKS_EN})\b", re.I)
_RECOMMEND = re.compile(r"\brecommend\b|\bwhat'?s the best\b|\bwhich (?:brand|phone|laptop|app)\b|推荐|哪个牌子|什么牌子|哪款",
                        re.I)
_OWN_PRODUCT = re.compile(r"\b(?:loom|your|accounts?|cards?|loans?|deposits?|mortgage|savings?|saver)\b|"
                          r"你们|贵行|织锦|账户|信用卡|借记卡|贷款|存款|理财|定期", re.I)


def names_other_company(text: str) -> bool:
    """True when the message is about another company's products, a card that is not a payment
    card, or investments the bank does not advise on (always out of scope, however bank-like the
    words).

    Examples
    --------
    >>> names_other_company("how do I open an account with HSBC?"), names_other_company("支付宝限额多少")
    (True, True)
    >>> names_other_company("my gym card stopped working"), names_other_company("饭卡里还有多少钱")
    (True, True)
    >>> names_other_company("which lender is cheapest for a car loan?"), names_other_company("which of your cards is best?")
    (True, False)
    >>> names_other_company("what is the fee for an international transfer?")
    False
    >>> names_other_company("can you chase up my refund?"), names_other_company("is it wise to fix my rate?")
    (False, False)
    """
    clean = spaced_text(text)
    if _RECOMMEND.search(clean) and not _OWN_PRODUCT.search(clean):
        return True  # "recommend a budgeting app": a product the bank does not sell
    if _SHOPPING_AROUND.search(clean) and not _SHOPPING_OWN.search(clean):
        return True  # "which bank pays the most interest?": the market, not Loom Bank
    return bool(_OTHER_COMPANY.search(clean))


def names_other_product(text: str) -> bool:
    """True when the card, account, wallet or loan the message is about belongs to another company
    ("my Amex card", "the points card from the supermarket", 余额宝, 公交卡): no Loom Bank task can
    act on it, however task-like the verbs ("lost", "how much is left"). A shop merely named as
    where a payment went is not another company's product.

    Examples
    --------
    >>> names_other_product("someone stole my Monzo card"), names_other_product("我的会员卡丢了")
    (True, True)
    >>> names_other_product("我的Monzo卡被偷了"), names_other_product("帮我冻结debit card")
    (True, False)
    >>> names_other_product("Amazon charged me twice"), names_other_product("freeze my debit card")
    (False, False)
    """
    return bool(_OTHER_PRODUCT.search(spaced_text(text)))


# shopping around the market ("the best cashback card out there", 哪家银行利息高): the bank speaks for
# its own products only
_SHOPPING_AROUND = re.compile(
    r"\b(?:best|cheapest|top|highest|lowest|most generous)\b.{0,40}\b(?:on the market|out there|in the "
    r"(?:uk|us|country|city))\b|\bwhich (?:banks?|providers?|lenders?|card issuers?|building societ(?:y|ies)) (?:has|have|offers?|"
    r"gives?|pays?|is|are|does|do|should|would|will|charges?)\b|"
    r"\bcompare (?:banks|lenders|providers|credit cards|current accounts)\b"
    r"|(?:哪家|哪个|哪些)银行.{0,10}(?:最|好|高|低|便宜|划算|靠谱|推荐)|市面上.{0,10}(?:最|哪)|(?:哪家|哪个平台)(?:的)?.{0,6}(?:利率|利息|收益|年费)", re.I)
_SHOPPING_OWN = re.compile(r"\b(?:loom|your|you)\b|你们|贵行|织锦", re.I)
# how much tax the state takes: the bank's own tax documents and interest are Loom business
_TAX_RULES = re.compile(
    r"\b(?:income|stamp duty|property|council|inheritance|capital gains|road|sales|land|dividend|corporation|"
    r"vat|gift) tax(?:es)?\b|\b(?:stamp duty|vat|gst)\b|\btax (?:office|bracket|band|code|return|rebate|refund|allowance|"
    r"relief|rates?|credits?|authorit(?:y|ies))\b|\b(?:hmrc|irs|tax ?man|self[- ]assessment)\b|"
    r"\btax(?:ed)? (?:on|for) (?:my |a |an |the |our )?(?:\w+ )?(?:bonus|salary|wages|pay ?rise|house|home|flat|"
    r"property|inheritance|pension|dividends?|side hustle|rental income|tips|car)\b|\bhow much tax\b"
    r"|房产税|契税|印花税|个人所得税|个税|增值税|遗产税|车船税|(?:交|缴|扣)多少税|(?:怎么|如何)(?:交|缴|算|计算)税|"
    r"税(?:怎么|如何)(?:算|交|缴|计算)|报税|退税|汇算清缴|专项附加扣除|税率|税务局", re.I)
_TAX_OWN = re.compile(r"\b(?:interest|savings?|saver|deposits?|accounts?|statements?|certificates?|documents?|"
                      r"residen(?:cy|t)|crs|loom|your bank)\b|利息|存款|账户|证明|税务文件|居民|对账单|流水|你们|贵行",
                      re.I)
# shopping for insurance: the bank's deposit protection, or cover on its own cards, is its business
_INSURANCE = re.compile(
    r"\b(?:car|motor|home|house|contents|buildings|travel|life|health|medical|dental|pet|phone|gadget|van|"
    r"bike|landlord|renters?|critical illness|income protection) (?:insurance|cover)\b|\binsurers?\b|"
    r"\binsurance (?:quotes?|premiums?|polic(?:y|ies)|compan(?:y|ies)|providers?|brokers?)\b"
    r"|车险|保险公司|(?:买|选)(?:什么|哪个|哪家|哪种)?保险|寿险|医疗险|意外险|重疾险|保费|社保|医保|养老保险", re.I)
_INSURANCE_OWN = re.compile(r"\b(?:deposit (?:insurance|protection)|loom|you|your|cards?|accounts?)\b|存款保险|你们|贵行|"
                            r"信用卡|借记卡|账户", re.I)
# arithmetic of everyday spending (a price with a discount, a tip, a bill to split)
_SHOP_MATHS = re.compile(
    r"\b\d+(?:\.\d+)?\s*(?:%|percent|per cent) (?:off|discount)\b|\b(?:discount|sale price) of \D{0,3}\d|\bsplit (?:the|a|this|our) (?:bill|check|tab|cost)\b|\bhow much (?:should|do|to) (?:i |we )?tip\b|"
    r"\btip (?:on|for) (?:a |the |our )?(?:bill|meal)\b|\bwhat'?s \d+(?:\.\d+)?\s*(?:%|percent) of \d"
    r"|打[一二三四五六七八九\d](?:\.\d)?折|(?<![一\d])[二三四五六七八九]折(?!腾)|折后|原价|AA制|平摊|小费", re.I)
# renting a home: what a landlord or tenant may do is not the bank's business
_TENANCY = re.compile(r"\b(?:landlord|landlady|letting agent|tenancy|tenants?)\b|房东|租客", re.I)
_TENANCY_OWN = re.compile(r"\b(?:loom|your bank|account|card|standing order|direct debit|transfer|statement)\b|"
                          r"账户|转账|银行", re.I)


# each outside subject with the words that make the same subject the bank's own business (None: never)
_OUTSIDE_SUBJECTS: tuple[tuple[re.Pattern[str], re.Pattern[str] | None], ...] = (
    (_TAX_RULES, _TAX_OWN), (_INSURANCE, _INSURANCE_OWN), (_SHOP_MATHS, None), (_TENANCY, _TENANCY_OWN))


def is_outside_money_subject(text: str) -> bool:
    """True for money talk that is not the bank's business: how tax is worked out, which insurer
    to pick, the price after a discount or how to split a bill, what a landlord may do.

    Examples
    --------
    >>> is_outside_money_subject("how is capital gains tax worked out on shares?")
    True
    >>> is_outside_money_subject("do I pay tax on my savings interest?")
    False
    >>> is_outside_money_subject("cheapest pet insurance for a puppy?"), is_outside_money_subject("二手房契税多少")
    (True, True)
    >>> is_outside_money_subject("trainers at 80 with 25% off, what's the price?")
    True
    >>> is_outside_money_subject("is my money covered by deposit insurance?")
    False
    """
    clean = spaced_text(text)
    return any(subject.search(clean) and not (own and own.search(clean)) for subject, own in _OUTSIDE_SUBJECTS)
