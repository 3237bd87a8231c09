"""Values the assistant's tools take, read from a message in English or Chinese: amounts (10k,
5万, 1.5m), horizons and loan terms, market periods, asset names (incl. Chinese names), case ids and
case actions, dataset and column names."""

from __future__ import annotations

import re
from collections.abc import Iterable

from finloom.apps.customer_service._lang import normalize_text
from finloom.textgen import parse_chinese_numeral

__all__ = ["ASSETS", "find_amount", "find_assets", "find_case_action", "find_case_id", "find_column",
           "find_dataset", "find_income", "find_period", "find_years"]

# canonical asset -> (English name, Chinese name, lower-case aliases); the first four letters of a
# canonical id are its ticker in the demo data when it has one
ASSETS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "SP500": ("S&P 500", "标普500指数", ("s&p 500", "s&p500", "s & p 500", "s&p", "sp500", "sp 500", "spx",
                                       "standard & poor", "标普500", "标普", "标准普尔")),
    "NASDAQ": ("NASDAQ Composite", "纳斯达克综合指数", ("nasdaq", "纳斯达克", "纳指")),
    "DOW": ("Dow Jones", "道琼斯指数", ("dow jones", "the dow", "djia", "道琼斯", "道指")),
    "WTI": ("WTI crude oil", "WTI原油", ("wti", "crude oil", "crude", "oil price", "oil prices", "oil",
                                        "原油", "油价", "石油")),
    "VIX": ("VIX index", "VIX波动率指数", ("vix", "volatility index", "fear index", "恐慌指数", "波动率指数")),
    "GOLD": ("gold", "黄金", ("gold", "黄金", "金价")),
    "SILVER": ("silver", "白银", ("silver", "白银")),
    "JNJ": ("Johnson & Johnson", "强生", ("johnson & johnson", "johnson and johnson", "jnj", "强生")),
    "KO": ("Coca-Cola", "可口可乐", ("coca-cola", "coca cola", "coke", "可口可乐")),
    "PG": ("Procter & Gamble", "宝洁", ("procter & gamble", "procter and gamble", "p&g", "宝洁")),
    "XOM": ("Exxon Mobil", "埃克森美孚", ("exxon", "exxonmobil", "xom", "埃克森")),
    "JPM": ("JPMorgan Chase", "摩根大通", ("jpmorgan", "jp morgan", "jpm", "摩根大通")),
    "CSI300": ("CSI 300", "沪深300指数", ("csi 300", "csi300", "沪深300", "沪深三百")),
    "SSE": ("Shanghai Composite", "上证指数", ("shanghai composite", "sse composite", "上证指数", "上证综指",
                                             "上证", "a股", "a-shares", "a shares", "沪指")),
    "SZSE": ("Shenzhen Component", "深证成指", ("shenzhen component", "深证成指", "深成指", "深证")),
    "CHINEXT": ("ChiNext", "创业板指", ("chinext", "创业板")),
    "HSI": ("Hang Seng", "恒生指数", ("hang seng", "hsi", "恒生指数", "恒指", "港股")),
    "NIKKEI": ("Nikkei 225", "日经225指数", ("nikkei", "日经")),
    "FTSE": ("FTSE 100", "富时100指数", ("ftse", "富时")),
    "DAX": ("DAX", "德国DAX指数", ("dax",)),
    "USDCNY": ("US dollar / yuan", "美元兑人民币", ("usd/cny", "usdcny", "dollar", "us dollar", "yuan",
                                                "renminbi", "rmb", "美元", "人民币汇率", "人民币", "汇率")),
    "EURUSD": ("euro / US dollar", "欧元兑美元", ("eur/usd", "eurusd", "euro", "欧元")),
    "GBPUSD": ("pound / US dollar", "英镑兑美元", ("gbp/usd", "sterling", "pound", "英镑")),
    "JPY": ("Japanese yen", "日元", ("yen", "日元")),
    "BTC": ("Bitcoin", "比特币", ("bitcoin", "btc", "比特币")),
    "ETH": ("Ether", "以太坊", ("ethereum", "ether", "eth", "以太坊", "以太币")),
    "TREASURY": ("US Treasuries", "美国国债", ("treasury", "treasuries", "bond market", "bonds", "国债", "债市")),
    "MARKET": ("the stock market", "股市", ("stock market", "stock markets", "the market", "the markets",
                                          "stocks", "equities", "股市", "大盘", "美股", "股票市场")),
}
_ALIASES = sorted(((a, k) for k, (_, _, names) in ASSETS.items() for a in names), key=lambda p: -len(p[0]))
_ASCII_WORD = re.compile(r"^[a-z0-9&/ .-]+$")
_TICKER_STOCK = re.compile(r"\b([A-Z]{2,5})\b(?= (?:stock|shares?|share price))|"
                           r"\b([a-z][a-z]+)(?:'s)? (?:stock|shares|share price)\b", re.I)
