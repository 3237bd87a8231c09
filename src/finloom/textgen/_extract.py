"""Extract numbers, dates, entity mentions and direction words (English and Chinese) with spans."""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace

from finloom.textgen._periods import month_end

__all__ = [
    "DateMention",
    "Mention",
    "NumberMention",
    "extract_dates",
    "extract_numbers",
    "find_mentions",
    "parse_chinese_numeral",
]

_ZH_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
              "八": 8, "九": 9}
_ZH_UNITS = {"十": 10, "百": 100, "千": 1000}
_ZH_BIG = {"万": 10**4, "亿": 10**8}
_ZH_CHARS = "零〇一二两三四五六七八九十百千万亿"
_ZH_NOISE = {"千万", "万一", "一一", "万万", "千千", "十足"}
_SCALE = {"trillion": 1e12, "tn": 1e12, "trn": 1e12, "billion": 1e9, "bn": 1e9, "b": 1e9, "million": 1e6, "mn": 1e6,
          "m": 1e6, "thousand": 1e3, "k": 1e3, "万亿": 1e12, "亿": 1e8, "万": 1e4, "千": 1e3}
_CURRENCY = {"us$": "USD", "$": "USD", "usd": "USD", "€": "EUR", "eur": "EUR", "£": "GBP", "gbp": "GBP",
             "¥": "CNY", "rmb": "CNY", "cny": "CNY", "hk$": "HKD", "hkd": "HKD", "美元": "USD", "元": "CNY",
             "人民币": "CNY", "欧元": "EUR", "英镑": "GBP", "港元": "HKD", "p": "GBP", "pence": "GBP",
             "cent": "USD", "cents": "USD", "c": "USD", "us cent": "USD", "us cents": "USD", "u.s. cent": "USD", "u.s. cents": "USD", "¢": "USD", "a$": "AUD", "au$": "AUD", "c$": "CAD", "ca$": "CAD",
             "s$": "SGD", "nz$": "NZD", "加元": "CAD", "加币": "CAD", "澳元": "AUD", "澳币": "AUD", "日元": "JPY",
             "新元": "SGD", "aud": "AUD", "cad": "CAD", "jpy": "JPY", "sgd": "SGD", "chf": "CHF",
             "rm": "MYR", "myr": "MYR", "rp": "IDR", "idr": "IDR", "₩": "KRW", "krw": "KRW", "vnd": "VND",
             "₹": "INR", "inr": "INR", "nt$": "TWD", "twd": "TWD", "thb": "THB"}
_CURRENCY.update({w: c for c, words in {  # currency words after the number: "12.4 billion dollars"
    "USD": ("dollar", "dollars", "us dollar", "us dollars", "u.s. dollar", "u.s. dollars"),
    "EUR": ("euro", "euros"), "GBP": ("pound", "pounds", "pound sterling", "pounds sterling"),
    "CNY": ("yuan", "renminbi"), "JPY": ("yen",), "HKD": ("hong kong dollar", "hong kong dollars"),
    "AUD": ("australian dollar", "australian dollars"), "CAD": ("canadian dollar", "canadian dollars"),
    "SGD": ("singapore dollar", "singapore dollars")}.items() for w in words})
_SUBUNIT = {"p", "pence", "c", "cent", "cents", "us cent", "us cents", "u.s. cent", "u.s. cents", "¢"}  # 8.24p = £0.0824
_UNIT_KIND = {"%": "percent", "％": "percent", "percent": "percent", "per cent": "percent",
              "percentage points": "pp", "percentage point": "pp", "pp": "pp", "ppt": "pp", "ppts": "pp",
              "个百分点": "pp", "个点": "points", "基点": "bp", "个基点": "bp", "basis point": "bp", "bp": "bp", "bps": "bp", "basis points": "bp", "倍": "times",
              "times": "times", "x": "times", "points": "points", "point": "points", "点": "points",
              "-point": "points", "-points": "points", "pts": "points", "pt": "points",
              "-day": "days", " days": "days", " day": "days", "日": "days", "天": "days"}
