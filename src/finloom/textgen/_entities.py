"""Entity names in text: the facts' entities with their aliases and short forms, and other names.

A name that is no fact's entity (another index, a bank the facts do not cover) is returned with a
value starting with ``"?"`` so that the guard can flag a number attributed to it.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence

from finloom.textgen._descriptors import MEASURE_KEYS
from finloom.textgen._extract import Mention, find_mentions
from finloom.textgen._facts import FactSet
from finloom.textgen._lexicon import PAIR_QUOTE_WORDS
from finloom.textgen._pairs import other_pairs, pair_set
from finloom.textgen._siblings import class_siblings, family_names, names_in, swapped_middles

__all__ = ["EntityIndex", "short_forms"]

# Names of the same thing; when a fact names one of them, all are its aliases.
ALIAS_GROUPS: tuple[tuple[str, ...], ...] = (
    ("沪深两市", "两市", "沪深两市场", "A股两市", "沪深两所"),
    ("S&P 500", "S&P", "SPX", "标普500", "标普500指数", "标普"),
    ("Nasdaq Composite", "Nasdaq", "NASDAQ", "纳斯达克", "纳斯达克综合指数", "纳指", "IXIC"),
    ("Nasdaq 100", "NDX", "纳斯达克100"),
    ("Dow Jones", "Dow", "DJIA", "Dow Jones Industrial Average", "道琼斯", "道指", "道琼斯工业平均指数"),
    ("Hang Seng", "Hang Seng Index", "HSI", "恒生指数", "恒指", "恒生"),
    ("Hang Seng Tech", "恒生科技指数", "恒生科技"),
    ("CSI 300", "沪深300", "沪深300指数"),
    ("CSI 500", "中证500", "中证500指数"),
    ("Shanghai Composite", "SSE Composite", "上证指数", "上证综指", "沪指", "上证"),
    ("Shenzhen Component", "深证成指", "深成指"),
    ("ChiNext", "创业板指", "创业板指数", "创业板"),
    ("STAR 50", "科创50"),
    ("Nikkei 225", "Nikkei", "日经225", "日经指数", "日经"),
    ("FTSE 100", "FTSE", "Footsie", "富时100", "富时100指数"),
    ("DAX", "德国DAX", "DAX指数"),
    ("CAC 40", "法国CAC40", "CAC40"),
    ("Euro Stoxx 50", "欧洲斯托克50"),
    ("Russell 2000", "罗素2000"),
    ("KOSPI", "韩国综合指数"),
    ("Brent", "Brent crude", "布伦特原油", "布伦特", "布油"),
    ("WTI", "WTI crude", "West Texas Intermediate", "美油", "WTI原油"),
    ("Gold", "gold", "黄金", "金价", "现货黄金"),
    ("Silver", "silver", "白银"),
    ("Copper", "copper", "铜", "铜价"),
    ("Bitcoin", "BTC", "比特币"),
    ("USD/CNY", "USDCNY", "USD/CNH", "美元兑人民币", "美元兑离岸人民币", "美元兑在岸人民币", "人民币兑美元",
     "在岸人民币", "离岸人民币", "人民币汇率", "yuan", "renminbi", "onshore yuan", "offshore yuan"),
    ("EUR/USD", "EURUSD", "欧元兑美元", "euro", "the single currency"),
    ("USD/JPY", "USDJPY", "美元兑日元", "yen", "日元"),
    ("GBP/USD", "GBPUSD", "英镑兑美元", "sterling", "pound", "cable"),
    ("EUR/CNY", "EURCNY", "欧元兑人民币"),
    ("USD/HKD", "USDHKD", "美元兑港元"),
    ("US Dollar Index", "DXY", "美元指数"),
    ("US 10-year Treasury", "10-year Treasury", "美国10年期国债", "美债"),
)
# measures of the whole exchange, said of 沪深两市 when the facts name no entity
_MARKET_WIDE = re.compile(r"turnover|trading value|成交|两融|融资余额")
# Countries: another country's figure is a wrong entity, but only when the facts are about countries.
COUNTRY_GROUPS: tuple[tuple[str, ...], ...] = (
    ("China", "中国", "我国", "Chinese economy"), ("Japan", "日本", "Japanese"),
    ("United States", "US", "U.S.", "America", "美国"), ("United Kingdom", "UK", "Britain", "British", "英国"),
    ("Euro area", "Eurozone", "euro area", "euro zone", "欧元区"), ("Germany", "德国", "German"),
    ("France", "法国", "French"), ("South Korea", "Korea", "韩国"), ("India", "印度"),
    ("Hong Kong", "香港"), ("Canada", "加拿大", "Canadian"), ("Australia", "澳大利亚", "Australian"),
)
# How fact keys spell some groups: "hstech_chg_pct" is the Hang Seng Tech, "hs300_close" the CSI 300.
GROUP_KEYS = {"hstech": "Hang Seng Tech", "hs300": "CSI 300", "zz500": "CSI 500", "sse": "Shanghai Composite",
              "shcomp": "Shanghai Composite", "szcomp": "Shenzhen Component", "ndx": "Nasdaq 100", "djia": "Dow Jones",
              "spx": "S&P 500", "n225": "Nikkei 225", "cac": "CAC 40", "ftse": "FTSE 100"}


def _squash(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


def key_groups(labels: Sequence[str]) -> set[int]:
    """Indices of the alias groups that fact keys name in their own spelling: "sp500_chg" names the
    S&P 500, "shanghai_composite_close" the Shanghai Composite, "hstech" the Hang Seng Tech.

    Examples
    --------
    >>> [ALIAS_GROUPS[k][0] for k in sorted(key_groups(["sp500 chg", "hstech close", "net profit"]))]
    ['S&P 500', 'Hang Seng Tech']
    """
    words = {w for label in labels for w in _label_words(label)}
    out = set()
    for k, group in enumerate(ALIAS_GROUPS):
        spelled = {_squash(g) for g in group if g.isascii() and len(_squash(g)) >= 3}
        spelled |= {key for key, name in GROUP_KEYS.items() if name == group[0]}
        if spelled & words:
            out.add(k)
    return out


def _label_words(label: str) -> set[str]:
    """A key's words, squashed, with each run of two or three ("shanghai composite")."""
    tokens = [_squash(t) for t in re.split(r"[\s_:]+", label) if _squash(t)]
    return {"".join(tokens[i : j]) for i in range(len(tokens)) for j in range(i + 1, min(len(tokens), i + 3) + 1)}