_NOT_ASSET = frozenset({"my", "the", "some", "buy", "sell", "own", "your", "our", "their", "bank", "preferred",
                        "common", "which", "what", "any", "more", "these", "those", "loom"})


_ALIAS_RX = {a: re.compile(rf"(?<![a-z0-9]){re.escape(a)}(?![a-z0-9])") for a, _ in _ALIASES if _ASCII_WORD.match(a)}


def _has_alias(text: str, alias: str) -> bool:
    rx = _ALIAS_RX.get(alias)
    if rx is not None:
        return alias in text and rx.search(text) is not None
    return alias in text


_CCY = "usd|eur|gbp|cny|rmb|jpy|hkd|aud|cad|chf|nzd|sgd|krw|inr|cnh"
_PAIR = re.compile(rf"(?<![a-z])({_CCY})\s?[/-]?\s?({_CCY})(?![a-z])", re.I)
_KNOWN_PAIRS = {"USDCNY": "USDCNY", "USDRMB": "USDCNY", "USDCNH": "USDCNY", "EURUSD": "EURUSD", "GBPUSD": "GBPUSD",
                "USDJPY": "JPY"}


def _pairs(low: str) -> list[tuple[int, int, str]]:
    """Currency pairs written with ISO codes, as (start, end, canonical id); a pair the demo data has
    keeps its id (``usd/jpy`` → ``JPY``), any other is the two codes joined (``EURCNY``)."""
    out = []
    for m in _PAIR.finditer(low):
        a, b = m.group(1).upper(), m.group(2).upper()
        if a == b:
            continue
        pair = a + b
        out.append((m.start(), m.end(), _KNOWN_PAIRS.get(pair, pair.replace("RMB", "CNY"))))
    return out


def find_assets(text: str) -> list[str]:
    """The assets a message names, in the order they appear (canonical ids, see ``ASSETS``); a
    ticker or name followed by "stock"/"shares" counts too ("ACME shares" → ``"ACME"``).

    Examples
    --------
    >>> find_assets("How is the S&P 500 doing vs gold?"), find_assets("标普和纳指今年表现")
    (['SP500', 'GOLD'], ['SP500', 'NASDAQ'])
    >>> find_assets("show me Tesla stock"), find_assets("my card is blocked")
    (['TESLA'], [])
    >>> find_assets("USD/JPY over last quarter"), find_assets("how has EUR/CNY moved")
    (['JPY'], ['EURCNY'])
    """
    low = normalize_text(text).lower()
    found: dict[str, int] = {}
    taken: list[tuple[int, int]] = []
    for start, end, key in _pairs(low):
        taken.append((start, end))
        found.setdefault(key, start)
    for alias, key in _ALIASES:
        if not _has_alias(low, alias):
            continue
        start = low.find(alias)
        if any(s <= start < e for s, e in taken):
            continue
        taken.append((start, start + len(alias)))
        found.setdefault(key, start)
    for m in _TICKER_STOCK.finditer(normalize_text(text)):
        name = (m.group(1) or m.group(2) or "").upper()
        if name.lower() not in _NOT_ASSET and not any(s <= m.start() < e for s, e in taken):
            found.setdefault(name, m.start())
    return sorted(found, key=lambda k: found[k])


_SCALE = {"k": 1e3, "thousand": 1e3, "m": 1e6, "mn": 1e6, "million": 1e6, "bn": 1e9, "billion": 1e9,
          "万": 1e4, "千": 1e3, "百万": 1e6, "亿": 1e8, "w": 1e4}