_UNIT_RE = (r"%|％|percentage points?|per ?cent|ppts?(?![A-Za-z])|pp(?![A-Za-z])|pts?(?![A-Za-z]|\.[A-Za-z0-9])|个百分点|个基点|个点|"
            r"basis points?|bps?(?![A-Za-z])|(?<=\d)BPS?(?![A-Za-z])|基点|倍|times\b|x(?![A-Za-z])|"
            r"points?\b|-points?\b|点|-day\b| days?\b|日|天")
_CUR_PREFIX = (r"US\$|HK\$|AU?\$|CA?\$|S\$|NZ\$|NT\$|\$|€|£|¥|₩|₹|RM(?=\d)|Rp ?(?=\d)|"
               r"(?:RMB|CNY|USD|EUR|HKD|GBP|AUD|CAD|JPY|SGD|CHF|MYR|IDR|KRW|VND|INR|TWD|THB) ?")
_CUR_SUFFIX = (r" ?(?:美元|人民币|元|欧元|英镑|港元|加元|加币|澳元|澳币|日元|新元|"
               r"(?:USD|EUR|CNY|RMB|HKD|GBP|AUD|CAD|JPY|SGD|CHF)\b|p\b|pence\b|(?:US |U\.S\. )?cents?\b|¢|(?<=\d)c\b|"
               r" (?:(?:US|U\.S\.|Hong Kong|Australian|Canadian|Singapore) )?dollars?\b| euros?\b|"
               r" pounds?(?: sterling)?\b| yuan\b| renminbi\b| yen\b)")