_CURRENCY_NAMES = {"onshore yuan", "offshore yuan", "the single currency", "在岸人民币", "离岸人民币", "cable",
                   "sterling", "pound", "euro", "yen", "yuan", "renminbi"}
_CORP_SUFFIX = re.compile(r"\s*(?:,?\s*(?:plc|ltd\.?|limited|inc\.?|corp\.?|corporation|co\.?|company|group|holdings|"
                          r"s\.?a\.?|ag|n\.?v\.?|llc|& co\.?))+$", re.I)
_TYPE_SUFFIX = re.compile(r"\s+(?:bank|fund|index|composite|securities|insurance|capital|trust|financial|"
                          r"investments?|asset management|partners|bancorp|credit union|building society|"
                          r"wealth|portfolio|etf)$", re.I)
_ZH_SUFFIX = re.compile(r"(?:股份有限公司|有限责任公司|有限公司|集团|控股|股份)$")
_ZH_TYPE = re.compile(r"(银行|基金|证券|保险|人寿|财险|信托|指数|资管|理财|期货|分行|支行|国债|国开债|债券)$")
_TENOR_EN = re.compile(r"\b(\d{1,2})[- ]?(?:year|yr|y)\b", re.I)
_TENOR_ZH = re.compile(r"(\d{1,2})年期")
_GEO_QUALIFIER = re.compile(r"^(?:US|U\.S\.|UK|EU|China|China's|Chinese|Japan|Hong Kong|HK|Global|LME|COMEX|CME|"
                            r"ICE|NYMEX|SHFE|Spot|Euro[- ]area|Eurozone)\s+|^(?:上期所|大商所|郑商所|中金所|上金所|广期所|"
                            r"港交所|国内|沪|COMEX|LME)(?=[\u4e00-\u9fff])", re.I)
_INDEX_PROVIDER = re.compile(r"(?:MSCI|Bloomberg|ICE BofA|ICE|J\.?P\.? ?Morgan|Markit|iBoxx|Stoxx|FTSE|Hang Seng|S&P|Dow Jones)\s+")
_INDEX_NAME = re.compile(r"\b(?:MSCI|FTSE|Stoxx|STOXX|Russell|Bloomberg|S&P)\s[A-Z][\w&-]*(?:\s[A-Z][\w&-]*)?")
_GENERIC_FIRST = {"the", "bank", "first", "national", "china", "new", "global", "asset", "fund", "capital",
                  "city", "united", "royal", "general", "great", "international", "american", "british",
                  "chinese", "hong", "us", "uk", "eu", "european", "asian", "pacific", "west", "east",
                  "north", "south", "central", "mr", "ms", "mrs", "dr", "my", "our", "your", "total", "net"}