_AMOUNT = re.compile(
    r"(?P<cur>[$¥€£]|rmb|cny|usd|hk\$)?\s?(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s?"
    r"(?P<scale>thousand|million|billion|mn|bn|百万|万|千|亿|k\b|m\b|w\b)?", re.I)
_ZH_AMOUNT = re.compile(r"([零〇一二两三四五六七八九十百千万亿点]+)(?:(?=元|块|万|千|的|左右|$|\s|，|。|？|\?)|(?<=[万亿]))")
_YEARS = re.compile(r"(\d+(?:\.\d+)?|[一二两三四五六七八九十半]+)\s?[- ]?(?P<unit>years?|yrs?|y\b|months?|mos?\b|"
                    r"weeks?|年|个月|月|期|周)", re.I)


def _zh_number(raw: str) -> float:
    """A Chinese amount, reading a trailing digit after 万/千/百 as its next place (一万五 = 15,000)."""
    value = parse_chinese_numeral(raw)
    m = re.search(r"([万千百])([一二两三四五六七八九])$", raw)
    if m:
        unit = {"万": 10_000, "千": 1_000, "百": 100}[m.group(1)]
        value += parse_chinese_numeral(m.group(2)) * (unit / 10 - 1)
    return value


def _number(m: re.Match[str]) -> float:
    value = float(m.group("num").replace(",", ""))
    scale = (m.group("scale") or "").lower()
    return value * _SCALE.get(scale, 1.0)


def find_amount(text: str, *, exclude_years: bool = True) -> float | None:
    """The largest money amount in a message (10k, 5万, 1.5m, 300,000, 三十万), or ``None``; numbers
    that are durations (5 years, 36个月), percentages or ages are skipped.

    Examples
    --------
    >>> find_amount("I want to invest 10k for 5 years"), find_amount("投资5万，三年")
    (10000.0, 50000.0)
    >>> find_amount("could I borrow 300,000 over 25 years?"), find_amount("贷款三十万")
    (300000.0, 300000.0)
    >>> find_amount("over 10 years") is None
    True
    """
    clean = normalize_text(text)
    spans = [m.span() for m in _YEARS.finditer(clean)] if exclude_years else []
    values = []
    for m in _AMOUNT.finditer(clean):
        if any(s <= m.start("num") < e for s, e in spans):
            continue
        tail = clean[m.end():m.end() + 2].lower()
        if tail.startswith(("%", "岁", "年", "个月", "月", "期", "号", "th", "st", "nd", "rd")):
            continue
        if re.match(r"\s*(?:percent|years? old|yo\b)", clean[m.end():], re.I):
            continue
        value = _number(m)
        if value >= 100 or m.group("scale") or m.group("cur"):
            values.append(value)
    for m in _ZH_AMOUNT.finditer(clean):
        if any(s <= m.start() < e for s, e in spans) or not re.search("[十百千万亿]", m.group(1)):
            continue
        value = _zh_number(m.group(1))
        if value >= 100:
            values.append(value)
    return max(values) if values else None


_INCOME = re.compile(r"(?:income|salary|earn|make|paid|收入|工资|月薪|年薪|薪水|月入|年入|月收|年收)"
                     r"[^\d零一二两三四五六七八九十]{0,20}"
                     r"(?P<body>[$¥€£]?\s?[\d,.]+\s?(?:k|m|万|千|w)?|[零一二两三四五六七八九十百千万点]+)"
                     r"(?P<per>[^,，。.;；]{0,14}?(?:a month|per month|monthly|/month|/mo|每月|一个月|月|"
                     r"a year|per year|annual|yearly|/year|/yr|每年|一年|年))?", re.I)


def find_income(text: str) -> tuple[float, str] | None:
    """A stated income and whether it is monthly or yearly (``"month"``/``"year"``), or ``None``.
    Without a word for the period, amounts under 30,000 are read as monthly.

    Examples
    --------
    >>> find_income("my salary is 8k a month"), find_income("年收入20万")
    ((8000.0, 'month'), (200000.0, 'year'))
    >>> find_income("I earn 95,000") , find_income("我月薪一万五")
    ((95000.0, 'year'), (15000.0, 'month'))
    """
    clean = normalize_text(text)
    m = _INCOME.search(clean)
    if m is None:
        return None
    body = m.group("body")
    value = find_amount(body, exclude_years=False)
    if value is None and re.fullmatch(r"[\d,.]+", body.strip()):
        value = float(body.replace(",", "").strip(".") or 0)
    if value is None or value <= 0:
        return None
    per = (m.group("per") or "") + clean[max(0, m.start() - 6):m.start()]
    if re.search(r"month|/mo|月", per, re.I):
        return value, "month"
    if re.search(r"year|annual|/yr|年", per, re.I):
        return value, "year"
    return value, "month" if value < 30_000 else "year"