_SCALE_RE = r" ?(?:trillion|billion|million|thousand|bn|mn|trn|tn)\b|[kmbKMB]\b|万亿|亿|万|千"
_ARABIC = re.compile(
    rf"(?<![A-Za-z0-9.,%％])(?P<sign>[-+−])?(?P<cur>{_CUR_PREFIX})?"
    r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    rf"(?P<scale>{_SCALE_RE})?(?P<cur2>{_CUR_SUFFIX})?(?P<unit> ?(?:{_UNIT_RE}))?"
)
_CHINESE = re.compile(
    rf"(?P<pct>百分之)?(?P<num>[{_ZH_CHARS}]+(?:点[零〇一二三四五六七八九]+(?:万亿|亿|万)?)?)"
    rf"(?P<cur2>{_CUR_SUFFIX})?(?P<unit>%|个百分点|个基点|个点|基点|倍|点|日|天)?"
)
_MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
_MONTHS.update({m.lower(): i for i, m in enumerate(calendar.month_abbr) if m})
_MONTH_RE = "|".join(sorted(_MONTHS, key=len, reverse=True))
_ZH_Q = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_DATE_PATTERNS = [
    ("ymd", re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")),
    ("ymd", re.compile(r"(?<!\d)(\d{4})/(\d{1,2})/(\d{1,2})(?!\d)")),
    ("zh_ymd", re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")),
    ("dmy", re.compile(rf"(?<!\d)(\d{{1,2}}) ({_MONTH_RE})\.? (\d{{4}})", re.I)),
    ("mdy", re.compile(rf"\b({_MONTH_RE})\.? (\d{{1,2}}),? (\d{{4}})", re.I)),
    ("zh_q", re.compile(r"(\d{4})年第?([一二三四1234])季度")),
    ("q", re.compile(r"\bQ([1-4]) ?(\d{4})\b")),
    ("zh_ym", re.compile(r"(\d{4})年(\d{1,2})月")),
    ("my", re.compile(rf"\b({_MONTH_RE}) (\d{{4}})\b", re.I)),
    ("zh_y", re.compile(r"(\d{4})年")),
    ("y", re.compile(r"(?<![\d.,$])((?:19|20)\d{2})(?![\d%]|\.\d)")),
]


@dataclass(frozen=True)
class Mention:
    """A span of text with a kind-specific value (entity name, direction)."""

    start: int
    end: int
    text: str
    value: str


@dataclass(frozen=True)
class NumberMention:
    """A number as written: ``value`` is scaled (1.2 billion → 1.2e9), ``tol`` its rounding tolerance.

    ``written`` is the number before its scale word (1.2), ``decimals`` the digits shown after the
    point (negative for trailing zeros of a whole number: "21,100" → -2), ``scale`` the factor of
    the scale word (1e9) — enough to check "the fact rounded to the shown precision".
    """

    start: int
    end: int
    text: str
    value: float
    tol: float
    kind: str  # "percent", "pp", "currency", "times", "points", "days", "plain"
    currency: str | None = None
    signed: bool = False
    written: float = 0.0
    decimals: int = 0
    scale: float = 1.0


@dataclass(frozen=True)
class DateMention:
    """A date, month, quarter or year written in the text, as an inclusive date range."""

    start: int
    end: int
    text: str
    first: dt.date
    last: dt.date
    exact: bool


def parse_chinese_numeral(text: str) -> float:
    """Parse a Chinese numeral such as 三点五, 一百二十三, 两千万 or 十二.

    Examples
    --------
    >>> parse_chinese_numeral("三点五"), parse_chinese_numeral("一百二十三"), parse_chinese_numeral("两千万")
    (3.5, 123.0, 20000000.0)
    >>> parse_chinese_numeral("十二"), parse_chinese_numeral("三亿五千万")
    (12.0, 350000000.0)
    """
    whole, _, frac = text.partition("点")
    yi, wan, section, digit = 0, 0, 0, 0
    for ch in whole:
        if ch in _ZH_DIGITS:
            digit = _ZH_DIGITS[ch]
        elif ch in _ZH_UNITS:
            section += (digit or 1) * _ZH_UNITS[ch]
            digit = 0
        elif ch == "万":
            wan = (wan + section + digit) * 10**4
            section, digit = 0, 0
        elif ch == "亿":
            yi = (yi + wan + section + digit) * 10**8
            wan, section, digit = 0, 0, 0
    total = yi + wan
    value = float(total + section + digit)
    if frac:
        value += float("0." + "".join(str(_ZH_DIGITS[c]) for c in frac))
    return value


@functools.lru_cache(maxsize=16384)
def _surface_pattern(surface: str) -> re.Pattern[str]:
    """The compiled pattern of one name (ASCII names match case-insensitively, as whole words)."""
    flags = re.I if any(c.isascii() and c.isalpha() for c in surface) else 0  # 核心cpi finds 核心CPI
    boundary = r"(?<![A-Za-z])" if surface[:1].isalpha() and surface.isascii() else ""
    tail = r"(?![A-Za-z]|-[a-z])" if surface.isascii() else ""
    return re.compile(boundary + re.escape(surface) + tail, flags)


def find_mentions(text: str, names: Iterable[tuple[str, str]]) -> list[Mention]:
    """Non-overlapping occurrences of ``(surface, canonical)`` names, longest surface first."""
    taken = [False] * len(text)
    found: list[Mention] = []
    lowered = text.lower()
    for surface, canonical in sorted(names, key=lambda p: len(p[0]), reverse=True):
        if not surface or surface.lower() not in lowered:
            continue
        for m in _surface_pattern(surface).finditer(text):
            if not any(taken[m.start() : m.end()]):
                taken[m.start() : m.end()] = [True] * (m.end() - m.start())
                found.append(Mention(m.start(), m.end(), m.group(0), canonical))
    return sorted(found, key=lambda m: m.start)


def _date_range(kind: str, g: tuple[str, ...]) -> tuple[dt.date, dt.date, bool]:
    if kind in ("ymd", "zh_ymd"):
        day = dt.date(int(g[0]), int(g[1]), int(g[2]))
        return day, day, True
    if kind == "dmy":
        day = dt.date(int(g[2]), _MONTHS[g[1].lower()], int(g[0]))
        return day, day, True
    if kind == "mdy":
        day = dt.date(int(g[2]), _MONTHS[g[0].lower()], int(g[1]))
        return day, day, True
    if kind in ("zh_q", "q"):
        year, q = (int(g[0]), _ZH_Q[g[1]]) if kind == "zh_q" else (int(g[1]), int(g[0]))
        return dt.date(year, 3 * q - 2, 1), month_end(year, 3 * q), False
    if kind in ("zh_ym", "my"):
        year, month = (int(g[0]), int(g[1])) if kind == "zh_ym" else (int(g[1]), _MONTHS[g[0].lower()])
        return dt.date(year, month, 1), month_end(year, month), False
    year = int(g[0])
    return dt.date(year, 1, 1), dt.date(year, 12, 31), False


def extract_dates(text: str) -> list[DateMention]:
    """Dates, months, quarters and years in English or Chinese, most specific first.

    Examples
    --------
    >>> [(d.text, d.exact) for d in extract_dates("From 2018-01-02 to 2018年3月29日, Q1 2018")]
    [('2018-01-02', True), ('2018年3月29日', True), ('Q1 2018', False)]
    """
    taken = [False] * len(text)
    found: list[DateMention] = []
    for kind, pattern in _DATE_PATTERNS:
        for m in pattern.finditer(text):
            if any(taken[m.start() : m.end()]):
                continue
            try:
                first, last, exact = _date_range(kind, m.groups())
            except (ValueError, KeyError):
                continue
            taken[m.start() : m.end()] = [True] * (m.end() - m.start())
            found.append(DateMention(m.start(), m.end(), m.group(0), first, last, exact))
    return sorted(found, key=lambda d: d.start)


def _decimals(num: str) -> int:
    if "." in num:
        return len(num.split(".")[1])
    digits = num.replace(",", "")
    if len(digits) < 3 or not digits.strip("0") or len(digits) == 3 and digits.endswith("00"):
        return 0  # "100 bp", "50": exact; "21,100" and "about $410" may be rounded to the zeros they show
    return -(len(digits) - len(digits.rstrip("0")))


_HEDGE_AFTER = re.compile(r"\s*(?:点|元|亿|万|美元|港元)?(?:附近|左右|上下|出头)")  # "收在21,100点附近"
_PER_UNIT = re.compile(r"\s+(?:of|on|per|for|in|out of)\s+(?:every|each|a|the)\s+(?:[\w-]+\s+){0,2}?"
                       r"(?:dollar|euro|pound|buck|yuan)s?\b", re.I)
_HEDGE = re.compile(r"(?:\b(?:about|around|roughly|nearly|almost|some|approximately|approx\.?|close to|over|more than|"
                    r"less than|under|above|below|just over|just under|(?:just )?shy of|a touch (?:above|below|under|over)|"
                    r"north of|south of|upwards of|close on|in the region of|of around|near|circa|an estimated|well over|well under)\s*|~|约|近|逾|大约|接近|将近|超过|超|不到|左右)\s*$", re.I)


def _arabic(m: re.Match[str], text: str = "") -> NumberMention:
    num = m.group("num")
    value = float(num.replace(",", ""))
    written, decimals = value, _decimals(num)
    if decimals < 0 and not _HEDGE.search(text[max(0, m.start() - 16) : m.start()]) \
            and not _HEDGE_AFTER.match(text, m.end()):
        decimals = 0  # "3000" is exact; "about 21,100" is rounded to the hundreds it shows
    tol = 0.5 * 10.0 ** -max(decimals, 0)
    scale_word = (m.group("scale") or "").strip()
    scale = _SCALE.get(scale_word if not scale_word.isascii() else scale_word.lower(), 1.0)
    cur_text = (m.group("cur") or m.group("cur2") or "").strip().lower()
    if cur_text in _SUBUNIT:
        if _PER_UNIT.match(text, m.end()):  # "76 cents of every premium dollar" is a share: 76 %
            return NumberMention(m.start(), m.end(), m.group(0), value, tol, "percent", None, False, written,
                                 decimals, 1.0)
        scale *= 0.01
    unit = (m.group("unit") or "").strip() if m.group("unit") else ""
    unit_key = m.group("unit").lower() if m.group("unit") else ""
    kind = _UNIT_KIND.get(unit_key, _UNIT_KIND.get(unit.lower(), "plain")) if unit else "plain"
    currency = _CURRENCY.get(cur_text)
    if currency:
        kind = "currency"
    if kind == "bp":
        value, tol, kind, scale = value / 100.0, tol / 100.0, "pp", 0.01
        scale_applied = 1.0
    else:
        scale_applied = scale
    sign = m.group("sign")
    signed = bool(sign)
    if sign in ("-", "−"):
        value = -value
    return NumberMention(m.start(), m.end(), m.group(0), value * scale_applied, tol * scale_applied, kind,
                         currency, signed, written, decimals, scale)


def _chinese(m: re.Match[str], text: str = "") -> NumberMention | None:
    num = m.group("num")
    unit = m.group("unit") or ""
    has_context = bool(m.group("pct") or "点" in num or unit or m.group("cur2"))
    if num in _ZH_NOISE or not (has_context or (len(num) >= 2 and any(c in "十百千" for c in num))):
        return None
    if not any(c in "零〇一二两三四五六七八九十" for c in num) and \
            not (num in ("百亿", "千亿", "百万", "千万") and re.search(r"(?:超|逾|近|约|达|破|上|过)$", text[: m.start()])):
        return None  # 亿元, 万户: a scale word alone is not a number (but 超百亿元 is "over 10 billion")
    if num == "一" and unit in ("点", "天", "日") and not m.group("pct"):
        return None  # 便宜一点, 前一天: words, not figures
    scale_word = re.search(r"(万亿|亿|万)$", num) if "点" in num else None
    if scale_word:
        num = num[: scale_word.start()]
    value = parse_chinese_numeral(num) * (_SCALE[scale_word.group(1)] if scale_word else 1)
    frac = num.partition("点")[2]
    tol = 0.5 * 10.0 ** -len(frac)
    tail = num.rstrip("零〇")
    if not frac and tail and tail[-1] in "万亿":
        tol *= _ZH_BIG[tail[-1]]
    kind = "percent" if m.group("pct") else _UNIT_KIND.get(unit, "plain")
    currency = _CURRENCY.get((m.group("cur2") or "").strip().lower())
    if currency:
        kind = "currency"
    scale = 1.0
    if not frac and tail and tail[-1] in "万亿":
        scale = 10**12 if tail.endswith("万亿") else _ZH_BIG[tail[-1]]
    if scale_word:
        scale = _SCALE[scale_word.group(1)]
        tol *= scale
    written = value / scale
    decimals = len(frac) if frac else _decimals(str(int(round(written))))
    if decimals < 0 and not _HEDGE.search(text[max(0, m.start() - 16) : m.start()]):
        decimals = 0
    if kind == "bp":
        value, tol, kind, scale = value / 100.0, tol / 100.0, "pp", 0.01
    return NumberMention(m.start(), m.end(), m.group(0), value, tol, kind, currency, False, written, decimals, scale)


_ZH_TENTHS = re.compile(r"(?<![\u4e00-\u9fff]{2}不)(?P<n>[一二两三四五六七八九])成(?P<m>[一二三四五六七八九])?(?![本交为立功员果长绩就熟型品年人效不])")
_WORD_NUM = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
             "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20}
_WORD_TIMES = re.compile(rf"\b(?P<w>{'|'.join(_WORD_NUM)})(?P<half> and a half)?(?:[- ]fold| times)\b", re.I)
_FRACTIONS = re.compile(
    r"\b(?:(?P<pptenths>(?:a|one|two|three|four|five|six|seven|eight|nine)[- ]tenths? of (?:a|one) (?:percentage[- ])?point)|"
    r"(?P<pcthalf>half an? (?:percent|per cent)|half of one (?:percent|per cent))|(?P<pphalf>half an? (?:percentage )?point|a half[- ](?:percentage[- ])?point)|"
    r"(?P<ppquarter>a quarter[- ](?:of a )?(?:percentage[- ])?point|quarter[- ]point)|(?P<pctquarter>a quarter of (?:a|one) (?:percent|per cent))|"
    r"(?P<half>(?:(?<=by )|(?<=nearly )|(?<=almost )|(?<=about )|(?<=around )|(?<=roughly )|(?<=than )|(?<=over )|"
    r"(?<=under )|(?<=just )|(?<=some ))half(?![- ]year|[- ]yearly)|half(?= (?:of|their|its|our|all|the)\b)|one[- ]half)|(?:a|one)[- ](?P<third>third)|two[- ](?P<thirds>thirds)|"
    r"(?<!\bwas )(?<!\bis )(?<!\bbeen )(?:a|one)[- ]quarter(?= of)|(?:a|one)[- ]quarter(?= of (?:the|its|their|our|all|total|every|each)\b)|three[- ](?P<quarters>quarters)(?= of)|(?:a|one)[- ](?P<fifth>fifth)|"
    r"(?P<twice>twice|doubled?)|(?P<triple>tripled?|three times)|(?P<halved>halved))\b"
    r"|(?P<zh>三分之一|三分之二|四分之一|四分之三|五分之一|一半)|(?P<zh2>翻倍|翻番|翻了一番|翻一番)", re.I)
_FRACTION_VALUE = {"half": 50.0, "third": 100 / 3, "thirds": 200 / 3, "quarters": 75.0, "fifth": 20.0,
                   "三分之一": 100 / 3, "三分之二": 200 / 3, "四分之一": 25.0, "四分之三": 75.0,
                   "五分之一": 20.0, "一半": 50.0}


def _special(m: re.Match[str]) -> NumberMention:
    """成 (tenths), fractions (a third, 三分之一) and multiples (twice, 翻倍) as numbers."""
    g = {k: v for k, v in m.groupdict().items() if v}
    if "n" in g:  # 四成 = 40 %, 三成五 = 35 %
        tenths = float(_ZH_DIGITS[g["n"]] * 10 + (_ZH_DIGITS[g["m"]] if "m" in g else 0))
        return NumberMention(m.start(), m.end(), m.group(0), tenths, 5.0 if "m" not in g else 0.5,
                             "percent", written=tenths, decimals=-1 if "m" not in g else 0)
    if "pptenths" in g:  # "a tenth of a point", "two tenths of a percentage point"
        tenths = _WORD_NUM.get(g["pptenths"].split()[0].split("-")[0].lower(), 1) / 10
        return NumberMention(m.start(), m.end(), m.group(0), tenths, 0.005, "pp", written=tenths, decimals=1)
    if "pcthalf" in g:
        return NumberMention(m.start(), m.end(), m.group(0), 0.5, 0.05, "percent", written=0.5, decimals=1)
    if "pctquarter" in g:
        return NumberMention(m.start(), m.end(), m.group(0), 0.25, 0.005, "percent", written=0.25, decimals=2)
    if "pphalf" in g or "ppquarter" in g:
        pp = 0.5 if "pphalf" in g else 0.25
        return NumberMention(m.start(), m.end(), m.group(0), pp, 0.005, "pp", written=pp, decimals=2)
    if "twice" in g or "zh2" in g or "triple" in g:
        times = 3.0 if "triple" in g else 2.0
        return NumberMention(m.start(), m.end(), m.group(0), times, 0.05, "times", written=times, decimals=1)
    if "halved" in g:
        return NumberMention(m.start(), m.end(), m.group(0), 50.0, 0.5, "percent", written=50.0, decimals=0)
    key = g.get("zh") or next((k for k in ("half", "third", "thirds", "quarters", "fifth") if k in g), "")
    share = _FRACTION_VALUE.get(key, 25.0)
    return NumberMention(m.start(), m.end(), m.group(0), share, 0.5, "percent", written=float(round(share)),
                         decimals=0)


_AND_A_HALF = re.compile(r"\s?(?:and a half\b|½)")


def _halved(n: NumberMention, text: str) -> NumberMention:
    """"21 and a half years", "3½": a whole number with a half after it is n + 0.5."""
    m = _AND_A_HALF.match(text, n.end)
    if m is None or n.decimals > 0 or n.kind not in ("plain", "days") or n.scale != 1.0:
        return n
    return replace(n, end=m.end(), text=text[n.start : m.end()], value=n.value + 0.5, tol=0.05,
                   written=n.written + 0.5, decimals=1)


_JIAO = re.compile(r"\s?(?:块|元)(?P<d>[一二三四五六七八九1-9])(?:毛|角)?(?![\d一二三四五六七八九十百千万亿])")


def _with_jiao(n: NumberMention, text: str) -> NumberMention:
    """"七百九十二块六", "3块5": yuan and a tenth (角 / 毛) written after 块 or 元 are one amount."""
    m = _JIAO.match(text, n.end)
    if m is None or n.decimals > 0 or n.scale != 1.0 or n.kind not in ("plain", "currency"):
        return n
    tenth = _ZH_DIGITS.get(m["d"], int(m["d"]) if m["d"].isdigit() else 0) / 10
    return replace(n, end=m.end(), text=text[n.start : m.end()], value=n.value + tenth, tol=0.05,
                   written=n.written + tenth, decimals=1, kind="currency", currency="CNY")


# Numbers that are not figures about anything: phone numbers ("call 800-555-0199", 客服热线95588),
# service hours ("24/7", 7×24小时) and list counters ("1) … 2) …").
_PHONE = re.compile(r"(?:热线|电话|致电|拨打|\b(?:call|phone|tel|telephone|hotline|ring|dial|text|WhatsApp)\b)"
                    r"(?:\s*us)?(?:\s*(?:on|at))?\s*[:：]?\s*(?P<n>\+?\d[\d \-().]{3,18}\d)(?![\d.,%])", re.I)
_PHONE_SHAPE = re.compile(r"(?<![\d.,$€£¥])(?:\+\d{1,3}[ -])?(?:\(\d{2,4}\) ?)?\d{3,4}[ -]\d{3,4}[ -]\d{3,4}(?![\d.,%])")
_HOURS = re.compile(r"(?<![\d.])24/7(?![\d.])|(?<![\d.])7\s?[x×*]\s?24(?![\d.])")
_LIST_MARK = re.compile(r"(?:^|(?<=[\s:;：；]))(?:[1-9]|1\d)\)(?=\s)")


def _not_figures(text: str) -> list[tuple[int, int]]:
    spans = [m.span("n") for m in _PHONE.finditer(text)]
    spans += [m.span() for pattern in (_PHONE_SHAPE, _HOURS) for m in pattern.finditer(text)]
    marks = [m.span() for m in _LIST_MARK.finditer(text)]
    return spans + (marks if len(marks) >= 2 else [])


def extract_numbers(text: str, *, skip: Iterable[tuple[int, int]] = ()) -> list[NumberMention]:
    """Numbers with their unit kind and rounding tolerance; ``skip`` masks spans (dates, names).

    Examples
    --------
    >>> [(n.value, n.kind) for n in extract_numbers("rose 3.5% to $1.2 billion")]
    [(3.5, 'percent'), (1200000000.0, 'currency')]
    >>> [(n.value, n.kind) for n in extract_numbers("上涨百分之五，成交额2.5亿元，增长三点五倍")]
    [(5.0, 'percent'), (250000000.0, 'currency'), (3.5, 'times')]
    """
    masked = list(text)
    for a, b in [*skip, *_not_figures(text)]:
        masked[a:b] = ["\x00"] * (b - a)
    plain = "".join(masked)
    found: list[NumberMention] = []
    for m in _ARABIC.finditer(plain):
        if found and m.start() < found[-1].end:
            continue  # the "6" of "792块6" is part of the amount before it
        found.append(_with_jiao(_halved(_arabic(m, plain), plain), plain))
    for m in _CHINESE.finditer(plain):
        mention = _chinese(m, plain)
        mention = _with_jiao(mention, plain) if mention is not None else None
        if mention is not None and not any(n.start < mention.end and mention.start < n.end for n in found):
            found.append(mention)
    for m in _WORD_TIMES.finditer(plain):
        times = _WORD_NUM[m["w"].lower()] + (0.5 if m["half"] else 0.0)
        if not any(n.start < m.end() and m.start() < n.end for n in found):
            found.append(NumberMention(m.start(), m.end(), m.group(0), times, 0.05, "times", written=times,
                                       decimals=1 if m["half"] else 0))
    for pattern in (_ZH_TENTHS, _FRACTIONS):
        for m in pattern.finditer(plain):
            if "一成不变" in plain[max(0, m.start() - 1) : m.end() + 2]:
                continue
            special = _special(m)
            if not any(n.start < special.end and special.start < n.end for n in found):
                found.append(special)
    return sorted(found, key=lambda n: n.start)