_COUNTRY_WORDS = {"china", "us", "uk", "eu", "japan", "germany", "france", "canada", "australia", "india", "korea",
                  "euro area", "eurozone", "hong kong", "singapore", "brazil", "mexico", "italy", "spain"}
_ORG_EN = re.compile(
    r"\b(?:[A-Z][A-Za-z&'’.-]*\s){1,4}(?:Bank|Fund|Securities|Capital|Group|Holdings|Insurance|Trust|Index|"
    r"Composite|Financial|Partners|Bancorp|Investments|Asset Management|Credit Union|Building Society|"
    r"Wealth|ETF|plc|Ltd|Inc)\b(?!\s+of\s+[A-Z])")  # "The Bank" of "The Bank of England" is no name
_ORG_ZH = re.compile(r"[^\W\d_的年月日您我你他她其中以来在为和与及或是了起至到截止今本该此各每全新老大小据对向从由被将把给较比同跟"
                     r"一二三四五六七八九十季度]"
                     r"[^\W\d_的年月日您我你他她其在为和与及或是了起各季度]{1,5}?(?:银行|基金|证券|保险|人寿|财险|信托|集团|控股|农商行|城商行|支行|分行)")
_NOT_ORG = re.compile(r"^(?:[两三四五六七八九几多各每这那该本我贵]家|上述|其他|其余|国有|股份制|大型|中小|手机|网上|电子|个人|私人|投资|商业|中央|直销|开放式|指数|货币|债券|混合|股票|理财|养老|"
                      r"人寿|财产|健康|互联网|数字|移动|村镇|外资|政策性)")
# "The Group", "Our Bank": a report's word for its own company, not another one's name
_SELF_REFERENCE = re.compile(r"(?:The|Our|This|Its)\s+(?:Group|Bank|Fund|Holdings|Insurance|Trust|Financial|plc)", re.I)
_SHARE_CLASS = re.compile(r"(.+?)(?:\s+Fund)?\s+(?:Class\s+)?([A-Z])|([\u4e00-\u9fff]{2,}?)([A-Z])")
# Words that contain a name without meaning it: 现金价值 (cash value) is not 金价 (the gold price).
_NOT_A_NAME = ("现金价值", "黄金周", "黄金期", "黄金时间", "黄金时代")
_ZH_SURNAME = set("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤欧")


_PAIR_NAME = re.compile(r"([A-Z]{3})\s?[/-]?\s?([A-Z]{3})")
_CNY_FORMS = ("人民币", "在岸人民币", "离岸人民币")


def _distinct_words(name: str, others: Sequence[str]) -> list[str]:
    """The word that sets a name apart from a sibling it contains: "core" for "US core CPI" next to "US CPI"."""
    words = name.split()
    out = []
    for other in others:
        rest = [w for w in words if w.lower() not in {x.lower() for x in other.split()}]
        # "US core CPI" beside "US CPI"; "the five-year equivalent" of two mortgage rates one word apart
        same_length = len(words) == len(other.split())
        country = same_length and (re.fullmatch(r"[A-Z]{2,3}", rest[0] if rest else "") is not None
                                   or (rest[0].lower() if rest else "") in _COUNTRY_WORDS)  # "UK CPI" beside "US CPI"
        if other != name and len(rest) == 1 and (same_length or len(words) == len(other.split()) + 1) \
                and (country or len(rest[0]) >= 3 and rest[0].replace("-", "").isalpha()
                     and rest[0].lower() not in _GENERIC_FIRST) and rest[0] not in out:
            out.append(rest[0])
    return out


def _sibling_heads(name: str, others: Sequence[str]) -> list[str]:
    """The part that tells siblings with a common tail apart: "3-month" for "3-month TD" beside
    "6-month TD" — a writer lists "4.6% (3-month), 4.85% (6-month)" or says "the 6-month".

    Examples
    --------
    >>> _sibling_heads("3-month TD", ["3-month TD", "6-month TD", "Bonus saver"])
    ['3-month']
    >>> _sibling_heads("US CPI", ["US CPI", "UK CPI"])
    []
    """
    words = name.split()
    out = []
    for k in range(1, len(words)):
        tail = [w.lower() for w in words[-k:]]
        siblings = [o.split() for o in others if o != name and [w.lower() for w in o.split()[-k:]] == tail
                    and len(o.split()) > k]
        if not siblings:
            continue
        head = " ".join(words[:-k])
        heads = {" ".join(s[:-k]).lower() for s in siblings}
        if head.lower() in heads or not re.search(r"\d", head) or len(head) < 2:
            continue  # only tenor-like heads ("3-month", "12M"): a bare "US" or "Global" names nothing
        if not any(_word_in(head, o) for o in others if o != name):
            out.append(head)
        break
    return out