_WORD_NUMBERS = {w: str(i) for i, w in enumerate(
    ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty"])}
_WORD_NUMBERS.update({"thirty": "30", "forty": "40", "a couple of": "2", "a few": "3"})
_WORD_RE = re.compile(r"\b(" + "|".join(sorted(map(re.escape, _WORD_NUMBERS), key=len, reverse=True)) +
                      r")\b(?=[ -](?:years?|yrs?|months?|weeks?)\b)", re.I)


def find_years(text: str) -> float | None:
    """A horizon or loan term in years (5 years, 36 months, 三年, 半年, 24期), or ``None``.

    Examples
    --------
    >>> find_years("invest for 5 years"), find_years("36 months"), find_years("三年"), find_years("半年")
    (5.0, 3.0, 3.0, 0.5)
    >>> find_years("a 10-year horizon"), find_years("24期"), find_years("I am 45") is None
    (10.0, 2.0, True)
    >>> find_years("three years"), find_years("over ten years")
    (3.0, 10.0)
    """
    clean = _WORD_RE.sub(lambda m: _WORD_NUMBERS[m.group(1).lower()], normalize_text(text))
    for m in _YEARS.finditer(clean):
        raw, unit = m.group(1), m.group("unit").lower()
        if re.search(r"old|岁", clean[m.end():m.end() + 5]):
            continue
        if unit in ("年",) and re.match(r"\d{4}$", raw):
            continue  # 2024年 is a date
        if raw == "半":
            value = 0.5
        elif raw[0].isdigit():
            value = float(raw)
        else:
            value = parse_chinese_numeral(raw.replace("半", "")) + (0.5 if raw.endswith("半") else 0.0)
        if unit.startswith(("month", "mo")) or unit in ("个月", "月", "期"):
            value /= 12
        elif unit.startswith("week") or unit == "周":
            value /= 52
        if 0 < value <= 50:
            return round(value, 4)
    return None


_PERIODS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("ytd", re.compile(r"year[- ]to[- ]date|\bytd\b|since the (?:start|beginning) of (?:the|this) year|"
                       r"since (?:the (?:start|beginning) of )?(?:january|jan)\b(?! \d{4})|年初至今|年初以来|今年以来|"
                       r"(?:自|从)(?:今年)?(?:1|一)月(?:份)?(?:以来|至今|开始)", re.I)),
    ("1d", re.compile(r"\btoday\b|\btoday's\b|this morning|right now|\brn\b|\byesterday\b|at the moment|currently|今天|"
                      r"今日|当日|现在|目前|昨天|昨日", re.I)),
    ("1w", re.compile(r"(?:this|past|last) (?:week|wk)\b|last 7 days|past 7 days|本周|这周|这一周|这个星期|上周|最近一周|近一周", re.I)),
    ("1m", re.compile(r"(?:this|past|last) (?:month|mth)\b|last 30 days|本月|这个月|上个月|最近一个月|近一个月|近一月", re.I)),
    ("3m", re.compile(r"(?:this|last|past) quarter|last (?:3|three) months|past (?:3|three) months|本季度|这个季度|"
                      r"上季度|近三个月|最近三个月|过去三个月|近3个月", re.I)),
    ("1y", re.compile(r"(?:this|past|last) (?:year|yr)\b|last 12 months|past 12 months|今年|去年|近一年|最近一年|过去一年|"
                      r"这一年", re.I)),
)
_SINCE = re.compile(r"(?:since|from)\s+(\d{4}-\d{1,2}-\d{1,2}|\d{4}\b)|(?:自|从)\s?(\d{4})\s?年?(?:(\d{1,2})月)?(?:以来|至今|开始)?",
                    re.I)
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_SINCE_MONTH = re.compile(r"\b(?:since|from)\s+(?:(\d{1,2})(?:st|nd|rd|th)?\s+)?(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|"
                          r"nov|dec)[a-z]*\.?(?:\s+(\d{1,2})(?:st|nd|rd|th)?)?,?\s+(\d{4})\b", re.I)
_LAST_N = re.compile(r"(?:last|past)\s+(\d+)\s+(day|week|month|year)s?|(?:近|最近|过去)\s?(\d+|[一二两三四五六七八九十]+)"
                     r"\s?(天|日|周|个月|月|年)", re.I)


def find_period(text: str) -> str | None:
    """The period a market question is about: ``1d``, ``1w``, ``1m``, ``3m``, ``ytd``, ``1y``,
    ``<n>d/w/m/y`` or ``since:YYYY-MM-DD``; ``None`` when the message names none.

    Examples
    --------
    >>> find_period("how did the S&P 500 do this week?"), find_period("黄金今年走势"), find_period("since 2015")
    ('1w', '1y', 'since:2015-01-01')
    >>> find_period("over the last 6 months"), find_period("近三个月"), find_period("gold price") is None
    ('6m', '3m', True)
    >>> find_period("since 3 March 2015"), find_period("since Jan"), find_period("how'd it do this wk")
    ('since:2015-03-03', 'ytd', '1w')
    """
    clean = normalize_text(text)
    m = _SINCE_MONTH.search(clean)
    if m:
        y, mo, d = int(m.group(4)), _MONTHS.index(m.group(2).lower()) + 1, int(m.group(1) or m.group(3) or 1)
        if 1900 <= y <= 2100 and 1 <= d <= 31:
            return f"since:{y:04d}-{mo:02d}-{d:02d}"
    m = _SINCE.search(clean)
    if m:
        if m.group(1):
            parts = m.group(1).split("-")
            y, mo, d = (int(parts[0]), int(parts[1]) if len(parts) > 1 else 1, int(parts[2]) if len(parts) > 2 else 1)
        else:
            y, mo, d = int(m.group(2)), int(m.group(3) or 1), 1
        if 1900 <= y <= 2100 and 1 <= mo <= 12 and 1 <= d <= 31:
            return f"since:{y:04d}-{mo:02d}-{d:02d}"
    m = _LAST_N.search(clean)
    if m:
        raw = m.group(1) or m.group(3)
        n = int(raw) if raw.isdigit() else int(parse_chinese_numeral(raw))
        unit = (m.group(2) or m.group(4)).lower()
        letter = {"day": "d", "天": "d", "日": "d", "week": "w", "周": "w", "month": "m", "个月": "m", "月": "m",
                  "year": "y", "年": "y"}[unit]
        if n > 0:
            return f"{n}{letter}"
    for key, pattern in _PERIODS:
        if pattern.search(clean):
            return key
    return None


_CASE_ID = re.compile(r"(?<![a-z])(?:case|alert)s?\s*(?:#|no\.?|number|id)?\s*(\d{1,9})\b|#(\d{1,9})\b|"
                      r"(?<![a-z0-9])(?:tm|aml|alr|alrt|alert|cs|sar|kyc)-?(\d{2,9})\b|(?:案件|案例|工单|预警)\s*(?:编号|号|#)?\s*(\d{1,9})|"
                      r"(\d{1,9})\s*号?(?:案件|案例|工单)", re.I)


def find_case_id(text: str) -> int | None:
    """A monitoring case id ("case 12", "case #12", "12号案件", "案件12"), or ``None``.

    Examples
    --------
    >>> find_case_id("close case #12 as not fraud"), find_case_id("把12号案件分配给小王"), find_case_id("open cases")
    (12, 12, None)
    >>> find_case_id("close TM-2093, false positive"), find_case_id("呢单case 3390 帮我close咗佢")
    (2093, 3390)
    """
    m = _CASE_ID.search(normalize_text(text))
    return int(next(g for g in m.groups() if g)) if m else None


_ASSIGN = re.compile(r"\bassign\w*\b.*?\bto\s+(?P<who>[\w.@-]+)|\breassign|\bgive (?:it|case)|分配给\s?(?P<zh>[\w.@-]+)|"
                     r"指派给\s?(?P<zh2>[\w.@-]+)|交给\s?(?P<zh3>[\w.@-]+)|\bassign\b|分配|指派", re.I)
_CLOSE = re.compile(r"\bclose\b|\bclosing\b|(?<![a-z])close(?=咗|掉|了)|\bresolve\b|\bdismiss\b|\bmark\b.*\bas\b|结案|关闭|关掉|处置", re.I)
_DISPOSITIONS = (("not_fraud", re.compile(r"not fraud|no fraud|false positive|legit|genuine|误报|非欺诈|不是欺诈|正常交易", re.I)),
                 ("escalated", re.compile(r"escalat|升级|上报", re.I)),
                 ("fraud", re.compile(r"\bfraud\b|confirmed fraud|欺诈|诈骗", re.I)))


def find_case_action(text: str, actor: str = "") -> dict[str, str]:
    """What an analyst asks to do with a case: ``{"action": "assign", "assignee": ...}``,
    ``{"action": "close", "disposition": ...}`` or ``{"action": "list"}`` (show/filter).

    Examples
    --------
    >>> find_case_action("assign case 4 to mei")
    {'action': 'assign', 'assignee': 'mei'}
    >>> find_case_action("close case 4 as a false positive")
    {'action': 'close', 'disposition': 'not_fraud'}
    >>> find_case_action("把案件4分配给我", actor="ana")
    {'action': 'assign', 'assignee': 'ana'}
    """
    clean = normalize_text(text)
    m = _ASSIGN.search(clean)
    if m:
        who = m.group("who") or m.group("zh") or m.group("zh2") or m.group("zh3") or ""
        who = who.strip("，。,.!?？")
        if who.lower() in ("me", "myself", "我", "我自己") and actor:
            who = actor
        out = {"action": "assign"}
        if who and who.lower() not in ("me", "myself", "我", "我自己", "someone", "谁"):
            out["assignee"] = who
        return out
    if _CLOSE.search(clean):
        out = {"action": "close"}
        for name, pattern in _DISPOSITIONS:
            if pattern.search(clean):
                out["disposition"] = name
                break
        return out
    return {"action": "list"}


def _words(text: str) -> list[str]:
    return re.findall(r"[A-Za-z][A-Za-z0-9_]*", normalize_text(text))


def find_dataset(text: str, known: Iterable[str] = ()) -> str | None:
    """A dataset the message names: one of ``known`` (written with spaces or underscores), else a
    snake_case word next to "dataset"/"table"/"data"/数据集/表, or ``None``.

    Examples
    --------
    >>> find_dataset("average income in credit applications", ["credit_applications", "us_macro"])
    'credit_applications'
    >>> find_dataset("how many rows does the loans_2024 table have?")
    'loans_2024'
    """
    low = normalize_text(text).lower()
    for name in sorted(known, key=len, reverse=True):
        spaced = name.lower().replace("_", " ")
        if name.lower() in low or re.search(rf"\b{re.escape(spaced)}\b", low):
            return name
    m = re.search(r"\b([a-z][a-z0-9]*(?:_[a-z0-9]+)+)\b", low)
    if m:
        return m.group(1)
    m = re.search(r"\b(?:the|in|from|of)\s+([a-z][a-z0-9]+)\s+(?:dataset|table|data set)\b|"
                  r"\b(?:dataset|table)\s+['\"]?([a-z][a-z0-9_]+)", low)
    if m:
        return m.group(1) or m.group(2)
    m = re.search(r"([A-Za-z][A-Za-z0-9_]+)\s?(?:数据集|数据表|表)", normalize_text(text))
    return m.group(1) if m else None


def find_column(text: str, columns: Iterable[str], *, skip: Iterable[str] = ()) -> str | None:
    """The first of ``columns`` the message names (case-insensitive, underscores or spaces), other
    than those in ``skip``; ``None`` when it names none.

    Examples
    --------
    >>> find_column("average credit limit by region", ["region", "credit_limit"])
    'credit_limit'
    """
    low = normalize_text(text).lower()
    best: tuple[int, str] | None = None
    skipped = {s.lower() for s in skip}
    for col in sorted(columns, key=len, reverse=True):
        if col.lower() in skipped:
            continue
        for form in {col.lower(), col.lower().replace("_", " ")}:
            m = re.search(rf"(?<![a-z0-9_]){re.escape(form)}(?![a-z0-9_])", low)
            if m and (best is None or m.start() < best[0]):
                best = (m.start(), col)
    return best[1] if best else None