_KIND_WORDS = {"tracker", "etf", "trust", "fund", "bond", "note", "notes", "card", "loan", "mortgage", "account",
               "saver", "isa", "deposit", "index", "portfolio", "insurer", "lender", "bank", "reit"}


def _the_kind(name: str, others: Sequence[str]) -> list[str]:
    """"the tracker" for the one entity whose name ends in a kind word no other entity shares.

    Examples
    --------
    >>> _the_kind("Lighthouse S&P 500 Tracker", ["Lighthouse S&P 500 Tracker", "Beacon US Large Cap Fund"])
    ['the tracker']
    >>> _the_kind("Beacon Fund", ["Beacon Fund", "Apex Fund"])
    []
    """
    last = name.split()[-1].lower() if name.split() else ""
    if last not in _KIND_WORDS or any(o != name and o.split() and o.split()[-1].lower() == last for o in others):
        return []
    return [f"the {last}"]


_SEGMENT_TAIL = {"book", "books", "portfolio", "segment", "business", "division", "unit", "lending"}


_ZH_SURVEY = re.compile(r"^(\S{2,6}?)(?:中国)?(?:制造业|服务业|非制造业|综合)(PMI|采购经理指数)$")


def _survey_short(name: str) -> list[str]:
    """"财新PMI" for 财新制造业PMI: the survey's brand with the index, the sector left to the context.

    Examples
    --------
    >>> _survey_short("财新制造业PMI"), _survey_short("官方制造业PMI"), _survey_short("Harbor Bank")
    (['财新PMI'], ['官方PMI'], [])
    """
    m = _ZH_SURVEY.match(name.strip())
    return [m.group(1) + m.group(2)] if m else []


def _segment_forms(name: str) -> list[str]:
    """What a writer calls a loan book or business line: "cards" and "credit cards" for "Credit card book",
    "mortgages" for "Mortgage book".

    Examples
    --------
    >>> _segment_forms("Credit card book")
    ['Credit card', 'Credit cards', 'cards']
    >>> _segment_forms("Harbor Bank")
    []
    """
    words = name.split()
    if len(words) < 2 or words[-1].lower() not in _SEGMENT_TAIL or not all(w.isalpha() for w in words[:-1]):
        return []
    head = " ".join(words[:-1])
    plural = head if head.endswith("s") else head + "s"
    out = [head, plural]
    if len(words) > 2 and len(words[-2]) >= 4:
        out.append(plural.split()[-1])
    return out


def pair_names(name: str) -> list[str]:
    """How a writer names a currency pair: "GBP/CNY" is 英镑兑人民币 (or 人民币兑英镑) and GBPCNY.

    Examples
    --------
    >>> pair_names("GBP/CNH")[:4]
    ['GBPCNH', 'GBP/CNH', 'GBP-CNH', '英镑兑人民币']
    >>> pair_names("Harbor Bank")
    []
    """
    m = _PAIR_NAME.fullmatch(name.strip().upper())
    if not m:
        return []
    codes = [m.group(1), m.group(2)]
    zh = [list(_CNY_FORMS) if c in ("CNY", "CNH") else
          [w for w in PAIR_QUOTE_WORDS.get(c, ()) if len(w) >= 2 and not w.isascii()] for c in codes]
    if not all(zh):
        return []
    out = [f"{codes[0]}{codes[1]}", f"{codes[0]}/{codes[1]}", f"{codes[0]}-{codes[1]}"]
    out += [f"{a}兑{b}" for a in zh[0] for b in zh[1]] + [f"{b}兑{a}" for a in zh[0] for b in zh[1]]
    return out


def short_forms(name: str) -> list[str]:
    """Short forms a writer uses for an entity: without corporate and type suffixes, the first
    distinctive word, a person's surname with a title, 招行-style bank abbreviations.

    Examples
    --------
    >>> short_forms("Harbor Bank plc")
    ['Harbor Bank', 'Harbor']
    >>> short_forms("招商银行股份有限公司")
    ['招商银行', '招商', '招行']
    >>> short_forms("王芳")[:3]
    ['王女士', '王先生', '王总']
    """
    out: list[str] = []
    original = name
    bare = re.sub(r"\s*[（(][^）)]*[）)]\s*", "", name).strip()  # "原油(SC)主力" → "原油主力"
    if bare and bare != name:
        out.append(bare)  # "Global Tech Fund (USD)" → "Global Tech Fund"
        inner = re.search(r"[（(]([^）)]*)[）)]", name)
        if inner and re.fullmatch(r"[A-Z][a-z]+(?: [A-Za-z]+)?", inner.group(1).strip()):
            out.append(f"{inner.group(1).strip()} {bare[:1].lower()}{bare[1:]}")  # "Coffee (Arabica)" → "Arabica coffee"
        name = bare
    base = _CORP_SUFFIX.sub("", name).strip()
    zh = _ZH_SUFFIX.sub("", base)
    if zh != base:
        base = zh
    if base != name:
        out.append(base)
    typed = _TYPE_SUFFIX.sub("", base).strip()
    if typed and typed != base and len(typed) >= 3:
        out.append(typed)
    words = typed.split()
    if len(words) >= 2 and words[0].lower() not in _GENERIC_FIRST and len(words[0]) >= 4 and words[0][0].isupper() \
            and not _INDEX_PROVIDER.fullmatch(words[0] + " "):  # "MSCI" alone names no index: "MSCI China" is another
        out.append(words[0])
    if len(words) >= 3 and all(w[:1].isupper() for w in words[:2]) and words[0].lower() not in _GENERIC_FIRST:
        out.append(" ".join(words[:2]))  # "Wye Valley UK Equity" → "Wye Valley"
    provider = _INDEX_PROVIDER.match(base)
    if provider and len(base[provider.end():].split()) >= 2:
        out.append(base[provider.end():])  # "MSCI Emerging Markets" → "Emerging Markets"
        family = _TYPE_SUFFIX.sub("", base[provider.end():]).strip()
        if len(family.split()) >= 2:
            out.append(family)  # "Hang Seng China Enterprises Index" → "China Enterprises"
    commodity = re.fullmatch(r"(?:[A-Za-z]+\s)*([A-Za-z]{4,})\s(?:futures|spot|prices?|contract)", base, re.I)
    if commodity and commodity.group(1).lower() not in _GENERIC_FIRST:
        out.append(commodity.group(1))  # "Arabica coffee futures" → "coffee"
    unqualified = _GEO_QUALIFIER.sub("", base)
    if unqualified != base and len(unqualified) >= 3:
        out.append(unqualified)  # "US bond funds" → "bond funds", "LME copper" → "copper"
    full = base.split()
    if len(full) >= 3 and _TYPE_SUFFIX.search(base) and full[-2].lower() not in _GENERIC_FIRST:
        out.append(" ".join(full[-2:]))  # "Hang Seng TECH Index" → "TECH Index"
        out.append(" ".join(full[1:]))  # "Apex Global Income Fund" → "Global Income Fund"
        if len(full) >= 4 or len(full[-2]) >= 4:
            out.append(" ".join(full[1:-1]))  # "Crescent Asia Income Fund" → "Asia Income"
    m = _ZH_TYPE.search(base)
    if m and len(base) - len(m.group(1)) >= 2:
        stem = base[: -len(m.group(1))]
        out.append(stem)
        if m.group(1) == "银行":
            out.append(stem[0] + "行")
    tenor = _TENOR_EN.search(name)
    if tenor:  # "US 10-year Treasury yield": "the 10-year", "10-year yield", "10y"
        n = tenor.group(1)
        out += [f"{n}-year", f"{n}y"] + ([f"{n}-year yield"] if "yield" in name.lower() else [])
    if re.fullmatch(r"[\u4e00-\u9fff]{5,6}", base) and not _ZH_TYPE.search(base):
        out.append(base[0] + base[2])  # 社会融资规模 → 社融, 消费者信心指数 is typed and keeps its stem
    tenor = _TENOR_ZH.search(name)
    if tenor:  # "30年期国债收益率": 30年期, 30年期国债, 30年国债
        n = tenor.group(1)
        out += [f"{n}年期"] + ([f"{n}年期国债", f"{n}年国债"] if "国债" in name else [])
    contract = re.fullmatch(r"([\u4e00-\u9fff]{2,4})(?:主力(?:合约)?|期货|连续合约)", base)
    if contract:  # "沪铝主力" is 沪铝 once the contract has been named
        out.append(contract.group(1))
    tail = re.search(r"(?:尾号|ending(?: in)? )\s?\d{3,4}", name)
    if tail:
        out.append(tail.group(0))  # "尾号3318信用卡" is "尾号3318的卡片"
    share_class = _SHARE_CLASS.fullmatch(name)
    if share_class:  # "Evergreen Balanced Fund C": "Evergreen Balanced C", "the C class", "C shares"
        if share_class.group(1):
            stem, letter = share_class.group(1), share_class.group(2)
            out += [f"{stem} {letter}", f"{letter} class", f"class {letter}", f"{letter} shares", f"{letter}-class"]
        else:
            letter = share_class.group(4)
            out += [f"{letter}类份额", f"{letter}类", f"{letter}份额"]
    if re.fullmatch(r"[\u4e00-\u9fff]{2,3}", name) and name[0] in _ZH_SURNAME:
        out += [name[0] + t for t in ("女士", "先生", "总", "经理")] + ["小" + name[0], "老" + name[0]]
    parts = name.split()
    if len(parts) == 2 and all(p[:1].isupper() and p.isalpha() for p in parts):
        out += [f"{t} {parts[1]}" for t in ("Mr", "Ms", "Mrs", "Dr", "Mr.", "Ms.", "Mrs.", "Dr.")]
    seen: dict[str, None] = {}
    for s in out:
        if s and s != original:
            seen.setdefault(s, None)
    return list(seen)


_MERCHANT_KEY = re.compile(r"merchant|payee|biller|store|shop|retailer|商户|商家", re.I)
_SPENT_AT_ZH = re.compile(r"在([\u4e00-\u9fffA-Za-z]{2,10}?)(?:消费|购物|刷卡|支付|付款|扣款|下单)")
_NOT_MERCHANT = re.compile(r"^(?:[本该此我贵各多其他不同境海国线网当外]|手机|超市|商场|餐厅|便利店|加油站|医院|门店|店内|商户|平台|"
                           r"App|APP|app|全年|今年|上月|本月|当月)")
_LEAD_WORDS = {"the", "at", "in", "for", "dear", "from", "by", "and", "with", "our", "your", "my", "of", "on", "to",
               "a", "an", "its", "their", "while", "but", "since", "after", "before", "when", "if", "unlike", "both",
               "as", "than", "so", "also", "whereas"}


def _swapped_word(hit: str, entity: str) -> bool:
    """Whether a name is the entity's with one of its middle words swapped for another: "Lotus China
    Equity Fund" beside "Lotus Asia Equity Fund" (a word added or left out is the same name).

    Examples
    --------
    >>> _swapped_word("Lotus China Equity Fund", "Lotus Asia Equity Fund")
    True
    >>> _swapped_word("At Lotus Equity Fund", "Lotus Asia Equity Fund"), _swapped_word("Harbor Bank Group", "Harbor Bank plc")
    (False, False)
    """
    def words(name: str) -> list[str]:
        out = [re.sub(r"['’]s$", "", w).lower() for w in _CORP_SUFFIX.sub("", name).split()]
        while out and out[0] in _LEAD_WORDS:
            out.pop(0)
        return out

    mine, theirs = words(hit), words(entity)
    if len(mine) < 3 or len(theirs) < 3 or mine[0] != theirs[0] or mine[-1] != theirs[-1]:
        return False
    return bool(set(mine) - set(theirs)) and bool(set(theirs) - set(mine))


@functools.lru_cache(maxsize=4096)
def _word_in(word: str, name: str) -> bool:
    """Whether ``word`` stands as a whole word inside ``name`` (case-insensitive)."""
    return word.lower() in name.lower() and \
        re.search(rf"(?<![A-Za-z]){re.escape(word)}(?![A-Za-z])", name, re.I) is not None


class EntityIndex:
    """Finds entity names of a fact set (and names of other entities) in text.

    Examples
    --------
    >>> from finloom.textgen import Fact
    >>> idx = EntityIndex(FactSet([Fact("a", 1.0, entity="S&P 500"), Fact("b", 2.0, entity="Harbor Bank")]))
    >>> [(m.text, m.value) for m in idx.find("The SPX fell, the Nasdaq rose, Harbor and Seaview Bank held.")]
    [('SPX', 'S&P 500'), ('Nasdaq', '?Nasdaq Composite'), ('Harbor', 'Harbor Bank'), ('Seaview Bank', '?Seaview Bank')]
    """

    def __init__(self, facts: FactSet, extra_aliases: Mapping[str, Sequence[str]] | None = None) -> None:
        names: list[tuple[str, str]] = []
        fact_entities = facts.entities()
        lowered = {e.lower(): e for e in fact_entities}
        exact: set[int] = set()
        grouped: set[str] = set()  # entities that are a known group's member (恒生科技指数)
        for e in fact_entities:
            surfaces = {*facts.aliases(e), *(extra_aliases or {}).get(e, ()), *short_forms(e), *pair_names(e),
                        *_distinct_words(e, fact_entities),
                        *_sibling_heads(e, fact_entities), *_the_kind(e, fact_entities), *_segment_forms(e), *_survey_short(e)}
            for k, group in enumerate(ALIAS_GROUPS):
                if any(g.lower() in {s.lower() for s in surfaces} for g in group):
                    surfaces.update(group)
                    exact.add(k)
                    grouped.add(e)
            names += [(s, e) for s in surfaces]
        owners: dict[str, set[str]] = {}
        for surface, e in names:
            owners.setdefault(surface.lower(), set()).add(e)
        # "Crescent" for three Crescent funds names none of them in particular: "~" marks the choice
        names = [(surface, e if len(owners[surface.lower()]) == 1 or surface.lower() in lowered
                  else "~" + "|".join(sorted(owners[surface.lower()]))) for surface, e in names]
        for e in fact_entities:  # "LME copper", "Brent crude futures": a group named inside the entity
            for k, group in enumerate(ALIAS_GROUPS):
                if k not in exact and any(_word_in(g, e) for g in group if len(g) >= 3):
                    names += [(g, e) for g in group if len(g) >= 2]
                    exact.add(k)
        claimed = {s.lower() for s, _ in names}
        currency_words = {w for words in PAIR_QUOTE_WORDS.values() for w in words} | _CURRENCY_NAMES
        # a fact id repeats its entity: 恒生 inside 恒生科技指数 is no metric named after the Hang Seng
        labels = " ".join(f"{f.label} {f.id.replace(f.entity, ' ') if f.entity and f.entity in grouped else f.id}".lower()
                          .replace("/", "") for f in facts)
        keyed = key_groups([f.label or "" for f in facts])
        for k, group in enumerate(ALIAS_GROUPS):
            if k in keyed or any(len(g) >= 2 and (re.search(rf"(?<![a-z]){re.escape(g.lower().replace('/', ''))}(?![a-z])", labels)
                                    if g.isascii() else g in labels) for g in group):
                continue  # "gold_reserves", "usdcny_close": the name is one of the facts' metrics
            if k == 0 and not fact_entities and _MARKET_WIDE.search(labels):
                continue  # 沪深两市成交额 of a bare "turnover_yuan": the whole market is what turnover is of
            if not any(g.lower() in claimed or g.lower() in lowered for g in group):
                # "5 billion yuan" names a currency, not the USD/CNY rate: only pair names count here
                names += [(g, "?" + group[0]) for g in group if len(g) >= 2 and g.lower() not in currency_words]
        countries = [k for k, g in enumerate(COUNTRY_GROUPS)
                     if any(x.lower() == e.lower() or x.lower() in {a.lower() for a in facts.aliases(e)}
                            for e in fact_entities for x in g)]
        # "indicator": "Japan CPI yoy": the facts are about one country though no entity says so
        described = [t for _, t in facts.descriptors]
        owner = fact_entities[0] if len(fact_entities) == 1 else None
        measures = [t for k, t in facts.descriptors if k.lower() in MEASURE_KEYS]  # not a merchant's "China Eastern"
        named = [] if countries or len(fact_entities) > 1 else \
            [k for k, g in enumerate(COUNTRY_GROUPS) if any(names_in(x, t) for x in g for t in measures)]
        for k, group in enumerate(COUNTRY_GROUPS):
            canonical = next((e for e in fact_entities if e.lower() in {x.lower() for x in group}), None)
            if canonical:
                names += [(x, canonical) for x in group]
            elif countries:
                names += [(x, "?" + group[0]) for x in group if len(x) >= 2]
            elif len(named) == 1:  # "us" in "call us" is no country: short codes only name the facts' own
                names += [(x, owner or group[0]) for x in group] if k in named else \
                    [(x, "?" + group[0]) for x in group if len(x) >= 3 or not x.isascii()]
        if len(fact_entities) <= 1:  # a personal loan beside the facts' car loan, 公司金融 beside 零售金融
            own = [*fact_entities, *described]
            names += [(s, "?" + member if not mine else owner or "") for s, mine, member in family_names(own, [f.label for f in facts])
                      if s.lower() not in claimed and (owner or not mine)]  # no entity: "France's PMI" is France's
        names += [(s, "?" + other) for s, other in class_siblings([*fact_entities, *described])
                  if s.lower() not in claimed]
        self.names = names
        # "在永辉超市消费" when the facts' merchant is 盒马鲜生: a place of spending the facts do not name
        self.own_zh = [n for n in {*fact_entities, *described} if len(n) >= 5]
        self.measures = {t.lower() for t in measures}
        self.countries = {x.lower() for g in COUNTRY_GROUPS for x in g}
        # EUR/JPY beside the facts' USD/JPY, when every figure is some pair's (not a "cny per 100jpy" too)
        self.own_pairs = pair_set([*fact_entities, *described]) if all(f.entity for f in facts) else set()
        self.merchants = [t for k, t in facts.descriptors if _MERCHANT_KEY.search(k) and re.search(r"[\u4e00-\u9fff]", t)] \
            if len(fact_entities) <= 1 else []  # a Chinese text may write an English merchant in Chinese
        self.org_facts = any(_ORG_EN.search(e) or _ORG_ZH.search(e) or _TYPE_SUFFIX.search(e) or _INDEX_NAME.search(e)
                             for e in fact_entities)

    def find(self, text: str) -> list[Mention]:
        """Known and unknown entity mentions, non-overlapping, in text order."""
        blocked = [(w, "") for w in _NOT_A_NAME if w in text]
        found = [m for m in find_mentions(text, self.names + blocked) if m.value]
        taken = [False] * len(text)
        for known in found:
            taken[known.start : known.end] = [True] * (known.end - known.start)
        for pattern in (_ORG_EN, _ORG_ZH, _INDEX_NAME) if self.org_facts else ():  # another bank only matters among banks
            for hit in pattern.finditer(text):
                if pattern is _ORG_EN and any(taken[hit.start() : hit.end()]):
                    inside = [m for m in found if hit.start() <= m.start and m.end <= hit.end()]
                    cut = [m for m in found if m.start < hit.end() and hit.start() < m.end and m not in inside]
                    values = {m.value for m in inside}
                    if len(values) == 1 and not cut and _swapped_word(hit.group(0), next(iter(values))):
                        found = [m for m in found if m not in inside]  # "Lotus China Equity Fund" beside Lotus Asia's
                        found.append(Mention(hit.start(), hit.end(), hit.group(0), "?" + hit.group(0)))
                    continue
                if not any(taken[hit.start() : hit.end()]) and not _NOT_ORG.match(hit.group(0)) and \
                        not _SELF_REFERENCE.fullmatch(hit.group(0).strip()):
                    name = hit.group(0).strip()
                    found.append(Mention(hit.start(), hit.start() + len(name), name, "?" + name))
                    taken[hit.start() : hit.end()] = [True] * (hit.end() - hit.start())
        for pair in other_pairs(text, self.own_pairs, taken):
            found.append(pair)
            taken[pair.start : pair.end] = [True] * (pair.end - pair.start)
        for name in self.own_zh:  # 恒远价值混合 beside the facts' 恒远成长混合
            for a, b in swapped_middles(name, text):
                if not any(taken[a:b]):
                    found.append(Mention(a, b, text[a:b], "?" + text[a:b]))
                    taken[a:b] = [True] * (b - a)
        for hit in _SPENT_AT_ZH.finditer(text) if self.merchants else ():
            place = hit.group(1)
            if not any(taken[hit.start(1) : hit.end(1)]) and not _NOT_MERCHANT.match(place) and \
                    not any(place.lower() in m.lower() or m.lower() in place.lower() for m in self.merchants):
                found.append(Mention(hit.start(1), hit.end(1), place, "?" + place))
        return _qualified(sorted(found, key=lambda m: m.start), text, self.measures, self.countries)


def _qualified(found: list[Mention], text: str, measures: set[str], countries: set[str]) -> list[Mention]:
    """Drop the facts' measure named right after another country ("German retail sales" of euro-area
    facts): the country, not the measure, says whose figure it is.

    Examples
    --------
    >>> ms = [Mention(0, 6, "German", "?Germany"), Mention(7, 19, "retail sales", "euro area")]
    >>> [m.text for m in _qualified(ms, "German retail sales fell", {"retail sales"}, {"german"})]
    ['German']
    """
    out: list[Mention] = []
    for m in found:
        prev = out[-1] if out else None
        if prev is not None and prev.value.startswith("?") and prev.text.lower() in countries and \
                m.text.lower() in measures and re.fullmatch(r"\s*(?:'s|’s|的)?\s*", text[prev.end : m.start]):
            continue
        out.append(m)
    return out
